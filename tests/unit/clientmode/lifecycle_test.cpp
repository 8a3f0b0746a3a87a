// Client checks around the validation and the certificate download
// (checks_lifecycle.cpp) over constructed runs.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <httplib.h>

#include <thread>

#include "clientmode/client_mode.hpp"
#include "clientmode/scenario.hpp"
#include "clientmode/site.hpp"
#include "fixture.hpp"

using acmespec::engine::Judgement;
using fixture::Endpoint;
using fixture::judge;
using fixture::Log;

namespace {

const std::string kPemCheck = "RFC8555-7.4.2-client-accepts-pem-chain";

acmespec::clientmode::ClientRun with_accept(const std::string& accept) {
  Log l = Log::happy();
  for (auto& o : l.run.observations)
    if (o.endpoint == Endpoint::kCertificate) o.accept = accept;
  return l.run;
}

nlohmann::json lifecycle_doc(const std::string& check, const std::string& challenge = "http-01") {
  return {{"id", "t-lifecycle"}, {"title", "T"},          {"suites", {"x"}},
          {"challenge", challenge}, {"identifiers", {"{domain}"}}, {"expect", {check}},
          {"client_should", "succeed"}};
}

}  // namespace

TEST_CASE("pem-chain check: an Accept naming the PEM chain passes") {
  for (const char* accept : {"application/pem-certificate-chain", "application/json, application/pem-certificate-chain;q=0.9",
                             " Application/PEM-Certificate-Chain ; q=1"}) {
    INFO(accept);
    const auto j = judge(kPemCheck, with_accept(accept));
    CHECK(j.kind == Judgement::held);
    CHECK(j.evidence.size() == 1);
  }
}

TEST_CASE("pem-chain check: no Accept, a wildcard or a list without the PEM chain is reported") {
  const auto absent = judge(kPemCheck, with_accept(""));
  CHECK(absent.kind == Judgement::violated);
  CHECK(absent.message.find("without an Accept header") != std::string::npos);
  CHECK(absent.evidence.size() == 1);
  const auto wild = judge(kPemCheck, with_accept("*/*"));
  CHECK(wild.kind == Judgement::violated);
  CHECK(wild.message.find("admits the PEM chain without asking") != std::string::npos);
  const auto excluded = judge(kPemCheck, with_accept("application/json"));
  CHECK(excluded.kind == Judgement::violated);
  CHECK(excluded.message.find("leaves out") != std::string::npos);
  // q=0 refuses the type it names.
  CHECK(judge(kPemCheck, with_accept("application/pem-certificate-chain;q=0, */*")).kind == Judgement::violated);
  CHECK(judge(kPemCheck, with_accept("application/pem-certificate-chain;q=0.0")).message.find("leaves out") != std::string::npos);
}

TEST_CASE("pem-chain check: MAY level, skipped without a download, unfit where issuance must fail") {
  const auto* req = fixture::catalogue().find(kPemCheck);
  REQUIRE(req != nullptr);
  CHECK(req->level == acmespec::engine::Level::may);
  Log none;
  none.post(Endpoint::kNewOrder, 0.1).status = 201;
  CHECK(judge(kPemCheck, none.run).kind == Judgement::not_applicable);

  namespace cm = acmespec::clientmode;
  CHECK(cm::parse_client_scenario(lifecycle_doc(kPemCheck), "c.json", fixture::catalogue()).ok());
  auto failing = lifecycle_doc(kPemCheck);
  failing["faults"] = {{"challenge_invalid", {{"type", "incorrectResponse"}}}};
  failing["client_should"] = "fail";
  auto refused = cm::parse_client_scenario(failing, "c.json", fixture::catalogue());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().to_string().find("certificate download") != std::string::npos);
  failing["faults"] = {{"certificate_mismatch", "key"}};
  CHECK(cm::parse_client_scenario(failing, "c.json", fixture::catalogue()).ok());
}

namespace {

const std::string kWaitCheck = "RFC8555-7.5.1-client-waits-for-validation";

// A happy run whose VA attempt came `va_at` seconds after kT0 (the challenge response is at 0.5 s).
acmespec::clientmode::ClientRun with_attempt(Log l, double va_at) {
  l.run.validation_delay_s = 3;
  l.run.validation_attempts.push_back(
      {"http-01", "a.acmespec.test", fixture::kT0 + std::chrono::milliseconds(static_cast<long>(va_at * 1000))});
  return l.run;
}

}  // namespace

