#include <catch2/catch.hpp>

#include "fixture.hpp"

using acmespec::engine::Judgement;
using fixture::Endpoint;
using fixture::judge;
using fixture::Log;

namespace {
constexpr auto held = Judgement::held;
constexpr auto violated = Judgement::violated;
constexpr auto not_applicable = Judgement::not_applicable;

// A log where newOrder is answered badNonce once, then retried at `retry_at`.
Log bad_nonce_log(bool use_error_nonce, bool retry = true) {
  Log l;
  l.add(Endpoint::kNewNonce, "HEAD", 0.0);
  l.post(Endpoint::kNewAccount, 0.1).status = 201;
  auto& bad = l.post(Endpoint::kNewOrder, 0.2);
  bad.status = 400;
  bad.problem_type = "badNonce";
  bad.fault_injected = true;
  if (!retry) return l;
  auto& again = l.post(Endpoint::kNewOrder, 0.3);
  if (!use_error_nonce) {
    again.nonce = "n1";  // the newNonce answer's nonce: reused and not the error's
    (*again.protected_header)["nonce"] = "n1";
  }
  return l;
}
}  // namespace

TEST_CASE("client checks: every id is catalogued once") {
  const auto& all = acmespec::clientmode::all_client_checks();
  CHECK(all.size() >= 20);
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t k = i + 1; k < all.size(); ++k) CHECK(all[i].id != all[k].id);
}

TEST_CASE("client checks: a well-behaved issuance passes every request-shape check") {
  const auto run = Log::happy().run;
  for (const char* id : {"RFC8555-6.2-client-content-type-jose-json", "RFC8555-6.4-client-url-exact-string",
                         "RFC8555-6.2-client-kid-after-account-creation", "RFC8555-6.2-client-jwk-for-new-account",
                         "RFC8555-6.2-client-alg-allowed", "RFC8555-6.2-client-jws-protected-header",
                         "RFC8555-6.3-client-post-as-get", "RFC8555-6.1-client-user-agent",
                         "RFC8555-6.5-client-nonce-single-use", "RFC8555-7.5.1-client-responds-with-empty-object",
                         "RFC8555-7.4-client-csr-matches-order", "RFC8555-11.1-client-cert-key-not-account-key",
                         "RFC8555-7.4.2-client-completes-issuance", "RFC8555-7.5.1-client-polls-with-backoff"}) {
    INFO(id);
    auto j = judge(id, run);
    INFO(j.message);
    CHECK(j.kind == held);
  }
}

TEST_CASE("client checks: checks without an occasion skip with a reason") {
  const auto run = Log::happy().run;
  for (const char* id : {"RFC8555-6.5-client-retries-bad-nonce", "RFC8555-6.5-client-retry-uses-error-nonce",
                         "RFC8555-6.6-client-honours-retry-after", "RFC8555-6.6-client-bounded-retries",
                         "RFC8555-7.4-client-processing-honours-retry-after", "RFC8555-6.7-client-displays-error-detail"}) {
    INFO(id);
    auto j = judge(id, run);
    CHECK(j.kind == not_applicable);
    CHECK_FALSE(j.message.empty());
  }
  CHECK(judge("RFC8555-6.2-client-alg-allowed", Log{}.run).kind == not_applicable);
}

TEST_CASE("client checks: badNonce retry and the error's nonce") {
  CHECK(judge("RFC8555-6.5-client-retries-bad-nonce", bad_nonce_log(true).run).kind == held);
  CHECK(judge("RFC8555-6.5-client-retry-uses-error-nonce", bad_nonce_log(true).run).kind == held);
  auto gave_up = judge("RFC8555-6.5-client-retries-bad-nonce", bad_nonce_log(true, false).run);
  CHECK(gave_up.kind == violated);
  CHECK(gave_up.evidence == std::vector<std::string>{"obs-3"});
  auto wrong = judge("RFC8555-6.5-client-retry-uses-error-nonce", bad_nonce_log(false).run);
  CHECK(wrong.kind == violated);
  CHECK(wrong.message.find("obs-4") != std::string::npos);
}

TEST_CASE("client checks: nonce reuse and invented nonces fail") {
  auto reused = bad_nonce_log(false).run;  // the retry reuses n1, already sent by newAccount
  auto j = judge("RFC8555-6.5-client-nonce-single-use", reused);
  CHECK(j.kind == violated);
  CHECK(j.message.find("sent twice") != std::string::npos);
  Log l = Log::happy();
  l.run.observations[3].nonce = "made-up";
  CHECK(judge("RFC8555-6.5-client-nonce-single-use", l.run).kind == violated);
  l = Log::happy();
  l.run.observations[3].nonce.clear();
  CHECK(judge("RFC8555-6.5-client-nonce-single-use", l.run).kind == violated);
}

