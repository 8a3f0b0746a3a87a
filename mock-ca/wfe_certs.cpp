// Finalize, certificate download and revocation (RFC 8555 §7.4, §7.4.2, §7.6).
#include "acme/timestamp.hpp"
#include "jose/base64url.hpp"
#include "mock-ca/csr.hpp"
#include "mock-ca/ossl.hpp"
#include "mock-ca/state.hpp"

#include <openssl/evp.h>

namespace acmespec::mockca::detail {

using acme::Problem;

Status Core::issue_for(Order& o, EVP_PKEY* key) {
  const TimePoint t = now();
  TimePoint nb = t - std::chrono::minutes(1);
  TimePoint na = nb + std::chrono::hours(24 * 90);
  if (o.not_before) nb = std::chrono::time_point_cast<TimePoint::duration>(acme::Timestamp::parse(*o.not_before)->utc);
  if (o.not_after) na = std::chrono::time_point_cast<TimePoint::duration>(acme::Timestamp::parse(*o.not_after)->utc);
  else if (o.not_before) na = nb + std::chrono::hours(24 * 90);
  // The certificate_mismatch fault: a hostile CA certifies another key or another name.
  EvpPkeyPtr other_key;
  if (faults.certificate_mismatch == "key") {
    other_key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!other_key) return make_error("certificate_mismatch", "cannot generate a key");
    key = other_key.get();
  }
  std::vector<acme::Identifier> names = o.identifiers;
  if (faults.certificate_mismatch == "names") names = {acme::Identifier::dns("not-requested.acmespec-hostile.test")};
  auto issued = ca->issue(key, names, nb, na);
  if (!issued) return issued.error();
  Certificate c{.id = new_id(), .account_id = o.account_id, .der = issued->der, .serial = issued->serial_hex,
                .identifiers = o.identifiers};
  cert_by_der[c.der] = c.id;
  o.cert_id = c.id;
  certs.emplace(c.id, std::move(c));
  return Ok{};
}

Reply Core::finalize(Authed& a, const std::string& id, Observation& obs) {
  auto it = orders.find(id);
  if (it == orders.end()) return problem_reply(Problem::malformed("no such order"));
  Order& o = it->second;
  if (o.account_id != a.account->id) return problem_reply(Problem::unauthorized("the order belongs to another account"));
  if (a.post_as_get) return problem_reply(Problem::malformed("finalize needs a payload with a csr"));
  refresh_order(o);
  if (o.status != "ready") {
    Reply r = problem_reply(Problem::order_not_ready("the order is " + o.status + ", not ready"));
    if (o.status == "processing" && faults.retry_after) r.retry_after = *faults.retry_after;
    return r;
  }
  auto csr_field = a.payload.find("csr");
  if (csr_field == a.payload.end() || !csr_field->is_string())
    return problem_reply(Problem::malformed("csr: a base64url string is required"));
  auto der = jose::base64url_decode(csr_field->get<std::string>());
  if (!der) return problem_reply(Problem::bad_csr("csr is not base64url: " + der.error().to_string()));
  auto parsed = parse_csr(*der);
  if (auto* p = std::get_if<Problem>(&parsed)) return problem_reply(*p);
  auto& csr = std::get<CsrInfo>(parsed);
  for (const auto& n : csr.names) obs.csr_names.push_back(n.value);
  obs.csr_key_is_account_key = *csr.jwk == a.account->key;
  if (auto p = csr_matches(csr, o.identifiers)) return problem_reply(*p);
  if (*obs.csr_key_is_account_key)
    return problem_reply(Problem::bad_csr("the certificate key must not be the account key (RFC 8555 §11.1)"));
  if (account_by_thumbprint.count(csr.jwk->thumbprint()))
    return problem_reply(Problem::bad_csr("the certificate key is an account key"));
  if (auto s = issue_for(o, csr.key.get()); !s)
    return problem_reply(Problem::server_internal("issuance failed: " + s.error().to_string()));
  o.processing_polls = faults.order_processing_polls;
  o.status = o.processing_polls > 0 ? "processing" : "valid";
  Reply r = order_reply(200, o);
  r.headers.emplace_back("Location", resource_url("/order/" + o.id));
  return r;
}