TEST_CASE("waits-for-validation: no poll before the validation request passes") {
  // The happy log polls at 1.5 s; the VA came at 1.2 s.
  const auto j = judge(kWaitCheck, with_attempt(Log::happy(), 1.2));
  CHECK(j.kind == Judgement::held);
  CHECK(j.message.find("0.70 s later") != std::string::npos);
}

TEST_CASE("waits-for-validation: polls before the validation request are reported with evidence") {
  Log l = Log::happy();
  l.post_as_get(Endpoint::kChallenge, 0.6).resource_status = "processing";
  l.post_as_get(Endpoint::kAuthorization, 1.0).resource_status = "pending";
  // Sorted by time: the fixture appends, so rebuild in order.
  std::sort(l.run.observations.begin(), l.run.observations.end(),
            [](const auto& a, const auto& b) { return a.at < b.at; });
  for (std::size_t i = 0; i < l.run.observations.size(); ++i) l.run.observations[i].seq = i + 1;
  const auto j = judge(kWaitCheck, with_attempt(l, 3.5));
  CHECK(j.kind == Judgement::violated);
  CHECK(j.message.rfind("3 poll(s)", 0) == 0);  // 0.6, 1.0 and the happy log's 1.5
  CHECK(j.message.find("the first 0.10 s after the response") != std::string::npos);
  CHECK(j.evidence.size() == 4);
}

TEST_CASE("waits-for-validation: skipped without a response or a VA attempt; unfit without a visible, delayed validation") {
  CHECK(judge(kWaitCheck, Log::happy().run).kind == Judgement::not_applicable);
  Log silent;
  silent.post(Endpoint::kNewOrder, 0.1).status = 201;
  CHECK(judge(kWaitCheck, with_attempt(silent, 1.0)).kind == Judgement::not_applicable);
  // An attempt before the response belongs to something else.
  CHECK(judge(kWaitCheck, with_attempt(Log::happy(), 0.2)).kind == Judgement::not_applicable);

  namespace cm = acmespec::clientmode;
  auto doc = lifecycle_doc(kWaitCheck);
  doc["validation_delay"] = 3;
  CHECK(cm::parse_client_scenario(doc, "c.json", fixture::catalogue()).ok());
  doc["challenge"] = "tls-alpn-01";
  CHECK(cm::parse_client_scenario(doc, "c.json", fixture::catalogue()).ok());
  doc["challenge"] = "dns-01";
  auto dns = cm::parse_client_scenario(doc, "c.json", fixture::catalogue());
  REQUIRE_FALSE(dns.ok());
  CHECK(dns.error().to_string().find("does not receive the validation request") != std::string::npos);
  auto no_delay = cm::parse_client_scenario(lifecycle_doc(kWaitCheck), "c.json", fixture::catalogue());
  REQUIRE_FALSE(no_delay.ok());
  CHECK(no_delay.error().to_string().find("without validation_delay") != std::string::npos);
  doc["challenge"] = "http-01";
  doc["validation_delay"] = 11;
  auto too_long = cm::parse_client_scenario(doc, "c.json", fixture::catalogue());
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.error().to_string().find("validation_delay") != std::string::npos);
}

namespace {

const std::string kDeprovisionCheck = "RFC8555-8.3-client-deprovisions-resource";

// What a probe of http://a.acmespec.test:5002/.well-known/acme-challenge/<token> found.
acmespec::clientmode::ProbeResult probe_result(const std::string& trigger, const std::string& token, int status,
                                               bool served, const std::string& error) {
  acmespec::clientmode::ProbeResult r;
  r.trigger = trigger;
  r.url = "http://a.acmespec.test:5002/.well-known/acme-challenge/" + token;
  r.status = status;
  r.error = error;
  r.key_authorization_served = served;
  r.token_echoed = served;
  return r;
}

// The client's response to a challenge, as the mock CA observes it.
acmespec::mockca::Observation challenge_answer(std::uint64_t seq, const std::string& token) {
  acmespec::mockca::Observation ch;
  ch.seq = seq;
  ch.endpoint = Endpoint::kChallenge;
  ch.method = "POST";
  ch.payload = nlohmann::json::object();
  ch.challenge_token = token;
  return ch;
}

acmespec::clientmode::ClientRun with_probe(int status, bool served, const std::string& error = "") {
  Log l = Log::happy();
  l.run.deprovision_probed = true;
  l.run.deprovision = probe_result("obs-8", "tok", status, served, error);
  return l.run;
}

}  // namespace

