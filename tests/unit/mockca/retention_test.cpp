// Bounded state: past state_limit the oldest orders (with their
// authorizations and certificates) and then idle accounts are retired, so a
// long-running mock CA keeps serving in bounded memory.
#include "mockca_env.hpp"

using namespace mockca_test;

TEST_CASE("mock CA retires the oldest orders and idle accounts past its state limit", "[mockca]") {
  // Each flow holds an account, an order and an authorization: three objects.
  Env env({}, [](mockca::MockCaConfig& cfg) { cfg.state_limit = 7; });
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<std::string> order_paths;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<Client>(*env.ca));
    Client& c = *clients.back();
    REQUIRE(c.new_account().status == 201);
    std::string order_path;
    auto order = c.new_order({"n" + std::to_string(i) + ".example.org"}, &order_path);
    REQUIRE(order["status"] == "pending");
    order_paths.push_back(order_path);
    const auto stats = env.ca->stats();
    INFO(stats.dump());
    CHECK(stats["accounts"].get<std::size_t>() + stats["orders"].get<std::size_t>() +
              stats["authorizations"].get<std::size_t>() <= 7);
  }
  const auto stats = env.ca->stats();
  CHECK(stats["retired"].get<int>() > 0);
  // The newest flow is whole; the oldest order is gone, and so is its idle account.
  CHECK(Client::body(clients.back()->post(order_paths.back(), std::nullopt))["status"] == "pending");
  auto old_order = clients.back()->post(order_paths.front(), std::nullopt);
  CHECK(problem_type(old_order) == "malformed");  // "no such order"
  auto old_account = clients.front()->post(order_paths.front(), std::nullopt);
  CHECK(problem_type(old_account) == "accountDoesNotExist");
}

TEST_CASE("mock CA refuses with rateLimited when nothing fits even after retiring", "[mockca]") {
  Env env({}, [](mockca::MockCaConfig& cfg) { cfg.state_limit = 3; });
  Client c(*env.ca);
  REQUIRE(c.new_account().status == 201);
  // One account plus an order and two authorizations is four objects: more than
  // the whole table, so no amount of retiring helps.
  auto r = c.post("/new-order", json{{"identifiers", json::array({{{"type", "dns"}, {"value", "a.example.org"}},
                                                                   {{"type", "dns"}, {"value", "b.example.org"}}})}});
  CHECK(r.status == 429);
  CHECK(problem_type(r) == "rateLimited");
  CHECK(!r.header("Retry-After").empty());
}
