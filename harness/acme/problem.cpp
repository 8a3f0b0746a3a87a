#include "acme/problem.hpp"

#include "acme/fields.hpp"

namespace acmespec::acme {
namespace error {

const std::array<ErrorType, 24>& error_types() {
  // Statuses: 403 where RFC 8555 names it (orderNotReady §7.4,
  // userActionRequired §7.3.3) or the failure is a refusal of authority,
  // 429 for rate limits, 500 for internal errors, otherwise 400.
  static constexpr std::array<ErrorType, 24> kTable{{
      {"accountDoesNotExist", kAccountDoesNotExist, 400, "the request named an account the server does not know"},
      {"alreadyRevoked", kAlreadyRevoked, 400, "the certificate to revoke is already revoked"},
      {"badCSR", kBadCSR, 400, "the CSR in a finalize request is unacceptable"},
      {"badNonce", kBadNonce, 400, "the anti-replay nonce was missing, unknown or already used"},
      {"badPublicKey", kBadPublicKey, 400, "the JWS key is of a type or strength the server refuses"},
      {"badRevocationReason", kBadRevocationReason, 400, "the revocation reason code is not allowed"},
      {"badSignatureAlgorithm", kBadSignatureAlgorithm, 400, "the JWS algorithm is not supported"},
      {"caa", kCaa, 403, "CAA records forbid this CA from issuing for the identifier"},
      {"compound", kCompound, 400, "several errors occurred; see subproblems"},
      {"connection", kConnection, 400, "the server could not connect to the validation target"},
      {"dns", kDns, 400, "a DNS lookup during validation failed"},
      {"externalAccountRequired", kExternalAccountRequired, 403, "new accounts need an external account binding"},
      {"incorrectResponse", kIncorrectResponse, 403, "the challenge response did not match what was expected"},
      {"invalidContact", kInvalidContact, 400, "a contact URL is not valid"},
      {"malformed", kMalformed, 400, "the request message is malformed"},
      {"orderNotReady", kOrderNotReady, 403, "the order is not in a state that allows this request"},
      {"rateLimited", kRateLimited, 429, "the request exceeds a rate limit"},
      {"rejectedIdentifier", kRejectedIdentifier, 400, "the server will not issue for this identifier"},
      {"serverInternal", kServerInternal, 500, "the server hit an internal error"},
      {"tls", kTls, 400, "a TLS error occurred during validation"},
      {"unauthorized", kUnauthorized, 403, "the client lacks authorization for the request"},
      {"unsupportedContact", kUnsupportedContact, 400, "a contact URL uses a scheme the server does not support"},
      {"unsupportedIdentifier", kUnsupportedIdentifier, 400, "the identifier type is not supported"},
      {"userActionRequired", kUserActionRequired, 403, "a human must visit the instance URL (e.g. new terms)"},
  }};
  return kTable;
}

const ErrorType* find_error_type(std::string_view name_or_urn) {
  for (const auto& e : error_types()) {
    if (e.name == name_or_urn || e.urn == name_or_urn) return &e;
  }
  return nullptr;
}

}  // namespace error

bool has_acme_error_prefix(std::string_view type) {
  return type.size() > error::kPrefix.size() && type.substr(0, error::kPrefix.size()) == error::kPrefix;
}

bool is_acme_error(std::string_view type, std::string_view name) {
  return has_acme_error_prefix(type) && type.substr(error::kPrefix.size()) == name;
}

Result<Subproblem> Subproblem::parse(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "not an object");
  Subproblem s;
  s.raw = j;
  auto type = fields::optional_string(j, "type", path);
  if (!type) return type.error();
  s.type = std::move(*type);
  auto detail = fields::optional_string(j, "detail", path);
  if (!detail) return detail.error();
  s.detail = std::move(*detail);
  if (const auto* id = fields::find(j, "identifier")) {
    auto parsed = Identifier::parse_lenient(*id, json_path(path, "identifier"));
    if (!parsed) return parsed.error();
    s.identifier = std::move(*parsed);
  }
  s.extra = fields::unknown_members(j, {"type", "detail", "identifier"});
  return s;
}

nlohmann::json Subproblem::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  fields::put_optional(out, "type", type);
  fields::put_optional(out, "detail", detail);
  if (identifier) out["identifier"] = identifier->to_json();
  fields::merge_unknown(out, extra);
  return out;
}

Result<Problem> Problem::parse(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "not an object");
  Problem p;
  p.raw = j;
  for (auto [key, slot] : {std::pair{"type", &p.type}, std::pair{"title", &p.title},
                           std::pair{"detail", &p.detail}, std::pair{"instance", &p.instance}}) {
    auto v = fields::optional_string(j, key, path);
    if (!v) return v.error();
    *slot = std::move(*v);
  }
  if (const auto* status = fields::find(j, "status")) {
    if (!status->is_number_integer()) return make_error(json_path(path, "status"), "not an integer");
    const auto code = status->get<std::int64_t>();
    if (code < 100 || code > 599) return make_error(json_path(path, "status"), "not an HTTP status code");
    p.status = static_cast<int>(code);
  }
  if (const auto* subs = fields::find(j, "subproblems")) {
    const auto where = json_path(path, "subproblems");
    if (!subs->is_array()) return make_error(where, "not an array");
    for (std::size_t i = 0; i < subs->size(); ++i) {
      auto s = Subproblem::parse((*subs)[i], json_index(where, i));
      if (!s) return s.error();
      p.subproblems.push_back(std::move(*s));
    }
  }
  p.extra = fields::unknown_members(j, {"type", "title", "status", "detail", "instance", "subproblems"});
  return p;
}

nlohmann::json Problem::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  fields::put_optional(out, "type", type);
  fields::put_optional(out, "title", title);
  fields::put_optional(out, "status", status);
  fields::put_optional(out, "detail", detail);
  fields::put_optional(out, "instance", instance);
  if (!subproblems.empty()) {
    auto& arr = out["subproblems"] = nlohmann::json::array();
    for (const auto& s : subproblems) arr.push_back(s.to_json());
  }
  fields::merge_unknown(out, extra);
  return out;
}

Problem Problem::acme(std::string_view name, std::string detail) {
  Problem p;
  if (const auto* e = error::find_error_type(name)) {
    p.type = std::string(e->urn);
    p.status = e->http_status;
  } else {
    p.type = has_acme_error_prefix(name) || name.find(':') != std::string_view::npos
                 ? std::string(name)
                 : std::string(error::kPrefix) + std::string(name);
    p.status = 400;
  }
  p.detail = std::move(detail);
  return p;
}

Problem Problem::compound(std::string detail, std::vector<Subproblem> subproblems) {
  Problem p = acme("compound", std::move(detail));
  std::optional<int> shared;
  bool agree = true;
  for (const auto& s : subproblems) {
    const auto* e = s.type ? error::find_error_type(*s.type) : nullptr;
    const int st = e ? e->http_status : 400;
    if (shared && *shared != st) agree = false;
    shared = st;
  }
  if (agree && shared) p.status = *shared;
  p.subproblems = std::move(subproblems);
  return p;
}

}  // namespace acmespec::acme
