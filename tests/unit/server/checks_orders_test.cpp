// The §7.4-§7.6, §9.1, §11.1, wildcard and RFC 8738 checks judged on
// hand-made observations: each passes on a conforming answer and fails on a
// deviating one.
#include <catch2/catch.hpp>

#include <memory>
#include <set>
#include <stdexcept>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "client/csr.hpp"
#include "jose/base64url.hpp"
#include "jose/private_key.hpp"
#include "server/check.hpp"
#include "fixture.hpp"

using namespace acmespec;
using engine::Judgement;
using nlohmann::json;
using server::Observation;

namespace {

Observation answer(int status, const json& body = nullptr, http::Headers headers = {}) {
  return server_test::answer(status, body, std::move(headers));
}

using server_test::problem;
json dns(const std::string& v) { return {{"type", "dns"}, {"value", v}}; }
json ip(const std::string& v) { return {{"type", "ip"}, {"value", v}}; }

Judgement::Kind judge(const std::string& id, const Observation& o) {
  static const auto checks = [] {
    auto all = server::checks_orders();
    for (auto& c : server::checks_identifiers()) all.push_back(std::move(c));
    return all;
  }();
  return server_test::judge_in(checks, id, o);
}

// ---- a tiny PKI for the chain checks ----------------------------------------

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct ExtFree {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

void extend(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) throw std::runtime_error("cannot add extension " + value);
}

// A certificate for `key`, issued by (issuer, issuer_key) or self-signed.
X509Ptr make_cert(const jose::PrivateKey& key, const std::string& cn, const std::string& san, bool ca, X509* issuer,
                  const jose::PrivateKey& issuer_key) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(cn.size()) + (ca ? 100 : 1));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.evp());
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  extend(cert.get(), signer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  if (!san.empty()) extend(cert.get(), signer, NID_subject_alt_name, san);
  if (X509_sign(cert.get(), issuer_key.evp(), EVP_sha256()) <= 0) throw std::runtime_error("cannot sign");
  return cert;
}

std::string pem(X509* cert) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

struct Pki {
  jose::PrivateKey ca_key = *jose::PrivateKey::generate(jose::KeyType::P256);
  jose::PrivateKey other_ca_key = *jose::PrivateKey::generate(jose::KeyType::P256);
  jose::PrivateKey leaf_key = *jose::PrivateKey::generate(jose::KeyType::P256);
  X509Ptr ca = make_cert(ca_key, "test CA", "", true, nullptr, ca_key);
  X509Ptr other_ca = make_cert(other_ca_key, "other CA", "", true, nullptr, other_ca_key);
  X509Ptr leaf = make_cert(leaf_key, "a.example", "DNS:a.example,IP:127.0.0.1", false, ca.get(), ca_key);
  X509Ptr other_leaf = make_cert(leaf_key, "b.example", "DNS:b.example", false, ca.get(), ca_key);
  std::string chain() const { return pem(leaf.get()) + pem(ca.get()); }
};

const Pki& pki() {
  static const Pki p;
  return p;
}

Observation download(const std::string& chain) {
  Observation o = answer(200, nullptr, {{"Content-Type", "application/pem-certificate-chain"}});
  o.main->response->body = chain;
  o.facts["chain"] = chain;
  return o;
}

Observation finalize_answer(const std::string& variant, int status, const json& body) {
  Observation o = answer(status, body);
  o.op = "finalize";
  o.facts["csr"] = variant;
  o.facts["order_before"] = {{"status", "ready"}};
  o.facts["order_after"] = {{"status", "ready"}};
  return o;
}

Observation revocation(const std::string& by, int status, const json& body = nullptr) {
  Observation o = answer(status, body);
  o.facts["by"] = by;
  o.facts["payload"] = {{"certificate", "MIIB"}, {"reason", 7}};
  o.facts["protected"] = by == "certificate-key" ? json{{"jwk", json::object()}} : json{{"kid", "https://ca.example/acct/1"}};
  return o;
}

