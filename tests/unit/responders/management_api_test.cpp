#include <catch2/catch.hpp>

#include <filesystem>

#include <httplib.h>

#include "responders/responders.hpp"
#include "test_support.hpp"

using namespace acmespec::responders;
using nlohmann::json;

namespace {

RespondersConfig ephemeral_config() {
  RespondersConfig c;
  c.http01.port = 0;
  c.tls_alpn.port = 0;
  c.dns.port = 0;
  c.enable_management = true;
  c.management.port = 0;
  c.clock = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)); };
  return c;
}

httplib::Client client_for(std::uint16_t port) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(std::chrono::seconds(2));
  c.set_read_timeout(std::chrono::seconds(2));
  return c;
}

json post_ok(httplib::Client& c, const std::string& path, const json& body) {
  auto r = c.Post(path.c_str(), body.dump(), "application/json");
  REQUIRE(r);
  INFO(path << " -> " << r->body);
  REQUIRE(r->status == 200);
  return json::parse(r->body);
}

json post_error(httplib::Client& c, const std::string& path, const std::string& body) {
  auto r = c.Post(path.c_str(), body, "application/json");
  REQUIRE(r);
  CHECK(r->status == 400);
  return json::parse(r->body);
}

}  // namespace

TEST_CASE("Responders facade starts, serves and stops all three", "[facade]") {
  Responders r(ephemeral_config());
  REQUIRE(r.start().ok());
  CHECK(r.http01_port() != 0);
  CHECK(r.tls_alpn_port() != 0);
  CHECK(r.dns_port() != 0);
  CHECK(r.management_port() != 0);
  CHECK_FALSE(r.start().ok());  // already running

  REQUIRE(r.add_http01_token("tok", "tok.key").ok());
  r.zone().add_txt("_acme-challenge.a.example", "digest");
  r.add_tls_alpn_key_authorization("a.example", "tok.key");

  auto c = client_for(r.http01_port());
  c.set_default_headers({{"Host", "a.example"}});
  CHECK(c.Get("/.well-known/acme-challenge/tok")->body == "tok.key");
  auto dns = rsp_test::udp_exchange(r.dns_port(), rsp_test::build_query(1, "_acme-challenge.a.example", 16));
  REQUIRE(dns);
  CHECK(rsp_test::txt_value(rsp_test::decode_response(*dns)->answers.at(0).rdata) == "digest");
  CHECK(rsp_test::tls_connect(r.tls_alpn_port(), "a.example", {"acme-tls/1"}).alpn == "acme-tls/1");

  REQUIRE(rsp_test::eventually([&] { return r.tls_history().size() == 1; }));
  const json h = r.history();
  CHECK(h["http"].size() == 1);
  CHECK(h["http"][0]["host"] == "a.example");
  CHECK(h["http"][0]["time"] == "2023-11-14T22:13:20.000Z");  // injected clock
  CHECK(h["dns"].size() == 1);
  CHECK(h["tls"][0]["sni"] == "a.example");
  CHECK(r.history(HistoryKind::kDns)[0]["type"] == "TXT");
  r.clear_history();
  CHECK(r.history()["http"].empty());
  r.stop();
  CHECK_FALSE(r.running());
  CHECK(r.http01_port() == 0);
}

std::size_t thread_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

TEST_CASE("Responders start/stop repeatedly without hanging", "[facade]") {
  const std::size_t threads_before = thread_count();
  Responders r(ephemeral_config());
  for (int i = 0; i < 8; ++i) {
    REQUIRE(r.start().ok());
    const auto t0 = std::chrono::steady_clock::now();
    r.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
  }
  // The destructor stops a running instance.
  auto scoped = std::make_unique<Responders>(ephemeral_config());
  REQUIRE(scoped->start().ok());
  scoped.reset();
  CHECK(thread_count() == threads_before);  // no thread outlives stop()
}

