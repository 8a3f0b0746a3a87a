// Orders (RFC 8555 §7.4, RFC 8738): newOrder with identifier checks, order
// objects and their §7.1.6 status machine, and the paged orders list.
#include <algorithm>

#include "acme/timestamp.hpp"
#include "mock-ca/state.hpp"

namespace acmespec::mockca::detail {

using acme::Problem;

namespace {

constexpr std::size_t kMaxIdentifiers = 100;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Why a DNS identifier value is refused, or nullopt.
std::optional<std::string> dns_refusal(const std::string& name) {
  if (auto why = acme::dns_name_problem(name, true)) return why;
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto dot = name.find('.', start);
    const std::string label = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.size() >= 4 && lower(label.substr(0, 4)) == "xn--" && !valid_punycode_label(label))
      return "label \"" + label + "\" is not valid Punycode (RFC 3492)";
    if (label.size() >= 4 && label[2] == '-' && label[3] == '-' && lower(label.substr(0, 4)) != "xn--")
      return "label \"" + label + "\" has hyphens in positions 3 and 4 but is not an A-label";
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return std::nullopt;
}

}  // namespace

Reply Core::new_order(Authed& a) {
  if (a.post_as_get) return problem_reply(Problem::malformed("newOrder needs a payload"));
  const auto& p = a.payload;
  auto ids = p.find("identifiers");
  if (ids == p.end() || !ids->is_array() || ids->empty())
    return problem_reply(Problem::malformed("identifiers: a non-empty array is required"));
  if (ids->size() > kMaxIdentifiers)
    return problem_reply(Problem::rejected_identifier("at most " + std::to_string(kMaxIdentifiers) + " identifiers per order"));
  std::vector<acme::Identifier> identifiers;
  std::vector<acme::Subproblem> refused;
  bool all_unsupported = true;
  for (std::size_t i = 0; i < ids->size(); ++i) {
    auto id = acme::Identifier::parse_lenient((*ids)[i], "identifiers[" + std::to_string(i) + "]");
    if (!id) return problem_reply(Problem::malformed(id.error().to_string()));
    acme::Subproblem sub;
    if (id->type == "dns") {
      id->value = lower(id->value);
      if (auto why = dns_refusal(id->value)) {
        sub.type = std::string(acme::error::kRejectedIdentifier);
        sub.detail = "\"" + id->value.substr(0, 100) + "\": " + *why;
        all_unsupported = false;
      }
    } else if (id->type == "ip") {
      auto canonical = acme::canonicalize_ip(id->value);
      if (!canonical) {
        sub.type = std::string(acme::error::kRejectedIdentifier);
        sub.detail = "\"" + id->value.substr(0, 100) + "\" is not an IP address";
        all_unsupported = false;
      } else if (*canonical != id->value) {
        sub.type = std::string(acme::error::kRejectedIdentifier);
        sub.detail = "\"" + id->value.substr(0, 100) + "\" is not in canonical form (RFC 8738 §3), use " + *canonical;
        all_unsupported = false;
      }
    } else {
      sub.type = std::string(acme::error::kUnsupportedIdentifier);
      sub.detail = "identifier type \"" + id->type.substr(0, 50) + "\" is not supported (dns and ip are)";
    }
    if (sub.type) {
      // The subproblem names the identifier only when it is a well-formed one (§6.7.1).
      if (id->type == "dns" || id->type == "ip") {
        if (acme::Identifier::parse(id->to_json())) sub.identifier = *id;
      } else {
        sub.identifier = *id;
      }
      refused.push_back(std::move(sub));
      continue;
    }
    if (std::find(identifiers.begin(), identifiers.end(), *id) == identifiers.end()) identifiers.push_back(*id);
  }
  if (!refused.empty()) {
    auto pr = all_unsupported ? Problem::unsupported_identifier("the order names identifiers this CA does not issue for")
                              : Problem::rejected_identifier("the order names identifiers this CA will not issue for");
    pr.subproblems = std::move(refused);
    return problem_reply(pr);
  }
  Order o;
  for (const char* member : {"notBefore", "notAfter"}) {
    auto it = p.find(member);
    if (it == p.end()) continue;
    if (!it->is_string()) return problem_reply(Problem::malformed(std::string(member) + ": not a string"));
    auto t = acme::Timestamp::parse(it->get<std::string>());
    if (!t) return problem_reply(Problem::malformed(std::string(member) + ": " + t.error().to_string()));
    (std::string(member) == "notBefore" ? o.not_before : o.not_after) = t->to_string();
  }
  if (o.not_before && o.not_after && *acme::Timestamp::parse(*o.not_after) <= *acme::Timestamp::parse(*o.not_before))
    return problem_reply(Problem::malformed("notAfter must be later than notBefore"));
  if (!make_room(identifiers.size() + 1, a.account->id)) {
    Reply r = problem_reply(Problem::rate_limited("the order table is full"));
    r.retry_after = faults.retry_after.value_or(60);
    return r;
  }
  const TimePoint t = now();
  o.id = new_id();
  o.account_id = a.account->id;
  o.expires = t + cfg.order_lifetime;
  // The extra_identifiers and hostile_identifiers faults: names the client
  // never asked for, marked by their ids.
  const std::size_t requested = identifiers.size();
  for (const auto* list : {&faults.extra_identifiers, &faults.hostile_identifiers})
    for (const auto& name : *list)
      if (std::find(identifiers.begin(), identifiers.end(), acme::Identifier::dns(name)) == identifiers.end())
        identifiers.push_back(acme::Identifier::dns(name));
  o.identifiers = identifiers;
  for (const auto& id : identifiers) {
    const std::string mark = static_cast<std::size_t>(&id - identifiers.data()) >= requested ? "extra-" : "";
    Authz z;
    z.id = mark + new_id();
    z.account_id = o.account_id;
    z.wildcard = id.is_wildcard();
    z.identifier = z.wildcard ? acme::Identifier::dns(id.value.substr(2)) : id;
    z.expires = o.expires;
    std::vector<std::string> types;
    if (z.wildcard) types = {"dns-01"};  // §7.1.3: only dns-01 proves control of a whole zone
    else if (id.type == "ip") types = {"http-01", "tls-alpn-01"};  // RFC 8738 §7: no dns-01
    else types = {"http-01", "dns-01", "tls-alpn-01"};
    for (const auto& type : types) {
      Challenge c{.id = mark + new_id(), .type = type, .token = faults.challenge_token.value_or(random_b64(rng, 32))};
      authz_by_challenge[c.id] = z.id;
      z.challenges.push_back(std::move(c));
    }
    z.orders.push_back(o.id);
    o.authz_ids.push_back(z.id);
    authzs.emplace(z.id, std::move(z));
  }
  // The order_reorder fault: lists in another order than the request's.
  if (o.identifiers.size() >= 2 && !faults.order_reorder.empty()) {
    std::reverse(o.identifiers.begin(), o.identifiers.end());
    if (faults.order_reorder == "reverse") std::reverse(o.authz_ids.begin(), o.authz_ids.end());
    else std::rotate(o.authz_ids.begin(), o.authz_ids.begin() + 1, o.authz_ids.end());
  }
  a.account->orders.push_back(o.id);
  created.push_back({true, o.id});
  auto& stored = orders.emplace(o.id, std::move(o)).first->second;
  Reply r = order_reply(201, stored);
  r.headers.emplace_back("Location", resource_url("/order/" + stored.id));
  return r;
}