// An authorize/authorizations observation with the given authorization facts.
// (Vectors, not json, so a one-element list stays a list.)
Observation with_authzs(const std::vector<json>& identifiers, const std::vector<json>& authzs,
                        const std::string& challenge_type = "http-01") {
  Observation o = answer(200, json{{"status", "valid"}});
  o.facts["identifiers"] = json(identifiers);
  o.facts["authorizations"] = json(authzs);
  o.facts["challenge_type"] = challenge_type;
  return o;
}

json authz(const json& identifier, const std::vector<std::string>& types, const json& extra = json::object()) {
  json challenges = json::array();
  for (const auto& t : types) challenges.push_back({{"type", t}, {"url", "https://ca.example/chall/" + t}, {"status", "pending"}});
  json before = {{"identifier", identifier}, {"status", "pending"}, {"challenges", challenges}};
  for (const auto& [k, v] : extra.items()) before[k] = v;
  return {{"url", "https://ca.example/authz/" + identifier.value("value", "")}, {"before", before}};
}

}  // namespace

TEST_CASE("every order check is registered once and catalogued ids are well-formed", "[orders]") {
  std::set<std::string> ids;
  for (const auto& part : {server::checks_orders(), server::checks_identifiers()})
    for (const auto& c : part) {
      CHECK(ids.insert(c.id).second);
      CHECK(c.judge);
      CHECK((c.id.rfind("RFC8555-", 0) == 0 || c.id.rfind("RFC8738-", 0) == 0));
    }
  CHECK(ids.size() >= 40);
}

TEST_CASE("newOrder: 201, Location, pending, the requested identifiers", "[orders]") {
  const json body = {{"status", "pending"}, {"identifiers", {dns("A.example"), dns("b.example")}}};
  Observation ok = answer(201, body, {{"Location", "https://ca.example/order/1"}});
  ok.facts["identifiers"] = {dns("b.example"), dns("a.example")};
  CHECK(judge("RFC8555-7.4-new-order-201-location", ok) == Judgement::held);

  Observation no_location = ok;
  no_location.main->response->headers.clear();
  CHECK(judge("RFC8555-7.4-new-order-201-location", no_location) == Judgement::violated);
  Observation other_names = ok;
  other_names.facts["identifiers"] = {dns("a.example"), dns("c.example")};
  CHECK(judge("RFC8555-7.4-new-order-201-location", other_names) == Judgement::violated);
  Observation invalid = ok;
  invalid.body["status"] = "invalid";
  CHECK(judge("RFC8555-7.4-new-order-201-location", invalid) == Judgement::violated);
  CHECK(judge("RFC8555-7.4-new-order-201-location", answer(400, problem("malformed"))) == Judgement::violated);
}

TEST_CASE("notBefore/notAfter are echoed or refused", "[orders]") {
  const json payload = {{"notBefore", "2030-01-01T00:00:00Z"}, {"notAfter", "2030-01-04T00:00:00Z"}};
  Observation echoed = answer(201, {{"status", "pending"}, {"notBefore", "2030-01-01T00:00:00.000Z"}, {"notAfter", "2030-01-04T00:00:00Z"}});
  echoed.facts["payload"] = payload;
  CHECK(judge("RFC8555-7.4-not-before-after-honoured-or-refused", echoed) == Judgement::held);
  Observation refused = answer(400, problem("malformed"));
  refused.facts["payload"] = payload;
  CHECK(judge("RFC8555-7.4-not-before-after-honoured-or-refused", refused) == Judgement::held);

  Observation changed = echoed;
  changed.body["notAfter"] = "2030-03-31T00:00:00Z";
  CHECK(judge("RFC8555-7.4-not-before-after-honoured-or-refused", changed) == Judgement::violated);
  Observation dropped = echoed;
  dropped.body.erase("notBefore");
  CHECK(judge("RFC8555-7.4-not-before-after-honoured-or-refused", dropped) == Judgement::violated);
  CHECK(judge("RFC8555-7.4-not-before-after-honoured-or-refused", answer(201, {{"status", "pending"}})) == Judgement::broken);
}