Reply Core::certificate(Authed& a, const std::string& id, int chain) {
  auto it = certs.find(id);
  if (it == certs.end()) return problem_reply(Problem::malformed("no such certificate"));
  if (it->second.account_id != a.account->id)
    return problem_reply(Problem::unauthorized("the certificate belongs to another account"));
  if (!a.post_as_get) return problem_reply(Problem::malformed("certificates are fetched with POST-as-GET"));
  const int alternates = std::max(0, faults.alternate_chains);
  if (chain < 0 || chain > alternates) return problem_reply(Problem::malformed("no such chain"));
  auto pem = ca->chain_pem(it->second.der, chain);
  if (!pem) return problem_reply(Problem::server_internal(pem.error().to_string()));
  Reply r;
  r.status = 200;
  r.body = std::move(*pem);
  r.body += certificate_extra_pem_block(faults.certificate_extra_pem);  // the certificate_extra_pem fault ("" without)
  r.content_type = "application/pem-certificate-chain";
  for (int k = 0; k <= alternates; ++k) {
    if (k == chain) continue;
    const std::string u = resource_url("/cert/" + id + (k == 0 ? "" : "/" + std::to_string(k)));
    r.headers.emplace_back("Link", "<" + u + ">;rel=\"alternate\"");
  }
  return r;
}

Reply Core::revoke(Authed& a) {
  if (a.post_as_get) return problem_reply(Problem::malformed("revokeCert needs a payload"));
  auto field = a.payload.find("certificate");
  if (field == a.payload.end() || !field->is_string())
    return problem_reply(Problem::malformed("certificate: a base64url DER certificate is required"));
  auto der = jose::base64url_decode(field->get<std::string>());
  if (!der) return problem_reply(Problem::malformed("certificate is not base64url: " + der.error().to_string()));
  int reason = 0;
  if (auto r = a.payload.find("reason"); r != a.payload.end()) {
    if (!r->is_number_integer()) return problem_reply(Problem::bad_revocation_reason("reason: not an integer"));
    reason = r->get<int>();
    // RFC 5280 §5.3.1 codes; 7 is unused and removeFromCRL (8) makes no sense for a request.
    if (reason < 0 || reason > 10 || reason == 7 || reason == 8)
      return problem_reply(Problem::bad_revocation_reason("reason " + std::to_string(reason) +
                                                          " is not one this CA accepts (0-6, 9, 10)"));
  }
  auto cit = cert_by_der.find(*der);
  if (cit == cert_by_der.end()) {
    Reply r = problem_reply(Problem::malformed("the certificate was not issued by this CA"));
    r.status = 404;
    return r;
  }
  Certificate& cert = certs.at(cit->second);
  if (a.jwk) {
    const auto* p = reinterpret_cast<const unsigned char*>(cert.der.data());
    X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(cert.der.size())));
    auto cert_key = x ? jose::Jwk::from_evp(X509_get0_pubkey(x.get())) : Result<jose::Jwk>(make_error("", "unreadable"));
    if (!cert_key || !(*cert_key == *a.jwk))
      return problem_reply(Problem::unauthorized("a jwk-signed revocation must be signed by the certificate's key"));
  } else if (cert.account_id != a.account->id) {
    // §7.6: another account may revoke when it holds valid authorizations for every name.
    bool authorized = true;
    for (const auto& id : cert.identifiers) {
      bool covered = false;
      const auto base = id.is_wildcard() ? acme::Identifier::dns(id.value.substr(2)) : id;
      for (const auto& [zid, z] : authzs)
        covered = covered || (z.account_id == a.account->id && z.status == "valid" && z.identifier == base &&
                              z.wildcard == id.is_wildcard());
      authorized = authorized && covered;
    }
    if (!authorized)
      return problem_reply(Problem::unauthorized("the account neither owns the certificate nor holds authorizations for its names"));
  }
  if (cert.revoked) return problem_reply(Problem::already_revoked("the certificate is already revoked"));
  cert.revoked = true;
  cert.reason = reason;
  Reply r;
  r.status = 200;
  return r;
}

}  // namespace acmespec::mockca::detail
