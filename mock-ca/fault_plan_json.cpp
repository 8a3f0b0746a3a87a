// The JSON form of a fault plan (the inverse of parse_fault_plan), as run
// reports show it.
#include "mock-ca/fault_plan.hpp"

namespace acmespec::mockca {

using nlohmann::json;

json to_json(const FaultPlan& plan) {
  json out = json::object();
  if (!plan.errors.empty()) {
    json list = json::array();
    for (const auto& f : plan.errors) {
      json e = {{"type", f.type}, {"status", f.status}};
      if (f.endpoint) e["endpoint"] = endpoint_name(*f.endpoint);
      if (!f.nth.empty()) e["nth"] = f.nth;
      if (!f.detail.empty()) e["detail"] = f.detail;
      if (f.retry_after) e["retry_after"] = *f.retry_after;
      list.push_back(std::move(e));
    }
    out["errors"] = std::move(list);
  }
  if (!plan.delays.empty()) {
    json list = json::array();
    for (const auto& f : plan.delays) {
      json d = {{"ms", f.delay.count()}};
      if (f.endpoint) d["endpoint"] = endpoint_name(*f.endpoint);
      if (!f.nth.empty()) d["nth"] = f.nth;
      list.push_back(std::move(d));
    }
    out["delays"] = std::move(list);
  }
  if (plan.order_processing_polls) out["order_processing_polls"] = plan.order_processing_polls;
  if (plan.authz_pending_polls) out["authz_pending_polls"] = plan.authz_pending_polls;
  if (plan.retry_after) out["retry_after"] = *plan.retry_after;
  if (plan.challenge_invalid)
    out["challenge_invalid"] = {{"type", plan.challenge_invalid->type}, {"detail", plan.challenge_invalid->detail}};
  if (plan.alternate_chains) out["alternate_chains"] = plan.alternate_chains;
  if (plan.eab_required) out["eab_required"] = true;
  if (plan.terms_changed) out["terms_changed"] = true;
  if (plan.challenge_token) out["challenge_token"] = *plan.challenge_token;
  if (!plan.certificate_mismatch.empty()) out["certificate_mismatch"] = plan.certificate_mismatch;
  if (!plan.extra_identifiers.empty()) out["extra_identifiers"] = plan.extra_identifiers;
  if (!plan.hostile_identifiers.empty()) out["hostile_identifiers"] = plan.hostile_identifiers;
  if (!plan.directory_decoy.empty()) out["directory_decoy"] = plan.directory_decoy;
  if (!plan.resource_decoy.empty()) out["resource_decoy"] = plan.resource_decoy;
  if (!plan.hostile_urls.empty()) out["hostile_urls"] = plan.hostile_urls;
  if (plan.invalid_nonce) {
    json n = {{"nth", plan.invalid_nonce->nth}};
    if (plan.invalid_nonce->endpoint) n["endpoint"] = endpoint_name(*plan.invalid_nonce->endpoint);
    out["invalid_nonce"] = std::move(n);
  }
  if (!plan.order_reorder.empty()) out["order_reorder"] = plan.order_reorder;
  if (!plan.certificate_extra_pem.empty()) out["certificate_extra_pem"] = plan.certificate_extra_pem;
  if (plan.hostile_body) {
    json b = {{"kind", plan.hostile_body->kind}, {"size", plan.hostile_body->size}};
    if (plan.hostile_body->endpoint) b["endpoint"] = endpoint_name(*plan.hostile_body->endpoint);
    out["hostile_body"] = std::move(b);
  }
  return out;
}

}  // namespace acmespec::mockca