TEST_CASE("unsupported and rejected identifiers", "[orders]") {
  CHECK(judge("RFC8555-7.4-unsupported-identifier-type", answer(400, problem("unsupportedIdentifier"))) == Judgement::held);
  json compound = problem("compound");
  compound["subproblems"] = json::array({{{"type", "urn:ietf:params:acme:error:unsupportedIdentifier"}, {"identifier", dns("x")}}});
  CHECK(judge("RFC8555-7.4-unsupported-identifier-type", answer(400, compound)) == Judgement::held);
  CHECK(judge("RFC8555-7.4-unsupported-identifier-type", answer(400, problem("malformed"))) == Judgement::violated);
  CHECK(judge("RFC8555-7.4-unsupported-identifier-type", answer(201, {{"status", "pending"}})) == Judgement::violated);

  CHECK(judge("RFC8555-7.4-rejected-identifier", answer(400, problem("rejectedIdentifier"))) == Judgement::held);
  CHECK(judge("RFC8555-7.4-rejected-identifier", answer(400, problem("malformed"))) == Judgement::held);
  CHECK(judge("RFC8555-7.4-rejected-identifier", answer(400, problem("badNonce"))) == Judgement::violated);
  CHECK(judge("RFC8555-7.4-rejected-identifier", answer(201, {{"status", "pending"}})) == Judgement::violated);
}

TEST_CASE("finalize: orderNotReady and the returned order", "[orders]") {
  CHECK(judge("RFC8555-7.4-finalize-not-ready-order-not-ready", answer(403, problem("orderNotReady"))) == Judgement::held);
  CHECK(judge("RFC8555-7.4-finalize-not-ready-order-not-ready", answer(400, problem("orderNotReady"))) == Judgement::violated);
  CHECK(judge("RFC8555-7.4-finalize-not-ready-order-not-ready", answer(200, {{"status", "processing"}})) == Judgement::violated);

  CHECK(judge("RFC8555-7.4-finalize-returns-order", answer(200, {{"status", "processing"}})) == Judgement::held);
  CHECK(judge("RFC8555-7.4-finalize-returns-order", answer(200, {{"status", "valid"}, {"certificate", "https://ca.example/c"}})) ==
        Judgement::held);
  CHECK(judge("RFC8555-7.4-finalize-returns-order", answer(200, {{"status", "valid"}})) == Judgement::violated);
  CHECK(judge("RFC8555-7.4-finalize-returns-order", answer(200, {{"status", "ready"}})) == Judgement::violated);
  CHECK(judge("RFC8555-7.4-finalize-returns-order", answer(403, problem("orderNotReady"))) == Judgement::violated);
}

TEST_CASE("finalize of a partly authorized order", "[orders][security]") {
  const std::string id = "RFC8555-7.4-finalize-refused-until-every-authz-valid";
  auto partly = [](Observation o, const std::string& second = "pending", const std::string& after = "pending") {
    o.facts["authorization_status"] = {{"https://ca.example/authz/1", "valid"}, {"https://ca.example/authz/2", second}};
    o.facts["order_before"] = {{"status", "pending"}};
    o.facts["order_after"] = {{"status", after}};
    return o;
  };
  CHECK(judge(id, partly(answer(403, problem("orderNotReady")))) == Judgement::held);
  // Issued (or accepted for processing) with a name unproven.
  CHECK(judge(id, partly(answer(200, {{"status", "processing"}}), "pending", "processing")) == Judgement::violated);
  CHECK(judge(id, partly(answer(200, {{"status", "valid"}}), "pending", "valid")) == Judgement::violated);
  // Refused with another type, or "refused" while the order moved on anyway.
  CHECK(judge(id, partly(answer(400, problem("badCSR")))) == Judgement::violated);
  CHECK(judge(id, partly(answer(403, problem("orderNotReady")), "pending", "processing")) == Judgement::violated);
  // An invalid second authorization is just as unproven.
  CHECK(judge(id, partly(answer(403, problem("orderNotReady")), "invalid", "invalid")) == Judgement::held);
  // No occasion: every authorization valid, or none, or no statuses recorded.
  CHECK(judge(id, partly(answer(403, problem("orderNotReady")), "valid")) == Judgement::broken);
  Observation none = answer(403, problem("orderNotReady"));
  none.facts["authorization_status"] = {{"https://ca.example/authz/1", "pending"}, {"https://ca.example/authz/2", "pending"}};
  CHECK(judge(id, none) == Judgement::broken);
  CHECK(judge(id, answer(403, problem("orderNotReady"))) == Judgement::broken);
}

