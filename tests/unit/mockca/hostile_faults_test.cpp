// The hostile-CA knobs: challenge_token, certificate_mismatch, the added
// identifiers, directory_decoy, resource_decoy and hostile_urls.
#include <algorithm>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "jose/jwk.hpp"
#include "mockca_env.hpp"

using namespace mockca_test;

namespace {

struct LeafFacts {
  std::vector<std::string> names;
  std::optional<acmespec::jose::Jwk> key;
};

// The leaf (first PEM block) of a downloaded chain: its DNS names and public key.
LeafFacts hostile_leaf(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> x(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  REQUIRE(x);
  LeafFacts out;
  auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x.get(), NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
    if (g->type == GEN_DNS)
      out.names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(g->d.dNSName)), ASN1_STRING_length(g->d.dNSName));
  }
  GENERAL_NAMES_free(sans);
  auto jwk = acmespec::jose::Jwk::from_evp(X509_get0_pubkey(x.get()));
  REQUIRE(jwk.ok());
  out.key = *jwk;
  return out;
}

LeafFacts issue_with(const mockca::FaultPlan& plan, const std::string& name, const jose::PrivateKey& k) {
  Env env(plan);
  Client c(*env.ca);
  c.new_account();
  auto order = c.new_order({name});
  authorize_http01(env, c, order);
  auto done = Client::body(c.post(path_of(order["finalize"]), json{{"csr", csr_for(k, {name})}}));
  REQUIRE(done["status"] == "valid");
  auto cert = c.post(path_of(done["certificate"]), std::nullopt);
  REQUIRE(cert.status == 200);
  return hostile_leaf(cert.body);
}

}  // namespace

TEST_CASE("fault: challenge_token replaces every challenge's token", "[mockca]") {
  mockca::FaultPlan plan;
  plan.challenge_token = "../../../canary/x";
  Env env(plan);
  Client c(*env.ca);
  c.new_account();
  auto order = c.new_order({"t.example.org"});
  auto authz = Client::body(c.post(path_of(order["authorizations"][0]), std::nullopt));
  REQUIRE(authz["challenges"].size() == 3);
  for (const auto& ch : authz["challenges"]) CHECK(ch["token"] == "../../../canary/x");
}

TEST_CASE("fault: certificate_mismatch certifies another key or another name", "[mockca]") {
  auto k = *jose::PrivateKey::generate(jose::KeyType::P256);
  const auto faithful = issue_with({}, "m.example.org", k);
  CHECK(faithful.names == std::vector<std::string>{"m.example.org"});
  CHECK(*faithful.key == k.public_jwk());

  mockca::FaultPlan key_plan;
  key_plan.certificate_mismatch = "key";
  const auto other_key = issue_with(key_plan, "m.example.org", k);
  CHECK(other_key.names == std::vector<std::string>{"m.example.org"});
  CHECK(!(*other_key.key == k.public_jwk()));

  mockca::FaultPlan names_plan;
  names_plan.certificate_mismatch = "names";
  const auto other_names = issue_with(names_plan, "m.example.org", k);
  CHECK(other_names.names == std::vector<std::string>{"not-requested.acmespec-hostile.test"});
  CHECK(*other_names.key == k.public_jwk());
}

TEST_CASE("fault: extra_identifiers adds marked authorizations to every order", "[mockca]") {
  mockca::FaultPlan plan;
  plan.extra_identifiers = {"not-requested.example.org"};
  Env env(plan);
  Client c(*env.ca);
  c.new_account();
  auto order = c.new_order({"x.example.org"});
  REQUIRE(order["identifiers"].size() == 2);
  CHECK(order["identifiers"][1]["value"] == "not-requested.example.org");
  REQUIRE(order["authorizations"].size() == 2);
  CHECK(path_of(order["authorizations"][0]).find("/authz/extra-") == std::string::npos);
  CHECK(path_of(order["authorizations"][1]).rfind("/authz/extra-", 0) == 0);
  auto extra = Client::body(c.post(path_of(order["authorizations"][1]), std::nullopt));
  CHECK(extra["identifier"]["value"] == "not-requested.example.org");
  for (const auto& ch : extra["challenges"]) CHECK(path_of(ch["url"]).rfind("/chall/extra-", 0) == 0);
  // The added authorization stays pending, so the order cannot be finalized.
  auto k = *jose::PrivateKey::generate(jose::KeyType::P256);
  authorize_http01(env, c, order);
  auto fin = c.post(path_of(order["finalize"]), json{{"csr", csr_for(k, {"x.example.org"})}});
  CHECK(fin.status >= 400);
}