TEST_CASE("client checks: request shape violations fail with evidence") {
  auto broken = [](auto edit) {
    Log l = Log::happy();
    edit(l.run.observations);
    return l.run;
  };
  using Obs = std::vector<fixture::Observation>;
  CHECK(judge("RFC8555-6.2-client-content-type-jose-json", broken([](Obs& o) { o[3].content_type = "application/json"; })).kind == violated);
  CHECK(judge("RFC8555-6.2-client-content-type-jose-json", broken([](Obs& o) { o[3].content_type = "Application/JOSE+JSON; charset=utf-8"; })).kind == held);
  CHECK(judge("RFC8555-6.4-client-url-exact-string", broken([](Obs& o) { o[4].jws_url += "/"; })).kind == violated);
  CHECK(judge("RFC8555-6.2-client-kid-after-account-creation", broken([](Obs& o) { o[4].has_kid = false, o[4].has_jwk = true; })).kind == violated);
  CHECK(judge("RFC8555-6.2-client-kid-after-account-creation", broken([](Obs& o) { o[2].has_kid = true, o[2].has_jwk = false; })).kind == violated);
  CHECK(judge("RFC8555-6.2-client-jwk-for-new-account", broken([](Obs& o) { (*o[2].protected_header)["jwk"]["d"] = "secret"; })).kind == violated);
  CHECK(judge("RFC8555-6.2-client-alg-allowed", broken([](Obs& o) { o[5].alg = "HS256"; })).kind == violated);
  CHECK(judge("RFC8555-6.2-client-alg-allowed", broken([](Obs& o) { o[5].alg = "none"; })).kind == violated);
  CHECK(judge("RFC8555-6.2-client-jws-protected-header", broken([](Obs& o) { o[5].protected_header->erase("nonce"); })).kind == violated);
  CHECK(judge("RFC8555-6.2-client-jws-protected-header", broken([](Obs& o) { (*o[5].protected_header)["jwk"] = nlohmann::json::object(); })).kind == violated);
  auto get = judge("RFC8555-6.3-client-post-as-get", broken([](Obs& o) { o[8].method = "GET", o[8].protected_header.reset(); }));
  CHECK(get.kind == violated);
  CHECK(get.evidence == std::vector<std::string>{"obs-9"});
  CHECK(judge("RFC8555-6.1-client-user-agent", broken([](Obs& o) { o[0].user_agent.clear(); })).kind == violated);
  CHECK(judge("RFC8555-7.5.1-client-responds-with-empty-object", broken([](Obs& o) { o[5].payload = nlohmann::json::object({{"keyAuthorization", "x"}}); })).kind == violated);
  CHECK(judge("RFC8555-7.5.1-client-responds-with-empty-object", broken([](Obs& o) { o[4].payload = nlohmann::json::array(), o[4].payload_empty = false; })).kind == violated);
  CHECK(judge("RFC8555-7.5.1-client-responds-with-empty-object", broken([](Obs& o) { o[4].payload = nlohmann::json::object({{"status", "valid"}}), o[4].payload_empty = false; })).kind == violated);
}

TEST_CASE("client checks: CSR names and key") {
  Log l = Log::happy();
  l.run.observations[7].csr_names = {"A.acmespec.test"};  // case does not matter
  CHECK(judge("RFC8555-7.4-client-csr-matches-order", l.run).kind == held);
  l.run.observations[7].csr_names = {"a.acmespec.test", "extra.acmespec.test"};
  CHECK(judge("RFC8555-7.4-client-csr-matches-order", l.run).kind == violated);
  l.run.observations[7].csr_names.clear();
  l.run.observations[7].csr_key_is_account_key = true;
  CHECK(judge("RFC8555-11.1-client-cert-key-not-account-key", l.run).kind == violated);
}

TEST_CASE("client checks: Retry-After after rateLimited") {
  auto with_retry = [](double retry_at) {
    Log l;
    l.post(Endpoint::kNewAccount, 0.0).status = 201;
    auto& limited = l.post(Endpoint::kNewOrder, 1.0);
    limited.status = 429;
    limited.problem_type = "rateLimited";
    limited.retry_after = 2;
    l.post(Endpoint::kNewOrder, retry_at).status = 201;
    return l.run;
  };
  CHECK(judge("RFC8555-6.6-client-honours-retry-after", with_retry(3.0)).kind == held);
  CHECK(judge("RFC8555-6.6-client-honours-retry-after", with_retry(2.97)).kind == held);  // jitter
  auto early = judge("RFC8555-6.6-client-honours-retry-after", with_retry(1.5));
  CHECK(early.kind == violated);
  CHECK(early.evidence == std::vector<std::string>{"obs-2", "obs-3"});
  CHECK(judge("RFC8555-6.6-client-bounded-retries", with_retry(3.0)).kind == held);
}

