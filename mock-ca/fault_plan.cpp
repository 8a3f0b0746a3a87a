// Strict parsing of fault plans: a typo in a scenario's fault plan must be an
// error naming the JSON path, never a silently ignored knob that makes a
// scenario test nothing.
#include "mock-ca/fault_plan.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "common/json.hpp"

namespace acmespec::mockca {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<Endpoint, std::string_view>, 14> kEndpointNames{{
    {Endpoint::kDirectory, "directory"},
    {Endpoint::kNewNonce, "newNonce"},
    {Endpoint::kNewAccount, "newAccount"},
    {Endpoint::kAccount, "account"},
    {Endpoint::kKeyChange, "keyChange"},
    {Endpoint::kNewOrder, "newOrder"},
    {Endpoint::kOrder, "order"},
    {Endpoint::kOrdersList, "orders"},
    {Endpoint::kAuthorization, "authz"},
    {Endpoint::kChallenge, "challenge"},
    {Endpoint::kFinalize, "finalize"},
    {Endpoint::kCertificate, "certificate"},
    {Endpoint::kRevokeCert, "revokeCert"},
    {Endpoint::kOther, "other"},
}};

// Bounds that keep a plan meaningful: a poll count or delay beyond these would
// only turn a scenario into a hang.
constexpr int kMaxPolls = 100;
constexpr int kMaxNth = 10000;
constexpr int kMaxRetryAfter = 3600;
constexpr int kMaxDelayMs = 600000;
constexpr int kMaxChains = 8;
constexpr std::size_t kMaxRules = 100;
constexpr std::size_t kMaxText = 1000;
constexpr int kMaxHostileBytes = 64 * 1024 * 1024;
constexpr int kMaxHostileDepth = 1000000;
constexpr std::size_t kMaxUrlSegment = 4096;

Status only_members(const json& obj, const std::string& path, std::initializer_list<std::string_view> allowed) {
  for (const auto& item : obj.items()) {
    bool known = false;
    for (auto name : allowed) known = known || item.key() == name;
    if (!known) {
      std::string list;
      for (auto name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
      return make_error(json_path(path, item.key()), "unknown member (expected one of: " + list + ")");
    }
  }
  return Ok{};
}

Result<int> integer(const json& v, const std::string& path, int min, int max) {
  if (!v.is_number_integer()) return make_error(path, "expected a whole number");
  const auto n = v.get<long long>();
  if (n < min || n > max)
    return make_error(path, "expected a number from " + std::to_string(min) + " to " + std::to_string(max) + ", got " +
                                std::to_string(n));
  return static_cast<int>(n);
}

Result<std::string> text(const json& v, const std::string& path) {
  if (!v.is_string()) return make_error(path, "expected a string");
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() > kMaxText) return make_error(path, "longer than " + std::to_string(kMaxText) + " characters");
  return s;
}

// A knob whose value is one of a few names: `j[name]`, when present, goes to
// `out`; anything else is refused with the names allowed.
Status choice(const json& j, const char* name, std::initializer_list<std::string_view> allowed, std::string& out) {
  if (!j.contains(name)) return Status{Ok{}};
  auto v = text(j[name], name);
  if (!v) return v.error();
  std::string names;
  for (const auto a : allowed) {
    if (*v == a) {
      out = *v;
      return Status{Ok{}};
    }
    names += (names.empty() ? "\"" : " or \"") + std::string(a) + "\"";
  }
  return make_error(name, "expected " + names + ", got \"" + *v + "\"");
}

Result<std::optional<Endpoint>> endpoint_member(const json& obj, const std::string& path) {
  auto it = obj.find("endpoint");
  if (it == obj.end()) return std::optional<Endpoint>{};
  const std::string p = json_path(path, "endpoint");
  if (!it->is_string()) return make_error(p, "expected an endpoint name");
  auto e = parse_endpoint(it->get<std::string>());
  if (!e) {
    std::string list;
    for (const auto& [_, name] : kEndpointNames) list += (list.empty() ? "" : ", ") + std::string(name);
    return make_error(p, "unknown endpoint \"" + it->get<std::string>() + "\" (expected one of: " + list + ")");
  }
  return std::optional<Endpoint>{*e};
}

// `nth` is a list of 1-based counts, or a single count for convenience.
Result<std::vector<int>> nth_member(const json& obj, const std::string& path) {
  auto it = obj.find("nth");
  if (it == obj.end()) return std::vector<int>{};
  const std::string p = json_path(path, "nth");
  if (it->is_number()) {
    auto n = integer(*it, p, 1, kMaxNth);
    if (!n) return n.error();
    return std::vector<int>{*n};
  }
  if (!it->is_array()) return make_error(p, "expected a list of 1-based request counts");
  if (it->size() > kMaxRules) return make_error(p, "more than " + std::to_string(kMaxRules) + " counts");
  std::vector<int> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    auto n = integer((*it)[i], json_index(p, i), 1, kMaxNth);
    if (!n) return n.error();
    out.push_back(*n);
  }
  return out;
}

