// The VA against acmespec's own responders on free ports: every rule it
// enforces is exercised by a responder that breaks exactly that rule.
#include "mock-ca/va.hpp"
#include "mockca_env.hpp"

using namespace mockca_test;
using mockca::detail::VaJob;

namespace {

struct VaEnv {
  responders::Responders resp;
  mockca::VaConfig cfg;
  VaEnv() : resp([] {
      responders::RespondersConfig rc;
      rc.http01.port = 0;
      rc.tls_alpn.port = 0;
      rc.dns.port = 0;
      return rc;
    }()) {
    REQUIRE(resp.start().ok());
    cfg.http_port = resp.http01_port();
    cfg.tls_port = resp.tls_alpn_port();
    cfg.dns_server = "127.0.0.1:" + std::to_string(resp.dns_port());
    cfg.timeout = std::chrono::milliseconds(3000);
  }
};

VaJob job(const std::string& type, const std::string& name, const std::string& token = "tok-0123456789abcdefghijk") {
  VaJob j;
  j.type = type;
  j.identifier = acme::Identifier::dns(name);
  j.token = token;
  j.key_authorization = token + ".thumbprint-of-the-account-key";
  return j;
}

std::string type_of(const std::optional<acme::Problem>& p) { return p ? p->effective_type().substr(27) : "valid"; }

}  // namespace

TEST_CASE("VA resolves names through the configured DNS server", "[mockca][va]") {
  VaEnv env;
  REQUIRE(env.resp.zone().set_a("host.example.org", {"127.0.0.2"}).ok());
  auto a = mockca::detail::resolve_addresses(env.cfg, "host.example.org");
  REQUIRE(a.ok());
  CHECK((*a)[0] == "127.0.0.2");
  mockca::VaConfig dead = env.cfg;
  dead.dns_server = "127.0.0.1:1";
  dead.timeout = std::chrono::milliseconds(300);
  CHECK(!mockca::detail::resolve_addresses(dead, "host.example.org").ok());
}

TEST_CASE("VA HTTP-01 rules", "[mockca][va]") {
  VaEnv env;
  auto j = job("http-01", "h.example.org");
  SECTION("the key authorization validates, trailing whitespace ignored") {
    REQUIRE(env.resp.add_http01_token(j.token, j.key_authorization + "\r\n  ").ok());
    CHECK(type_of(mockca::detail::validate_http01(env.cfg, j)) == "valid");
    auto history = env.resp.http_history();
    REQUIRE(!history.empty());
  }
  SECTION("a missing token is unauthorized") {
    CHECK(type_of(mockca::detail::validate_http01(env.cfg, j)) == "unauthorized");
  }
  SECTION("a wrong body is incorrectResponse") {
    responders::Http01Faults f;
    f.wrong_key_authorization = "something else";
    REQUIRE(env.resp.add_http01_token(j.token, j.key_authorization, f).ok());
    CHECK(type_of(mockca::detail::validate_http01(env.cfg, j)) == "incorrectResponse");
  }
  SECTION("a redirect on the same port is followed") {
    responders::Http01Faults f;
    f.redirect = responders::HttpRedirect{302, "http://h.example.org:" + std::to_string(env.cfg.http_port) +
                                                   "/.well-known/acme-challenge/moved"};
    REQUIRE(env.resp.add_http01_token(j.token, j.key_authorization, f).ok());
    REQUIRE(env.resp.add_http01_token("moved", j.key_authorization).ok());
    CHECK(type_of(mockca::detail::validate_http01(env.cfg, j)) == "valid");
  }
  SECTION("a redirect loop is refused") {
    responders::Http01Faults f;
    f.redirect = responders::HttpRedirect{302, "/.well-known/acme-challenge/" + j.token};
    REQUIRE(env.resp.add_http01_token(j.token, j.key_authorization, f).ok());
    CHECK(type_of(mockca::detail::validate_http01(env.cfg, j)) == "connection");
  }
  SECTION("a redirect to another port is refused") {
    responders::Http01Faults f;
    f.redirect = responders::HttpRedirect{302, "http://h.example.org:1/x"};
    REQUIRE(env.resp.add_http01_token(j.token, j.key_authorization, f).ok());
    CHECK(type_of(mockca::detail::validate_http01(env.cfg, j)) == "connection");
  }
  SECTION("an oversized body is refused") {
    responders::Http01Faults f;
    f.oversized_body_bytes = 1 << 16;
    REQUIRE(env.resp.add_http01_token(j.token, j.key_authorization, f).ok());
    CHECK(type_of(mockca::detail::validate_http01(env.cfg, j)) == "unauthorized");
  }
  SECTION("nothing listening is a connection problem") {
    mockca::VaConfig closed = env.cfg;
    closed.http_port = 1;
    CHECK(type_of(mockca::detail::validate_http01(closed, j)) == "connection");
  }
}

