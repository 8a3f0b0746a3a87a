// Helper of resource_fuzzer: every ACME resource parser with round trips.
#include <string>

#include "acme/acme.hpp"
#include "common/json.hpp"
#include "fuzz_support.hpp"

namespace acmespec::fuzz {

namespace {

template <class T>
void round_trip(const nlohmann::json& doc, const std::string& root) {
  auto x = T::parse(doc, root);
  if (!x) {
    require(x.error().path.rfind(root, 0) == 0, "resource error outside its root", x.error().to_string());
    require(!x.error().reason.empty(), "resource error without a reason");
    return;
  }
  const nlohmann::json once = x->to_json();
  auto y = T::parse(once, root);
  require(y.ok(), "to_json() of a parsed resource does not parse", root + ": " + once.dump());
  require(*y == *x, "resource round trip changed the value", root + ": " + once.dump());
  require(y->to_json() == once, "resource to_json() is not stable", root);
}

}  // namespace

void exercise_resources(std::string_view text) {
  auto doc = parse_json(text);
  if (!doc) return;
  round_trip<acme::Directory>(*doc, "directory");
  round_trip<acme::Account>(*doc, "account");
  round_trip<acme::Order>(*doc, "order");
  round_trip<acme::OrdersList>(*doc, "orders");
  round_trip<acme::Authorization>(*doc, "authorization");
  round_trip<acme::Challenge>(*doc, "challenge");
  round_trip<acme::Problem>(*doc, "problem");
  round_trip<acme::Identifier>(*doc, "identifier");
  if (doc->is_string()) {
    auto t = acme::Timestamp::parse(doc->get<std::string>());
    if (t) {
      auto again = acme::Timestamp::parse(t->to_string());
      require(again.ok() && *again == *t, "timestamp round trip changed the instant", t->to_string());
    }
  }
}

}  // namespace acmespec::fuzz