TEST_CASE("fault: hostile_identifiers add text identifiers whose challenges never validate", "[mockca]") {
  mockca::FaultPlan plan;
  const std::string payload = "$(touch${IFS}canary)\x1b]0;title\x07.example.org";
  plan.hostile_identifiers = {payload};
  Env env(plan);
  Client c(*env.ca);
  c.new_account();
  auto order = c.new_order({"x.example.org"});
  REQUIRE(order["identifiers"].size() == 2);
  CHECK(order["identifiers"][1]["value"] == payload);
  const std::string authz = path_of(order["authorizations"][1]);
  CHECK(authz.rfind("/authz/extra-", 0) == 0);
  auto z = Client::body(c.post(authz, std::nullopt));
  CHECK(z["identifier"]["value"] == payload);
  REQUIRE(!z["challenges"].empty());
  c.post(path_of(z["challenges"][0]["url"]), json::object());
  auto after = Client::body(c.post(authz, std::nullopt));
  CHECK(after["status"] == "invalid");
  CHECK(after["challenges"][0]["error"]["type"] == "urn:ietf:params:acme:error:rejectedIdentifier");
}

TEST_CASE("fault: directory_decoy points the first entries elsewhere", "[mockca]") {
  mockca::FaultPlan plan;
  plan.directory_decoy = "http";
  Env env(plan, [](mockca::MockCaConfig& c) { c.decoy_base = "http://127.0.0.1:9"; });
  Client c(*env.ca);
  auto dir = Client::body(c.get("/dir"));
  CHECK(dir["newNonce"] == "http://127.0.0.1:9/nonce");
  CHECK(dir["newAccount"] == "http://127.0.0.1:9/new-account");
  CHECK(dir["newOrder"] == "http://127.0.0.1:9/new-order");
  CHECK(dir["revokeCert"].get<std::string>().rfind("https://", 0) == 0);
  plan.directory_decoy = "other-host";
  env.ca->set_faults(plan);
  CHECK(Client::body(c.get("/dir"))["newNonce"] == "http://127.0.0.1:9/nonce");  // the configured decoy wins
  Env bare(plan);
  Client b(*bare.ca);
  CHECK(Client::body(b.get("/dir"))["newNonce"].get<std::string>().rfind("https://127.0.0.2:", 0) == 0);
}

