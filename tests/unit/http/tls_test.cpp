#include <catch2/catch.hpp>

#include "http/client.hpp"
#include "support.hpp"

using namespace acmespec::http;
using namespace acmespec::http::test;
using namespace std::chrono_literals;

namespace {

ClientOptions tls_options() {
  ClientOptions o;
  o.connect_timeout = 1s;
  o.read_timeout = 1s;
  o.total_timeout = 1500ms;
  return o;
}

void routes(httplib::Server& s) {
  s.Get("/dir", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"newNonce":"https://127.0.0.1/nonce"})", "application/json");
  });
}

}  // namespace

TEST_CASE("TLS: the CA bundle makes verification succeed", "[http][tls]") {
  TestPki pki;
  HttpServer server(routes, &pki);
  Transcript transcript;
  ClientOptions options = tls_options();
  options.ca_bundle_path = pki.ca_pem_path;
  Client client(options, transcript);
  Exchange ex = client.send({"GET", server.url("/dir"), {}, ""});
  INFO(ex.error);
  REQUIRE(ex.ok());
  CHECK(ex.response->status == 200);
  CHECK(ex.response->body.find("newNonce") != std::string::npos);
}

TEST_CASE("TLS: without the bundle verification fails by default", "[http][tls]") {
  TestPki pki;
  HttpServer server(routes, &pki);
  Transcript transcript;
  Client client(tls_options(), transcript);
  Exchange ex = client.send({"GET", server.url("/dir"), {}, ""});
  CHECK_FALSE(ex.response);
  CHECK(ex.error == "TLS certificate verification failed for 127.0.0.1:" + std::to_string(server.port()) +
                        ": unable to get local issuer certificate");
  CHECK(transcript.size() == 1);
}

TEST_CASE("TLS: a certificate that does not name the host is refused", "[http][tls]") {
  TestPki pki;
  HttpServer server(routes, &pki);
  Transcript transcript;
  ClientOptions options = tls_options();
  options.ca_bundle_path = pki.ca_pem_path;
  Client client(options, transcript);
  // The certificate names 127.0.0.1 and ::1 only; "localhost" reaches the
  // same listener but is not among its names.
  Exchange ex = client.send({"GET", "https://localhost:" + std::to_string(server.port()) + "/dir", {}, ""});
  CHECK_FALSE(ex.ok());
  CHECK_FALSE(ex.response);
  CHECK(ex.error == "TLS certificate verification failed for localhost:" + std::to_string(server.port()) +
                        ": hostname mismatch (the certificate does not name localhost)");
}

TEST_CASE("TLS: insecure skips verification when asked explicitly", "[http][tls]") {
  TestPki pki;
  HttpServer server(routes, &pki);
  Transcript transcript;
  ClientOptions options = tls_options();
  options.insecure = true;
  Client client(options, transcript);
  Exchange ex = client.send({"GET", server.url("/dir"), {}, ""});
  INFO(ex.error);
  REQUIRE(ex.ok());
  CHECK(ex.response->status == 200);
}

TEST_CASE("TLS: an unreadable CA bundle is a clear error", "[http][tls]") {
  TestPki pki;
  HttpServer server(routes, &pki);
  Transcript transcript;
  ClientOptions options = tls_options();
  options.ca_bundle_path = pki.dir + "/missing.pem";
  Client client(options, transcript);
  Exchange ex = client.send({"GET", server.url("/dir"), {}, ""});
  CHECK_FALSE(ex.ok());
  CHECK(ex.error.find("could not load the CA bundle '" + options.ca_bundle_path + "'") != std::string::npos);
}

TEST_CASE("TLS and plain HTTP to an IPv6 literal", "[http][tls][ipv6]") {
  TestPki pki;
  HttpServer tls_server(routes, &pki, "::1");
  HttpServer plain_server(routes, nullptr, "::1");
  Transcript transcript;
  ClientOptions options = tls_options();
  options.ca_bundle_path = pki.ca_pem_path;
  Client client(options, transcript);
  for (const HttpServer* server : {&tls_server, &plain_server}) {
    const std::string url = server->url("/dir");
    INFO(url);
    Exchange ex = client.send({"GET", url, {}, ""});
    INFO(ex.error);
    REQUIRE(ex.ok());
    CHECK(ex.response->status == 200);
    CHECK(ex.request.get("Host") == "[::1]:" + std::to_string(server->port()));
  }
}
