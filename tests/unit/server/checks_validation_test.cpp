// The validation-outcome, CAA and URL checks judged on hand-made
// authorize/finalize observations: each passes on a conforming target and
// fails on a deviating one.
#include <catch2/catch.hpp>

#include <set>

#include "fixture.hpp"
#include "server/challenge_faults.hpp"
#include "server/check.hpp"

using namespace acmespec;
using engine::Judgement;
using nlohmann::json;
using server::Observation;

namespace {

Judgement::Kind judge(const std::string& id, const Observation& o) {
  static const auto checks = server::checks_validation();
  return server_test::judge_in(checks, id, o);
}

// One answered authorization for `name` that ended `status`, with the
// validation requests the responders saw.
json authz(const std::string& name, const std::string& status, json validation, json error = nullptr) {
  json challenge = {{"type", "http-01"}, {"url", "https://ca.example/chall/" + name}, {"status", status}};
  if (!error.is_null()) challenge["error"] = error;
  return {{"before", {{"identifier", {{"type", "dns"}, {"value", name}}}}},
          {"challenge", {{"type", "http-01"}, {"url", "https://ca.example/chall/" + name}, {"token", "t"}}},
          {"response_status", 200},
          {"after", {{"status", status}, {"challenges", json::array({challenge})}}},
          {"validation", validation}};
}

Observation step(json authorizations, const std::string& fault = "", const std::string& type = "http-01") {
  Observation o = server_test::answer(200, json::object());
  o.op = "authorize";
  o.facts["authorizations"] = std::move(authorizations);
  o.facts["challenge_type"] = type;
  if (!fault.empty()) o.facts["fault"] = fault;
  return o;
}

json http_seen(const std::string& host) { return json::array({{{"host", host + ":5002"}, {"path", "/.well-known/acme-challenge/t"}}}); }

}  // namespace

TEST_CASE("validation checks are registered once, with the faults that cause them", "[validation]") {
  std::set<std::string> ids;
  for (const auto& c : server::checks_validation()) {
    CHECK(ids.insert(c.id).second);
    for (const auto& f : c.needs_fault) {
      INFO(c.id << " names fault " << f);
      CHECK(server::find_challenge_fault(f) != nullptr);
    }
  }
}

TEST_CASE("a refused validation passes, an accepted bad answer fails", "[validation]") {
  const json problem = {{"type", "urn:ietf:params:acme:error:unauthorized"}, {"detail", "mismatch"}};
  CHECK(judge("RFC8555-8.3-wrong-key-authorization-invalid",
              step(json::array({authz("a.test", "invalid", http_seen("a.test"), problem)}), "wrong-key-authorization")) ==
        Judgement::held);
  CHECK(judge("RFC8555-8.3-wrong-key-authorization-invalid",
              step(json::array({authz("a.test", "valid", http_seen("a.test"))}), "wrong-key-authorization")) == Judgement::violated);
  CHECK(judge("RFC8555-8.3-wrong-key-authorization-invalid",
              step(json::array({authz("a.test", "pending", http_seen("a.test"))}), "wrong-key-authorization")) ==
        Judgement::not_applicable);
  // An unusual but valid answer must validate.
  CHECK(judge("RFC8555-8.3-redirects-followed", step(json::array({authz("a.test", "valid", http_seen("a.test"))}), "redirect")) ==
        Judgement::held);
  CHECK(judge("RFC8555-8.3-redirects-followed", step(json::array({authz("a.test", "invalid", http_seen("a.test"))}), "redirect")) ==
        Judgement::violated);
}

