// HTTP-01 redirects that leave the validation port or HTTP itself (RFC 8555
// §8.3 and §10.4).  The token path answers a 302 towards a second listener of
// acmespec's responders that serves the right key authorization, so a
// validator that follows would validate; the responders' history (each HTTP
// entry carries the port it arrived on) shows whether it went there.
#include <string>
#include <vector>

#include "common/json_access.hpp"
#include "server/check.hpp"

namespace acmespec::server {

using engine::Judgement;
using nlohmann::json;

namespace {

using json_access::arr;
using json_access::member;
using json_access::obj;
using json_access::str;

// An integer member, or 0.
long long integer_of(const json& j, const char* name) {
  const json& v = member(j, name);
  return v.is_number_integer() ? v.get<long long>() : 0;
}

// What the responders saw of one redirected validation.
struct RedirectEvidence {
  long long http01_port = 0;    // where the token path answered the 302
  long long redirect_port = 0;  // the second listener named by the Location
  std::string location;
  std::size_t redirects_served = 0;  // 3xx answers on the HTTP-01 port
  std::size_t reached_target = 0;    // requests that arrived on the redirect port
};

RedirectEvidence redirect_evidence(const json& authorization) {
  RedirectEvidence ev;
  const json& provisioned = obj(authorization, "provisioned");
  ev.http01_port = integer_of(provisioned, "http01_port");
  ev.redirect_port = integer_of(provisioned, "redirect_port");
  ev.location = str(provisioned, "location");
  for (const auto& e : arr(authorization, "validation")) {
    const long long port = integer_of(e, "port");
    const long long status = integer_of(e, "status");
    if (ev.redirect_port != 0 && port == ev.redirect_port) ++ev.reached_target;
    else if (port == ev.http01_port && status >= 300 && status < 400) ++ev.redirects_served;
  }
  return ev;
}

// The authorizations whose challenge was answered in this step.
std::vector<json> redirected_authorizations(const Observation& o) {
  std::vector<json> out;
  for (const auto& a : arr(o.facts, "authorizations"))
    if (a.contains("challenge") && a.contains("response_status")) out.push_back(a);
  return out;
}

std::string redirected_identifier(const json& a) { return str(obj(obj(a, "before"), "identifier"), "value"); }

// The error of the answered challenge in the final authorization, as text.
std::string redirect_error_of(const json& a) {
  const std::string url = str(obj(a, "challenge"), "url");
  for (const auto& ch : arr(obj(a, "after"), "challenges")) {
    if (str(ch, "url") != url) continue;
    const json& e = obj(ch, "error");
    if (str(e, "type").empty()) return "";
    return str(e, "type") + (str(e, "detail").empty() ? "" : ": " + str(e, "detail").substr(0, 160));
  }
  return "";
}

std::string requests(std::size_t n) { return std::to_string(n) + (n == 1 ? " request" : " requests"); }

// Ports a validator may reasonably be sent to: 80 and 443 as in production,
// and the HTTP-01 port the target is configured to validate on.
bool port_allowed(long long port, long long http01_port) { return port == 80 || port == 443 || port == http01_port; }

std::optional<Judgement> evidence_unusable(const RedirectEvidence& ev) {
  if (ev.redirect_port == 0 || ev.http01_port == 0)
    return Judgement::error("the step's responder facts name no redirect port (the fault was not provisioned)");
  if (port_allowed(ev.redirect_port, ev.http01_port))
    return Judgement::error("the redirect port " + std::to_string(ev.redirect_port) + " is one a validator may use");
  return std::nullopt;
}

// §10.4 (SHOULD, a policy): a 302 from the token path to the same host on
// another port is not followed, and the challenge ends invalid.
Judgement redirect_other_port_refused(const Observation& o) {
  auto all = redirected_authorizations(o);
  if (all.empty()) return Judgement::skip("no challenge was answered");
  std::size_t refused = 0;
  std::string open;
  for (const auto& a : all) {
    const RedirectEvidence ev = redirect_evidence(a);
    if (auto j = evidence_unusable(ev)) return *j;
    const std::string status = str(obj(a, "after"), "status");
    const std::string ports = "allowed are " + std::to_string(ev.http01_port) + " (the HTTP-01 port), 80 and 443";
    if (ev.reached_target > 0)
      return Judgement::fail("the validator followed the 302 for " + redirected_identifier(a) + " to port " + std::to_string(ev.redirect_port) +
                             ": " + requests(ev.reached_target) + " reached it (" + std::to_string(ev.redirects_served) +
                             " redirect(s) served on the HTTP-01 port) and the authorization ended \"" + status + "\"; " + ports);
    if (status == "valid")
      return Judgement::fail("the authorization for " + redirected_identifier(a) + " became valid although the token path answered only a 302 to port " +
                             std::to_string(ev.redirect_port) + " and no request reached that port");
    if (status != "invalid") {
      open = redirected_identifier(a) + " still \"" + status + "\"";
      continue;
    }
    if (ev.redirects_served == 0)
      return Judgement::skip("no validation request reached the HTTP-01 port, so the redirect to port " + std::to_string(ev.redirect_port) +
                             " was never served");
    ++refused;
  }
  if (refused == 0) return Judgement::skip("validation had not concluded when polling stopped: " + open);
  const std::string why = redirect_error_of(all.front());
  return Judgement::pass(std::to_string(refused) + " authorization(s) refused: the validator received the 302 to port " +
                         std::to_string(redirect_evidence(all.front()).redirect_port) + " and did not follow it" +
                         (why.empty() ? "" : " (" + why + ")"));
}

// §8.3 and §10.4: a 302 to a non-HTTP scheme cannot lead to the HTTP response
// validation requires; the challenge ends invalid, without an internal error
// and without hanging.
Judgement redirect_bad_scheme_refused(const Observation& o) {
  auto all = redirected_authorizations(o);
  if (all.empty()) return Judgement::skip("no challenge was answered");
  const bool timed_out = o.facts.value("poll_timed_out", false);
  std::size_t refused = 0;
  std::string open;
  for (const auto& a : all) {
    const RedirectEvidence ev = redirect_evidence(a);
    if (auto j = evidence_unusable(ev)) return *j;
    const std::string who = redirected_identifier(a);
    const long long answered = integer_of(a, "response_status");
    if (answered >= 500) return Judgement::fail("answering the challenge for " + who + " got HTTP " + std::to_string(answered));
    for (const auto& p : arr(a, "polls"))
      if (integer_of(p, "http") >= 500)
        return Judgement::fail("polling the authorization for " + who + " after the redirect to " + ev.location + " got HTTP " +
                               std::to_string(integer_of(p, "http")));
    if (answered != 200) return Judgement::skip("the challenge response for " + who + " was refused with HTTP " + std::to_string(answered));
    const std::string status = str(obj(a, "after"), "status");
    if (ev.reached_target > 0)
      return Judgement::fail("the validator fetched " + ev.location + " over plain HTTP, ignoring its scheme: " + requests(ev.reached_target) +
                             " reached port " + std::to_string(ev.redirect_port) + " and the authorization ended \"" + status + "\"");
    if (status == "valid") return Judgement::fail("the authorization for " + who + " became valid through a redirect to " + ev.location);
    if (ev.redirects_served == 0)
      return Judgement::skip("no validation request reached the HTTP-01 port, so the redirect to " + ev.location + " was never served");
    if (status == "invalid") {
      ++refused;
      continue;
    }
    const std::string error = redirect_error_of(a);
    if (timed_out && error.empty())
      return Judgement::fail("the authorization for " + who + " was still \"" + status + "\" when polling stopped, with no error recorded, after the " +
                             "validator received the redirect to " + ev.location);
    open = who + " still \"" + status + "\"" + (error.empty() ? "" : " after an error (" + error + "), so it may be retrying");
  }
  if (refused == 0) return Judgement::skip("validation had not concluded when polling stopped: " + open);
  const std::string why = redirect_error_of(all.front());
  return Judgement::pass(std::to_string(refused) + " authorization(s) refused after the redirect to " + redirect_evidence(all.front()).location +
                         (why.empty() ? "" : " (" + why + ")"));
}

}  // namespace

std::vector<CheckDef> checks_redirects() {
  return {
      {"RFC8555-10.4-validation-redirect-other-port-refused", {}, redirect_other_port_refused, {"redirect-other-port"}},
      {"RFC8555-10.4-validation-redirect-bad-scheme-refused", {}, redirect_bad_scheme_refused, {"redirect-bad-scheme"}},
  };
}

}  // namespace acmespec::server