Result<ErrorFault> parse_error_fault(const json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "expected an object");
  if (auto s = only_members(j, path, {"endpoint", "nth", "type", "status", "retry_after", "detail"}); !s) return s.error();
  ErrorFault f;
  auto e = endpoint_member(j, path);
  if (!e) return e.error();
  f.endpoint = *e;
  auto nth = nth_member(j, path);
  if (!nth) return nth.error();
  f.nth = std::move(*nth);
  if (!j.contains("type")) return make_error(json_path(path, "type"), "required (an ACME error type such as badNonce)");
  auto type = text(j["type"], json_path(path, "type"));
  if (!type) return type.error();
  static const std::string prefix = "urn:ietf:params:acme:error:";
  f.type = type->rfind(prefix, 0) == 0 ? type->substr(prefix.size()) : *type;
  if (f.type.empty() || f.type.find_first_of(" \t\r\n:") != std::string::npos)
    return make_error(json_path(path, "type"), "expected an ACME error type name such as badNonce");
  if (j.contains("status")) {
    auto st = integer(j["status"], json_path(path, "status"), 400, 599);
    if (!st) return st.error();
    f.status = *st;
  } else if (f.type == "rateLimited") {
    f.status = 429;
  } else if (f.type == "serverInternal") {
    f.status = 500;
  }
  if (j.contains("retry_after")) {
    auto ra = integer(j["retry_after"], json_path(path, "retry_after"), 0, kMaxRetryAfter);
    if (!ra) return ra.error();
    f.retry_after = *ra;
  }
  if (j.contains("detail")) {
    auto d = text(j["detail"], json_path(path, "detail"));
    if (!d) return d.error();
    f.detail = *d;
  }
  return f;
}

Result<DelayFault> parse_delay_fault(const json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "expected an object");
  if (auto s = only_members(j, path, {"endpoint", "nth", "ms"}); !s) return s.error();
  DelayFault f;
  auto e = endpoint_member(j, path);
  if (!e) return e.error();
  f.endpoint = *e;
  auto nth = nth_member(j, path);
  if (!nth) return nth.error();
  f.nth = std::move(*nth);
  if (!j.contains("ms")) return make_error(json_path(path, "ms"), "required (the delay in milliseconds)");
  auto ms = integer(j["ms"], json_path(path, "ms"), 0, kMaxDelayMs);
  if (!ms) return ms.error();
  f.delay = std::chrono::milliseconds(*ms);
  return f;
}

template <class T, class F>
Result<std::vector<T>> rule_list(const json& j, const std::string& path, F parse_one) {
  if (!j.is_array()) return make_error(path, "expected a list");
  if (j.size() > kMaxRules) return make_error(path, "more than " + std::to_string(kMaxRules) + " rules");
  std::vector<T> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    auto r = parse_one(j[i], json_index(path, i));
    if (!r) return r.error();
    out.push_back(std::move(*r));
  }
  return out;
}

}  // namespace

std::string_view endpoint_name(Endpoint e) {
  for (const auto& [value, name] : kEndpointNames)
    if (value == e) return name;
  return "other";
}

std::optional<Endpoint> parse_endpoint(std::string_view name) {
  for (const auto& [value, n] : kEndpointNames)
    if (n == name) return value;
  return std::nullopt;
}

std::string invalid_nonce_value(std::string_view seed) {
  std::string s(seed.substr(0, 16));
  s.resize(16, 'A');
  return s.substr(0, 8) + "+" + s.substr(8, 4) + "/" + s.substr(12, 4) + "==";
}

std::string certificate_extra_pem_block(std::string_view kind) {
  // DER 06 08 2A 86 48 CE 3D 03 01 07: the OID of prime256v1, as `openssl ecparam -name prime256v1` prints it.
  if (kind == "ec-parameters") return "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
  return "";
}