TEST_CASE("deprovisions-resource: a resource gone or answered without the key authorization passes") {
  const auto refused = judge(kDeprovisionCheck, with_probe(0, false, "connect: connection refused"));
  CHECK(refused.kind == Judgement::held);
  CHECK(refused.message.find("no longer served (connect: connection refused)") != std::string::npos);
  const auto gone = judge(kDeprovisionCheck, with_probe(404, false));
  CHECK(gone.kind == Judgement::held);
  CHECK(gone.message.find("answered 404") != std::string::npos);
  CHECK(gone.evidence == std::vector<std::string>{"obs-8", "client-process"});
}

TEST_CASE("deprovisions-resource: the key authorization still served after validation is reported") {
  const auto j = judge(kDeprovisionCheck, with_probe(200, true));
  CHECK(j.kind == Judgement::violated);
  CHECK(j.message.find("still answered 200 with the key authorization") != std::string::npos);
}

TEST_CASE("deprovisions-resource: skipped without a probe; unfit outside successful single-name HTTP-01") {
  CHECK(judge(kDeprovisionCheck, Log::happy().run).kind == Judgement::not_applicable);
  Log armed = Log::happy();
  armed.run.deprovision_probed = true;
  CHECK(judge(kDeprovisionCheck, armed.run).message.find("no finalize was accepted") != std::string::npos);

  namespace cm = acmespec::clientmode;
  CHECK(cm::parse_client_scenario(lifecycle_doc(kDeprovisionCheck), "c.json", fixture::catalogue()).ok());
  CHECK(cm::parse_client_scenario(lifecycle_doc(kDeprovisionCheck, "http-01-webroot"), "c.json", fixture::catalogue()).ok());
  auto dns = cm::parse_client_scenario(lifecycle_doc(kDeprovisionCheck, "dns-01"), "c.json", fixture::catalogue());
  REQUIRE_FALSE(dns.ok());
  CHECK(dns.error().to_string().find("not HTTP-01") != std::string::npos);
  auto two = lifecycle_doc(kDeprovisionCheck);
  two["identifiers"] = {"{domain}", "www.{domain}"};
  CHECK_FALSE(cm::parse_client_scenario(two, "c.json", fixture::catalogue()).ok());
}

TEST_CASE("deprovision probe: fetches once at the first accepted finalize after a challenge response") {
  namespace cm = acmespec::clientmode;
  // A port nothing listens on: the probe records the refused connection.
  cm::Http01Probe probe("a.acmespec.test", 1, true, false);
  acmespec::mockca::Observation fin;
  fin.seq = 5;
  fin.endpoint = Endpoint::kFinalize;
  fin.method = "POST";
  fin.status = 200;
  probe.observe(fin);
  CHECK_FALSE(probe.deprovision_result());  // no challenge answered yet
  probe.observe(challenge_answer(4, "tok"));
  fin.status = 403;
  probe.observe(fin);
  CHECK_FALSE(probe.deprovision_result());  // a refused finalize does not mean the authorization is valid
  fin.status = 200;
  probe.observe(fin);
  const auto r = probe.deprovision_result();
  REQUIRE(r);
  CHECK_FALSE(probe.echo_result());  // the echo probe was not armed
  CHECK(r->trigger == "obs-5");
  CHECK(r->url == "http://a.acmespec.test:1/.well-known/acme-challenge/tok");
  CHECK(r->status == 0);
  CHECK_FALSE(r->error.empty());
  CHECK_FALSE(r->key_authorization_served);
}

