// The redirect-away faults and their checks: the faults provisioned on real
// loopback responders answer what they promise, and the checks pass, fail
// or skip on hand-made authorize observations.
#include <catch2/catch.hpp>

#include <httplib.h>

#include "fixture.hpp"
#include "responders/responders.hpp"
#include "server/challenge_faults.hpp"
#include "server/check.hpp"

using namespace acmespec;
using engine::Judgement;
using nlohmann::json;
using server::Observation;

namespace {

constexpr int kHttp01Port = 5002;
constexpr int kRedirectPort = 41234;
const std::string kOtherPort = "RFC8555-10.4-validation-redirect-other-port-refused";
const std::string kBadScheme = "RFC8555-10.4-validation-redirect-bad-scheme-refused";

Judgement::Kind judge(const std::string& id, const Observation& o) {
  static const auto checks = server::checks_redirects();
  return server_test::judge_in(checks, id, o);
}

// One history entry as the responders record it.
json seen_on(int port, int status, const std::string& path = "/.well-known/acme-challenge/t") {
  return {{"kind", "http"}, {"host", "a.test:" + std::to_string(port)}, {"path", path}, {"status", status}, {"port", port}};
}

// The authorize step for one name: the challenge answered with
// `response_status`, the authorization ended `status`, the responders saw
// `validation`.
Observation redirected(const std::string& fault, const std::string& status, json validation, json error = nullptr,
                       int response_status = 200) {
  const std::string scheme = fault == "redirect-bad-scheme" ? "ftp" : "http";
  json challenge = {{"type", "http-01"}, {"url", "https://ca.example/chall/1"}, {"status", status}};
  if (!error.is_null()) challenge["error"] = error;
  json a = {{"before", {{"identifier", {{"type", "dns"}, {"value", "a.test"}}}}},
            {"challenge", {{"type", "http-01"}, {"url", "https://ca.example/chall/1"}, {"token", "t"}}},
            {"provisioned",
             {{"token", "t"},
              {"fault", fault},
              {"http01_port", kHttp01Port},
              {"redirect_port", kRedirectPort},
              {"location", scheme + "://a.test:" + std::to_string(kRedirectPort) + "/.well-known/acme-challenge/t-moved"}}},
            {"response_status", response_status},
            {"validation", validation}};
  if (response_status == 200) {
    a["after"] = {{"status", status}, {"challenges", json::array({challenge})}};
    a["polls"] = json::array({{{"url", "https://ca.example/authz/1"}, {"http", 200}, {"status", status}}});
  }
  Observation o = server_test::answer(200, json::object());
  o.op = "authorize";
  o.facts["authorizations"] = json::array({a});
  o.facts["challenge_type"] = "http-01";
  o.facts["fault"] = fault;
  return o;
}

json served_redirect() { return json::array({seen_on(kHttp01Port, 302)}); }
json followed() { return json::array({seen_on(kHttp01Port, 302), seen_on(kRedirectPort, 200, "/.well-known/acme-challenge/t-moved")}); }

httplib::Result fetch_from(std::uint16_t port, const std::string& path) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(std::chrono::seconds(2));
  c.set_read_timeout(std::chrono::seconds(2));
  return c.Get(path.c_str());
}

}  // namespace

TEST_CASE("redirect-away faults send the token path to a second listener that serves the key authorization", "[redirects]") {
  responders::RespondersConfig config;
  config.http01.port = 0;
  config.enable_tls_alpn = false;
  config.enable_dns = false;
  responders::Responders r(config);
  REQUIRE(r.start().ok());
  std::uint16_t shared = 0;
  for (const std::string fault : {"redirect-other-port", "redirect-bad-scheme"}) {
    INFO(fault);
    const std::string token = fault == "redirect-other-port" ? "tokPort" : "tokScheme";
    server::ChallengeSetup setup{"http-01", "127.0.0.1", token, token + ".thumb", r.http01_port()};
    auto facts = server::provision_challenge(r, setup, fault);
    REQUIRE(facts.ok());
    const std::uint16_t alt = r.http01_alternate_port();
    REQUIRE(alt != 0);
    if (shared != 0) CHECK(alt == shared);  // both faults use the one second listener
    shared = alt;
    CHECK((*facts)["redirect_port"] == alt);
    CHECK((*facts)["http01_port"] == r.http01_port());
    const std::string scheme = fault == "redirect-other-port" ? "http" : "ftp";
    const std::string moved = "/.well-known/acme-challenge/" + token + "-moved";
    CHECK((*facts)["location"] == scheme + "://127.0.0.1:" + std::to_string(alt) + moved);

    auto first = fetch_from(r.http01_port(), "/.well-known/acme-challenge/" + token);
    REQUIRE(first);
    CHECK(first->status == 302);
    CHECK(first->get_header_value("Location") == (*facts)["location"].get<std::string>());
    // Following the redirect (over HTTP, whatever the scheme says) would validate.
    auto second = fetch_from(alt, moved);
    REQUIRE(second);
    CHECK(second->status == 200);
    CHECK(second->body == token + ".thumb");
  }
  CHECK(server::find_challenge_fault("redirect-other-port")->must_fail);
  CHECK(server::find_challenge_fault("redirect-bad-scheme")->must_fail);
  CHECK_FALSE(server::provision_challenge(r, {"dns-01", "a.test", "t", "t.k", r.http01_port()}, "redirect-other-port").ok());
}