TEST_CASE("VA DNS-01 rules", "[mockca][va]") {
  VaEnv env;
  auto j = job("dns-01", "d.example.org");
  CHECK(type_of(mockca::detail::validate_dns01(env.cfg, j)) == "incorrectResponse");
  env.resp.zone().add_txt("_acme-challenge.d.example.org", "v=spf1 -all");
  env.resp.zone().add_txt("_acme-challenge.d.example.org", jose::dns01_txt_value(j.key_authorization));
  CHECK(type_of(mockca::detail::validate_dns01(env.cfg, j)) == "valid");
}

TEST_CASE("VA TLS-ALPN-01 rules", "[mockca][va]") {
  VaEnv env;
  auto j = job("tls-alpn-01", "t.example.org");
  SECTION("a correct challenge certificate validates") {
    env.resp.add_tls_alpn_key_authorization("t.example.org", j.key_authorization);
    CHECK(type_of(mockca::detail::validate_tls_alpn01(env.cfg, j)) == "valid");
  }
  SECTION("an IP identifier validates through its reverse name") {
    VaJob ip = j;
    ip.identifier = acme::Identifier::ip("127.0.0.1");
    env.resp.add_tls_alpn_key_authorization("127.0.0.1", j.key_authorization);
    CHECK(type_of(mockca::detail::validate_tls_alpn01(env.cfg, ip)) == "valid");
  }
  SECTION("each broken rule is refused") {
    std::vector<std::pair<const char*, responders::TlsAlpnFaults>> cases;
    responders::TlsAlpnFaults f;
    f.legacy_oid = true;
    cases.emplace_back("legacy oid", f);
    f = {};
    f.non_critical = true;
    cases.emplace_back("non-critical", f);
    f = {};
    f.extra_san = "extra.t.example.org";
    cases.emplace_back("extra SAN", f);
    f = {};
    f.wrong_digest = true;
    cases.emplace_back("wrong digest", f);
    f = {};
    f.no_alpn = true;
    cases.emplace_back("no ALPN", f);
    f = {};
    f.max_tls_1_1 = true;
    cases.emplace_back("TLS 1.1", f);
    for (const auto& [what, faults] : cases) {
      INFO(what);
      env.resp.add_tls_alpn_key_authorization("t.example.org", j.key_authorization, faults);
      CHECK(type_of(mockca::detail::validate_tls_alpn01(env.cfg, j)) != "valid");
    }
  }
}

TEST_CASE("VA CAA rules", "[mockca][va]") {
  VaEnv env;
  const std::vector<std::string> us = {"acmespec.test"};
  CHECK(!mockca::detail::check_caa(env.cfg, "a.example.org", false, us));
  env.resp.zone().add_caa("example.org", {0, "issue", "other-ca.example"});
  CHECK(type_of(mockca::detail::check_caa(env.cfg, "a.example.org", false, us)) == "caa");
  env.resp.zone().add_caa("ok.example.org", {0, "issue", "acmespec.test; account=1"});
  env.resp.zone().add_caa("ok.example.org", {0, "issuewild", ";"});
  CHECK(!mockca::detail::check_caa(env.cfg, "www.ok.example.org", false, us));
  CHECK(type_of(mockca::detail::check_caa(env.cfg, "ok.example.org", true, us)) == "caa");
  env.resp.zone().add_caa("crit.example.net", {128, "future", "x"});
  CHECK(type_of(mockca::detail::check_caa(env.cfg, "crit.example.net", false, us)) == "caa");
}

TEST_CASE("VA worker pool runs jobs and refuses beyond its queue", "[mockca][va]") {
  VaEnv env;
  env.cfg.queue_limit = 0;
  mockca::detail::Validator none(env.cfg);
  CHECK(!none.submit(job("dns-01", "q.example.org")));
  env.cfg.queue_limit = 10;
  mockca::detail::Validator v(env.cfg);
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  auto j = job("dns-01", "q.example.org");
  env.resp.zone().add_txt("_acme-challenge.q.example.org", jose::dns01_txt_value(j.key_authorization));
  for (int i = 0; i < 3; ++i) {
    auto copy = j;
    copy.done = [&](std::optional<acme::Problem> p) {
      std::lock_guard lock(mu);
      done += p ? 100 : 1;
      cv.notify_all();
    };
    CHECK(v.submit(copy));
  }
  std::unique_lock lock(mu);
  CHECK(cv.wait_for(lock, std::chrono::seconds(20), [&] { return done >= 3; }));
  CHECK(done == 3);
}