TEST_CASE("finalize: bad CSRs are refused", "[orders]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"RFC8555-7.4-finalize-csr-identifier-mismatch", "missing-name"},
      {"RFC8555-7.4-finalize-csr-identifier-mismatch", "extra-name"},
      {"RFC8555-7.4-finalize-csr-signature-checked", "bad-signature"},
      {"RFC8555-11.1-csr-with-account-key-refused", "account-key"},
      {"RFC8555-11.1-csr-with-other-account-key-refused", "other-account-key"},
      {"RFC8555-7.4-finalize-weak-csr-key-refused", "weak-key"},
  };
  for (const auto& [id, variant] : cases) {
    INFO(id << " / " << variant);
    CHECK(judge(id, finalize_answer(variant, 400, problem("badCSR"))) == Judgement::held);
    CHECK(judge(id, finalize_answer(variant, 200, {{"status", "processing"}})) == Judgement::violated);
    CHECK(judge(id, finalize_answer("matching", 400, problem("badCSR"))) == Judgement::broken);
  }
  // A weak key must be called badCSR, not something else.
  CHECK(judge("RFC8555-7.4-finalize-weak-csr-key-refused", finalize_answer("weak-key", 400, problem("malformed"))) ==
        Judgement::violated);
}

TEST_CASE("finalize: a refused CSR is badCSR with detail and the order stays ready", "[orders]") {
  const std::string id = "RFC8555-7.4-finalize-bad-csr-type-order-ready";
  CHECK(judge(id, finalize_answer("extra-name", 400, problem("badCSR"))) == Judgement::held);
  CHECK(judge(id, finalize_answer("extra-name", 403, problem("unauthorized"))) == Judgement::violated);
  CHECK(judge(id, finalize_answer("extra-name", 400, problem("badCSR", ""))) == Judgement::violated);
  Observation spoiled = finalize_answer("bad-signature", 400, problem("badCSR"));
  spoiled.facts["order_after"] = {{"status", "invalid"}};
  CHECK(judge(id, spoiled) == Judgement::violated);
}

TEST_CASE("processing orders carry Retry-After", "[orders]") {
  const std::string id = "RFC8555-7.4-processing-order-retry-after";
  Observation with = answer(200, {{"status", "processing"}}, {{"Retry-After", "2"}});
  with.op = "finalize";
  CHECK(judge(id, with) == Judgement::held);
  Observation without = answer(200, {{"status", "valid"}});
  without.op = "poll";
  without.facts["polls"] = {{{"http", 200}, {"status", "processing"}, {"retry_after", nullptr}},
                            {{"http", 200}, {"status", "valid"}, {"retry_after", nullptr}}};
  CHECK(judge(id, without) == Judgement::violated);
  without.facts["polls"][0]["retry_after"] = "1";
  CHECK(judge(id, without) == Judgement::held);
  CHECK(judge(id, answer(200, {{"status", "valid"}})) == Judgement::not_applicable);
}

