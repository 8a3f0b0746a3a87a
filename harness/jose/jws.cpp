#include "jose/jws.hpp"

#include "jose/base64url.hpp"
#include "jose/signature.hpp"

namespace acmespec::jose {
namespace {

// Duplicate names are refused so that a header cannot say two things.
Result<nlohmann::json> decode_protected(std::string_view protected_b64,
                                        const JsonLimits& limits) {
  auto bytes = base64url_decode(protected_b64);
  if (!bytes) return bytes.error().nested("protected");
  JsonLimits strict = limits;
  strict.reject_duplicate_keys = true;
  auto header = parse_json(*bytes, strict);
  if (!header) {
    return make_error("protected", "decoded header is not JSON: " + header.error().to_string());
  }
  if (!header->is_object()) return make_error("protected", "header must be a JSON object");
  return header;
}

// Reads a required base64url member; keeps its text in `text`.
Result<std::string> b64_member(const nlohmann::json& j, std::string_view name,
                               std::string& text) {
  const auto it = j.find(name);
  if (it == j.end()) return make_error(std::string(name), "missing");
  if (!it->is_string()) return make_error(std::string(name), "must be a string");
  text = it->get<std::string>();
  auto bytes = base64url_decode(text);
  if (!bytes) return bytes.error().nested(std::string(name));
  return bytes;
}

Result<std::string> dump_compact(const nlohmann::json& j) {
  try {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
  } catch (const std::exception& e) {
    return make_error("", std::string("cannot serialize JSON: ") + e.what());
  }
}

// Reads "alg" from a header for verification; the MAC case is reported by
// the caller, which knows whether a MAC is what it wants.
Result<std::string> header_alg(const nlohmann::json& header) {
  const auto it = header.find("alg");
  if (it == header.end()) return make_error("protected.alg", "missing");
  if (!it->is_string()) return make_error("protected.alg", "must be a string");
  return it->get<std::string>();
}

Status refuse_crit(const nlohmann::json& header) {
  if (header.contains("crit")) {
    return make_error("protected.crit",
                      "critical header parameters are present, and acmespec understands no "
                      "JWS extension (RFC 7515 §4.1.11)");
  }
  return Ok{};
}

FlattenedJws assemble(std::string protected_bytes, std::string payload, std::string signature,
                      const std::optional<nlohmann::json>& unprotected) {
  FlattenedJws jws;
  jws.protected_b64 = base64url_encode(protected_bytes);
  jws.payload_b64 = base64url_encode(payload);
  jws.signature_b64 = base64url_encode(signature);
  auto header = parse_json(protected_bytes);
  jws.protected_header = header ? std::move(*header) : nlohmann::json();
  jws.payload = std::move(payload);
  jws.unprotected_header = unprotected;
  return jws;
}

}  // namespace

nlohmann::json FlattenedJws::to_json() const {
  nlohmann::json out = {
      {"protected", protected_b64}, {"payload", payload_b64}, {"signature", signature_b64}};
  if (unprotected_header) out["header"] = *unprotected_header;
  return out;
}

std::string FlattenedJws::serialize() const {
  // The members are ASCII base64url text; only a caller-supplied unprotected
  // header could hold invalid UTF-8, and that is replaced rather than thrown.
  return to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<FlattenedJws> parse_flattened(std::string_view body, const JsonLimits& limits) {
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] != '{' &&
      body.find('.') != std::string_view::npos) {
    return make_error("", "compact serialization is not accepted; ACME requires the flattened "
                          "JSON serialization (RFC 8555 §6.2)");
  }
  auto doc = parse_json(body, limits);
  if (!doc) return doc.error();
  if (!doc->is_object()) return make_error("", "JWS must be a JSON object");
  if (doc->contains("signatures")) {
    return make_error("signatures", "general JSON serialization is not accepted; ACME requires "
                                    "the flattened serialization (RFC 8555 §6.2)");
  }
  FlattenedJws jws;
  const auto it = doc->find("protected");
  if (it == doc->end()) return make_error("protected", "missing");
  if (!it->is_string()) return make_error("protected", "must be a string");
  jws.protected_b64 = it->get<std::string>();
  auto header = decode_protected(jws.protected_b64, limits);
  if (!header) return header.error();
  jws.protected_header = std::move(*header);

  auto payload = b64_member(*doc, "payload", jws.payload_b64);
  if (!payload) return payload.error();
  jws.payload = std::move(*payload);
  auto signature = b64_member(*doc, "signature", jws.signature_b64);
  if (!signature) return signature.error();

  if (const auto h = doc->find("header"); h != doc->end()) {
    if (!h->is_object()) return make_error("header", "must be a JSON object");
    for (const auto& item : h->items()) {
      if (jws.protected_header.contains(item.key())) {
        return make_error(json_path("header", item.key()),
                          "also in the protected header (RFC 7515 §7.2.1 requires disjoint "
                          "names)");
      }
    }
    jws.unprotected_header = *h;
  }
  return jws;
}

Result<FlattenedJws> sign_flattened(const nlohmann::json& protected_header,
                                    std::string_view payload, const PrivateKey& key) {
  if (!protected_header.is_object()) return make_error("protected", "must be a JSON object");
  nlohmann::json header = protected_header;
  Alg alg = key.default_alg();
  if (const auto it = header.find("alg"); it == header.end()) {
    header["alg"] = std::string(alg_name(alg));
  } else {
    const auto named = it->is_string() ? alg_from_name(it->get<std::string>()) : std::nullopt;
    if (!named || !alg_fits(*named, key.family())) {
      return make_error("protected.alg", "not an algorithm this " +
                                             std::string(family_name(key.family())) +
                                             " key signs with (use JwsBuilder to sign under a "
                                             "mismatching header on purpose)");
    }
    alg = *named;
  }
  auto builder = JwsBuilder::from_header(header);
  if (!builder) return builder.error().nested("protected");
  builder->payload(std::string(payload));
  return builder->sign(key, alg);
}

