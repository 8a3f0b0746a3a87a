// The order_reorder fault: order lists in another order than the request's.
#include "mockca_env.hpp"

using namespace mockca_test;

namespace {

// The identifier values of an order body, and those of its authorizations in list order.
std::pair<std::vector<std::string>, std::vector<std::string>> reorder_lists(Client& c, const json& order) {
  std::vector<std::string> ids, authz_ids;
  for (const auto& id : order["identifiers"]) ids.push_back(id["value"]);
  for (const auto& url : order["authorizations"])
    authz_ids.push_back(Client::body(c.post(path_of(url), std::nullopt))["identifier"]["value"]);
  return {ids, authz_ids};
}

}  // namespace

TEST_CASE("fault: order_reorder mismatch reverses identifiers and rotates authorizations", "[mockca]") {
  mockca::FaultPlan plan;
  plan.order_reorder = "mismatch";
  Env env(plan);
  Client c(*env.ca);
  c.new_account();
  std::string order_path;
  const auto order = c.new_order({"a.example.org", "b.example.org", "c.example.org"}, &order_path);
  auto [ids, authzs] = reorder_lists(c, order);
  CHECK(ids == std::vector<std::string>{"c.example.org", "b.example.org", "a.example.org"});
  CHECK(authzs == std::vector<std::string>{"b.example.org", "c.example.org", "a.example.org"});
  // A later fetch of the order shows the same lists.
  CHECK(Client::body(c.post(order_path, std::nullopt))["authorizations"] == order["authorizations"]);
  // One name: nothing to reorder.
  auto single = reorder_lists(c, c.new_order({"one.example.org"}));
  CHECK(single.first == std::vector<std::string>{"one.example.org"});
  CHECK(single.second == std::vector<std::string>{"one.example.org"});
}

TEST_CASE("fault: order_reorder reverse reverses both lists; the order still issues", "[mockca]") {
  mockca::FaultPlan plan;
  plan.order_reorder = "reverse";
  Env env(plan);
  Client c(*env.ca);
  c.new_account();
  std::string order_path;
  const auto order = c.new_order({"a.example.org", "b.example.org"}, &order_path);
  auto [ids, authzs] = reorder_lists(c, order);
  CHECK(ids == std::vector<std::string>{"b.example.org", "a.example.org"});
  CHECK(authzs == ids);
  for (const auto& url : order["authorizations"]) {
    json one = {{"authorizations", {url}}};
    CHECK(authorize_http01(env, c, one)["status"] == "valid");
  }
  auto k = *jose::PrivateKey::generate(jose::KeyType::P256);
  auto fin = c.post(path_of(order["finalize"]), json{{"csr", csr_for(k, {"a.example.org", "b.example.org"})}});
  CHECK(fin.status == 200);
  CHECK(c.poll_until_not(order_path, "processing")["status"] == "valid");
}

TEST_CASE("fault: certificate_extra_pem ends every certificate download with an EC PARAMETERS block", "[mockca]") {
  mockca::FaultPlan plan;
  plan.certificate_extra_pem = "ec-parameters";
  plan.alternate_chains = 1;
  Env env(plan);
  Client c(*env.ca);
  c.new_account();
  std::string order_path;
  const auto order = c.new_order({"pem.example.org"}, &order_path);
  REQUIRE(authorize_http01(env, c, order)["status"] == "valid");
  auto k = *jose::PrivateKey::generate(jose::KeyType::P256);
  REQUIRE(c.post(path_of(order["finalize"]), json{{"csr", csr_for(k, {"pem.example.org"})}}).status == 200);
  const auto done = c.poll_until_not(order_path, "processing");
  REQUIRE(done["status"] == "valid");
  const std::string block = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
  for (const std::string suffix : {"", "/1"}) {
    auto cert = c.post(path_of(done["certificate"]) + suffix, std::nullopt);
    REQUIRE(cert.status == 200);
    CHECK(cert.header("Content-Type") == "application/pem-certificate-chain");
    REQUIRE(cert.body.size() > block.size());
    CHECK(cert.body.compare(cert.body.size() - block.size(), block.size(), block) == 0);
    CHECK(cert.body.rfind("-----BEGIN CERTIFICATE-----", 0) == 0);  // the certificates come first
    CHECK(cert.body.find("PRIVATE KEY") == std::string::npos);
  }
}