TEST_CASE("the certificate matches the order and the CSR key", "[orders][certificates]") {
  const std::string id = "RFC8555-7.4-certificate-matches-order";
  Observation o = download(pki().chain());
  o.facts["identifiers"] = {dns("a.example"), ip("127.0.0.1")};
  o.facts["cert_spki_b64"] = jose::base64url_encode(client::spki_of(pki().leaf_key));
  CHECK(judge(id, o) == Judgement::held);

  Observation fewer = o;
  fewer.facts["identifiers"] = json::array({dns("a.example")});
  CHECK(judge(id, fewer) == Judgement::violated);
  Observation other_key = o;
  other_key.facts["cert_spki_b64"] = jose::base64url_encode(client::spki_of(pki().ca_key));
  CHECK(judge(id, other_key) == Judgement::violated);
  CHECK(judge(id, answer(404, problem("malformed"))) == Judgement::violated);
}

TEST_CASE("the certificate is a PEM chain, leaf first, each issued by the next", "[orders][certificates]") {
  CHECK(judge("RFC8555-7.4.2-certificate-pem-chain-default", download(pki().chain())) == Judgement::held);
  Observation der = download(pki().chain());
  der.main->response->headers = {{"Content-Type", "application/pkix-cert"}};
  CHECK(judge("RFC8555-7.4.2-certificate-pem-chain-default", der) == Judgement::violated);

  CHECK(judge("RFC8555-9.1-pem-chain-leaf-first", download(pki().chain())) == Judgement::held);
  CHECK(judge("RFC8555-9.1-pem-chain-leaf-first", download(pem(pki().ca.get()) + pem(pki().leaf.get()))) == Judgement::violated);

  CHECK(judge("RFC8555-9.1-pem-chain-issuer-order", download(pki().chain())) == Judgement::held);
  CHECK(judge("RFC8555-9.1-pem-chain-issuer-order", download(pem(pki().leaf.get()) + pem(pki().other_ca.get()))) ==
        Judgement::violated);

  CHECK(judge("RFC8555-9.1-pem-chain-strict-encoding", download(pki().chain())) == Judgement::held);
  CHECK(judge("RFC8555-9.1-pem-chain-strict-encoding",
              download(pem(pki().leaf.get()) + "issuer follows\n" + pem(pki().ca.get()))) == Judgement::violated);
}

TEST_CASE("alternate chains are linked, downloadable and share the leaf", "[orders][certificates]") {
  Observation o = download(pki().chain());
  const json good = {{"url", "https://ca.example/cert/1/1"}, {"http", 200},
                     {"content_type", "application/pem-certificate-chain"}, {"chain", pem(pki().leaf.get()) + pem(pki().other_ca.get())}};
  o.facts["alternates"] = json::array({good});
  CHECK(judge("RFC8555-7.4.2-alternate-chain-links", o) == Judgement::held);
  CHECK(judge("RFC8555-7.4.2-alternates-same-leaf", o) == Judgement::held);

  Observation broken = o;
  broken.facts["alternates"][0]["http"] = 404;
  CHECK(judge("RFC8555-7.4.2-alternate-chain-links", broken) == Judgement::violated);
  Observation other_leaf = o;
  other_leaf.facts["alternates"][0]["chain"] = pem(pki().other_leaf.get()) + pem(pki().ca.get());
  CHECK(judge("RFC8555-7.4.2-alternates-same-leaf", other_leaf) == Judgement::violated);
  Observation none = download(pki().chain());
  none.facts["alternates"] = json::array();
  CHECK(judge("RFC8555-7.4.2-alternate-chain-links", none) == Judgement::not_applicable);
  CHECK(judge("RFC8555-7.4.2-alternates-same-leaf", none) == Judgement::not_applicable);
}

TEST_CASE("newAuthz answers 201 with a pending authorization", "[orders]") {
  const std::string id = "RFC8555-7.4.1-new-authz-201-pending";
  Observation o = answer(201, {{"status", "pending"}, {"identifier", dns("a.example")}}, {{"Location", "https://ca.example/authz/1"}});
  o.facts["identifier"] = dns("a.example");
  CHECK(judge(id, o) == Judgement::held);
  Observation valid = o;
  valid.body["status"] = "valid";
  CHECK(judge(id, valid) == Judgement::violated);
  Observation other = o;
  other.facts["identifier"] = dns("b.example");
  CHECK(judge(id, other) == Judgement::violated);
  Observation no_location = o;
  no_location.main->response->headers.clear();
  CHECK(judge(id, no_location) == Judgement::violated);
}