TEST_CASE("deprovision probe: a resource still served on a real listener is seen, a removed one is not") {
  namespace cm = acmespec::clientmode;
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("acmespec-deprovision-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / ".well-known/acme-challenge");
  { std::ofstream(dir / ".well-known/acme-challenge/tok") << "tok.thumbprint\n"; }
  auto port = cm::free_loopback_port();
  REQUIRE(port);
  auto server = cm::SiteServer::start(dir, *port);
  REQUIRE(server);
  const auto served = cm::fetch_http01("a.acmespec.test", *port, "tok");
  CHECK(served.status == 200);
  CHECK(served.key_authorization_served);
  CHECK(served.body_head == "tok.thumbprint?");
  fs::remove(dir / ".well-known/acme-challenge/tok");
  const auto removed = cm::fetch_http01("a.acmespec.test", *port, "tok");
  CHECK(removed.status == 404);
  CHECK_FALSE(removed.key_authorization_served);
  (*server).reset();
  fs::remove_all(dir);
}

namespace {

const std::string kEchoCheck = "RFC8555-8.3-client-checks-echoed-token";

acmespec::clientmode::ClientRun with_echo(int status, bool echoed, const std::string& error = "") {
  Log l = Log::happy();
  l.run.echo_probed = true;
  l.run.echo = probe_result("obs-4", acmespec::clientmode::kEchoProbeToken, status, echoed, error);
  return l.run;
}

}  // namespace

TEST_CASE("echoed-token: a never-issued token answered 404 or not at all passes; echoed back fails") {
  const auto gone = judge(kEchoCheck, with_echo(404, false));
  CHECK(gone.kind == Judgement::held);
  CHECK(gone.message.find("answered 404 without echoing it") != std::string::npos);
  CHECK(gone.evidence == std::vector<std::string>{"obs-4", "client-process"});
  CHECK(judge(kEchoCheck, with_echo(0, false, "connect: connection refused")).kind == Judgement::held);
  const auto echoed = judge(kEchoCheck, with_echo(200, true));
  CHECK(echoed.kind == Judgement::violated);
  CHECK(echoed.message.find("answered 200 with that token in the body as a key authorization") != std::string::npos);
}

TEST_CASE("echoed-token: skipped without a probe; unfit unless the client's own HTTP-01 server answers") {
  CHECK(judge(kEchoCheck, Log::happy().run).kind == Judgement::not_applicable);
  Log armed = Log::happy();
  armed.run.echo_probed = true;
  CHECK(judge(kEchoCheck, armed.run).message.find("answered no challenge") != std::string::npos);
  namespace cm = acmespec::clientmode;
  CHECK(cm::parse_client_scenario(lifecycle_doc(kEchoCheck), "c.json", fixture::catalogue()).ok());
  auto webroot = cm::parse_client_scenario(lifecycle_doc(kEchoCheck, "http-01-webroot"), "c.json", fixture::catalogue());
  REQUIRE_FALSE(webroot.ok());
  CHECK(webroot.error().to_string().find("serves the client's files itself") != std::string::npos);
  CHECK_FALSE(cm::parse_client_scenario(lifecycle_doc(kEchoCheck, "dns-01"), "c.json", fixture::catalogue()).ok());
}

TEST_CASE("echo probe: a server that echoes any token is caught, one serving only its resource is not") {
  namespace cm = acmespec::clientmode;
  auto port = cm::free_loopback_port();
  REQUIRE(port);
  bool echo_any = true;
  httplib::Server server;
  server.Get(R"(/\.well-known/acme-challenge/(.+))", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string token = req.matches[1];
    if (echo_any || token == "tok") {
      res.set_content(token + ".thumbprint", "text/plain");
    } else {
      res.status = 404;
    }
  });
  std::thread t([&] { server.listen("127.0.0.1", *port); });
  for (int i = 0; i < 500 && !server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(server.is_running());

  const auto ch = challenge_answer(4, "tok");
  cm::Http01Probe echoing("a.acmespec.test", *port, false, true);
  echoing.observe(ch);
  auto r = echoing.echo_result();
  REQUIRE(r);
  CHECK(r->trigger == "obs-4");
  CHECK(r->status == 200);
  CHECK(r->token_echoed);
  CHECK(r->key_authorization_served);
  CHECK(r->body_head == std::string(cm::kEchoProbeToken) + ".thumbprint");
  CHECK_FALSE(echoing.deprovision_result());

  echo_any = false;
  cm::Http01Probe strict("a.acmespec.test", *port, false, true);
  strict.observe(ch);
  r = strict.echo_result();
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK_FALSE(r->token_echoed);
  CHECK(cm::fetch_http01("a.acmespec.test", *port, "tok").key_authorization_served);  // its own resource is served

  server.stop();
  t.join();
}
