// The lifecycle around a challenge and the certificate (RFC 8555 §7.4.2,
// §7.5.1, §8.3): what the client asks for when it downloads the
// certificate, and how it behaves around the validation it triggered.
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "clientmode/checks.hpp"

namespace acmespec::clientmode {
namespace {

using engine::Judgement;
using mockca::Endpoint;
using mockca::Observation;
using RunAttempt = ClientRun::ValidationAttempt;

constexpr const char* kPemChain = "application/pem-certificate-chain";

std::string lifecycle_trim_lower(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out(s.substr(b, e - b));
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// How an Accept header (RFC 9110 §12.5.1) treats the PEM chain type.
enum class PemAccept { named, wildcard, absent, excluded };

PemAccept classify_accept(const std::string& accept) {
  if (lifecycle_trim_lower(accept).empty()) return PemAccept::absent;
  bool wildcard = false;
  std::size_t at = 0;
  for (int ranges = 0; at <= accept.size() && ranges < 64; ++ranges) {
    std::size_t comma = accept.find(',', at);
    if (comma == std::string::npos) comma = accept.size();
    const std::string_view range = std::string_view(accept).substr(at, comma - at);
    at = comma + 1;
    const std::size_t semi = range.find(';');
    const std::string type = lifecycle_trim_lower(range.substr(0, semi));
    bool refused = false;  // q=0 means "not acceptable"
    if (semi != std::string_view::npos) {
      const std::string params = lifecycle_trim_lower(range.substr(semi + 1));
      const std::size_t q = params.find("q=");
      if (q != std::string::npos) {
        const std::string v = params.substr(q + 2, params.find(';', q) - q - 2);
        refused = !v.empty() && v.find_first_not_of("0.") == std::string::npos;
      }
    }
    if (refused) continue;
    if (type == kPemChain) return PemAccept::named;
    if (type == "*/*" || type == "application/*") wildcard = true;
  }
  return wildcard ? PemAccept::wildcard : PemAccept::excluded;
}

// MAY: the violation is recorded as info.  Passes when every certificate
// download names application/pem-certificate-chain; a download with no
// Accept or only */* (which the server answers with the PEM chain all the
// same) and one whose Accept leaves the PEM chain out are both reported.
Judgement accepts_pem_chain(const ClientRun& run) {
  std::vector<std::string> ev;
  for (const auto& o : run.observations) {
    if (o.endpoint != Endpoint::kCertificate || o.method != "POST") continue;
    const std::string shown = "\"" + o.accept.substr(0, 120) + "\"";
    switch (classify_accept(o.accept)) {
      case PemAccept::named: ev.push_back(evidence_id(o)); break;
      case PemAccept::absent:
        return Judgement::fail(evidence_id(o) + " downloaded the certificate without an Accept header (the PEM chain is the default)",
                               {evidence_id(o)});
      case PemAccept::wildcard:
        return Judgement::fail(evidence_id(o) + " downloaded the certificate with Accept: " + shown +
                                   ", which admits the PEM chain without asking for it",
                               {evidence_id(o)});
      case PemAccept::excluded:
        return Judgement::fail(evidence_id(o) + " downloaded the certificate with Accept: " + shown + ", which leaves out " +
                                   kPemChain,
                               {evidence_id(o)});
    }
  }
  if (ev.empty()) return Judgement::skip("the client did not download a certificate");
  return Judgement::pass(std::to_string(ev.size()) + " certificate download(s) asked for " + kPemChain, ev);
}

std::optional<std::string> lifecycle_needs_download(const ClientScenario& sc) {
  if (sc.client_should == Expectation::succeed || !sc.faults.certificate_mismatch.empty()) return std::nullopt;
  return "the client is not meant to reach the certificate download in this scenario";
}

std::string lifecycle_secs(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

bool lifecycle_is_poll(const Observation& o) {
  if (o.endpoint != Endpoint::kAuthorization && o.endpoint != Endpoint::kChallenge) return false;
  return o.method == "GET" || o.method == "HEAD" || (o.method == "POST" && o.payload_empty);
}

// §7.5.1: where the client can see the validation request (its own HTTP-01
// or TLS-ALPN-01 listener), it should not poll before that request arrives.
// The scenario's validation_delay holds the VA back, so polls between the
// client's challenge response and the VA's first attempt are visible.
Judgement waits_for_validation(const ClientRun& run) {
  const auto& obs = run.observations;
  const Observation* answer = nullptr;
  for (const auto& o : obs)
    if (o.endpoint == Endpoint::kChallenge && o.method == "POST" && o.payload && o.payload->is_object()) {
      answer = &o;
      break;
    }
  if (!answer) return Judgement::skip("the client never responded to a challenge");
  const RunAttempt* first = nullptr;
  for (const auto& v : run.validation_attempts)
    if (v.at >= answer->at && (!first || v.at < first->at)) first = &v;
  if (!first) return Judgement::skip("the mock CA's VA made no validation attempt after the client's response");
  std::vector<std::string> early;
  double first_gap = 0;
  for (const auto& o : obs) {
    if (o.seq <= answer->seq || !lifecycle_is_poll(o)) continue;
    if (o.at >= first->at) break;
    if (early.empty()) first_gap = seconds_between(*answer, o);
    early.push_back(evidence_id(o));
  }
  const double wait = std::chrono::duration<double>(first->at - answer->at).count();
  if (!early.empty()) {
    std::vector<std::string> ev = {evidence_id(*answer)};
    ev.insert(ev.end(), early.begin(), early.begin() + std::min<std::size_t>(early.size(), 10));
    return Judgement::fail(std::to_string(early.size()) + " poll(s) of the authorization or challenge came before the " +
                               first->type + " validation request for " + first->identifier + " (" + lifecycle_secs(wait) +
                               " after the response " + evidence_id(*answer) + "), the first " + lifecycle_secs(first_gap) +
                               " after the response (" + early.front() + ")",
                           ev);
  }
  return Judgement::pass("no poll between the response " + evidence_id(*answer) + " and the " + first->type +
                             " validation request " + lifecycle_secs(wait) + " later",
                         {evidence_id(*answer)});
}

std::optional<std::string> lifecycle_needs_visible_validation(const ClientScenario& sc) {
  if (sc.challenge != "http-01" && sc.challenge != "tls-alpn-01")
    return "with " + sc.challenge + " the client does not receive the validation request itself";
  if (sc.validation_delay_s < 1)
    return "without validation_delay the VA's request follows the response within milliseconds, leaving nothing to judge";
  if (sc.identifiers.size() != 1) return "the scenario orders more than one name";
  if (sc.faults.challenge_invalid) return "the fault plan fails validations without a VA request (challenge_invalid)";
  return std::nullopt;
}

// §8.3: once the challenge is valid the client stops serving the resource.
// Judged from the probe client mode makes at the accepted finalize, while
// the client waits for that answer.
Judgement deprovisions_resource(const ClientRun& run) {
  if (!run.deprovision_probed) return Judgement::skip("the deprovision probe was not armed in this run");
  if (!run.deprovision)
    return Judgement::skip("no finalize was accepted after a challenge response, so the resource was not fetched again");
  const ProbeResult& d = *run.deprovision;
  const std::vector<std::string> ev = {d.trigger, "client-process"};
  if (d.key_authorization_served)
    return Judgement::fail("at the accepted finalize " + d.trigger + " the authorization was valid, yet " + d.url +
                               " still answered 200 with the key authorization (client-process deprovision_probe)",
                           ev);
  const std::string how = d.status ? "answered " + std::to_string(d.status) + " without the key authorization"
                                   : "was no longer served (" + d.error.substr(0, 160) + ")";
  return Judgement::pass("at the accepted finalize " + d.trigger + ", " + d.url + " " + how, ev);
}

std::optional<std::string> lifecycle_needs_http01_success(const ClientScenario& sc) {
  if (sc.challenge != "http-01" && sc.challenge != "http-01-webroot")
    return "the scenario's challenge is " + sc.challenge + ", not HTTP-01";
  if (sc.client_should != Expectation::succeed) return "the client is not meant to reach finalize in this scenario";
  if (sc.faults.challenge_invalid) return "the fault plan fails every validation (challenge_invalid)";
  if (sc.identifiers.size() != 1) return "the scenario orders more than one name";
  return std::nullopt;
}

// §8.3: a client that answers validation requests by echoing the token it
// is asked for checks that the token is base64url first.  Judged from the
// echo probe: when the client answers its first challenge, client mode asks
// the client's HTTP-01 server for a token the CA never issued, with '~' and
// '!'.  A client that serves only the resources it provisioned answers 404
// (or closes); one that echoes any token sends it back.
Judgement checks_echoed_token(const ClientRun& run) {
  if (!run.echo_probed) return Judgement::skip("the echo probe was not armed in this run");
  if (!run.echo) return Judgement::skip("the client answered no challenge, so its HTTP-01 server was not probed");
  const ProbeResult& e = *run.echo;
  const std::vector<std::string> ev = {e.trigger, "client-process"};
  if (e.token_echoed)
    return Judgement::fail("while the client served its challenge (" + e.trigger + "), " + e.url +
                               " (a token never issued, with '~' and '!' outside base64url) answered 200 with that token "
                               "in the body" +
                               std::string(e.key_authorization_served ? " as a key authorization" : "") +
                               " (client-process echo_probe)",
                           ev);
  const std::string how = e.status ? "answered " + std::to_string(e.status) + " without echoing it"
                                   : "got no answer (" + e.error.substr(0, 160) + ")";
  return Judgement::pass("while the client served its challenge (" + e.trigger + "), " + e.url +
                             " (a token never issued, outside base64url) " + how,
                         ev);
}

std::optional<std::string> lifecycle_needs_client_http01_server(const ClientScenario& sc) {
  if (sc.challenge == "http-01-webroot")
    return "with http-01-webroot acmespec serves the client's files itself, so no server of the client is asked";
  if (sc.challenge != "http-01") return "the scenario's challenge is " + sc.challenge + ", not HTTP-01";
  return std::nullopt;
}

}  // namespace

std::vector<ClientCheckDef> checks_lifecycle() {
  return {
      {"RFC8555-7.4.2-client-accepts-pem-chain", accepts_pem_chain, lifecycle_needs_download},
      {"RFC8555-7.5.1-client-waits-for-validation", waits_for_validation, lifecycle_needs_visible_validation},
      {"RFC8555-8.3-client-deprovisions-resource", deprovisions_resource, lifecycle_needs_http01_success},
      {"RFC8555-8.3-client-checks-echoed-token", checks_echoed_token, lifecycle_needs_client_http01_server},
  };
}

}  // namespace acmespec::clientmode
