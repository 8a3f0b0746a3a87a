// The hostile CA (docs/security.md, "Client checks"): what a client must not
// do when the CA itself is the attacker.  Each check judges from outside the
// client: files that appeared in the webroot site or the working folder, the
// requests the mock CA saw, the exit status and the output.
#include <algorithm>

#include "clientmode/checks.hpp"

namespace acmespec::clientmode {
namespace {

using engine::Judgement;
using mockca::Endpoint;
using mockca::Observation;

const std::string kChallengeDir = "webroot/.well-known/acme-challenge";

bool hostile_is_base64url(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// Every text the fault plan makes the CA send: error details and types, the
// token, added identifiers, and the segments of decorated resource URLs both
// as sent and percent-decoded (a client that decodes a URL before logging it
// or handing it to a hook turns %1B into ESC and %60 into a backtick).
std::vector<std::string> hostile_texts(const mockca::FaultPlan& plan) {
  std::vector<std::string> out;
  for (const auto& e : plan.errors) {
    out.push_back(e.type);
    if (!e.detail.empty()) out.push_back(e.detail);
  }
  if (plan.challenge_invalid) {
    out.push_back(plan.challenge_invalid->type);
    out.push_back(plan.challenge_invalid->detail);
  }
  if (plan.challenge_token) out.push_back(*plan.challenge_token);
  out.insert(out.end(), plan.hostile_identifiers.begin(), plan.hostile_identifiers.end());
  for (const auto& segment : plan.hostile_urls) {
    out.push_back(segment);
    if (auto decoded = mockca::percent_decode(segment); decoded != segment) out.push_back(std::move(decoded));
  }
  return out;
}

std::string hostile_list(const std::vector<std::string>& items, std::size_t max = 5) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i) out += (out.empty() ? "" : ", ") + items[i];
  if (items.size() > max) out += " and " + std::to_string(items.size() - max) + " more";
  return out;
}

// ---- RFC 8555 §8.3: tokens stay inside the challenge folder ---------------

Judgement token_confined(const ClientRun& run) {
  if (!run.webroot) return Judgement::skip("the client did not run in webroot mode");
  std::vector<std::string> outside;
  int inside = 0;
  for (const auto& p : run.site_changes) {
    if (p == kChallengeDir || p.rfind(kChallengeDir + "/", 0) == 0) ++inside;
    else outside.push_back(p);
  }
  if (!outside.empty())
    return Judgement::fail("the client wrote outside " + kChallengeDir + "/ in the site folder: " + hostile_list(outside) +
                           (run.faults.challenge_token ? " (the CA's token was \"" + run.faults.challenge_token->substr(0, 80) + "\")" : ""));
  return Judgement::pass(std::to_string(inside) + " path(s) written, all inside " + kChallengeDir + "/; the canary folder beside the webroot is untouched");
}

std::optional<std::string> needs_webroot(const ClientScenario& sc) {
  if (sc.challenge == "http-01-webroot") return std::nullopt;
  return "only an http-01-webroot scenario has a webroot to escape from";
}

// The catalogue's wording: the client refuses the token and writes no file.
Judgement checks_challenge_token(const ClientRun& run) {
  if (!run.faults.challenge_token || hostile_is_base64url(*run.faults.challenge_token))
    return Judgement::skip("the CA sent base64url tokens");
  const std::string token = "\"" + run.faults.challenge_token->substr(0, 80) + "\"";
  for (const auto& o : run.observations) {
    const bool answers = is_signed(o) && o.endpoint == Endpoint::kChallenge && !o.payload_empty;
    if (answers)
      return Judgement::fail("the client answered a challenge whose token " + token + " has characters outside base64url (" +
                                 evidence_id(o) + ")",
                             {evidence_id(o)});
  }
  if (run.webroot && !run.site_changes.empty())
    return Judgement::fail("the client wrote " + hostile_list(run.site_changes) + " in the site folder for the token " + token);
  return Judgement::pass(std::string("the client answered no challenge with the malformed token") +
                         (run.webroot ? " and wrote no file in the site folder" : ""));
}

std::optional<std::string> needs_malformed_token(const ClientScenario& sc) {
  if (sc.faults.challenge_token && !hostile_is_base64url(*sc.faults.challenge_token)) return std::nullopt;
  return "the fault plan sets no challenge_token outside the base64url alphabet";
}

// ---- RFC 8555 §6.7: server text is data, never a command ------------------

Judgement no_command_from_server_text(const ClientRun& run) {
  if (!run.canaries.empty())
    return Judgement::fail("text from the CA was executed: " + hostile_list(run.canaries) +
                           " appeared in the working folder (created by a `touch` in the CA's payload)");
  return Judgement::pass("no acmespec-canary file appeared; the payloads in the CA's text were not executed");
}

std::optional<std::string> needs_canary_payload(const ClientScenario& sc) {
  for (const auto& t : hostile_texts(sc.faults))
    if (t.find("acmespec-canary") != std::string::npos) return std::nullopt;
  return "no text in the fault plan carries an acmespec-canary payload";
}

// Raw escape sequences from the plan: each ESC and up to 5 bytes after it.
std::vector<std::string> escape_sequences(const mockca::FaultPlan& plan) {
  std::vector<std::string> out;
  for (const auto& t : hostile_texts(plan))
    for (std::size_t at = t.find('\x1b'); at != std::string::npos; at = t.find('\x1b', at + 1))
      out.push_back(t.substr(at, 6));
  return out;
}

std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

Judgement filters_terminal_escapes(const ClientRun& run) {
  const auto sequences = escape_sequences(run.faults);
  if (sequences.empty()) return Judgement::skip("the CA sent no escape sequence");
  for (const auto& seq : sequences)
    if (run.output.find(seq) != std::string::npos)
      return Judgement::fail("the CA's escape sequence \"" + printable(seq) + "\" reached the client's output unfiltered");
  return Judgement::pass("none of the CA's " + std::to_string(sequences.size()) + " escape sequences reached the output raw");
}

std::optional<std::string> needs_escapes(const ClientScenario& sc) {
  if (!escape_sequences(sc.faults).empty()) return std::nullopt;
  return "no text in the fault plan carries an escape (0x1b) byte";
}

// ---- RFC 8555 §7.4.2: the certificate must be the one asked for ------------

Judgement verifies_issued_certificate(const ClientRun& run) {
  if (run.faults.certificate_mismatch.empty()) return Judgement::skip("the CA issued a faithful certificate");
  const Observation* download = nullptr;
  for (const auto& o : run.observations)
    if (o.endpoint == Endpoint::kCertificate && o.status == 200) download = &o;
  if (!download) return Judgement::skip("the client never downloaded the certificate");
  const std::string what = run.faults.certificate_mismatch == "key" ? "another key than the CSR's" : "a name the order did not have";
  if (run.timed_out || !run.exit_code)
    return Judgement::fail("the certificate (" + evidence_id(*download) + ") certifies " + what +
                           ", and the client did not end with an error status (it was killed)");
  if (*run.exit_code == 0)
    return Judgement::fail("the certificate downloaded at " + evidence_id(*download) + " certifies " + what +
                               ", yet the client exited with status 0",
                           {evidence_id(*download)});
  return Judgement::pass("the certificate certifies " + what + " and the client exited with status " +
                             std::to_string(*run.exit_code),
                         {evidence_id(*download)});
}

std::optional<std::string> needs_mismatch(const ClientScenario& sc) {
  if (!sc.faults.certificate_mismatch.empty()) return std::nullopt;
  return "the fault plan sets no certificate_mismatch";
}

// ---- RFC 8555 §7.4: an order is for the names the client asked for --------

// A name for messages: hostile identifiers may hold escapes and run long.
std::string shown_name(const std::string& name) {
  std::string out;
  for (unsigned char c : name.substr(0, 80)) out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  return name.size() > 80 ? out + "..." : out;
}

Judgement ignores_unrequested_identifiers(const ClientRun& run) {
  std::vector<std::string> extra = run.faults.extra_identifiers;
  extra.insert(extra.end(), run.faults.hostile_identifiers.begin(), run.faults.hostile_identifiers.end());
  if (extra.empty()) return Judgement::skip("the CA added no identifier to the order");
  bool ordered = false;
  std::vector<std::string> wrongs, evidence;
  for (const auto& o : run.observations) {
    ordered = ordered || (o.endpoint == Endpoint::kNewOrder && o.status == 201);
    if (is_signed(o) && o.endpoint == Endpoint::kChallenge && !o.payload_empty &&
        o.url.find("/chall/extra-") != std::string::npos) {
      wrongs.push_back("answered the challenge " + o.url + " (" + evidence_id(o) + ")");
      evidence.push_back(evidence_id(o));
    }
    for (const auto& n : o.csr_names)
      if (std::find(extra.begin(), extra.end(), n) != extra.end()) {
        wrongs.push_back("finalized a CSR naming " + shown_name(n) + " (" + evidence_id(o) + ")");
        evidence.push_back(evidence_id(o));
      }
  }
  for (auto& n : extra) n = shown_name(n);
  if (!wrongs.empty())
    return Judgement::fail("for " + hostile_list(extra) + ", which the CA added to the order, the client " +
                               hostile_list(wrongs, 3),
                           evidence);
  if (!ordered) return Judgement::skip("no order was created");
  return Judgement::pass("the client answered no challenge of " + hostile_list(extra) + " and put none of them in a CSR");
}

std::optional<std::string> needs_extra_identifiers(const ClientScenario& sc) {
  if (!sc.faults.extra_identifiers.empty() || !sc.faults.hostile_identifiers.empty()) return std::nullopt;
  return "the fault plan sets no extra_identifiers or hostile_identifiers";
}

// ---- RFC 8555 §6.1: HTTPS only, and no detour to another host -------------

// The decoy faults: the directory's first entries (directory_decoy) or the
// authorization URLs of every order (resource_decoy) lead to a listener that
// records connections.  Judged once the client has seen the hostile URLs: the
// directory answered, or an order created.
Judgement stays_off_decoy(const ClientRun& run, const std::string& kind, const std::string& what) {
  const bool directory = run.faults.directory_decoy == kind;
  if (!directory && run.faults.resource_decoy != kind) return Judgement::skip("no URL the CA handed out pointed elsewhere");
  const std::string from = directory ? "the directory" : "the order's authorization URLs";
  const Endpoint where = directory ? Endpoint::kDirectory : Endpoint::kNewOrder;
  const bool seen = std::any_of(run.observations.begin(), run.observations.end(),
                                [&](const Observation& o) { return o.endpoint == where && o.status / 100 == 2; });
  if (!run.decoy_hits.empty())
    return Judgement::fail("the client followed " + from + " to " + what + ": " + hostile_list(run.decoy_hits, 3));
  if (!seen) return Judgement::skip(directory ? "the client never fetched the directory" : "no order was created");
  return Judgement::pass("no connection reached the " + what + " " + from + " pointed at");
}

Judgement https_only(const ClientRun& run) { return stays_off_decoy(run, "http", "a plain-HTTP URL"); }
Judgement stays_on_directory_host(const ClientRun& run) { return stays_off_decoy(run, "other-host", "another host"); }

std::optional<std::string> needs_decoy(const ClientScenario& sc, const std::string& kind) {
  if (sc.faults.directory_decoy == kind || sc.faults.resource_decoy == kind) return std::nullopt;
  return "the fault plan sets neither directory_decoy nor resource_decoy to \"" + kind + "\"";
}

std::optional<std::string> needs_http_decoy(const ClientScenario& sc) { return needs_decoy(sc, "http"); }
std::optional<std::string> needs_host_decoy(const ClientScenario& sc) { return needs_decoy(sc, "other-host"); }

// ---- Bounded waiting: a hostile CA cannot keep the client forever --------

Judgement gives_up_in_time(const ClientRun& run) {
  char took[32];
  std::snprintf(took, sizeof took, "%.1f s", run.duration_s);
  const std::string bound = std::to_string(run.timeout_s) + " s";
  if (run.timed_out) return Judgement::fail("the client was still running at the " + bound + " bound and was killed");
  if (!run.exit_code) return Judgement::fail("the client died from a signal after " + std::string(took));
  if (*run.exit_code == 0) {
    if (certificate_downloaded(run)) return Judgement::pass(std::string("the client completed issuance in ") + took);
    return Judgement::fail(std::string("the client exited with status 0 after ") + took + " without a certificate");
  }
  const bool said = std::any_of(run.output.begin(), run.output.end(), [](unsigned char c) { return c > ' '; });
  if (!said)
    return Judgement::fail(std::string("the client gave up after ") + took + " (status " + std::to_string(*run.exit_code) +
                           ") without a word on its output");
  return Judgement::pass(std::string("the client gave up after ") + took + " of the " + bound + " bound with status " +
                         std::to_string(*run.exit_code) + " and said why");
}

std::optional<std::string> needs_timeout(const ClientScenario& sc) {
  if (sc.timeout_s > 0) return std::nullopt;
  return "the scenario sets no timeout to judge against";
}

}  // namespace

std::vector<ClientCheckDef> checks_hostile() {
  return {
      {"RFC8555-8.3-client-token-confined", token_confined, needs_webroot},
      {"RFC8555-8.3-client-checks-challenge-token", checks_challenge_token, needs_malformed_token},
      {"RFC8555-6.7-client-no-command-from-server-text", no_command_from_server_text, needs_canary_payload},
      {"RFC8555-6.7-client-filters-terminal-escapes", filters_terminal_escapes, needs_escapes},
      {"RFC8555-7.4.2-client-verifies-issued-certificate", verifies_issued_certificate, needs_mismatch},
      {"RFC8555-7.4-client-gives-up-in-time", gives_up_in_time, needs_timeout},
      {"RFC8555-7.4-client-ignores-unrequested-identifiers", ignores_unrequested_identifiers, needs_extra_identifiers},
      {"RFC8555-6.1-client-https-only", https_only, needs_http_decoy},
      {"RFC8555-7.1.1-client-stays-on-directory-host", stays_on_directory_host, needs_host_decoy},
  };
}

}  // namespace acmespec::clientmode
