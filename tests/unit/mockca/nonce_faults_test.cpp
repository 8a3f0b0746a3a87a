// The invalid_nonce fault: which answers carry a Replay-Nonce that is not
// base64url, and that a JWS carrying it is refused like any unknown nonce.
#include "jose/base64url.hpp"
#include "mockca_env.hpp"

using namespace mockca_test;

namespace {
// A Replay-Nonce as RFC 8555 §6.5.1 shapes it: non-empty base64url.
bool is_nonce_text(const std::string& text) { return !text.empty() && acmespec::jose::is_base64url_alphabet(text); }
}  // namespace

TEST_CASE("fault: invalid_nonce hands out a non-base64url Replay-Nonce on the nth matching answer", "[mockca]") {
  mockca::FaultPlan plan;
  plan.invalid_nonce = mockca::InvalidNonceFault{mockca::Endpoint::kNewNonce, {2}};
  Env env(plan);
  Client c(*env.ca);
  const std::string first = c.nonce();
  const std::string second = c.get("/nonce", "HEAD").header("Replay-Nonce");
  const std::string third = c.nonce();
  CHECK(is_nonce_text(first));
  CHECK_FALSE(is_nonce_text(second));
  CHECK(second.size() == 20);
  CHECK(second.find('+') == 8);
  CHECK(second.find('/') == 13);
  CHECK(second.substr(18) == "==");
  CHECK(is_nonce_text(third));
  auto obs = env.ca->observations();
  REQUIRE(obs.size() == 3);
  CHECK(obs[1].replay_nonce == second);
  CHECK(obs[1].fault_injected);
  CHECK_FALSE(obs[0].fault_injected);

  // Signing with it is refused with badNonce, and the refusal carries a valid nonce.
  auto refused = c.post("/new-account", json{{"termsOfServiceAgreed", true}}, {}, second);
  CHECK(refused.status == 400);
  CHECK(problem_type(refused) == "badNonce");
  CHECK(is_nonce_text(refused.header("Replay-Nonce")));
  CHECK(env.ca->observations().back().nonce == second);
  // The valid nonces still work.
  CHECK(c.post("/new-account", json{{"termsOfServiceAgreed", true}}, {}, third).status == 201);
}

TEST_CASE("fault: invalid_nonce on another endpoint leaves the others alone; set_faults resets its count", "[mockca]") {
  mockca::FaultPlan plan;
  plan.invalid_nonce = mockca::InvalidNonceFault{mockca::Endpoint::kNewAccount, {1}};
  Env env(plan);
  Client c(*env.ca);
  CHECK(is_nonce_text(c.nonce()));
  auto acct = c.new_account();
  CHECK(acct.status == 201);
  const std::string bad = acct.header("Replay-Nonce");
  CHECK_FALSE(is_nonce_text(bad));
  // The account exists; a new-order signed with the invalid value is refused.
  auto refused = c.post("/new-order", json{{"identifiers", {{{"type", "dns"}, {"value", "n.example.org"}}}}}, {}, bad);
  CHECK(problem_type(refused) == "badNonce");
  // A second newAccount answer is normal again, until set_faults starts the count over.
  CHECK(is_nonce_text(c.new_account().header("Replay-Nonce")));
  env.ca->set_faults(plan);
  CHECK_FALSE(is_nonce_text(c.new_account().header("Replay-Nonce")));
}