TEST_CASE("a redirect to another port: not followed passes, followed fails", "[redirects]") {
  const json problem = server_test::problem("connection", "redirect to port 41234 refused");
  CHECK(judge(kOtherPort, redirected("redirect-other-port", "invalid", served_redirect(), problem)) == Judgement::held);
  // Followed, whatever became of the authorization: the request reached the port.
  CHECK(judge(kOtherPort, redirected("redirect-other-port", "valid", followed())) == Judgement::violated);
  CHECK(judge(kOtherPort, redirected("redirect-other-port", "invalid", followed(), problem)) == Judgement::violated);
  // Valid with nothing on the other port is no refusal either.
  CHECK(judge(kOtherPort, redirected("redirect-other-port", "valid", served_redirect())) == Judgement::violated);
  // Skips: the redirect was never served; validation not concluded; nothing answered.
  CHECK(judge(kOtherPort, redirected("redirect-other-port", "invalid", json::array(), problem)) == Judgement::not_applicable);
  CHECK(judge(kOtherPort, redirected("redirect-other-port", "pending", served_redirect())) == Judgement::not_applicable);
  Observation none = redirected("redirect-other-port", "invalid", served_redirect());
  none.facts["authorizations"][0].erase("response_status");
  CHECK(judge(kOtherPort, none) == Judgement::not_applicable);
  // A redirect port a validator may use cannot be judged.
  Observation allowed = redirected("redirect-other-port", "invalid", served_redirect(), problem);
  allowed.facts["authorizations"][0]["provisioned"]["redirect_port"] = 443;
  CHECK(judge(kOtherPort, allowed) == Judgement::broken);
  allowed.facts["authorizations"][0]["provisioned"].erase("redirect_port");
  CHECK(judge(kOtherPort, allowed) == Judgement::broken);
}

TEST_CASE("a redirect to ftp:// must fail the challenge without 5xx, scheme confusion or hanging", "[redirects]") {
  const json problem = server_test::problem("connection", "unsupported protocol scheme \"ftp\"");
  CHECK(judge(kBadScheme, redirected("redirect-bad-scheme", "invalid", served_redirect(), problem)) == Judgement::held);
  CHECK(judge(kBadScheme, redirected("redirect-bad-scheme", "valid", served_redirect())) == Judgement::violated);
  // Fetched the ftp:// URL over plain HTTP.
  CHECK(judge(kBadScheme, redirected("redirect-bad-scheme", "valid", followed())) == Judgement::violated);
  CHECK(judge(kBadScheme, redirected("redirect-bad-scheme", "invalid", followed(), problem)) == Judgement::violated);
  // An internal error answering the challenge or polling it.
  CHECK(judge(kBadScheme, redirected("redirect-bad-scheme", "invalid", served_redirect(), nullptr, 500)) == Judgement::violated);
  Observation crashed = redirected("redirect-bad-scheme", "invalid", served_redirect(), problem);
  crashed.facts["authorizations"][0]["polls"][0]["http"] = 500;
  CHECK(judge(kBadScheme, crashed) == Judgement::violated);
  // Hung: still processing with no error when polling stopped.
  Observation hung = redirected("redirect-bad-scheme", "processing", served_redirect());
  hung.facts["poll_timed_out"] = true;
  CHECK(judge(kBadScheme, hung) == Judgement::violated);
  // Still open after a recorded error: the target may be retrying.
  Observation retrying = redirected("redirect-bad-scheme", "pending", served_redirect(), problem);
  retrying.facts["poll_timed_out"] = true;
  CHECK(judge(kBadScheme, retrying) == Judgement::not_applicable);
  // Skips: the redirect was never served; the challenge response was refused.
  CHECK(judge(kBadScheme, redirected("redirect-bad-scheme", "invalid", json::array(), problem)) == Judgement::not_applicable);
  CHECK(judge(kBadScheme, redirected("redirect-bad-scheme", "invalid", served_redirect(), nullptr, 400)) == Judgement::not_applicable);
}

TEST_CASE("the redirect checks need their own faults", "[redirects]") {
  for (const auto& c : server::checks_redirects()) {
    REQUIRE(c.needs_fault.size() == 1);
    CHECK(server::find_challenge_fault(c.needs_fault.front()) != nullptr);
  }
}