TEST_CASE("Responders start fails cleanly when a port is taken", "[facade]") {
  Responders first(ephemeral_config());
  REQUIRE(first.start().ok());
  auto cfg = ephemeral_config();
  cfg.dns.port = first.dns_port();
  Responders second(cfg);
  const auto st = second.start();
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().path.rfind("dns", 0) == 0);
  CHECK_FALSE(second.running());
  CHECK(second.http01_port() == 0);  // the servers started before were stopped

  auto bad = ephemeral_config();
  bad.default_a = {"nope"};
  Responders third(bad);
  CHECK_FALSE(third.start().ok());
}

TEST_CASE("Management API drives the responders end to end", "[management]") {
  Responders r(ephemeral_config());
  REQUIRE(r.start().ok());
  auto m = client_for(r.management_port());

  auto health = m.Get("/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(json::parse(health->body)["dns_port"] == r.dns_port());

  // HTTP-01
  post_ok(m, "/http-01", {{"token", "t1"}, {"content", "t1.k"}});
  post_ok(m, "/http-01", {{"token", "t2"}, {"content", "t2.k"},
                          {"faults", {{"redirect", {{"status", 301}, {"location", "http://x.example/"}}}}}});
  auto h = client_for(r.http01_port());
  CHECK(h.Get("/.well-known/acme-challenge/t1")->body == "t1.k");
  CHECK(h.Get("/.well-known/acme-challenge/t2")->status == 301);
  auto del = m.Delete("/http-01/t1");
  REQUIRE(del);
  CHECK(del->status == 200);
  CHECK(m.Delete("/http-01/t1")->status == 404);
  CHECK(h.Get("/.well-known/acme-challenge/t1")->status == 404);
  post_ok(m, "/clear-http-01", json::object());
  CHECK(h.Get("/.well-known/acme-challenge/t2")->status == 404);

  // DNS
  post_ok(m, "/set-txt", {{"host", "_acme-challenge.m.example"}, {"value", "one"}});
  post_ok(m, "/set-txt", {{"host", "_acme-challenge.m.example"}, {"value", "two"}});
  post_ok(m, "/set-a", {{"host", "m.example"}, {"addresses", {"192.0.2.1"}}});
  post_ok(m, "/set-aaaa", {{"host", "m.example"}, {"addresses", {"2001:db8::1"}}});
  post_ok(m, "/set-caa", {{"host", "m.example"}, {"flags", 0}, {"tag", "issue"}, {"value", "ca.example"}});
  auto answer = [&](const std::string& name, unsigned type) {
    auto raw = rsp_test::udp_exchange(r.dns_port(), rsp_test::build_query(1, name, type));
    REQUIRE(raw);
    return rsp_test::decode_response(*raw)->answers;
  };
  CHECK(answer("_acme-challenge.m.example", 16).size() == 2);
  CHECK(rsp_test::ip_text(answer("m.example", 1).at(0).rdata) == "192.0.2.1");
  CHECK(rsp_test::ip_text(answer("m.example", 28).at(0).rdata) == "2001:db8::1");
  CHECK(answer("m.example", 257).size() == 1);
  post_ok(m, "/clear-txt", {{"host", "_acme-challenge.m.example"}});
  CHECK(answer("_acme-challenge.m.example", 16).empty());
  post_ok(m, "/clear-a", {{"host", "m.example"}});
  CHECK(rsp_test::ip_text(answer("m.example", 1).at(0).rdata) == "127.0.0.1");

  // TLS-ALPN-01
  post_ok(m, "/tls-alpn-01", {{"host", "m.example"}, {"content", "m.k"},
                              {"faults", {{"non_critical", true}}}});
  auto tls = rsp_test::tls_connect(r.tls_alpn_port(), "m.example", {"acme-tls/1"});
  REQUIRE(tls.handshake_ok);
  const auto ext = rsp_test::extension_of(tls.peer.get(), "1.3.6.1.5.5.7.1.31");
  CHECK(ext.value == acme_identifier_extension_value("m.k"));
  CHECK_FALSE(ext.critical);
  post_ok(m, "/clear-tls-alpn-01", {{"host", "m.example"}});
  CHECK_FALSE(rsp_test::tls_connect(r.tls_alpn_port(), "m.example", {"acme-tls/1"}).handshake_ok);

  // History
  REQUIRE(rsp_test::eventually([&] { return r.tls_history().size() == 2; }));
  auto all = m.Get("/history");
  REQUIRE(all);
  const json hist = json::parse(all->body);
  CHECK(hist["http"].size() == 4);
  CHECK(hist["dns"].size() == 6);
  CHECK(hist["tls"].size() == 2);
  const json dns_only = json::parse(m.Get("/history?kind=dns")->body);
  REQUIRE(dns_only.is_array());
  CHECK(dns_only.size() == 6);
  CHECK(m.Get("/history?kind=smtp")->status == 400);
  post_ok(m, "/clear-history", json::object());
  CHECK(json::parse(m.Get("/history?kind=http")->body).empty());
}

TEST_CASE("Management API rejects bad requests with a reason and a path", "[management]") {
  Responders r(ephemeral_config());
  REQUIRE(r.start().ok());
  auto m = client_for(r.management_port());

  auto e = post_error(m, "/http-01", R"({"token":"t"})");
  CHECK(e["path"] == "content");
  CHECK(e["error"] == "required member is missing");
  e = post_error(m, "/http-01", R"({"token":"t","content":"c","faults":{"delay_ms":-1}})");
  CHECK(e["path"] == "faults.delay_ms");
  e = post_error(m, "/http-01", R"({"token":"t","content":"c","faults":{"bogus":1}})");
  CHECK(e["path"] == "faults.bogus");
  e = post_error(m, "/http-01", R"({"token":"a/b","content":"c"})");
  CHECK(e["path"] == "token");
  e = post_error(m, "/set-a", R"({"host":"h","addresses":["1.2.3.4","x"]})");
  CHECK(e["path"] == "addresses[1]");
  e = post_error(m, "/set-txt", R"({"host":"h","value":"v","value":"w"})");  // duplicate key
  CHECK_FALSE(e["error"].get<std::string>().empty());
  e = post_error(m, "/set-txt", "not json");
  CHECK_FALSE(e["error"].get<std::string>().empty());
  e = post_error(m, "/set-txt", "[]");
  CHECK(e["error"] == "request body must be a JSON object");
  e = post_error(m, "/tls-alpn-01", R"({"host":"h","content":"c","faults":{"no_alpn":"yes"}})");
  CHECK(e["path"] == "faults.no_alpn");
  e = post_error(m, "/set-caa", R"({"host":"h","tag":"issue","value":"v","flags":256})");
  CHECK(e["path"] == "flags");

  auto missing = m.Get("/nope");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(json::parse(missing->body)["error"] == "no such route");
}

TEST_CASE("HTTP-01 fault parser reads every field", "[management]") {
  const json j = {{"wrong_key_authorization", "w"},
                  {"redirect", {{"location", "http://r.example/"}}},
                  {"oversized_body_bytes", 1000},
                  {"delay_ms", 25}};
  auto f = parse_http01_faults(j, "faults");
  REQUIRE(f.ok());
  CHECK(f->wrong_key_authorization == "w");
  REQUIRE(f->redirect);
  CHECK(f->redirect->status == 302);
  CHECK(f->oversized_body_bytes == 1000);
  CHECK(f->delay == std::chrono::milliseconds(25));
  CHECK_FALSE(parse_http01_faults({{"redirect", {{"status", 200}, {"location", "x"}}}}, "f").ok());
  auto t = parse_tls_alpn_faults({{"legacy_oid", true}, {"extra_san", "e.example"}}, "f");
  REQUIRE(t.ok());
  CHECK(t->legacy_oid);
  CHECK(t->extra_san == "e.example");
  CHECK_FALSE(t->wrong_digest);
}
