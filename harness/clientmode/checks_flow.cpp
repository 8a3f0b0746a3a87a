// The issuance flow (RFC 8555 §6.6, §6.7, §7.4, §7.5.1, §11.1): waiting as
// told, polling with restraint, the CSR, and how the run ended.
#include <algorithm>
#include <cctype>
#include <set>

#include "clientmode/checks.hpp"

namespace acmespec::clientmode {
namespace {

using engine::Judgement;
using mockca::Endpoint;
using mockca::Observation;

// Retry-After has whole-second resolution and both sides read one clock;
// this only absorbs scheduling jitter.
constexpr double kTolerance = 0.05;
constexpr int kTightPolls = 5;  // this many polls of one URL within a second is a tight loop

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string fmt(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", seconds);
  return buf;
}

// Judges that after every answer selected by `waits` (which says how long
// the client had to wait), the next request selected by `follows` came no
// sooner.
template <class Wait, class Follow>
Judgement waited(const ClientRun& run, const std::string& none, Wait waits, Follow follows) {
  const auto& obs = run.observations;
  int seen = 0;
  std::vector<std::string> ev;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    const std::optional<int> wait = waits(obs[i]);
    if (!wait) continue;
    ++seen;
    for (std::size_t k = i + 1; k < obs.size(); ++k) {
      if (!follows(obs[i], obs[k])) continue;
      const double gap = seconds_between(obs[i], obs[k]);
      if (gap + kTolerance < *wait)
        return Judgement::fail(evidence_id(obs[i]) + " said Retry-After: " + std::to_string(*wait) + ", but " + evidence_id(obs[k]) +
                                   " (" + obs[k].url + ") came " + fmt(gap) + " later",
                               {evidence_id(obs[i]), evidence_id(obs[k])});
      ev.push_back(evidence_id(obs[k]));
      break;
    }
  }
  if (seen == 0) return Judgement::skip(none);
  return Judgement::pass("waited at least Retry-After after each of " + std::to_string(seen) + " answers", ev);
}

bool same_url(const Observation& a, const Observation& b) { return a.url == b.url; }

Judgement honours_retry_after(const ClientRun& run) {
  return waited(
      run, "no error answer carried Retry-After in this run",
      [](const Observation& o) { return o.status >= 400 && !o.problem_type.empty() ? o.retry_after : std::nullopt; },
      [](const Observation& a, const Observation& b) { return b.endpoint == a.endpoint && b.method == a.method; });
}

std::optional<std::string> needs_retry_after_error(const ClientScenario& sc) {
  for (const auto& e : sc.faults.errors)
    if (e.retry_after || (sc.faults.retry_after && e.status == 429)) return std::nullopt;
  return "the fault plan sends no error with Retry-After";
}

Judgement processing_retry_after(const ClientRun& run) {
  return waited(
      run, "no order answer said processing with Retry-After in this run",
      [](const Observation& o) -> std::optional<int> {
        if ((o.endpoint == Endpoint::kOrder || o.endpoint == Endpoint::kFinalize) && o.resource_status == "processing")
          return o.retry_after;
        return std::nullopt;
      },
      [](const Observation& a, const Observation& b) {
        return b.endpoint == Endpoint::kOrder && (a.endpoint == Endpoint::kFinalize || same_url(a, b));
      });
}

std::optional<std::string> needs_processing(const ClientScenario& sc) {
  if (sc.faults.order_processing_polls > 0) return std::nullopt;
  return "the fault plan keeps no order processing (order_processing_polls)";
}

bool is_poll_target(const Observation& o) {
  return (o.endpoint == Endpoint::kAuthorization || o.endpoint == Endpoint::kChallenge) && o.method == "POST";
}

Judgement polls_with_backoff(const ClientRun& run) {
  const auto& obs = run.observations;
  auto first_response = std::find_if(obs.begin(), obs.end(), [](const Observation& o) {
    return o.endpoint == Endpoint::kChallenge && o.payload && o.payload->is_object();
  });
  if (first_response == obs.end()) return Judgement::skip("the client never responded to a challenge");
  ClientRun after = run;
  after.observations.assign(first_response, obs.end());
  Judgement j = waited(
      after, "",
      [](const Observation& o) -> std::optional<int> {
        if (is_poll_target(o) && (o.resource_status == "pending" || o.resource_status == "processing")) return o.retry_after;
        return std::nullopt;
      },
      [](const Observation& a, const Observation& b) { return is_poll_target(b) && same_url(a, b); });
  if (j.kind == Judgement::violated) return j;
  // Without Retry-After the client must still space its polls.
  const auto& polls = after.observations;
  for (std::size_t i = 0; i + kTightPolls < polls.size() + 1; ++i) {
    if (!is_poll_target(polls[i])) continue;
    int n = 0;
    std::size_t last = i;
    for (std::size_t k = i; k < polls.size() && seconds_between(polls[i], polls[k]) < 1.0; ++k)
      if (is_poll_target(polls[k]) && polls[k].payload_empty && same_url(polls[i], polls[k])) ++n, last = k;
    if (n >= kTightPolls)
      return Judgement::fail(std::to_string(n) + " polls of " + polls[i].url + " within one second (" + evidence_id(polls[i]) +
                                 " to " + evidence_id(polls[last]) + ")",
                             {evidence_id(polls[i]), evidence_id(polls[last])});
  }
  if (j.kind == Judgement::not_applicable) return Judgement::pass("polls of authorizations and challenges were spaced out");
  return j;
}

Judgement responds_with_empty_object(const ClientRun& run) {
  int count = 0;
  for (const auto& o : run.observations) {
    if (!is_signed(o)) continue;
    const bool has_payload = !o.payload_empty && o.payload && !o.payload->is_null();
    const bool deactivation = o.payload && o.payload->is_object() && o.payload->value("status", "") == "deactivated";
    if (o.endpoint == Endpoint::kAuthorization && has_payload && !deactivation)
      return Judgement::fail("the client POSTed a payload to the authorization " + o.url + " (" + evidence_id(o) +
                                 "), not {} to the challenge",
                             {evidence_id(o)});
    if (o.endpoint != Endpoint::kChallenge || !has_payload) continue;
    ++count;
    if (!o.payload->is_object() || !o.payload->empty())
      return Judgement::fail("challenge response " + evidence_id(o) + " has payload " + o.payload->dump() + ", expected {}",
                             {evidence_id(o)});
  }
  if (count == 0) return Judgement::skip("the client never responded to a challenge");
  return Judgement::pass(std::to_string(count) + " challenge responses, each with payload {}");
}

const Observation* last_finalize(const ClientRun& run) {
  const Observation* f = nullptr;
  for (const auto& o : run.observations)
    if (o.endpoint == Endpoint::kFinalize && is_signed(o) && (!o.csr_names.empty() || o.csr_key_is_account_key)) f = &o;
  return f;
}

Judgement csr_matches_order(const ClientRun& run) {
  const Observation* f = last_finalize(run);
  if (!f) return Judgement::skip("the client sent no CSR the server could read");
  std::set<std::string> want, got;
  for (const auto& n : run.identifiers) want.insert(lower(n));
  for (const auto& n : f->csr_names) got.insert(lower(n));
  auto join = [](const std::set<std::string>& s) {
    std::string out;
    for (const auto& n : s) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  if (want != got)
    return Judgement::fail("the CSR in " + evidence_id(*f) + " names [" + join(got) + "], the order [" + join(want) + "]",
                           {evidence_id(*f)});
  return Judgement::pass("the CSR names exactly [" + join(want) + "]", {evidence_id(*f)});
}

Judgement cert_key_not_account_key(const ClientRun& run) {
  int count = 0;
  for (const auto& o : run.observations) {
    if (o.endpoint != Endpoint::kFinalize || !o.csr_key_is_account_key) continue;
    ++count;
    if (*o.csr_key_is_account_key)
      return Judgement::fail("the CSR in " + evidence_id(o) + " carries the account's public key", {evidence_id(o)});
  }
  if (count == 0) return Judgement::skip("the client sent no CSR the server could read");
  return Judgement::pass("the certificate key differs from the account key");
}

std::string tail(const std::string& s, std::size_t n = 300) {
  return s.size() <= n ? s : "..." + s.substr(s.size() - n);
}

std::string ending(const ClientRun& run) {
  if (run.timed_out) return "the client was killed at the timeout";
  if (!run.exit_code) return "the client was killed by a signal";
  return "the client exited with status " + std::to_string(*run.exit_code);
}

Judgement completes_issuance(const ClientRun& run) {
  const bool downloaded = certificate_downloaded(run);
  if (run.exit_code == 0 && downloaded) return Judgement::pass("the client downloaded the certificate and exited with status 0");
  std::string why = ending(run) + (downloaded ? " after downloading the certificate" : " without downloading a certificate");
  if (!run.output.empty()) why += "; output ends: " + tail(run.output);
  return Judgement::fail(why);
}

// §7.3: with the user's opt-in withheld, no account request carries
// termsOfServiceAgreed true: agreeing is the user's decision, not the client's.
Judgement no_automatic_tos(const ClientRun& run) {
  if (!run.tos_withheld) return Judgement::skip("the terms-of-service opt-in was not withheld from the command line");
  int account_requests = 0;
  for (const auto& o : run.observations) {
    if (o.endpoint != Endpoint::kNewAccount && o.endpoint != Endpoint::kAccount) continue;
    if (!o.payload || !o.payload->is_object()) continue;
    ++account_requests;
    const auto it = o.payload->find("termsOfServiceAgreed");
    if (it != o.payload->end() && *it == true)
      return Judgement::fail(evidence_id(o) + " sent termsOfServiceAgreed: true, but the command line carried no opt-in",
                             {evidence_id(o)});
  }
  if (account_requests == 0) return Judgement::pass("without the opt-in the client sent no account request at all");
  return Judgement::pass(std::to_string(account_requests) + " account request(s) without termsOfServiceAgreed: true");
}

std::optional<std::string> needs_tos_withheld(const ClientScenario& sc) {
  if (!sc.tos_opt_in) return std::nullopt;
  return "the scenario keeps the profile's terms-of-service opt-in (set tos_opt_in to false)";
}

std::optional<std::string> needs_success(const ClientScenario& sc) {
  if (sc.client_should == Expectation::succeed) return std::nullopt;
  return "the scenario expects issuance to fail (client_should)";
}

std::optional<std::string> needs_failure(const ClientScenario& sc) {
  if (sc.client_should == Expectation::fail) return std::nullopt;
  return "the scenario expects issuance to succeed (client_should)";
}

Judgement fails_visibly(const ClientRun& run) {
  if (run.timed_out) return Judgement::fail("the client hung until it was killed at the timeout instead of giving up");
  if (!run.exit_code) return Judgement::fail("the client died from a signal");
  if (*run.exit_code == 0)
    return Judgement::fail(std::string("issuance could not complete, yet the client exited with status 0") +
                           (certificate_downloaded(run) ? "" : " without any certificate"));
  return Judgement::pass("the client exited with status " + std::to_string(*run.exit_code));
}

Judgement displays_error_detail(const ClientRun& run) {
  // The problems the fault plan made the client receive are the ones that
  // ended the flow; later clean-up errors (e.g. deactivating an invalid
  // authorization) are not what the user needs to see.
  struct Shown {
    std::string text;
    std::string evidence;
  };
  std::vector<Shown> wanted;
  for (const auto& o : run.observations) {
    // Terms and EAB faults act through ordinary account state, so their
    // answers need not carry the fault flag.
    const bool planned = o.fault_injected || (run.faults.terms_changed && o.problem_type == "userActionRequired") ||
                         (run.faults.eab_required && o.problem_type == "externalAccountRequired");
    if (!planned || o.problem_type.empty()) continue;
    for (const auto& e : run.faults.errors)
      if (e.type == o.problem_type && !e.detail.empty()) wanted.push_back({e.detail, evidence_id(o)});
    wanted.push_back({o.problem_type, evidence_id(o)});
  }
  if (run.faults.challenge_invalid) {
    std::string where = "client-process";
    for (const auto& o : run.observations)
      if ((o.endpoint == Endpoint::kAuthorization || o.endpoint == Endpoint::kChallenge) && o.resource_status == "invalid") {
        where = evidence_id(o);
        break;
      }
    if (where != "client-process") {
      wanted.push_back({run.faults.challenge_invalid->detail, where});
      wanted.push_back({run.faults.challenge_invalid->type, where});
    }
  }
  if (wanted.empty()) return Judgement::skip("the client received no problem from the fault plan");
  const std::string out = lower(run.output);
  for (const auto& w : wanted)
    if (out.find(lower(w.text)) != std::string::npos)
      return Judgement::pass("the output shows \"" + w.text + "\" from the problem in " + w.evidence, {w.evidence});
  return Judgement::fail("the output mentions neither the detail nor the type (" + wanted.back().text + ") of the problem in " +
                             wanted.front().evidence + "; output ends: " + tail(run.output),
                         {wanted.front().evidence});
}

}  // namespace

std::vector<ClientCheckDef> checks_flow() {
  return {
      {"RFC8555-6.6-client-honours-retry-after", honours_retry_after, needs_retry_after_error},
      {"RFC8555-7.4-client-processing-honours-retry-after", processing_retry_after, needs_processing},
      {"RFC8555-7.5.1-client-polls-with-backoff", polls_with_backoff},
      {"RFC8555-7.5.1-client-responds-with-empty-object", responds_with_empty_object},
      {"RFC8555-7.4-client-csr-matches-order", csr_matches_order},
      {"RFC8555-11.1-client-cert-key-not-account-key", cert_key_not_account_key},
      {"RFC8555-7.4.2-client-completes-issuance", completes_issuance, needs_success},
      {"RFC8555-6.7-client-fails-visibly", fails_visibly, needs_failure},
      {"RFC8555-7.3-client-no-automatic-tos-agreement", no_automatic_tos, needs_tos_withheld},
      {"RFC8555-6.7-client-displays-error-detail", displays_error_detail, needs_failure},
  };
}

}  // namespace acmespec::clientmode
