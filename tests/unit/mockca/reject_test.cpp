// Every refusal path answers a problem document of the right ACME type.
#include "mockca_env.hpp"

using namespace mockca_test;

namespace {
json dns_ids(std::initializer_list<const char*> names) {
  json ids = json::array();
  for (const char* n : names) ids.push_back({{"type", "dns"}, {"value", n}});
  return {{"identifiers", ids}};
}
}  // namespace

TEST_CASE("mock CA refuses bad requests with the right problem types", "[mockca]") {
  Env env;
  Client c(*env.ca);
  REQUIRE(c.new_account().status == 201);

  SECTION("a nonce used twice is badNonce, with a fresh nonce on the error") {
    auto first = c.post("/new-order", dns_ids({"a.example.org"}));
    CHECK(first.status == 201);
    auto replay = c.post("/new-order", dns_ids({"a.example.org"}), {}, c.last_nonce);
    CHECK(replay.status == 400);
    CHECK(problem_type(replay) == "badNonce");
    CHECK(replay.header("Content-Type") == "application/problem+json");
    CHECK(!replay.header("Replay-Nonce").empty());
    CHECK(replay.header("Link").find("rel=\"index\"") != std::string::npos);
  }
  SECTION("an invented nonce is badNonce") {
    const std::string invented = jose::base64url_encode(std::string("never-issued-16b", 16));
    CHECK(problem_type(c.post("/new-order", dns_ids({"a.example.org"}), {}, invented)) == "badNonce");
  }
  SECTION("url not the request URL is unauthorized") {
    client::Mutations m;
    m.url = c.url("/new-account");
    CHECK(problem_type(c.post("/new-order", dns_ids({"a.example.org"}), m)) == "unauthorized");
  }
  SECTION("Content-Type other than application/jose+json is 415") {
    client::Signer s{&c.key, c.kid};
    auto body = client::sign_request(s, c.url("/new-order"), c.nonce(), dns_ids({"a.example.org"}));
    auto r = c.send("/new-order", body->body, "application/json");
    CHECK(r.status == 415);
    CHECK(problem_type(r) == "malformed");
  }
  SECTION("jwk where kid is required, and both, are malformed") {
    client::Mutations m;
    m.key_header = client::Mutations::KeyHeader::jwk;
    CHECK(problem_type(c.post("/new-order", dns_ids({"a.example.org"}), m)) == "malformed");
    m.key_header = client::Mutations::KeyHeader::both;
    CHECK(problem_type(c.post("/new-order", dns_ids({"a.example.org"}), m)) == "malformed");
  }
  SECTION("unknown kid is accountDoesNotExist") {
    client::Mutations m;
    m.kid = c.kid + "-none";
    CHECK(problem_type(c.post("/new-order", dns_ids({"a.example.org"}), m)) == "accountDoesNotExist");
  }
  SECTION("alg none and HS256 are badSignatureAlgorithm") {
    client::Mutations m;
    m.alg = "none";
    auto r = c.post("/new-order", dns_ids({"a.example.org"}), m);
    CHECK(problem_type(r) == "badSignatureAlgorithm");
    CHECK(Client::body(r)["algorithms"].is_array());
    m.alg = "HS256";
    CHECK(problem_type(c.post("/new-order", dns_ids({"a.example.org"}), m)) == "badSignatureAlgorithm");
  }
  SECTION("a corrupt signature is malformed") {
    client::Mutations m;
    m.signature = client::Mutations::Signature::corrupt;
    CHECK(problem_type(c.post("/new-order", dns_ids({"a.example.org"}), m)) == "malformed");
  }
  SECTION("plain GET of a protected resource is 405") {
    std::string order_path;
    c.new_order({"g.example.org"}, &order_path);
    auto r = c.get(order_path);
    CHECK(r.status == 405);
    CHECK(problem_type(r) == "malformed");
  }
  SECTION("another account cannot read the order") {
    std::string order_path;
    c.new_order({"o.example.org"}, &order_path);
    Client other(*env.ca);
    other.new_account();
    CHECK(problem_type(other.post(order_path, std::nullopt)) == "unauthorized");
  }
  SECTION("finalize before ready is orderNotReady") {
    auto order = c.new_order({"nr.example.org"});
    auto k = *jose::PrivateKey::generate(jose::KeyType::P256);
    CHECK(problem_type(c.post(path_of(order["finalize"]), json{{"csr", csr_for(k, {"nr.example.org"})}})) ==
          "orderNotReady");
  }
  SECTION("misplaced wildcards are rejectedIdentifier with subproblems") {
    auto r = c.post("/new-order", dns_ids({"a.*.example.org", "b.example.org"}));
    CHECK(problem_type(r) == "rejectedIdentifier");
    auto b = Client::body(r);
    REQUIRE(b["subproblems"].size() == 1);
    CHECK(!b.contains("identifier"));
  }
  SECTION("invalid Punycode and unsupported types are refused") {
    CHECK(problem_type(c.post("/new-order", dns_ids({"xn--zz.example.org"}))) == "rejectedIdentifier");
    CHECK(problem_type(c.post("/new-order", json{{"identifiers", {{{"type", "email"}, {"value", "a@b.org"}}}}})) ==
          "unsupportedIdentifier");
    CHECK(c.post("/new-order", dns_ids({"xn--bcher-kva.example.org"})).status == 201);
  }
  SECTION("ip identifiers get no dns-01") {
    auto r = c.post("/new-order", json{{"identifiers", {{{"type", "ip"}, {"value", "127.0.0.1"}}}}});
    REQUIRE(r.status == 201);
    auto z = Client::body(c.post(path_of(Client::body(r)["authorizations"][0]), std::nullopt));
    for (const auto& ch : z["challenges"]) CHECK(ch["type"] != "dns-01");
  }
}