std::string render_hostile_body(const HostileBody& body) {
  const auto size = static_cast<std::size_t>(std::max(body.size, 2));
  if (body.kind == "nested") return std::string(size, '[') + std::string(size, ']');
  const std::string head = "{\"padding\":\"", tail = "\"}";
  if (size <= head.size() + tail.size()) return "{}";
  return head + std::string(size - head.size() - tail.size(), 'A') + tail;
}

Result<FaultPlan> parse_fault_plan(const json& j) {
  if (!j.is_object()) return make_error("", "a fault plan is a JSON object");
  if (auto s = only_members(j, "", {"errors", "delays", "order_processing_polls", "authz_pending_polls", "retry_after",
                                    "challenge_invalid", "alternate_chains", "eab_required", "terms_changed",
                                    "challenge_token", "certificate_mismatch", "hostile_body", "extra_identifiers",
                                    "hostile_identifiers", "directory_decoy", "resource_decoy", "hostile_urls", "invalid_nonce",
                                    "order_reorder", "certificate_extra_pem"});
      !s)
    return s.error();
  FaultPlan plan;
  if (j.contains("errors")) {
    auto r = rule_list<ErrorFault>(j["errors"], "errors", parse_error_fault);
    if (!r) return r.error();
    plan.errors = std::move(*r);
  }
  if (j.contains("delays")) {
    auto r = rule_list<DelayFault>(j["delays"], "delays", parse_delay_fault);
    if (!r) return r.error();
    plan.delays = std::move(*r);
  }
  for (auto [name, field] : {std::pair{"order_processing_polls", &plan.order_processing_polls},
                             std::pair{"authz_pending_polls", &plan.authz_pending_polls}}) {
    if (!j.contains(name)) continue;
    auto n = integer(j[name], name, 0, kMaxPolls);
    if (!n) return n.error();
    *field = *n;
  }
  if (j.contains("retry_after")) {
    auto n = integer(j["retry_after"], "retry_after", 0, kMaxRetryAfter);
    if (!n) return n.error();
    plan.retry_after = *n;
  }
  if (j.contains("alternate_chains")) {
    auto n = integer(j["alternate_chains"], "alternate_chains", 0, kMaxChains);
    if (!n) return n.error();
    plan.alternate_chains = *n;
  }
  for (auto [name, field] : {std::pair{"eab_required", &plan.eab_required}, std::pair{"terms_changed", &plan.terms_changed}}) {
    if (!j.contains(name)) continue;
    if (!j[name].is_boolean()) return make_error(name, "expected true or false");
    *field = j[name].get<bool>();
  }
  if (j.contains("challenge_token")) {
    auto t = text(j["challenge_token"], "challenge_token");
    if (!t) return t.error();
    if (t->empty()) return make_error("challenge_token", "expected a non-empty token");
    plan.challenge_token = *t;
  }
  if (auto s = choice(j, "certificate_mismatch", {"key", "names"}, plan.certificate_mismatch); !s) return s.error();
  if (j.contains("hostile_body")) {
    const json& b = j["hostile_body"];
    if (!b.is_object()) return make_error("hostile_body", "expected an object with endpoint, kind and size");
    if (auto s = only_members(b, "hostile_body", {"endpoint", "kind", "size"}); !s) return s.error();
    HostileBody body;
    auto e = endpoint_member(b, "hostile_body");
    if (!e) return e.error();
    body.endpoint = *e;
    if (!b.contains("kind") || !b["kind"].is_string() || (b["kind"] != "oversized" && b["kind"] != "nested"))
      return make_error("hostile_body.kind", "expected \"oversized\" or \"nested\"");
    body.kind = b["kind"].get<std::string>();
    if (!b.contains("size")) return make_error("hostile_body.size", "required (bytes, or nesting depth)");
    auto n = integer(b["size"], "hostile_body.size", 2, body.kind == "oversized" ? kMaxHostileBytes : kMaxHostileDepth);
    if (!n) return n.error();
    body.size = *n;
    plan.hostile_body = body;
  }
  for (auto [knob, field] : {std::pair{"directory_decoy", &plan.directory_decoy}, std::pair{"resource_decoy", &plan.resource_decoy}})
    if (auto s = choice(j, knob, {"http", "other-host"}, *field); !s) return s.error();
  if (!plan.directory_decoy.empty() && !plan.resource_decoy.empty())
    return make_error("resource_decoy", "set either directory_decoy or resource_decoy, not both (there is one decoy listener)");
  if (j.contains("extra_identifiers")) {
    const json& x = j["extra_identifiers"];
    if (!x.is_array() || x.empty() || x.size() > 10) return make_error("extra_identifiers", "expected a list of 1 to 10 DNS names");
    for (std::size_t i = 0; i < x.size(); ++i) {
      const std::string p = json_index("extra_identifiers", i);
      auto name = text(x[i], p);
      if (!name) return name.error();
      const bool shaped = !name->empty() && name->size() <= 253 && name->find("..") == std::string::npos &&
                          name->front() != '.' && name->back() != '.' &&
                          std::all_of(name->begin(), name->end(), [](unsigned char ch) {
                            return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.';
                          });
      if (!shaped) return make_error(p, "expected a lower-case DNS name such as not-requested.example");
      plan.extra_identifiers.push_back(*name);
    }
  }
  if (j.contains("hostile_identifiers")) {
    const json& x = j["hostile_identifiers"];
    if (!x.is_array() || x.empty() || x.size() > 4) return make_error("hostile_identifiers", "expected a list of 1 to 4 strings");
    for (std::size_t i = 0; i < x.size(); ++i) {
      const std::string p = json_index("hostile_identifiers", i);
      auto value = text(x[i], p);
      if (!value) return value.error();
      if (value->empty() || value->find('\0') != std::string::npos) return make_error(p, "expected 1 to 1000 bytes without NUL");
      plan.hostile_identifiers.push_back(*value);
    }
  }
  if (j.contains("hostile_urls")) {
    const json& x = j["hostile_urls"];
    if (!x.is_array() || x.empty() || x.size() > 4)
      return make_error("hostile_urls", "expected a list of 1 to 4 URL path segments");
    for (std::size_t i = 0; i < x.size(); ++i) {
      const std::string p = json_index("hostile_urls", i);
      if (!x[i].is_string()) return make_error(p, "expected a string");
      const auto& segment = x[i].get_ref<const std::string&>();
      if (segment.size() > kMaxUrlSegment) return make_error(p, "longer than " + std::to_string(kMaxUrlSegment) + " characters");
      if (auto why = path_segment_problem(segment)) return make_error(p, *why);
      plan.hostile_urls.push_back(segment);
    }
  }
  if (j.contains("invalid_nonce")) {
    const json& x = j["invalid_nonce"];
    if (!x.is_object()) return make_error("invalid_nonce", "expected an object with endpoint and nth");
    if (auto s = only_members(x, "invalid_nonce", {"endpoint", "nth"}); !s) return s.error();
    InvalidNonceFault f;
    auto e = endpoint_member(x, "invalid_nonce");
    if (!e) return e.error();
    f.endpoint = *e;
    auto nth = nth_member(x, "invalid_nonce");
    if (!nth) return nth.error();
    if (nth->empty())
      return make_error("invalid_nonce.nth", "required (which answers, e.g. [1]; every answer would leave no valid nonce)");
    f.nth = std::move(*nth);
    plan.invalid_nonce = std::move(f);
  }
  if (auto s = choice(j, "order_reorder", {"reverse", "mismatch"}, plan.order_reorder); !s) return s.error();
  if (auto s = choice(j, "certificate_extra_pem", {"ec-parameters"}, plan.certificate_extra_pem); !s) return s.error();
  if (j.contains("challenge_invalid")) {
    const json& c = j["challenge_invalid"];
    if (!c.is_object()) return make_error("challenge_invalid", "expected an object with type and detail");
    if (auto s = only_members(c, "challenge_invalid", {"type", "detail"}); !s) return s.error();
    ChallengeFailure failure;
    if (c.contains("type")) {
      auto t = text(c["type"], "challenge_invalid.type");
      if (!t) return t.error();
      if (t->empty()) return make_error("challenge_invalid.type", "expected an ACME error type name");
      failure.type = *t;
    }
    if (c.contains("detail")) {
      auto d = text(c["detail"], "challenge_invalid.detail");
      if (!d) return d.error();
      failure.detail = *d;
    }
    plan.challenge_invalid = failure;
  }
  return plan;
}

}  // namespace acmespec::mockca