nlohmann::json Core::order_json(const Order& o) const {
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& id : o.identifiers) ids.push_back(id.to_json());
  nlohmann::json authz_urls = nlohmann::json::array();
  // The resource_decoy fault: the authorization URLs lead to the decoy.
  const std::string authz_base = decoy_base(faults.resource_decoy);
  for (const auto& z : o.authz_ids) authz_urls.push_back(authz_base + "/authz/" + z + url_decoration(faults));
  nlohmann::json j = {{"status", o.status},
                      {"expires", stamp(o.expires)},
                      {"identifiers", ids},
                      {"authorizations", authz_urls},
                      {"finalize", resource_url("/finalize/" + o.id)}};
  if (o.not_before) j["notBefore"] = *o.not_before;
  if (o.not_after) j["notAfter"] = *o.not_after;
  if (o.error) j["error"] = o.error->to_json();
  if (o.status == "valid" && !o.cert_id.empty()) j["certificate"] = resource_url("/cert/" + o.cert_id);
  return j;
}

Reply Core::order_reply(int status, Order& o) {
  Reply r = json_reply(status, order_json(o));
  if (o.status == "processing" && faults.retry_after) r.retry_after = *faults.retry_after;
  return r;
}

void Core::refresh_order(Order& o) {
  if (o.status != "pending" && o.status != "ready") return;
  if (now() > o.expires) {
    o.status = "invalid";
    o.error = Problem::malformed("the order expired");
    return;
  }
  bool all_valid = true;
  for (const auto& zid : o.authz_ids) {
    auto it = authzs.find(zid);
    if (it == authzs.end()) continue;
    refresh_authz(it->second);
    const auto& st = it->second.status;
    if (st == "invalid" || st == "deactivated" || st == "expired" || st == "revoked") {
      o.status = "invalid";
      for (const auto& c : it->second.challenges)
        if (c.error) o.error = *c.error;
      if (!o.error) o.error = Problem::unauthorized("authorization for " + it->second.identifier.value + " is " + st);
      return;
    }
    all_valid = all_valid && st == "valid";
  }
  if (all_valid && o.status == "pending") o.status = "ready";
}

Reply Core::order(Authed& a, const std::string& id) {
  auto it = orders.find(id);
  if (it == orders.end()) return problem_reply(Problem::malformed("no such order"));
  Order& o = it->second;
  if (o.account_id != a.account->id) return problem_reply(Problem::unauthorized("the order belongs to another account"));
  if (!a.post_as_get) return problem_reply(Problem::malformed("orders are fetched with POST-as-GET (empty payload)"));
  refresh_order(o);
  if (o.status == "processing") {
    if (o.processing_polls > 0) --o.processing_polls;
    else o.status = "valid";
  }
  return order_reply(200, o);
}

Reply Core::orders_list(Authed& a, const std::string& id, std::size_t page) {
  auto it = accounts.find(id);
  if (it == accounts.end() || &it->second != a.account)
    return problem_reply(Problem::unauthorized("an orders list is fetched by its account only"));
  if (!a.post_as_get) return problem_reply(Problem::malformed("the orders list is fetched with POST-as-GET"));
  const auto& all = it->second.orders;
  const std::size_t per = std::max<std::size_t>(1, cfg.orders_per_page);
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i = page * per; i < all.size() && i < (page + 1) * per; ++i) list.push_back(resource_url("/order/" + all[i]));
  Reply r = json_reply(200, {{"orders", list}});
  if ((page + 1) * per < all.size())
    r.headers.emplace_back("Link", "<" + url("/orders/" + id + "?cursor=" + std::to_string(page + 1)) + ">;rel=\"next\"");
  return r;
}

}  // namespace acmespec::mockca::detail
