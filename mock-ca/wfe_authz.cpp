// Authorizations and challenges (RFC 8555 §7.5, §7.5.1, §7.5.2): fetching,
// starting validation with a challenge POST, deactivation, and the VA's
// results flowing back into authorization and order status.
#include <algorithm>

#include "acme/timestamp.hpp"
#include "jose/challenge.hpp"
#include "mock-ca/state.hpp"

namespace acmespec::mockca::detail {

using acme::Problem;

void Core::refresh_authz(Authz& z) {
  if ((z.status == "pending" || z.status == "valid") && now() > z.expires) z.status = "expired";
}

nlohmann::json Core::challenge_json(const Challenge& c) const {
  nlohmann::json j = {{"type", c.type}, {"url", resource_url("/chall/" + c.id)}, {"status", c.status}, {"token", c.token}};
  if (c.validated) j["validated"] = stamp(*c.validated);
  if (c.error) j["error"] = c.error->to_json();
  return j;
}

nlohmann::json Core::authz_json(const Authz& z) const {
  nlohmann::json challenges = nlohmann::json::array();
  for (const auto& c : z.challenges) challenges.push_back(challenge_json(c));
  nlohmann::json j = {{"identifier", z.identifier.to_json()},
                      {"status", z.status},
                      {"expires", stamp(z.expires)},
                      {"challenges", challenges}};
  if (z.wildcard) j["wildcard"] = true;
  return j;
}

void Core::apply_validation(Authz& z, const std::string& challenge_id, std::optional<Problem> error) {
  z.validating = false;
  if (z.status != "pending") return;  // deactivated or expired meanwhile
  for (auto& c : z.challenges) {
    if (c.id != challenge_id) continue;
    if (error) {
      c.status = "invalid";
      error->subproblems.clear();
      c.error = std::move(error);
      z.status = "invalid";
    } else {
      c.status = "valid";
      c.validated = now();
      z.status = "valid";
    }
  }
  for (const auto& oid : z.orders)
    if (auto it = orders.find(oid); it != orders.end()) refresh_order(it->second);
}

void Core::on_validated(const std::string& authz_id, const std::string& challenge_id, std::optional<Problem> error) {
  std::lock_guard lock(mu);
  auto it = authzs.find(authz_id);
  if (it == authzs.end()) return;
  Authz& z = it->second;
  if (z.hold_polls > 0) {
    z.held.emplace(challenge_id, std::move(error));
    return;
  }
  apply_validation(z, challenge_id, std::move(error));
}

namespace {
// One poll of an authorization or challenge under authz_pending_polls: the
// first polls see "pending", then a held result is published.
void poll_hold(Core& core, Authz& z) {
  if (z.hold_polls > 0) {
    --z.hold_polls;
    return;
  }
  if (z.held) {
    auto held = std::move(*z.held);
    z.held.reset();
    core.apply_validation(z, held.first, std::move(held.second));
  }
}
}  // namespace

Reply Core::authz(Authed& a, const std::string& id) {
  auto it = authzs.find(id);
  if (it == authzs.end()) return problem_reply(Problem::malformed("no such authorization"));
  Authz& z = it->second;
  if (z.account_id != a.account->id)
    return problem_reply(Problem::unauthorized("the authorization belongs to another account"));
  refresh_authz(z);
  if (!a.post_as_get) {
    const auto& p = a.payload;
    if (!(p.size() == 1 && p.contains("status") && p["status"] == "deactivated"))
      return problem_reply(Problem::malformed("an authorization accepts only {\"status\": \"deactivated\"}"));
    if (z.status != "pending" && z.status != "valid")
      return problem_reply(Problem::malformed("only pending or valid authorizations can be deactivated, this one is " +
                                              z.status));
    z.status = "deactivated";
    z.held.reset();
    for (const auto& oid : z.orders)
      if (auto o = orders.find(oid); o != orders.end()) refresh_order(o->second);
    return json_reply(200, authz_json(z));
  }
  poll_hold(*this, z);
  Reply r = json_reply(200, authz_json(z));
  // §8.2: while a validation is in progress (or being retried) polls carry Retry-After.
  if (z.status == "pending" && (z.validating || z.held)) r.retry_after = faults.retry_after.value_or(1);
  return r;
}

Reply Core::challenge(Authed& a, const std::string& id) {
  auto zit = authz_by_challenge.find(id);
  if (zit == authz_by_challenge.end()) return problem_reply(Problem::malformed("no such challenge"));
  Authz& z = authzs.at(zit->second);
  if (z.account_id != a.account->id)
    return problem_reply(Problem::unauthorized("the challenge belongs to another account"));
  refresh_authz(z);
  Challenge* c = nullptr;
  for (auto& ch : z.challenges)
    if (ch.id == id) c = &ch;
  const std::string up = "<" + resource_url("/authz/" + z.id) + ">;rel=\"up\"";
  if (a.post_as_get) {
    poll_hold(*this, z);
    Reply r = json_reply(200, challenge_json(*c));
    r.headers.emplace_back("Link", up);
    if (c->status == "processing") r.retry_after = faults.retry_after.value_or(1);
    return r;
  }
  // §7.5.1: the client's response is an empty object; unknown members are ignored.
  if (c->status == "pending" && z.status == "pending" && !z.validating) {
    c->status = "processing";
    z.validating = true;
    z.hold_polls = faults.authz_pending_polls;
    const std::string authz_id = z.id, chall_id = c->id;
    const auto& hostile = faults.hostile_identifiers;
    const bool never = std::find(hostile.begin(), hostile.end(), z.identifier.value) != hostile.end();
    if (faults.challenge_invalid || never) {
      auto pr = never ? Problem::acme("rejectedIdentifier", "this identifier is never validated (hostile_identifiers)")
                      : Problem::acme(faults.challenge_invalid->type, faults.challenge_invalid->detail);
      if (z.hold_polls > 0) z.held.emplace(chall_id, pr);
      else apply_validation(z, chall_id, pr);
    } else {
      VaJob job{c->type, z.identifier, c->token, jose::key_authorization(c->token, accounts.at(z.account_id).key),
                [this, authz_id, chall_id](std::optional<Problem> err) { on_validated(authz_id, chall_id, std::move(err)); }};
      job.wildcard = z.wildcard;
      job.caa_identities = cfg.caa_identities;
      if (!va || !va->submit(std::move(job))) {
        c->status = "pending";
        z.validating = false;
        Reply r = problem_reply(Problem::rate_limited("the validation queue is full; retry later"));
        r.retry_after = faults.retry_after.value_or(1);
        return r;
      }
    }
  }
  Reply r = json_reply(200, challenge_json(*c));
  r.headers.emplace_back("Link", up);
  if (c->status == "processing") r.retry_after = faults.retry_after.value_or(1);
  return r;
}

}  // namespace acmespec::mockca::detail
