#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "acme/status.hpp"

using namespace acmespec::acme;
using K = ResourceKind;

TEST_CASE("status: string conversions round-trip", "[status]") {
  for (auto s : {OrderStatus::pending, OrderStatus::ready, OrderStatus::processing, OrderStatus::valid,
                 OrderStatus::invalid}) {
    CHECK(parse_order_status(to_string(s)) == s);
  }
  for (auto s : {AuthorizationStatus::pending, AuthorizationStatus::valid, AuthorizationStatus::invalid,
                 AuthorizationStatus::deactivated, AuthorizationStatus::expired, AuthorizationStatus::revoked}) {
    CHECK(parse_authorization_status(to_string(s)) == s);
  }
  for (auto s : {ChallengeStatus::pending, ChallengeStatus::processing, ChallengeStatus::valid,
                 ChallengeStatus::invalid}) {
    CHECK(parse_challenge_status(to_string(s)) == s);
  }
  for (auto s : {AccountStatus::valid, AccountStatus::deactivated, AccountStatus::revoked}) {
    CHECK(parse_account_status(to_string(s)) == s);
  }
  CHECK(to_string(OrderStatus::processing) == "processing");
  CHECK(to_string(AuthorizationStatus::expired) == "expired");
  CHECK_FALSE(parse_order_status("Pending").has_value());
  CHECK_FALSE(parse_order_status("expired").has_value());
  CHECK_FALSE(parse_account_status("pending").has_value());
  CHECK_FALSE(parse_challenge_status("ready").has_value());
  CHECK(statuses(K::authorization).size() == 6);
  CHECK(statuses(K::challenge).size() == 4);
}

TEST_CASE("status: §7.1.6 allowed transitions", "[status]") {
  struct Edge {
    K kind;
    const char* from;
    const char* to;
  };
  const Edge allowed[] = {
      {K::account, "valid", "deactivated"},       {K::account, "valid", "revoked"},
      {K::order, "pending", "ready"},             {K::order, "pending", "invalid"},
      {K::order, "ready", "processing"},          {K::order, "ready", "invalid"},
      {K::order, "processing", "valid"},          {K::order, "processing", "invalid"},
      {K::authorization, "pending", "valid"},     {K::authorization, "pending", "invalid"},
      {K::authorization, "pending", "expired"},   {K::authorization, "pending", "deactivated"},
      {K::authorization, "pending", "revoked"},   {K::authorization, "valid", "expired"},
      {K::authorization, "valid", "deactivated"}, {K::authorization, "valid", "revoked"},
      {K::challenge, "pending", "processing"},    {K::challenge, "processing", "valid"},
      {K::challenge, "processing", "invalid"},
  };
  for (const auto& e : allowed) {
    INFO(to_string(e.kind) << " " << e.from << " -> " << e.to);
    CHECK(allowed_transition(e.kind, e.from, e.to));
  }
  // The table holds exactly these edges.
  CHECK(status_transitions().size() == std::size(allowed));
  for (const auto& t : status_transitions()) CHECK_FALSE(t.cause.empty());
}

TEST_CASE("status: forbidden transitions", "[status]") {
  struct Edge {
    K kind;
    const char* from;
    const char* to;
  };
  const Edge forbidden[] = {
      {K::account, "deactivated", "valid"},      {K::account, "revoked", "valid"},
      {K::account, "deactivated", "revoked"},    {K::account, "valid", "valid"},
      {K::order, "pending", "valid"},            {K::order, "pending", "processing"},
      {K::order, "valid", "invalid"},            {K::order, "invalid", "pending"},
      {K::order, "ready", "pending"},            {K::order, "processing", "ready"},
      {K::order, "valid", "expired"},            {K::authorization, "invalid", "valid"},
      {K::authorization, "valid", "pending"},    {K::authorization, "valid", "invalid"},
      {K::authorization, "expired", "valid"},    {K::authorization, "deactivated", "valid"},
      {K::authorization, "revoked", "expired"},  {K::challenge, "pending", "valid"},
      {K::challenge, "pending", "invalid"},      {K::challenge, "valid", "invalid"},
      {K::challenge, "invalid", "processing"},   {K::challenge, "processing", "processing"},
      {K::challenge, "processing", "pending"},   {K::order, "pending", "bogus"},
      {K::challenge, "pending", "ready"},
  };
  for (const auto& e : forbidden) {
    INFO(to_string(e.kind) << " " << e.from << " -> " << e.to);
    CHECK_FALSE(allowed_transition(e.kind, e.from, e.to));
  }
  CHECK(allowed_transition(OrderStatus::ready, OrderStatus::processing));
  CHECK_FALSE(allowed_transition(OrderStatus::processing, OrderStatus::ready));
  CHECK(allowed_transition(AuthorizationStatus::valid, AuthorizationStatus::revoked));
  CHECK_FALSE(allowed_transition(ChallengeStatus::valid, ChallengeStatus::pending));
  CHECK(allowed_transition(AccountStatus::valid, AccountStatus::deactivated));
}

TEST_CASE("status: what a poller may observe", "[status]") {
  CHECK(may_observe(K::challenge, "pending", "valid"));  // processing missed
  CHECK(may_observe(K::challenge, "processing", "processing"));
  CHECK(may_observe(K::order, "pending", "valid"));
  CHECK(may_observe(K::authorization, "pending", "expired"));
  CHECK_FALSE(may_observe(K::challenge, "valid", "pending"));
  CHECK_FALSE(may_observe(K::order, "valid", "ready"));
  CHECK_FALSE(may_observe(K::authorization, "invalid", "valid"));
  CHECK_FALSE(may_observe(K::order, "pending", "unknown"));
  CHECK_FALSE(may_observe(K::order, "bogus", "bogus"));
}

TEST_CASE("status: initial and terminal statuses", "[status]") {
  CHECK(initial_status(K::account) == "valid");
  CHECK(initial_status(K::order) == "pending");
  CHECK(initial_status(K::authorization) == "pending");
  CHECK(initial_status(K::challenge) == "pending");
  CHECK(is_initial_status(K::order, "pending"));
  CHECK_FALSE(is_initial_status(K::order, "ready"));

  auto terminal = [](K kind) {
    std::set<std::string> out;
    for (auto s : statuses(kind)) {
      if (is_terminal_status(kind, s)) out.emplace(s);
    }
    return out;
  };
  CHECK(terminal(K::account) == std::set<std::string>{"deactivated", "revoked"});
  CHECK(terminal(K::order) == std::set<std::string>{"valid", "invalid"});
  CHECK(terminal(K::authorization) == std::set<std::string>{"invalid", "deactivated", "expired", "revoked"});
  CHECK(terminal(K::challenge) == std::set<std::string>{"valid", "invalid"});
  CHECK_FALSE(is_terminal_status(K::order, "bogus"));
}