TEST_CASE("wildcard authorizations", "[orders][wildcard]") {
  const std::vector<json> ids = {dns("*.w.example"), dns("w.example")};
  const std::vector<json> good = {authz(dns("w.example"), {"dns-01"}, {{"wildcard", true}}), authz(dns("w.example"), {"http-01", "dns-01"})};
  const Observation o = with_authzs(ids, good);
  CHECK(judge("RFC8555-7.1.3-wildcard-authz-strips-prefix", o) == Judgement::held);
  CHECK(judge("RFC8555-7.1.3-wildcard-offers-dns-01-only", o) == Judgement::held);
  CHECK(judge("RFC8555-7.1.4-wildcard-field-only-for-wildcards", o) == Judgement::held);

  const Observation prefixed = with_authzs(ids, {authz(dns("*.w.example"), {"dns-01"}, {{"wildcard", true}}), good[1]});
  CHECK(judge("RFC8555-7.1.3-wildcard-authz-strips-prefix", prefixed) == Judgement::violated);
  const Observation unmarked = with_authzs(ids, {authz(dns("w.example"), {"dns-01"}), good[1]});
  CHECK(judge("RFC8555-7.1.3-wildcard-authz-strips-prefix", unmarked) == Judgement::violated);
  const Observation http = with_authzs(ids, {authz(dns("w.example"), {"dns-01", "http-01"}, {{"wildcard", true}}), good[1]});
  CHECK(judge("RFC8555-7.1.3-wildcard-offers-dns-01-only", http) == Judgement::violated);
  const Observation false_flag = with_authzs(ids, {good[0], authz(dns("w.example"), {"http-01"}, {{"wildcard", false}})});
  CHECK(judge("RFC8555-7.1.4-wildcard-field-only-for-wildcards", false_flag) == Judgement::violated);
  const Observation plain = with_authzs({dns("p.example")}, {authz(dns("p.example"), {"http-01"}, {{"wildcard", true}})});
  CHECK(judge("RFC8555-7.1.4-wildcard-field-only-for-wildcards", plain) == Judgement::violated);
}

TEST_CASE("authorization polling and challenge responses", "[orders][authz]") {
  json a = authz(dns("a.example"), {"http-01"});
  a["response_status"] = 200;
  a["after"] = {{"status", "valid"}};
  a["polls"] = {{{"http", 200}, {"status", "pending"}}, {{"http", 200}, {"status", "valid"}}};
  Observation o = with_authzs({dns("a.example")}, {a});
  o.facts["response_payload"] = {{"acmespecExtension", "ignored"}};
  CHECK(judge("RFC8555-7.5.1-poll-during-validation-200", o) == Judgement::held);
  CHECK(judge("RFC8555-7.5.1-unknown-response-fields-ignored", o) == Judgement::held);

  Observation bad_poll = o;
  bad_poll.facts["authorizations"][0]["polls"][0]["http"] = 500;
  CHECK(judge("RFC8555-7.5.1-poll-during-validation-200", bad_poll) == Judgement::violated);
  Observation refused = o;
  refused.facts["authorizations"][0]["response_status"] = 400;
  CHECK(judge("RFC8555-7.5.1-unknown-response-fields-ignored", refused) == Judgement::violated);
  Observation invalid = o;
  invalid.facts["authorizations"][0]["after"]["status"] = "invalid";
  CHECK(judge("RFC8555-7.5.1-unknown-response-fields-ignored", invalid) == Judgement::violated);
  Observation plain = o;
  plain.facts["response_payload"] = json::object();
  CHECK(judge("RFC8555-7.5.1-unknown-response-fields-ignored", plain) == Judgement::broken);
}

