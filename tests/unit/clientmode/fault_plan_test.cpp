#include <catch2/catch.hpp>

#include "mock-ca/fault_plan.hpp"

using acmespec::mockca::Endpoint;
using acmespec::mockca::endpoint_name;
using acmespec::mockca::parse_endpoint;
using acmespec::mockca::parse_fault_plan;
using acmespec::mockca::to_json;
using nlohmann::json;

namespace {
std::string plan_error(const json& j) {
  auto r = parse_fault_plan(j);
  REQUIRE_FALSE(r.ok());
  return r.error().to_string();
}
}  // namespace

TEST_CASE("fault plan: every knob parses and round-trips through to_json") {
  const json doc = json::parse(R"({
    "errors": [{"endpoint": "newOrder", "nth": [1, 3], "type": "rateLimited", "retry_after": 2, "detail": "slow down"},
               {"type": "urn:ietf:params:acme:error:badNonce", "nth": 2}],
    "delays": [{"endpoint": "finalize", "nth": [1], "ms": 1500}],
    "order_processing_polls": 3, "authz_pending_polls": 2, "retry_after": 1,
    "challenge_invalid": {"type": "incorrectResponse", "detail": "wrong"},
    "alternate_chains": 2, "eab_required": true, "terms_changed": true})");
  auto plan = parse_fault_plan(doc);
  REQUIRE(plan.ok());
  REQUIRE(plan->errors.size() == 2);
  CHECK(plan->errors[0].endpoint == Endpoint::kNewOrder);
  CHECK(plan->errors[0].nth == std::vector<int>{1, 3});
  CHECK(plan->errors[0].status == 429);  // rateLimited defaults to 429
  CHECK(plan->errors[0].retry_after == 2);
  CHECK(plan->errors[1].type == "badNonce");  // the urn prefix is accepted and dropped
  CHECK(plan->errors[1].status == 400);
  CHECK_FALSE(plan->errors[1].endpoint.has_value());
  CHECK(plan->errors[1].nth == std::vector<int>{2});
  REQUIRE(plan->delays.size() == 1);
  CHECK(plan->delays[0].delay == std::chrono::milliseconds(1500));
  CHECK(plan->order_processing_polls == 3);
  CHECK(plan->authz_pending_polls == 2);
  CHECK(plan->retry_after == 1);
  REQUIRE(plan->challenge_invalid.has_value());
  CHECK(plan->challenge_invalid->detail == "wrong");
  CHECK(plan->alternate_chains == 2);
  CHECK(plan->eab_required);
  CHECK(plan->terms_changed);

  auto again = parse_fault_plan(to_json(*plan));
  REQUIRE(again.ok());
  CHECK(*again == *plan);
}

TEST_CASE("fault plan: an empty object is the plan without faults") {
  auto plan = parse_fault_plan(json::object());
  REQUIRE(plan.ok());
  CHECK(*plan == acmespec::mockca::FaultPlan{});
  CHECK(to_json(*plan) == json::object());
}

TEST_CASE("fault plan: serverInternal defaults to 500, an explicit status wins") {
  auto plan = parse_fault_plan(json::parse(R"({"errors": [{"type": "serverInternal"}, {"type": "serverInternal", "status": 503}]})"));
  REQUIRE(plan.ok());
  CHECK(plan->errors[0].status == 500);
  CHECK(plan->errors[1].status == 503);
}

TEST_CASE("fault plan: mistakes are errors that name the JSON path") {
  CHECK(plan_error(json::array()) == "a fault plan is a JSON object");
  CHECK(plan_error({{"order_polls", 3}}).rfind("order_polls: unknown member", 0) == 0);
  CHECK(plan_error(json::parse(R"({"errors": [{"type": "badNonce", "nth": [0]}]})")) ==
        "errors[0].nth[0]: expected a number from 1 to 10000, got 0");
  CHECK(plan_error(json::parse(R"({"errors": [{"type": "badNonce", "nth": 0}]})")).rfind("errors[0].nth:", 0) == 0);
  CHECK(plan_error(json::parse(R"({"errors": [{"type": "badNonce", "status": 302}]})")) ==
        "errors[0].status: expected a number from 400 to 599, got 302");
  CHECK(plan_error(json::parse(R"({"errors": [{"type": "badNonce", "status": 600}]})")).rfind("errors[0].status:", 0) == 0);
  CHECK(plan_error(json::parse(R"({"errors": [{"type": "badNonce", "endpoint": "neworder"}]})"))
            .rfind("errors[0].endpoint: unknown endpoint \"neworder\"", 0) == 0);
  CHECK(plan_error(json::parse(R"({"errors": [{"endpoint": "newOrder"}]})")).rfind("errors[0].type: required", 0) == 0);
  CHECK(plan_error(json::parse(R"({"errors": [{"type": 7}]})")) == "errors[0].type: expected a string");
  CHECK(plan_error(json::parse(R"({"errors": [{"type": "badNonce", "colour": 1}]})")).rfind("errors[0].colour: unknown member", 0) == 0);
  CHECK(plan_error(json::parse(R"({"errors": {"type": "badNonce"}})")) == "errors: expected a list");
  CHECK(plan_error(json::parse(R"({"delays": [{"endpoint": "finalize"}]})")).rfind("delays[0].ms: required", 0) == 0);
  CHECK(plan_error(json::parse(R"({"delays": [{"ms": -1}]})")).rfind("delays[0].ms:", 0) == 0);
  CHECK(plan_error(json::parse(R"({"delays": [{"ms": 1.5}]})")) == "delays[0].ms: expected a whole number");
  CHECK(plan_error(json::parse(R"({"order_processing_polls": "3"})")) == "order_processing_polls: expected a whole number");
  CHECK(plan_error(json::parse(R"({"authz_pending_polls": 1000})")).rfind("authz_pending_polls:", 0) == 0);
  CHECK(plan_error(json::parse(R"({"eab_required": 1})")) == "eab_required: expected true or false");
  CHECK(plan_error(json::parse(R"({"challenge_invalid": {"kind": "x"}})")).rfind("challenge_invalid.kind: unknown member", 0) == 0);
  CHECK(plan_error(json::parse(R"({"challenge_invalid": true})")).rfind("challenge_invalid:", 0) == 0);
}

TEST_CASE("fault plan: endpoint names are a bijection") {
  for (auto e : {Endpoint::kDirectory, Endpoint::kNewNonce, Endpoint::kNewAccount, Endpoint::kAccount, Endpoint::kKeyChange,
                 Endpoint::kNewOrder, Endpoint::kOrder, Endpoint::kOrdersList, Endpoint::kAuthorization,
                 Endpoint::kChallenge, Endpoint::kFinalize, Endpoint::kCertificate, Endpoint::kRevokeCert, Endpoint::kOther}) {
    auto back = parse_endpoint(endpoint_name(e));
    REQUIRE(back.has_value());
    CHECK(*back == e);
  }
  CHECK(endpoint_name(Endpoint::kAuthorization) == "authz");
  CHECK(endpoint_name(Endpoint::kOrdersList) == "orders");
  CHECK_FALSE(parse_endpoint("Authz").has_value());
  CHECK_FALSE(parse_endpoint("").has_value());
}
