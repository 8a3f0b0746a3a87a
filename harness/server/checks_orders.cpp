// RFC 8555 §7.4 (orders, finalize, certificates), §7.5.2, §7.6 (revocation),
// §9.1 (the PEM chain) and §11.1 (key reuse).
#include <algorithm>
#include <set>

#include "acme/identifier.hpp"
#include "client/csr.hpp"
#include "jose/base64url.hpp"
#include "server/check.hpp"

namespace acmespec::server {

using engine::Judgement;
using nlohmann::json;

namespace {

Judgement order_created(const Observation& o) {
  auto j = judge::status_is(o, {201}, "newOrder");
  if (j.kind != Judgement::held) return j;
  if (!o.header("Location")) return Judgement::fail("201 answer to newOrder has no Location header");
  if (o.body.value("status", "") != "pending" && o.body.value("status", "") != "ready")
    return Judgement::fail("a new order's status is " + o.body.value("status", json()).dump());
  return Judgement::pass("201 Created with Location, status " + o.body.value("status", ""));
}

Judgement finalize_returns_order(const Observation& o) {
  auto j = judge::status_is(o, {200}, "finalize");
  if (j.kind != Judgement::held) return j;
  const std::string status = o.body.is_object() ? o.body.value("status", "") : "";
  if (status != "processing" && status != "valid")
    return Judgement::fail("finalize answered an order in status \"" + status + "\", expected processing or valid");
  return Judgement::pass("finalize answered the order, now " + status);
}

std::string canonical(const json& id) {
  std::string type = id.value("type", ""), value = id.value("value", "");
  if (type == "ip") value = acme::canonicalize_ip(value).value_or(value);
  std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
  return type + ":" + value;
}

Judgement certificate_matches_order(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (!o.facts.contains("chain")) return Judgement::fail("no certificate was downloaded");
  auto chain = client::parse_pem_chain(o.facts["chain"].get<std::string>());
  if (!chain) return Judgement::fail("the chain does not parse: " + chain.error().to_string());
  std::multiset<std::string> want, have;
  for (const auto& id : o.facts.value("identifiers", json::array())) want.insert(canonical(id));
  for (const auto& san : chain->front().sans) have.insert(canonical(json{{"type", san.type}, {"value", san.value}}));
  if (want.empty()) return Judgement::skip("the step did not name the ordered identifiers");
  if (want != have) {
    std::string w, h;
    for (const auto& s : want) w += (w.empty() ? "" : ", ") + s;
    for (const auto& s : have) h += (h.empty() ? "" : ", ") + s;
    return Judgement::fail("the certificate names {" + h + "}, the order {" + w + "}");
  }
  if (o.facts.contains("cert_spki_b64") &&
      jose::base64url_encode(chain->front().spki_der) != o.facts["cert_spki_b64"].get<std::string>())
    return Judgement::fail("the certificate does not certify the CSR's public key");
  return Judgement::pass("the certificate names exactly the ordered identifiers and the CSR's key");
}

Judgement pem_chain_default(const Observation& o) {
  auto j = judge::status_is(o, {200}, "certificate download");
  if (j.kind != Judgement::held) return j;
  auto ct = o.header("Content-Type").value_or("");
  if (ct.rfind("application/pem-certificate-chain", 0) != 0)
    return Judgement::fail("certificate served as \"" + ct + "\", expected application/pem-certificate-chain");
  return Judgement::pass("served as application/pem-certificate-chain");
}

Judgement leaf_first(const Observation& o) {
  if (!o.facts.contains("chain")) return Judgement::skip("no certificate was downloaded");
  auto chain = client::parse_pem_chain(o.facts["chain"].get<std::string>());
  if (!chain) return Judgement::fail("the chain does not parse: " + chain.error().to_string());
  if (chain->front().is_ca) return Judgement::fail("the first certificate of the chain is a CA certificate");
  return Judgement::pass("end-entity certificate first, " + std::to_string(chain->size()) + " certificates");
}

Judgement issuer_order(const Observation& o) {
  if (!o.facts.contains("chain")) return Judgement::skip("no certificate was downloaded");
  if (auto s = client::verify_chain_order(o.facts["chain"].get<std::string>()); !s)
    return Judgement::fail(s.error().to_string());
  return Judgement::pass("each certificate is issued by the next");
}

Judgement strict_pem(const Observation& o) {
  if (!o.facts.contains("chain")) return Judgement::skip("no certificate was downloaded");
  auto chain = client::parse_pem_chain(o.facts["chain"].get<std::string>());
  if (!chain) return Judgement::fail(chain.error().to_string());
  return Judgement::pass("only CERTIFICATE blocks, nothing between them");
}

Judgement rejects_csr(const Observation& o) {
  return judge::rejected_with(o, {"badCSR", "unauthorized", "rejectedIdentifier", "malformed"},
                              "finalize with a " + o.facts.value("csr", std::string("bad")) + " CSR");
}

}  // namespace

std::vector<CheckDef> checks_orders() {
  return {
      {"RFC8555-7.4-new-order-201-location", {}, order_created},
      {"RFC8555-7.4-finalize-not-ready-order-not-ready", {},
       [](const Observation& o) { return judge::rejected_with(o, {"orderNotReady"}, "finalize of a pending order"); }},
      {"RFC8555-7.4-finalize-returns-order", {}, finalize_returns_order},
      {"RFC8555-7.4-finalize-csr-identifier-mismatch", {},
       [](const Observation& o) { return judge::rejected_with(o, {"badCSR", "unauthorized", "rejectedIdentifier"}, "finalize with a CSR naming other identifiers"); }},
      {"RFC8555-7.4-finalize-csr-signature-checked", {},
       [](const Observation& o) { return judge::rejected_with(o, {"badCSR", "malformed"}, "finalize with a CSR whose signature is bad"); }},
      {"RFC8555-11.1-csr-with-account-key-refused", {}, rejects_csr},
      {"RFC8555-7.4-certificate-matches-order", {}, certificate_matches_order},
      {"RFC8555-7.4.2-certificate-pem-chain-default", {}, pem_chain_default},
      {"RFC8555-9.1-pem-chain-leaf-first", {}, leaf_first},
      {"RFC8555-9.1-pem-chain-issuer-order", {}, issuer_order},
      {"RFC8555-9.1-pem-chain-strict-encoding", {}, strict_pem},
      {"RFC8555-7.4-unsupported-identifier-type", {},
       [](const Observation& o) { return judge::rejected_with(o, {"unsupportedIdentifier", "malformed", "rejectedIdentifier"}, "newOrder with an unknown identifier type"); }},
      {"RFC8555-7.4-rejected-identifier", {},
       [](const Observation& o) { return judge::rejected_with(o, {"rejectedIdentifier", "malformed", "unsupportedIdentifier"}, "newOrder for a name the server will not issue for"); }},
      {"RFC8555-7.5.2-deactivate-authz-200", {},
       [](const Observation& o) {
         auto j = judge::status_is(o, {200}, "authorization deactivation");
         if (j.kind == Judgement::held && o.body.value("status", "") != "deactivated")
           return Judgement::fail("the authorization is " + o.body.value("status", json()).dump() + " after deactivation");
         return j;
       }},
      {"RFC8555-7.6-revoke-by-issuing-account", {}, [](const Observation& o) { return judge::status_is(o, {200}, "revocation by the issuing account"); }},
      {"RFC8555-7.6-revoke-by-certificate-key", {}, [](const Observation& o) { return judge::status_is(o, {200}, "revocation signed by the certificate key"); }},
      {"RFC8555-7.6-already-revoked", {}, [](const Observation& o) { return judge::rejected_with(o, {"alreadyRevoked"}, "revoking a revoked certificate"); }},
      {"RFC8555-7.6-bad-revocation-reason", {}, [](const Observation& o) { return judge::rejected_with(o, {"badRevocationReason"}, "revocation with reason code 7"); }},
      {"RFC8555-7.6-revoke-without-claim-refused", {}, [](const Observation& o) { return judge::rejected_with(o, {"unauthorized"}, "revocation by an account with no claim to the certificate"); }},
  };
}

}  // namespace acmespec::server