TEST_CASE("client checks: order processing and authorization polls") {
  auto processing = [](double second_poll) {
    Log l = Log::happy();
    auto& fin = l.run.observations[7];
    fin.resource_status = "processing";
    fin.retry_after = 1;
    l.run.observations.pop_back();  // the certificate comes after the polls
    l.post_as_get(Endpoint::kOrder, 2.7).resource_status = "processing";
    l.run.observations.back().retry_after = 1;
    l.post_as_get(Endpoint::kOrder, second_poll).resource_status = "valid";
    return l.run;
  };
  CHECK(judge("RFC8555-7.4-client-processing-honours-retry-after", processing(3.7)).kind == held);
  CHECK(judge("RFC8555-7.4-client-processing-honours-retry-after", processing(3.0)).kind == violated);

  Log tight = Log::happy();
  tight.run.observations.resize(6);  // up to the challenge response
  for (int i = 0; i < 6; ++i) tight.post_as_get(Endpoint::kAuthorization, 0.6 + 0.05 * i).resource_status = "pending";
  auto loop = judge("RFC8555-7.5.1-client-polls-with-backoff", tight.run);
  CHECK(loop.kind == violated);
  CHECK(loop.message.find("within one second") != std::string::npos);

  Log early = Log::happy();
  early.run.observations[5].retry_after = 3;  // the challenge answer asked for 3 s
  early.run.observations[6].url = early.run.observations[5].url;
  early.run.observations[6].endpoint = Endpoint::kChallenge;
  CHECK(judge("RFC8555-7.5.1-client-polls-with-backoff", early.run).kind == violated);
}

TEST_CASE("client checks: bounded retries") {
  Log l;
  for (int i = 0; i < 12; ++i) {
    auto& o = l.post(Endpoint::kNewOrder, i);
    o.status = 500;
    o.problem_type = "serverInternal";
  }
  auto j = judge("RFC8555-6.6-client-bounded-retries", l.run);
  CHECK(j.kind == violated);
  CHECK(j.evidence == std::vector<std::string>{"obs-11"});
}

TEST_CASE("client checks: how the run ended") {
  Log ok = Log::happy();
  CHECK(judge("RFC8555-7.4.2-client-completes-issuance", ok.run).kind == held);
  CHECK(judge("RFC8555-6.7-client-fails-visibly", ok.run).kind == violated);
  ok.run.exit_code = 1;
  CHECK(judge("RFC8555-7.4.2-client-completes-issuance", ok.run).kind == violated);

  Log failed;
  failed.post(Endpoint::kNewAccount, 0.0).status = 201;
  auto& o = failed.post(Endpoint::kNewOrder, 0.1);
  o.status = 403;
  o.problem_type = "userActionRequired";
  o.fault_injected = true;
  failed.run.faults.terms_changed = true;
  failed.run.exit_code = 1;
  failed.run.output = "An unexpected error occurred:\nuserActionRequired :: Terms of service have changed";
  CHECK(judge("RFC8555-6.7-client-fails-visibly", failed.run).kind == held);
  CHECK(judge("RFC8555-6.7-client-displays-error-detail", failed.run).kind == held);
  auto c = judge("RFC8555-7.4.2-client-completes-issuance", failed.run);
  CHECK(c.kind == violated);
  CHECK(c.message.find("Terms of service") != std::string::npos);
  failed.run.output = "something went wrong";
  CHECK(judge("RFC8555-6.7-client-displays-error-detail", failed.run).kind == violated);
  failed.run.exit_code = 0;
  CHECK(judge("RFC8555-6.7-client-fails-visibly", failed.run).kind == violated);
  failed.run.exit_code.reset();
  failed.run.timed_out = true;
  auto hung = judge("RFC8555-6.7-client-fails-visibly", failed.run);
  CHECK(hung.kind == violated);
  CHECK(hung.message.find("timeout") != std::string::npos);
}

TEST_CASE("client checks: the detail text from the fault plan counts as shown") {
  Log l;
  auto& o = l.post(Endpoint::kNewOrder, 0.0);
  o.status = 500;
  o.problem_type = "serverInternal";
  o.fault_injected = true;
  auto& cleanup = l.post(Endpoint::kAuthorization, 0.5);  // a later, unrelated error is not the one to show
  cleanup.status = 400;
  cleanup.problem_type = "malformed";
  acmespec::mockca::ErrorFault f;
  f.type = "serverInternal";
  f.detail = "the database is on fire";
  l.run.faults.errors.push_back(f);
  l.run.exit_code = 1;
  l.run.output = "Error: The Database Is On Fire";
  auto j = judge("RFC8555-6.7-client-displays-error-detail", l.run);
  CHECK(j.kind == held);
  CHECK(j.message.find("the database is on fire") != std::string::npos);
}

TEST_CASE("client checks: an invalid challenge's problem must be shown") {
  Log l = Log::happy();
  l.run.observations.resize(7);
  l.run.observations[6].resource_status = "invalid";
  l.run.faults.challenge_invalid = acmespec::mockca::ChallengeFailure{"incorrectResponse", "served the wrong thing"};
  l.run.exit_code = 1;
  l.run.output = "acme: error: 403 :: urn:ietf:params:acme:error:incorrectResponse :: served the wrong thing";
  auto j = judge("RFC8555-6.7-client-displays-error-detail", l.run);
  CHECK(j.kind == held);
  CHECK(j.evidence == std::vector<std::string>{"obs-7"});
  l.run.output = "failed";
  CHECK(judge("RFC8555-6.7-client-displays-error-detail", l.run).kind == violated);
}
