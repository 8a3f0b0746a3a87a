// Each fault-plan knob changes exactly what it names.
#include "mockca_env.hpp"

using namespace mockca_test;

namespace {
json one_name(const std::string& n) { return {{"identifiers", {{{"type", "dns"}, {"value", n}}}}}; }
}  // namespace

TEST_CASE("fault: error on the nth request of an endpoint", "[mockca]") {
  mockca::FaultPlan plan;
  plan.errors.push_back({mockca::Endpoint::kNewOrder, {2}, "rateLimited", 429, "slow down", 3});
  Env env(plan);
  Client c(*env.ca);
  c.new_account();
  CHECK(c.post("/new-order", one_name("a.example.org")).status == 201);
  auto second = c.post("/new-order", one_name("a.example.org"));
  CHECK(second.status == 429);
  CHECK(problem_type(second) == "rateLimited");
  CHECK(second.header("Retry-After") == "3");
  CHECK(env.ca->observations().back().fault_injected);
  CHECK(c.post("/new-order", one_name("a.example.org")).status == 201);
  // The nonce of the refused request was spent.
  auto obs = env.ca->observations();
  std::string spent;
  for (const auto& o : obs)
    if (o.fault_injected) spent = o.nonce;
  CHECK(problem_type(c.post("/new-order", one_name("a.example.org"), {}, spent)) == "badNonce");
}

TEST_CASE("fault: delay holds the answer", "[mockca]") {
  mockca::FaultPlan plan;
  plan.delays.push_back({mockca::Endpoint::kNewAccount, {}, std::chrono::milliseconds(1500)});
  Env env(plan);
  Client c(*env.ca);
  CHECK(c.new_account().delay == std::chrono::milliseconds(1500));
  CHECK(c.get("/dir").delay == std::chrono::milliseconds(0));
}

TEST_CASE("fault: order processing polls and authz pending polls with Retry-After", "[mockca]") {
  mockca::FaultPlan plan;
  plan.order_processing_polls = 2;
  plan.authz_pending_polls = 2;
  plan.retry_after = 1;
  Env env(plan);
  Client c(*env.ca);
  c.new_account();
  std::string order_path;
  auto order = c.new_order({"p.example.org"}, &order_path);
  const auto authz_path = path_of(order["authorizations"][0]);
  auto ch = c.challenge_of(Client::body(c.post(authz_path, std::nullopt)), "http-01");
  REQUIRE(env.resp->add_http01_token(ch["token"], c.key_authorization(ch["token"])).ok());
  auto started = c.post(path_of(ch["url"]), json::object());
  CHECK(Client::body(started)["status"] == "processing");
  CHECK(started.header("Retry-After") == "1");
  // Let the VA finish; the authorization still shows pending for two polls.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(Client::body(c.post(authz_path, std::nullopt))["status"] == "pending");
  CHECK(Client::body(c.post(authz_path, std::nullopt))["status"] == "pending");
  CHECK(c.poll_until_not(authz_path, "pending")["status"] == "valid");
  auto k = *jose::PrivateKey::generate(jose::KeyType::P256);
  auto fin = c.post(path_of(order["finalize"]), json{{"csr", csr_for(k, {"p.example.org"})}});
  CHECK(Client::body(fin)["status"] == "processing");
  CHECK(fin.header("Retry-After") == "1");
  CHECK(Client::body(c.post(order_path, std::nullopt))["status"] == "processing");
  CHECK(Client::body(c.post(order_path, std::nullopt))["status"] == "processing");
  CHECK(Client::body(c.post(order_path, std::nullopt))["status"] == "valid");
}

TEST_CASE("fault: challenge_invalid fails validation with the given problem", "[mockca]") {
  mockca::FaultPlan plan;
  plan.challenge_invalid = mockca::ChallengeFailure{"connection", "could not connect"};
  Env env(plan);
  Client c(*env.ca);
  c.new_account();
  auto order = c.new_order({"i.example.org"});
  auto z = authorize_http01(env, c, order);
  CHECK(z["status"] == "invalid");
  CHECK(c.challenge_of(z, "http-01")["error"]["type"] == "urn:ietf:params:acme:error:connection");
}

