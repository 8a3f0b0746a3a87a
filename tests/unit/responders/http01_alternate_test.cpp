// The second HTTP-01 listener of the responders (the target of redirects to
// "another port"): started on demand on its own port, serving only its own
// tokens, recording into the shared history with the port of arrival.
#include <catch2/catch.hpp>

#include <httplib.h>

#include "responders/responders.hpp"
#include "test_support.hpp"

using namespace acmespec::responders;

namespace {

RespondersConfig alternate_test_config() {
  RespondersConfig c;
  c.http01.port = 0;
  c.enable_tls_alpn = false;
  c.enable_dns = false;
  return c;
}

httplib::Result alternate_test_get(std::uint16_t port, const std::string& path) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(std::chrono::seconds(2));
  c.set_read_timeout(std::chrono::seconds(2));
  return c.Get(path.c_str());
}

}  // namespace

TEST_CASE("the alternate HTTP-01 listener starts on demand on a port of its own", "[http01][alternate]") {
  Responders r(alternate_test_config());
  auto before = r.start_http01_alternate();
  REQUIRE_FALSE(before.ok());
  CHECK(before.error().to_string().find("not running") != std::string::npos);

  REQUIRE(r.start().ok());
  CHECK(r.http01_alternate_port() == 0);  // not started until asked for
  auto port = r.start_http01_alternate();
  REQUIRE(port.ok());
  CHECK(*port == r.http01_alternate_port());
  CHECK(*port != r.http01_port());
  CHECK(*port != 80);
  CHECK(*port != 443);
  auto again = r.start_http01_alternate();
  REQUIRE(again.ok());
  CHECK(*again == *port);  // one listener, however often it is asked for

  REQUIRE(r.add_http01_alternate_token("t-moved", "t.key").ok());
  REQUIRE(r.add_http01_token("t", "t.key").ok());
  auto alt = alternate_test_get(*port, "/.well-known/acme-challenge/t-moved");
  REQUIRE(alt);
  CHECK(alt->status == 200);
  CHECK(alt->body == "t.key");
  // Each listener serves only its own tokens.
  auto crossed = alternate_test_get(r.http01_port(), "/.well-known/acme-challenge/t-moved");
  REQUIRE(crossed);
  CHECK(crossed->status == 404);
  auto main = alternate_test_get(*port, "/.well-known/acme-challenge/t");
  REQUIRE(main);
  CHECK(main->status == 404);

  // One history; each entry says where the request arrived.
  REQUIRE(rsp_test::eventually([&] { return r.http_history().size() == 3; }));
  const auto h = r.http_history();
  CHECK(h[0].port == *port);
  CHECK(h[0].status == 200);
  CHECK(h[1].port == r.http01_port());
  CHECK(h[2].port == *port);
  CHECK(to_json(h[0])["port"] == *port);

  // Clearing the HTTP-01 tokens clears both listeners.
  r.clear_http01_tokens();
  auto cleared = alternate_test_get(*port, "/.well-known/acme-challenge/t-moved");
  REQUIRE(cleared);
  CHECK(cleared->status == 404);

  // stop() closes it; after a restart it starts again on request.
  r.stop();
  CHECK(r.http01_alternate_port() == 0);
  CHECK_FALSE(alternate_test_get(*port, "/.well-known/acme-challenge/t-moved"));
  REQUIRE(r.start().ok());
  auto restarted = r.start_http01_alternate();
  REQUIRE(restarted.ok());
  CHECK(*restarted != 0);
  r.stop();
}

TEST_CASE("the alternate HTTP-01 listener is not started when HTTP-01 is disabled", "[http01][alternate]") {
  RespondersConfig c = alternate_test_config();
  c.enable_http01 = false;
  Responders r(c);
  REQUIRE(r.start().ok());
  auto port = r.start_http01_alternate();
  REQUIRE_FALSE(port.ok());
  CHECK(r.http01_alternate_port() == 0);
}