TEST_CASE("authorization deactivation", "[orders][authz]") {
  CHECK(judge("RFC8555-7.5.2-deactivate-authz-200", answer(200, {{"status", "deactivated"}})) == Judgement::held);
  CHECK(judge("RFC8555-7.5.2-deactivate-authz-200", answer(200, {{"status", "pending"}})) == Judgement::violated);
  CHECK(judge("RFC8555-7.5.2-deactivate-authz-200", answer(403, problem("unauthorized"))) == Judgement::violated);

  const std::string owner = "RFC8555-7.5.2-deactivate-authz-owner-only";
  Observation refused = answer(403, problem("unauthorized"));
  refused.facts["after"] = {{"status", "pending"}};
  CHECK(judge(owner, refused) == Judgement::held);
  CHECK(judge(owner, answer(200, {{"status", "deactivated"}})) == Judgement::violated);
  Observation sneaky = refused;
  sneaky.facts["after"] = {{"status", "deactivated"}};
  CHECK(judge(owner, sneaky) == Judgement::violated);

  const std::string unused = "RFC8555-7.5.2-deactivated-authz-not-used";
  CHECK(judge(unused, finalize_answer("matching", 403, problem("orderNotReady"))) == Judgement::held);
  Observation issued = finalize_answer("matching", 200, {{"status", "processing"}});
  issued.facts["order_after"] = {{"status", "valid"}, {"certificate", "https://ca.example/cert/1"}};
  CHECK(judge(unused, issued) == Judgement::violated);
  Observation ended_invalid = issued;
  ended_invalid.facts["order_after"] = {{"status", "invalid"}};
  CHECK(judge(unused, ended_invalid) == Judgement::held);
}

TEST_CASE("revocation", "[orders][revocation]") {
  CHECK(judge("RFC8555-7.6-revoke-by-issuing-account", revocation("account", 200)) == Judgement::held);
  CHECK(judge("RFC8555-7.6-revoke-by-issuing-account", revocation("account", 403, problem("unauthorized"))) == Judgement::violated);
  CHECK(judge("RFC8555-7.6-revoke-by-issuing-account", revocation("certificate-key", 200)) == Judgement::broken);
  CHECK(judge("RFC8555-7.6-revoke-by-certificate-key", revocation("certificate-key", 200)) == Judgement::held);
  CHECK(judge("RFC8555-7.6-revoke-by-certificate-key", revocation("certificate-key", 403, problem("unauthorized"))) ==
        Judgement::violated);
  CHECK(judge("RFC8555-7.6-revoke-by-authorized-account", revocation("account", 200)) == Judgement::held);
  CHECK(judge("RFC8555-7.6-revoke-by-authorized-account", revocation("account", 403, problem("unauthorized"))) ==
        Judgement::violated);

  CHECK(judge("RFC8555-7.6-revoke-without-claim-refused", revocation("account", 403, problem("unauthorized"))) == Judgement::held);
  CHECK(judge("RFC8555-7.6-revoke-without-claim-refused", revocation("account", 200)) == Judgement::violated);
  CHECK(judge("RFC8555-7.6-revoke-without-claim-refused", revocation("account", 400, problem("malformed"))) == Judgement::violated);

  CHECK(judge("RFC8555-7.6-already-revoked", revocation("account", 400, problem("alreadyRevoked"))) == Judgement::held);
  CHECK(judge("RFC8555-7.6-already-revoked", revocation("account", 403, problem("alreadyRevoked"))) == Judgement::violated);
  CHECK(judge("RFC8555-7.6-already-revoked", revocation("account", 200)) == Judgement::violated);

  CHECK(judge("RFC8555-7.6-bad-revocation-reason", revocation("account", 400, problem("badRevocationReason"))) == Judgement::held);
  CHECK(judge("RFC8555-7.6-bad-revocation-reason", revocation("account", 200)) == Judgement::violated);
  CHECK(judge("RFC8555-7.6-bad-revocation-reason", revocation("account", 400, problem("malformed"))) == Judgement::violated);
}

