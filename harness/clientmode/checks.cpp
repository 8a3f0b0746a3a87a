#include "clientmode/checks.hpp"

namespace acmespec::clientmode {

const std::vector<ClientCheckDef>& all_client_checks() {
  static const std::vector<ClientCheckDef> all = [] {
    std::vector<ClientCheckDef> out;
    for (auto part : {checks_nonce(), checks_jws(), checks_flow(), checks_hostile(), checks_challenges(),
                      checks_lifecycle(), checks_faults()})
      out.insert(out.end(), part.begin(), part.end());
    return out;
  }();
  return all;
}

const ClientCheckDef* find_client_check(const std::string& id) {
  for (const auto& c : all_client_checks())
    if (c.id == id) return &c;
  return nullptr;
}

std::string evidence_id(const mockca::Observation& o) { return "obs-" + std::to_string(o.seq); }

bool is_signed(const mockca::Observation& o) { return o.method == "POST" && o.protected_header.has_value(); }

bool certificate_downloaded(const ClientRun& run) {
  for (const auto& o : run.observations)
    if (o.endpoint == mockca::Endpoint::kCertificate && o.status == 200) return true;
  return false;
}

bool plan_injects(const mockca::FaultPlan& plan, const std::string& type) {
  for (const auto& e : plan.errors)
    if (e.type == type) return true;
  return false;
}

double seconds_between(const mockca::Observation& a, const mockca::Observation& b) {
  return std::chrono::duration<double>(b.at - a.at).count();
}

}  // namespace acmespec::clientmode
