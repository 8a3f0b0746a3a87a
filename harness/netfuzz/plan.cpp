#include "netfuzz/plan.hpp"

#include <array>
#include <limits>

namespace acmespec::netfuzz {
namespace {

using nlohmann::json;

std::size_t pick(Rng& rng, std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }

// Values at the edges of types, encodings and lengths.
const std::vector<json>& edge_values() {
  static const std::vector<json> values = {
      nullptr, true, 0, -1, std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min(),
      1e308, 0.5, "", std::string(4096, 'A'), "\xc3\xa9\xe2\x80\xae\xf0\x9f\x98\x80", std::string("a\0b", 3),
      "%00", "../../etc/passwd", json::array(), json::object(), json::array({nullptr}), json{{"a", json::object()}},
  };
  return values;
}

const std::array<const char*, 8> kHeaderNames = {"alg", "nonce", "url", "kid", "jwk", "crit", "b64", "typ"};

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void note(Plan& plan, std::string what) { plan.mutations.push_back(std::move(what)); }

void refuse(Plan& plan, const char* rule) {
  if (plan.must_refuse.empty()) plan.must_refuse = rule;
}

void mutate_header_member(Plan& plan, Rng& rng) {
  const std::string name = kHeaderNames[pick(rng, kHeaderNames.size())];
  const json value = edge_values()[pick(rng, edge_values().size())];
  if (name == "nonce") {
    plan.fixed_nonce = value.is_string() ? value.get<std::string>() : dump(value);
    note(plan, "header.nonce=" + dump(value).substr(0, 80));
    refuse(plan, "RFC8555-6.5 nonce not issued by the server");
    return;
  }
  plan.header[name] = value;
  note(plan, "header." + name + "=" + dump(value).substr(0, 80));
  if (name == "alg" || name == "url" || name == "crit" || name == "b64") refuse(plan, "RFC8555-6.2 header member invalid");
  if (name == "kid") refuse(plan, "RFC8555-6.2 kid is not the signer's account");
  if (name == "jwk") refuse(plan, "RFC8555-6.2 jwk invalid or with kid");
}

void delete_header_member(Plan& plan, Rng& rng) {
  static const std::array<const char*, 4> names = {"alg", "nonce", "url", "kid"};
  const std::string name = names[pick(rng, names.size())];
  if (name == "nonce") {
    plan.omit_nonce = true;
  } else if (name == "kid" && plan.sign_with_jwk) {
    plan.header.erase("jwk");
  } else {
    plan.header.erase(name);
  }
  note(plan, "header-delete." + name);
  refuse(plan, "RFC8555-6.2 required header member missing");
}

void duplicate_header_member(Plan& plan, Rng& rng) {
  std::string text = dump(plan.header);
  text.pop_back();
  const std::string name = kHeaderNames[pick(rng, 3)];
  text += ",\"" + name + "\":\"none\"}";
  plan.raw_header = text;
  note(plan, "header-duplicate." + name);
  refuse(plan, "RFC7515-5.2 duplicate header member");
}

void mutate_payload(Plan& plan, Rng& rng) {
  json payload = plan.payload.value_or(json::object());
  if (!payload.is_object()) payload = json::object();
  static const std::array<const char*, 8> names = {"identifiers", "csr", "termsOfServiceAgreed", "contact",
                                                   "onlyReturnExisting", "status", "notBefore", "x-unknown"};
  const std::string name = names[pick(rng, names.size())];
  switch (pick(rng, 3)) {
    case 0:
      payload[name] = edge_values()[pick(rng, edge_values().size())];
      note(plan, "payload." + name + "=" + dump(payload[name]).substr(0, 80));
      break;
    case 1:
      payload.erase(name);
      note(plan, "payload-delete." + name);
      break;
    default:
      if (payload.contains("identifiers") && payload["identifiers"].is_array() && !payload["identifiers"].empty()) {
        payload["identifiers"].push_back(payload["identifiers"][0]);  // duplicate identifier
        note(plan, "payload.identifiers-duplicate");
      } else {
        payload[name] = json::array({edge_values()[pick(rng, edge_values().size())]});
        note(plan, "payload." + name + "=[...]");
      }
      break;
  }
  plan.payload = payload;
}

void mutate_encoding(Plan& plan, Rng& rng) {
  switch (pick(rng, 4)) {
    case 0:
      plan.raw_payload = "{\"identifiers\":";
      note(plan, "payload-truncated-json");
      break;
    case 1:
      plan.raw_payload = std::string("\xff\xfe\x00{}", 5);
      note(plan, "payload-not-utf8");
      break;
    case 2:
      plan.content_type = pick(rng, 2) == 0 ? "application/json" : "text/plain; charset=\xff";
      note(plan, "http.content-type=" + plan.content_type);
      refuse(plan, "RFC8555-6.2 Content-Type must be application/jose+json");
      break;
    default:
      plan.method = pick(rng, 2) == 0 ? "PUT" : "GET";
      note(plan, "http.method=" + plan.method);
      break;
  }
}

}  // namespace

Rng iteration_rng(std::uint64_t seed, std::uint64_t iteration) {
  // splitmix64 of the pair, so neighbouring iterations get unrelated streams.
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (iteration + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return Rng(z ^ (z >> 31));
}

const char* base_op_name(BaseOp op) {
  switch (op) {
    case BaseOp::new_account: return "new-account";
    case BaseOp::new_order: return "new-order";
    case BaseOp::get_order: return "get-order";
    case BaseOp::get_account: return "get-account";
    case BaseOp::finalize_pending: return "finalize-pending";
  }
  return "?";
}

Plan base_plan(BaseOp op, const Targets& t) {
  Plan plan;
  plan.op = op;
  plan.header = {{"alg", "ES256"}};
  switch (op) {
    case BaseOp::new_account:
      plan.url = t.new_account;
      plan.sign_with_jwk = true;
      plan.payload = json{{"termsOfServiceAgreed", true}};
      break;
    case BaseOp::new_order:
      plan.url = t.new_order;
      plan.payload = json{{"identifiers", json::array({{{"type", "dns"}, {"value", t.new_identifier}}})}};
      break;
    case BaseOp::get_order:
      plan.url = t.order;
      break;
    case BaseOp::get_account:
      plan.url = t.account;
      break;
    case BaseOp::finalize_pending:
      plan.url = t.finalize;
      plan.payload = json{{"csr", t.csr_b64}};
      break;
  }
  plan.header["url"] = plan.url;
  if (plan.sign_with_jwk) {
    plan.header["jwk"] = t.signer_jwk;
  } else {
    plan.header["kid"] = t.account;
  }
  return plan;
}

void mutate(Plan& plan, const Targets& targets, Rng& rng) {
  const std::size_t count = 1 + pick(rng, 3);
  for (std::size_t i = 0; i < count; ++i) {
    switch (pick(rng, 10)) {
      case 0: case 1: mutate_header_member(plan, rng); break;
      case 2: delete_header_member(plan, rng); break;
      case 3: duplicate_header_member(plan, rng); break;
      case 4: case 5: mutate_payload(plan, rng); break;
      case 6: mutate_encoding(plan, rng); break;
      case 7:
        plan.corrupt_signature = true;
        note(plan, "signature-corrupt");
        refuse(plan, "RFC8555-6.2 signature does not verify");
        break;
      case 8:
        plan.replay_nonce = true;
        note(plan, "sequence-replay-nonce");
        refuse(plan, "RFC8555-6.5 replayed nonce");
        break;
      default:
        if (!plan.sign_with_jwk && !targets.other_account.empty()) {
          plan.foreign_kid = true;
          plan.header["kid"] = targets.other_account;
          note(plan, "header.kid=other-account");
          refuse(plan, "RFC8555-6.2 kid of another account");
        } else {
          plan.header["url"] = plan.url + "/x";
          note(plan, "header.url=wrong");
          refuse(plan, "RFC8555-6.4 url does not match the request URL");
        }
        break;
    }
  }
}

}  // namespace acmespec::netfuzz