TEST_CASE("IP identifiers (RFC 8738)", "[orders][ip]") {
  json a = authz(ip("127.0.0.1"), {"http-01", "tls-alpn-01"});
  a["validation"] = json::array({{{"method", "GET"}, {"host", "127.0.0.1:5002"}, {"path", "/.well-known/acme-challenge/t"}}});
  a["dns_lookups_of_address"] = json::array();
  a["after"] = {{"status", "valid"}};
  const Observation o = with_authzs({ip("127.0.0.1")}, {a});
  for (const char* id : {"RFC8738-3-ip-identifier-canonical-form", "RFC8738-4-ip-offers-http-01-or-tls-alpn-01",
                         "RFC8738-7-no-dns-01-for-ip", "RFC8738-4-ip-validation-skips-dns", "RFC8738-5-http-01-host-is-ip"}) {
    INFO(id);
    CHECK(judge(id, o) == Judgement::held);
  }

  CHECK(judge("RFC8738-3-ip-identifier-canonical-form", with_authzs({}, {authz(ip("2001:DB8:0:0::1"), {"http-01"})})) ==
        Judgement::violated);
  CHECK(judge("RFC8738-3-ip-identifier-canonical-form", with_authzs({}, {authz(dns("127.0.0.1"), {"http-01"})})) ==
        Judgement::violated);
  const Observation dns01 = with_authzs({}, {authz(ip("127.0.0.1"), {"dns-01"})});
  CHECK(judge("RFC8738-4-ip-offers-http-01-or-tls-alpn-01", dns01) == Judgement::violated);
  CHECK(judge("RFC8738-7-no-dns-01-for-ip", dns01) == Judgement::violated);
  CHECK(judge("RFC8738-7-no-dns-01-for-ip", with_authzs({}, {authz(dns("a.example"), {"dns-01"})})) == Judgement::not_applicable);

  Observation looked_up = o;
  looked_up.facts["authorizations"][0]["dns_lookups_of_address"] = json::array({{{"name", "1.0.0.127.in-addr.arpa"}, {"type", "PTR"}}});
  CHECK(judge("RFC8738-4-ip-validation-skips-dns", looked_up) == Judgement::violated);
  Observation named_host = o;
  named_host.facts["authorizations"][0]["validation"][0]["host"] = "localhost:5002";
  CHECK(judge("RFC8738-5-http-01-host-is-ip", named_host) == Judgement::violated);
  json v6 = authz(ip("::1"), {"http-01"});
  v6["validation"] = json::array({{{"host", "[::1]:5002"}}});
  CHECK(judge("RFC8738-5-http-01-host-is-ip", with_authzs({}, {v6})) == Judgement::held);

  json tls = a;
  tls["validation"] = json::array({{{"sni", "1.0.0.127.in-addr.arpa"}}});
  const Observation handshake = with_authzs({ip("127.0.0.1")}, {tls}, "tls-alpn-01");
  CHECK(judge("RFC8738-6-tls-alpn-reverse-dns-sni", handshake) == Judgement::held);
  Observation literal = handshake;
  literal.facts["authorizations"][0]["validation"][0]["sni"] = "127.0.0.1";
  CHECK(judge("RFC8738-6-tls-alpn-reverse-dns-sni", literal) == Judgement::violated);
  Observation wrong_reverse = handshake;
  wrong_reverse.facts["authorizations"][0]["validation"][0]["sni"] = "2.0.0.127.in-addr.arpa";
  CHECK(judge("RFC8738-6-tls-alpn-reverse-dns-sni", wrong_reverse) == Judgement::violated);
  Observation refused = handshake;
  refused.facts["authorizations"][0]["after"]["status"] = "invalid";
  CHECK(judge("RFC8738-6-tls-alpn-reverse-dns-sni", refused) == Judgement::violated);
  CHECK(judge("RFC8738-6-tls-alpn-reverse-dns-sni", o) == Judgement::broken);  // the step answered http-01
}