Status verify_flattened(const FlattenedJws& jws, const Jwk& key) {
  auto header = decode_protected(jws.protected_b64, JsonLimits{});
  if (!header) return header.error();
  auto alg_text = header_alg(*header);
  if (!alg_text) return alg_text.error();
  if (*alg_text == "none") {
    return make_error("protected.alg", "\"none\" is not a signature algorithm");
  }
  if (mac_alg_from_name(*alg_text)) {
    return make_error("protected.alg", "MAC algorithm " + *alg_text +
                                           " is never accepted for public-key verification");
  }
  const auto alg = alg_from_name(*alg_text);
  if (!alg) return make_error("protected.alg", "unsupported algorithm \"" + *alg_text + "\"");
  if (!alg_fits(*alg, key.family())) {
    return make_error("protected.alg", *alg_text + " does not fit the " +
                                           std::string(family_name(key.family())) + " key");
  }
  if (auto crit = refuse_crit(*header); !crit) return crit.error();
  auto signature = base64url_decode(jws.signature_b64);
  if (!signature) return signature.error().nested("signature");
  if (auto ok = verify(*alg, key, jws.signing_input(), *signature); !ok) {
    return ok.error().nested("signature");
  }
  return Ok{};
}

Result<FlattenedJws> sign_flattened_mac(const nlohmann::json& protected_header,
                                        std::string_view payload, MacAlg alg,
                                        std::string_view mac_key) {
  if (!protected_header.is_object()) return make_error("protected", "must be a JSON object");
  nlohmann::json header = protected_header;
  header["alg"] = std::string(mac_alg_name(alg));
  auto builder = JwsBuilder::from_header(header);
  if (!builder) return builder.error().nested("protected");
  builder->payload(std::string(payload));
  return builder->sign_mac(alg, mac_key);
}

Status verify_flattened_mac(const FlattenedJws& jws, std::string_view mac_key) {
  auto header = decode_protected(jws.protected_b64, JsonLimits{});
  if (!header) return header.error();
  auto alg_text = header_alg(*header);
  if (!alg_text) return alg_text.error();
  const auto alg = mac_alg_from_name(*alg_text);
  if (!alg) {
    return make_error("protected.alg", "\"" + *alg_text + "\" is not a MAC algorithm "
                                                          "(expected HS256, HS384 or HS512)");
  }
  if (auto crit = refuse_crit(*header); !crit) return crit.error();
  auto mac = base64url_decode(jws.signature_b64);
  if (!mac) return mac.error().nested("signature");
  if (auto ok = hmac_verify(*alg, mac_key, jws.signing_input(), *mac); !ok) {
    return ok.error().nested("signature");
  }
  return Ok{};
}

Result<JwsBuilder> JwsBuilder::from_header(const nlohmann::json& header) {
  auto text = dump_compact(header);
  if (!text) return text.error();
  return JwsBuilder(std::move(*text));
}

JwsBuilder JwsBuilder::from_protected_bytes(std::string bytes) {
  return JwsBuilder(std::move(bytes));
}

JwsBuilder& JwsBuilder::payload(std::string bytes) {
  payload_ = std::move(bytes);
  return *this;
}

JwsBuilder& JwsBuilder::unprotected_header(nlohmann::json header) {
  unprotected_ = std::move(header);
  return *this;
}

std::string JwsBuilder::signing_input() const {
  return base64url_encode(protected_) + "." + base64url_encode(payload_);
}

Result<FlattenedJws> JwsBuilder::sign(const PrivateKey& key, Alg alg) const {
  auto signature = jose::sign(alg, key, signing_input());
  if (!signature) return signature.error();
  return with_signature(std::move(*signature));
}

Result<FlattenedJws> JwsBuilder::sign_mac(MacAlg alg, std::string_view mac_key) const {
  auto mac = hmac_sign(alg, mac_key, signing_input());
  if (!mac) return mac.error();
  return with_signature(std::move(*mac));
}

FlattenedJws JwsBuilder::with_signature(std::string signature) const {
  return assemble(protected_, payload_, std::move(signature), unprotected_);
}

void corrupt_signature(FlattenedJws& jws) {
  auto bytes = base64url_decode(jws.signature_b64);
  std::string sig = bytes ? std::move(*bytes) : std::string();
  if (sig.empty()) {
    sig.push_back('\x01');
  } else {
    // Flipping one bit keeps the length, so a verifier must fail on the
    // value itself rather than on a size check.
    sig[sig.size() / 2] = static_cast<char>(sig[sig.size() / 2] ^ 0x01);
  }
  jws.signature_b64 = base64url_encode(sig);
}

void replace_protected_bytes(FlattenedJws& jws, std::string bytes) {
  jws.protected_b64 = base64url_encode(bytes);
  auto header = parse_json(bytes);
  jws.protected_header = header ? std::move(*header) : nlohmann::json();
}

void replace_payload(FlattenedJws& jws, std::string bytes) {
  jws.payload_b64 = base64url_encode(bytes);
  jws.payload = std::move(bytes);
}

}  // namespace acmespec::jose
