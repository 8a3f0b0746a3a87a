#include "clientmode/http01_probe.hpp"

#include "clientmode/checks.hpp"
#include "engine/run_record.hpp"
#include "mock-ca/va_net.hpp"

namespace acmespec::clientmode {

void Http01Probe::observe(const mockca::Observation& o) {
  std::lock_guard lock(mu_);
  if (o.endpoint == mockca::Endpoint::kChallenge && o.method == "POST" && o.payload && o.payload->is_object() &&
      !o.challenge_token.empty() && token_.empty()) {
    token_ = o.challenge_token;
    if (echo_ && !echo_result_) {
      echo_result_ = fetch_http01(host_, port_, kEchoProbeToken);
      echo_result_->trigger = evidence_id(o);
    }
    return;
  }
  // An accepted finalize means every authorization of the order is valid.
  if (!deprovision_ || o.endpoint != mockca::Endpoint::kFinalize || o.method != "POST" || o.status >= 400 ||
      token_.empty() || deprovision_result_)
    return;
  deprovision_result_ = fetch_http01(host_, port_, token_);
  deprovision_result_->trigger = evidence_id(o);
}

std::optional<ProbeResult> Http01Probe::deprovision_result() const {
  std::lock_guard lock(mu_);
  return deprovision_result_;
}

std::optional<ProbeResult> Http01Probe::echo_result() const {
  std::lock_guard lock(mu_);
  return echo_result_;
}

ProbeResult fetch_http01(const std::string& host, std::uint16_t port, const std::string& token) {
  namespace d = mockca::detail;
  ProbeResult r;
  r.at = std::chrono::system_clock::now();
  const std::string path = "/.well-known/acme-challenge/" + token;
  const std::string authority = host + ":" + std::to_string(port);
  r.url = "http://" + authority + path;
  const d::Deadline deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  auto fd = d::connect_tcp("127.0.0.1", port, deadline);
  if (!fd) {
    r.error = "connect: " + fd.error().to_string();
    return r;
  }
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + authority +
                              "\r\nUser-Agent: acmespec-deprovision-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n";
  if (auto s = d::send_all(fd->get(), request, deadline); !s) {
    r.error = "send: " + s.error().to_string();
    return r;
  }
  bool truncated = false;
  auto raw = d::read_until_eof(fd->get(), 16 * 1024, deadline, &truncated);
  if (!raw) {
    r.error = "read: " + raw.error().to_string();
    return r;
  }
  auto answer = d::parse_http(*raw);
  if (!answer) {
    r.error = raw->empty() ? "the connection closed without an answer" : "not an HTTP/1.x answer: " + answer.error().to_string();
    return r;
  }
  r.status = answer->status;
  r.body_head = answer->body.substr(0, 120);
  for (auto& c : r.body_head)  // evidence is JSON text: printable ASCII only
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  r.key_authorization_served = r.status == 200 && answer->body.find(token + ".") != std::string::npos;
  r.token_echoed = r.status == 200 && answer->body.find(token) != std::string::npos;
  return r;
}

nlohmann::json probe_evidence(const ProbeResult& r) {
  return {{"trigger", r.trigger},
          {"url", r.url},
          {"at", engine::format_utc(r.at)},
          {"status", r.status},
          {"error", r.error},
          {"key_authorization_served", r.key_authorization_served},
          {"token_echoed", r.token_echoed},
          {"body_head", r.body_head}};
}

}  // namespace acmespec::clientmode