TEST_CASE("an invalid challenge must explain itself, and retries are judged from the responder history", "[validation]") {
  const json problem = {{"type", "urn:ietf:params:acme:error:incorrectResponse"}};
  CHECK(judge("RFC8555-8-invalid-challenge-has-error", step(json::array({authz("a.test", "invalid", http_seen("a.test"), problem)}))) ==
        Judgement::held);
  CHECK(judge("RFC8555-8-invalid-challenge-has-error", step(json::array({authz("a.test", "invalid", http_seen("a.test"))}))) ==
        Judgement::violated);
  CHECK(judge("RFC8555-8-invalid-challenge-has-error", step(json::array({authz("a.test", "valid", http_seen("a.test"))}))) ==
        Judgement::not_applicable);
  json twice = http_seen("a.test");
  twice.push_back(twice[0]);
  CHECK(judge("RFC8555-8.2-server-retries-failed-validation", step(json::array({authz("a.test", "invalid", twice, problem)}))) ==
        Judgement::held);
  CHECK(judge("RFC8555-8.2-server-retries-failed-validation",
              step(json::array({authz("a.test", "invalid", http_seen("a.test"), problem)}))) == Judgement::violated);
  // Retrying without Retry-After on the polls.
  json a = authz("a.test", "invalid", twice, problem);
  a["polls"] = json::array({{{"url", "u"}, {"status", "pending"}, {"retry_after", nullptr}}});
  CHECK(judge("RFC8555-8.2-retry-after-while-retrying", step(json::array({a}))) == Judgement::violated);
  a["polls"][0]["retry_after"] = "3";
  CHECK(judge("RFC8555-8.2-retry-after-while-retrying", step(json::array({a}))) == Judgement::held);
}

TEST_CASE("each identifier of a multi-name order must be validated by a request naming it", "[validation]") {
  CHECK(judge("RFC8555-7.5.1-each-identifier-validated",
              step(json::array({authz("a.test", "valid", http_seen("a.test")), authz("b.test", "valid", http_seen("b.test"))}))) ==
        Judgement::held);
  // b.test became valid, but only a.test was ever fetched.
  CHECK(judge("RFC8555-7.5.1-each-identifier-validated",
              step(json::array({authz("a.test", "valid", http_seen("a.test")), authz("b.test", "valid", http_seen("a.test"))}))) ==
        Judgement::violated);
}

TEST_CASE("DNS over TCP, CAA and unpredictable URLs", "[validation]") {
  json q = json::array({{{"name", "_acme-challenge.a.test"}, {"type", "TXT"}, {"protocol", "udp"}}});
  CHECK(judge("RFC8555-11.2-dns-queries-over-tcp", step(json::array({authz("a.test", "valid", q)}), "", "dns-01")) ==
        Judgement::violated);
  q.push_back({{"name", "_acme-challenge.a.test"}, {"type", "TXT"}, {"protocol", "tcp"}});
  CHECK(judge("RFC8555-11.2-dns-queries-over-tcp", step(json::array({authz("a.test", "valid", q)}), "", "dns-01")) == Judgement::held);

  Observation fin = server_test::answer(200, json::object());
  fin.facts["order_after"] = {{"status", "valid"}, {"certificate", "https://ca.example/cert/1"}};
  CHECK(judge("RFC8659-3-caa-forbids-issuance", fin) == Judgement::not_applicable);  // no caaIdentities declared
  fin.facts["target_meta"] = {{"caaIdentities", {"ca.example"}}};
  CHECK(judge("RFC8659-3-caa-forbids-issuance", fin) == Judgement::violated);
  fin.facts["order_after"] = {{"status", "invalid"}};
  CHECK(judge("RFC8659-3-caa-forbids-issuance", fin) == Judgement::held);

  CHECK(judge("RFC8555-10.5-unpredictable-resource-urls",
              server_test::answer(201, {{"authorizations", {"https://ca.example/authz/Xy3kP9qLm2ZtR7vB"}}},
                                  {{"Location", "https://ca.example/order/8f3a9c2e71d4b6a05e9c"}})) == Judgement::held);
  CHECK(judge("RFC8555-10.5-unpredictable-resource-urls",
              server_test::answer(201, {{"authorizations", {"https://ca.example/authz/1042"}}},
                                  {{"Location", "https://ca.example/order/1041"}})) == Judgement::violated);
}