TEST_CASE("mock CA refuses bad accounts", "[mockca]") {
  Env env;
  Client c(*env.ca);
  CHECK(problem_type(c.new_account({{"termsOfServiceAgreed", true}, {"contact", {"tel:+1555"}}})) ==
        "unsupportedContact");
  CHECK(problem_type(c.new_account({{"termsOfServiceAgreed", true}, {"contact", {"mailto:not-an-address"}}})) ==
        "invalidContact");
  CHECK(problem_type(c.new_account({{"onlyReturnExisting", true}})) == "accountDoesNotExist");
  CHECK(problem_type(c.new_account({{"termsOfServiceAgreed", false}})) == "malformed");
  Client weak(*env.ca, jose::KeyType::Rsa2048);
  client::Mutations m;
  m.jwk = client::Mutations::Jwk::weak_rsa;
  weak.kid.clear();
  CHECK(problem_type(weak.post("/new-account", json{{"termsOfServiceAgreed", true}}, m)) == "badPublicKey");
  CHECK(env.ca->stats()["accounts"] == 0);
}

TEST_CASE("mock CA finalize checks the CSR", "[mockca]") {
  Env env;
  Client c(*env.ca);
  REQUIRE(c.new_account().status == 201);
  auto order = c.new_order({"csr.example.org"});
  REQUIRE(authorize_http01(env, c, order)["status"] == "valid");
  const auto fin = path_of(order["finalize"]);
  auto k = *jose::PrivateKey::generate(jose::KeyType::P256);
  CHECK(problem_type(c.post(fin, json{{"csr", csr_for(k, {"other.example.org"})}})) == "badCSR");
  CHECK(problem_type(c.post(fin, json{{"csr", csr_for(k, {"csr.example.org", "extra.example.org"})}})) == "badCSR");
  CHECK(problem_type(c.post(fin, json{{"csr", csr_for(c.key, {"csr.example.org"})}})) == "badCSR");
  CHECK(problem_type(c.post(fin, json{{"csr", "!!"}})) == "badCSR");
  bool saw_account_key_csr = false;
  for (const auto& o : env.ca->observations())
    saw_account_key_csr = saw_account_key_csr || o.csr_key_is_account_key == std::optional<bool>(true);
  CHECK(saw_account_key_csr);
  CHECK(c.post(fin, json{{"csr", csr_for(k, {"csr.example.org"})}}).status == 200);
}

TEST_CASE("mock CA revocation rules", "[mockca]") {
  Env env;
  Client c(*env.ca);
  REQUIRE(c.new_account().status == 201);
  auto order = c.new_order({"rev.example.org"});
  authorize_http01(env, c, order);
  auto k = *jose::PrivateKey::generate(jose::KeyType::P256);
  auto done = Client::body(c.post(path_of(order["finalize"]), json{{"csr", csr_for(k, {"rev.example.org"})}}));
  auto chain = client::parse_pem_chain(c.post(path_of(done["certificate"]), std::nullopt).body);
  const auto der = jose::base64url_encode((*chain)[0].der);
  CHECK(problem_type(c.post("/revoke-cert", json{{"certificate", der}, {"reason", 7}})) == "badRevocationReason");
  Client stranger(*env.ca);
  stranger.new_account();
  CHECK(problem_type(stranger.post("/revoke-cert", json{{"certificate", der}})) == "unauthorized");
  // Signed by the certificate key with a jwk: allowed.
  Client by_cert_key(*env.ca);
  by_cert_key.key = k;
  CHECK(by_cert_key.post("/revoke-cert", json{{"certificate", der}, {"reason", 4}}).status == 200);
}

TEST_CASE("mock CA answers hostile requests with problems, never a crash", "[mockca]") {
  Env env;
  Client c(*env.ca);
  CHECK(c.get("/nowhere").status == 404);
  CHECK(c.get("/cert/abc/\xff\xfe").status == 404);
  CHECK(c.get("/orders/x?cursor=\xc3\xa9").status == 404);
  CHECK(c.get("/dir", "PUT").status == 405);
  CHECK(problem_type(c.send("/new-order", "{not json")) == "malformed");
  CHECK(problem_type(c.send("/new-order", std::string(300 * 1024, '{'))) == "malformed");
  CHECK(problem_type(c.send("/new-order", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]")) == "malformed");
  CHECK(problem_type(c.send("/new-order", R"({"protected":"","payload":"","signature":""})")) == "malformed");
  for (const auto& o : env.ca->observations()) CHECK(o.status >= 400);
}
