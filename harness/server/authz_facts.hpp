// The authorizations an order step observed: each fact is
// {"url", "before": <authorization as first fetched>, "after", "validation", ...}.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_access.hpp"
#include "server/observation.hpp"

namespace acmespec::server {

// The observed authorizations that were fetched (carry a "before" object).
inline std::vector<nlohmann::json> observed_authzs(const Observation& o) {
  std::vector<nlohmann::json> out;
  for (const auto& a : json_access::arr(o.facts, "authorizations"))
    if (a.is_object() && a.contains("before") && a["before"].is_object()) out.push_back(a);
  return out;
}

}  // namespace acmespec::server