TEST_CASE("fault: resource_decoy points the orders' authorization URLs elsewhere", "[mockca]") {
  mockca::FaultPlan plan;
  plan.resource_decoy = "http";
  Env env(plan, [](mockca::MockCaConfig& c) { c.decoy_base = "http://127.0.0.1:9"; });
  Client c(*env.ca);
  auto dir = Client::body(c.get("/dir"));
  CHECK(dir["newOrder"].get<std::string>().rfind("https://", 0) == 0);  // the directory stays honest
  c.new_account();
  auto order = c.new_order({"t.example.org"});
  REQUIRE(order["authorizations"].size() == 1);
  const std::string authz = order["authorizations"][0];
  CHECK(authz.rfind("http://127.0.0.1:9/authz/", 0) == 0);
  CHECK(order["finalize"].get<std::string>().rfind("https://", 0) == 0);
  // The same authorization is still served at the CA's own URL.
  CHECK(c.post(authz.substr(std::string("http://127.0.0.1:9").size()), std::nullopt).status == 200);
  Env bare([] {
    mockca::FaultPlan p;
    p.resource_decoy = "other-host";
    return p;
  }());
  Client b(*bare.ca);
  b.new_account();
  CHECK(b.new_order({"u.example.org"})["authorizations"][0].get<std::string>().rfind("https://127.0.0.2:", 0) == 0);

  auto both = mockca::parse_fault_plan(json{{"directory_decoy", "http"}, {"resource_decoy", "http"}});
  REQUIRE_FALSE(both.ok());
  CHECK(both.error().to_string().find("not both") != std::string::npos);
  auto bad = mockca::parse_fault_plan(json{{"resource_decoy", "ftp"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().to_string().find("resource_decoy") != std::string::npos);
  auto ok = mockca::parse_fault_plan(json{{"resource_decoy", "other-host"}});
  REQUIRE(ok.ok());
  CHECK(mockca::to_json(*ok)["resource_decoy"] == "other-host");
}

TEST_CASE("fault: hostile_urls decorates resource URLs and the router maps them back", "[mockca]") {
  mockca::FaultPlan plan;
  plan.hostile_urls = {";$(touch$IFS'canary')", "%60tick%60", "%1B%5D0;title%07", std::string(3000, 'l')};
  const std::string deco = mockca::url_decoration(plan);
  REQUIRE(deco.size() == 4 + plan.hostile_urls[0].size() + 10 + 16 + 3000);
  Env env(plan);
  Client c(*env.ca);
  c.new_account();
  CHECK(c.kid.find(deco) == std::string::npos);  // the account URL stays plain
  std::string order_path;
  auto order = c.new_order({"u.example.org"}, &order_path);
  const auto decorated = [&](const std::string& u) { return u.size() > deco.size() && u.substr(u.size() - deco.size()) == deco; };
  CHECK(decorated(order_path));
  CHECK(decorated(order["authorizations"][0]));
  CHECK(decorated(order["finalize"]));
  auto authz = Client::body(c.post(path_of(order["authorizations"][0]), std::nullopt));
  for (const auto& ch : authz["challenges"]) CHECK(decorated(ch["url"]));
  // The challenge answer's "up" Link names the decorated authorization.
  auto ch = c.challenge_of(authz, "http-01");
  REQUIRE(env.resp->add_http01_token(ch["token"], c.key_authorization(ch["token"])).ok());
  auto answered = c.post(path_of(ch["url"]), json::object());
  REQUIRE(answered.status == 200);
  CHECK(answered.header("Link").find(deco + ">;rel=\"up\"") != std::string::npos);
  CHECK(c.poll_until_not(path_of(order["authorizations"][0]), "pending")["status"] == "valid");
  auto k = std::move(*jose::PrivateKey::generate(jose::KeyType::P256));
  auto fin = c.post(path_of(order["finalize"]), json{{"csr", csr_for(k, {"u.example.org"})}});
  REQUIRE(fin.status == 200);
  CHECK(decorated(fin.header("Location")));
  auto done = Client::body(fin);
  REQUIRE(done["status"] == "valid");
  CHECK(decorated(done["certificate"]));
  CHECK(c.post(path_of(done["certificate"]), std::nullopt).status == 200);
  // The bare URLs still name the same resources.
  const std::string bare_order = order_path.substr(0, order_path.size() - deco.size());
  CHECK(Client::body(c.post(bare_order, std::nullopt))["status"] == "valid");
  const std::string cert = path_of(done["certificate"]);
  CHECK(c.post(cert.substr(0, cert.size() - deco.size()), std::nullopt).status == 200);
  // Part of the decoration, or the decoration on another resource, is no resource.
  CHECK(c.post(bare_order + "/" + plan.hostile_urls[0], std::nullopt).status == 404);
  CHECK(c.post("/new-order" + deco, json{{"identifiers", json::array({{{"type", "dns"}, {"value", "v.example.org"}}})}}).status == 404);
  CHECK(c.get("/dir" + deco).status == 404);
  // The observation log keeps the whole decorated URL, so the JWS url compares equal.
  const auto obs = env.ca->observations();
  const auto it = std::find_if(obs.begin(), obs.end(), [](const mockca::Observation& o) { return o.endpoint == mockca::Endpoint::kCertificate; });
  REQUIRE(it != obs.end());
  CHECK(decorated(it->url));
  CHECK(it->url == it->jws_url);
}