TEST_CASE("fault: alternate chains are offered with Link rel=alternate", "[mockca]") {
  mockca::FaultPlan plan;
  plan.alternate_chains = 2;
  Env env(plan);
  CHECK(env.ca->root_pems().size() == 3);
  Client c(*env.ca);
  c.new_account();
  auto order = c.new_order({"alt.example.org"});
  authorize_http01(env, c, order);
  auto k = *jose::PrivateKey::generate(jose::KeyType::P256);
  auto done = Client::body(c.post(path_of(order["finalize"]), json{{"csr", csr_for(k, {"alt.example.org"})}}));
  auto primary = c.post(path_of(done["certificate"]), std::nullopt);
  std::vector<std::string> alternates;
  for (const auto& [name, v] : primary.headers)
    if (name == "Link" && v.find("rel=\"alternate\"") != std::string::npos) alternates.push_back(v.substr(1, v.find('>') - 1));
  REQUIRE(alternates.size() == 2);
  const auto roots = env.ca->root_pems();
  auto alt = c.post(path_of(alternates[0]), std::nullopt);
  CHECK(alt.status == 200);
  CHECK(alt.body != primary.body);
  CHECK(client::verify_chain_order(alt.body, roots[1]).ok());
  CHECK(!client::verify_chain_order(alt.body, roots[0]).ok());
}

TEST_CASE("fault: eab_required and a valid binding", "[mockca]") {
  mockca::FaultPlan plan;
  plan.eab_required = true;
  const std::string mac_key = "0123456789abcdef0123456789abcdef";
  Env env(plan, [&](mockca::MockCaConfig& cfg) { cfg.eab_keys["kid-1"] = jose::base64url_encode(mac_key); });
  Client c(*env.ca);
  CHECK(Client::body(c.get("/dir"))["meta"]["externalAccountRequired"] == true);
  CHECK(problem_type(c.new_account()) == "externalAccountRequired");
  auto eab = client::external_account_binding(c.key, c.url("/new-account"), "kid-1", mac_key);
  REQUIRE(eab.ok());
  auto wrong = client::external_account_binding(c.key, c.url("/new-account"), "kid-1",
                                                "another key of 32 bytes length!!");
  CHECK(problem_type(c.new_account({{"termsOfServiceAgreed", true}, {"externalAccountBinding", *wrong}})) == "unauthorized");
  auto ok = c.new_account({{"termsOfServiceAgreed", true}, {"externalAccountBinding", *eab}});
  CHECK(ok.status == 201);
}

TEST_CASE("fault: terms_changed asks for agreement with userActionRequired", "[mockca]") {
  mockca::FaultPlan plan;
  plan.terms_changed = true;
  Env env(plan);
  Client c(*env.ca);
  REQUIRE(c.new_account().status == 201);
  auto r = c.post("/new-order", one_name("t.example.org"));
  CHECK(r.status == 403);
  CHECK(problem_type(r) == "userActionRequired");
  CHECK(r.header("Link").find("rel=\"terms-of-service\"") != std::string::npos);
  CHECK(Client::body(r)["instance"].is_string());
  CHECK(c.post(path_of(c.kid), json{{"termsOfServiceAgreed", true}}).status == 200);
  CHECK(c.post("/new-order", one_name("t.example.org")).status == 201);
}

TEST_CASE("set_faults replaces the plan and resets counters", "[mockca]") {
  Env env;
  Client c(*env.ca);
  mockca::FaultPlan plan;
  plan.errors.push_back({mockca::Endpoint::kNewNonce, {1}, "serverInternal", 500, "", std::nullopt});
  env.ca->set_faults(plan);
  CHECK(c.get("/nonce").status == 500);
  CHECK(c.get("/nonce").status == 204);
  env.ca->set_faults(plan);
  CHECK(c.get("/nonce").status == 500);
}
