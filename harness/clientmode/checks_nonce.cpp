// Nonce handling (RFC 8555 §6.5) and retry discipline (§6.6), judged from
// the order of requests and the nonces the mock CA handed out.
#include <map>
#include <set>

#include "clientmode/checks.hpp"

namespace acmespec::clientmode {
namespace {

using engine::Judgement;
using mockca::Observation;

constexpr int kMaxConsecutiveErrors = 10;  // retries of one URL after errors before we call it a loop
constexpr std::size_t kMaxRequestsPerUrl = 200;

bool is_bad_nonce(const Observation& o) { return o.problem_type == "badNonce"; }

// The first signed request after index i to the same endpoint: the retry.
const Observation* retry_of(const std::vector<Observation>& obs, std::size_t i) {
  for (std::size_t k = i + 1; k < obs.size(); ++k)
    if (is_signed(obs[k]) && obs[k].endpoint == obs[i].endpoint) return &obs[k];
  return nullptr;
}

std::optional<std::string> needs_bad_nonce(const ClientScenario& sc) {
  if (plan_injects(sc.faults, "badNonce")) return std::nullopt;
  return "the fault plan injects no badNonce error";
}

Judgement retries_bad_nonce(const ClientRun& run) {
  const auto& obs = run.observations;
  int seen = 0;
  std::vector<std::string> ev;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    if (!is_bad_nonce(obs[i])) continue;
    ++seen;
    const Observation* retry = retry_of(obs, i);
    if (!retry)
      return Judgement::fail("the " + std::string(mockca::endpoint_name(obs[i].endpoint)) + " request " + evidence_id(obs[i]) +
                                 " was answered badNonce and the client never sent it again",
                             {evidence_id(obs[i])});
    ev.push_back(evidence_id(obs[i]));
    ev.push_back(evidence_id(*retry));
  }
  if (seen == 0) return Judgement::skip("no request was answered badNonce in this run");
  return Judgement::pass("retried after each of " + std::to_string(seen) + " badNonce answers", ev);
}

Judgement retry_uses_error_nonce(const ClientRun& run) {
  const auto& obs = run.observations;
  int seen = 0;
  std::vector<std::string> ev;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    if (!is_bad_nonce(obs[i]) || obs[i].replay_nonce.empty()) continue;
    const Observation* next = nullptr;
    for (std::size_t k = i + 1; k < obs.size() && !next; ++k)
      if (is_signed(obs[k])) next = &obs[k];
    if (!next) continue;  // no retry at all: retries-bad-nonce judges that
    ++seen;
    if (next->nonce != obs[i].replay_nonce)
      return Judgement::fail("after badNonce " + evidence_id(obs[i]) + " handed out nonce " + obs[i].replay_nonce +
                                 ", the next signed request " + evidence_id(*next) + " used \"" + next->nonce + "\"",
                             {evidence_id(obs[i]), evidence_id(*next)});
    ev.push_back(evidence_id(*next));
  }
  if (seen == 0) return Judgement::skip("no badNonce answer was followed by another signed request");
  return Judgement::pass("each retry after badNonce used the nonce from the error response", ev);
}

Judgement nonce_single_use(const ClientRun& run) {
  std::map<std::string, const Observation*> used;
  std::set<std::string> issued;
  bool any_issued = false;
  int signed_count = 0;
  for (const auto& o : run.observations) {
    if (is_signed(o)) {
      ++signed_count;
      if (o.nonce.empty()) return Judgement::fail("signed request " + evidence_id(o) + " carries no nonce", {evidence_id(o)});
      if (auto [it, fresh] = used.emplace(o.nonce, &o); !fresh)
        return Judgement::fail("nonce " + o.nonce + " was sent twice: " + evidence_id(*it->second) + " and " + evidence_id(o),
                               {evidence_id(*it->second), evidence_id(o)});
      if (any_issued && !issued.count(o.nonce))
        return Judgement::fail("signed request " + evidence_id(o) + " carries nonce \"" + o.nonce +
                                   "\", which the server never handed out",
                               {evidence_id(o)});
    }
    if (!o.replay_nonce.empty()) {
      issued.insert(o.replay_nonce);
      any_issued = true;
    }
  }
  if (signed_count == 0) return Judgement::skip("the client sent no signed request");
  return Judgement::pass(std::to_string(signed_count) + " signed requests, each with a distinct server-issued nonce");
}

std::optional<std::string> needs_errors(const ClientScenario& sc) {
  const auto& f = sc.faults;
  if (!f.errors.empty() || f.challenge_invalid || f.terms_changed || f.eab_required) return std::nullopt;
  return "the fault plan makes the server answer no error";
}

Judgement bounded_retries(const ClientRun& run) {
  std::map<std::string, int> consecutive;  // url -> error answers in a row
  std::map<std::string, std::size_t> total;
  int errors = 0;
  for (const auto& o : run.observations) {
    if (o.endpoint == mockca::Endpoint::kDirectory) continue;
    const std::string key = o.method + " " + o.url;
    if (++total[key] > kMaxRequestsPerUrl)
      return Judgement::fail("more than " + std::to_string(kMaxRequestsPerUrl) + " requests to " + key, {evidence_id(o)});
    if (o.problem_type.empty()) {
      consecutive[key] = 0;
      continue;
    }
    ++errors;
    if (++consecutive[key] > kMaxConsecutiveErrors)
      return Judgement::fail(key + " was answered with an error " + std::to_string(consecutive[key]) +
                                 " times in a row and the client kept retrying",
                             {evidence_id(o)});
  }
  if (errors == 0) return Judgement::skip("the client received no error answer in this run");
  return Judgement::pass("after " + std::to_string(errors) + " error answers the client never retried one URL more than " +
                         std::to_string(kMaxConsecutiveErrors) + " times in a row");
}

}  // namespace

std::vector<ClientCheckDef> checks_nonce() {
  return {
      {"RFC8555-6.5-client-retries-bad-nonce", retries_bad_nonce, needs_bad_nonce},
      {"RFC8555-6.5-client-retry-uses-error-nonce", retry_uses_error_nonce, needs_bad_nonce},
      {"RFC8555-6.5-client-nonce-single-use", nonce_single_use},
      {"RFC8555-6.6-client-bounded-retries", bounded_retries, needs_errors},
  };
}

}  // namespace acmespec::clientmode
