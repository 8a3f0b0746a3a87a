#include "client/mutations.hpp"

namespace acmespec::client {
namespace {

using nlohmann::json;

Result<std::string> string_knob(const json& value, const std::string& name) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty())
    return make_error(name, "must be a non-empty string");
  return value.get<std::string>();
}

}  // namespace

const std::vector<std::string>& Mutations::names() {
  static const std::vector<std::string> all = {
      "protected.nonce",   "protected.url",          "protected.key",     "protected.kid",
      "protected.jwk",     "protected.b64",          "protected.alg",     "protected.crit",
      "signature",         "payload",                "jws.padding",       "jws.unprotected-header",
      "jws.serialization", "http.content-type",      "http.method",       "protected.duplicate"};
  return all;
}

bool Mutations::any() const {
  return nonce != Nonce::normal || omit_url || mangle_url || reencode_url || url || key_header != KeyHeader::normal ||
         kid || jwk != Jwk::normal || unencoded_payload || alg || crit || signature != Signature::normal || payload ||
         padding != Padding::none || unprotected_header || serialization != Serialization::flattened || content_type ||
         omit_content_type || plain_get || move_to_unprotected || duplicate;
}

Result<Mutations> Mutations::parse(const json& mutate) {
  Mutations m;
  if (!mutate.is_object()) return make_error("", "not an object");
  for (const auto& [name, value] : mutate.items()) {
    if (name == "protected.crit") {
      if (!value.is_array()) return make_error(name, "must be an array of header names");
      std::vector<std::string> names;
      for (const auto& v : value) {
        if (!v.is_string()) return make_error(name, "must be an array of header names");
        names.push_back(v.get<std::string>());
      }
      m.crit = std::move(names);
      continue;
    }
    auto text = string_knob(value, name);
    if (!text) return text.error();
    const std::string& v = *text;
    if (name == "protected.nonce") {
      if (v == "replay") m.nonce = Nonce::replay;
      else if (v == "omit") m.nonce = Nonce::omit;
      else if (v == "invent") m.nonce = Nonce::invent;
      else return make_error(name, "must be replay, omit or invent");
    } else if (name == "protected.url") {
      if (v == "omit") m.omit_url = true;
      else if (v == "mangle") m.mangle_url = true;
      else if (v == "reencode") m.reencode_url = true;
      else m.url = v;
    } else if (name == "protected.key") {
      if (v == "jwk+kid") m.key_header = KeyHeader::both;
      else if (v == "jwk") m.key_header = KeyHeader::jwk;
      else if (v == "kid") m.key_header = KeyHeader::kid;
      else return make_error(name, "must be jwk+kid, jwk or kid");
    } else if (name == "protected.kid") {
      m.kid = v;
    } else if (name == "protected.jwk") {
      if (v == "extra-members") m.jwk = Jwk::extra_members;
      else if (v == "weak-rsa") m.jwk = Jwk::weak_rsa;
      else return make_error(name, "must be extra-members or weak-rsa");
    } else if (name == "protected.b64") {
      if (v != "false") return make_error(name, "must be false (as a string)");
      m.unencoded_payload = true;
    } else if (name == "jws.padding") {
      if (v == "protected") m.padding = Padding::protected_header;
      else if (v == "payload") m.padding = Padding::payload;
      else if (v == "signature") m.padding = Padding::signature;
      else return make_error(name, "must be protected, payload or signature");
    } else if (name == "jws.unprotected-header") {
      if (v == "add") {
        m.unprotected_header = true;
      } else if (v.rfind("move:", 0) == 0 && v.size() > 5) {
        m.move_to_unprotected = v.substr(5);
      } else {
        return make_error(name, "must be add or move:<header member>");
      }
    } else if (name == "protected.duplicate") {
      if (v != "url" && v != "nonce" && v != "kid" && v != "alg") return make_error(name, "must be url, nonce, kid or alg");
      m.duplicate = v;
    } else if (name == "jws.serialization") {
      if (v == "compact") m.serialization = Serialization::compact;
      else if (v == "general") m.serialization = Serialization::general;
      else if (v == "two-signatures") m.serialization = Serialization::two_signatures;
      else return make_error(name, "must be compact, general or two-signatures");
    } else if (name == "protected.alg") {
      m.alg = v;
    } else if (name == "signature") {
      if (v == "corrupt") m.signature = Signature::corrupt;
      else if (v == "empty") m.signature = Signature::empty;
      else if (v == "der") m.signature = Signature::der;
      else return make_error(name, "must be corrupt, empty or der");
    } else if (name == "payload") {
      m.payload = v == "not-json" ? std::string("{this is not JSON") : v;
    } else if (name == "http.content-type") {
      if (v == "omit") m.omit_content_type = true;
      else m.content_type = v;
    } else if (name == "http.method") {
      if (v != "GET") return make_error(name, "must be GET");
      m.plain_get = true;
    } else {
      return make_error(name, "unknown mutation");
    }
  }
  return m;
}

}  // namespace acmespec::client
