// Management API of the responders: lets another process (an ACME client's
// hook, a Python test, the CLI) register challenge answers and read the
// request history.  Plain HTTP on loopback, JSON bodies, default
// 127.0.0.1:8055.  The shapes are acmespec's own (in the spirit of Pebble's
// pebble-challtestsrv, not compatible with it).
//
//   GET  /health                  -> 200 {"status":"ok","http01_port":N,"tls_alpn_port":N,"dns_port":N}
//   POST /http-01                 {"token":T,"content":KEYAUTH[,"faults":HF]}   add/replace a token
//   DELETE /http-01/<token>       remove one token (404 if unknown)
//   POST /clear-http-01           {"token":T} removes T; {} or no body removes all
//   POST /tls-alpn-01             {"host":H,"content":KEYAUTH[,"faults":TF]}    H: DNS name or IP
//   POST /clear-tls-alpn-01       {"host":H} removes H; {} or no body removes all
//   POST /set-txt                 {"host":H,"value":V}          adds V to H's TXT set
//   POST /clear-txt               {"host":H}
//   POST /set-a                   {"host":H,"addresses":[...]}  per-name override ([] = none)
//   POST /set-aaaa                {"host":H,"addresses":[...]}
//   POST /clear-a, /clear-aaaa    {"host":H}                    back to the defaults
//   POST /set-default-a, /set-default-aaaa   {"addresses":[...]}
//   POST /set-caa                 {"host":H,"flags":0-255,"tag":T,"value":V}   adds a CAA record
//   POST /clear-caa               {"host":H}
//   GET  /history[?kind=http|dns|tls]   all kinds as an object, or one kind as an array
//   POST /clear-history
//
//   HF (HTTP-01 faults): {"wrong_key_authorization":S, "redirect":{"status":N,"location":URL},
//                         "oversized_body_bytes":N, "delay_ms":N}         every member optional
//   TF (TLS-ALPN-01 faults): {"legacy_oid":B, "non_critical":B, "extra_san":S,
//                             "wrong_digest":B, "no_alpn":B, "max_tls_1_1":B}
//
// Success is 200 {"status":"ok"} (or the requested document).  A bad request
// is 400 {"error":REASON,"path":JSON_PATH}; an unknown route is 404 with the
// same shape.  Request bodies are capped at 64 KiB and parsed with
// acmespec::parse_json (depth limit, duplicate keys refused).
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "responders/facade.hpp"
#include "responders/http_listener.hpp"

namespace acmespec::responders {

// The body parsers of the API, exposed so they can be tested (and fuzzed)
// without a socket.  Errors carry the JSON path of the offending member.
Result<Http01Faults> parse_http01_faults(const nlohmann::json& j, const std::string& path);
Result<TlsAlpnFaults> parse_tls_alpn_faults(const nlohmann::json& j, const std::string& path);

class ManagementApi {
 public:
  explicit ManagementApi(Responders& responders) : responders_(responders) {}
  ~ManagementApi() { stop(); }
  ManagementApi(const ManagementApi&) = delete;
  ManagementApi& operator=(const ManagementApi&) = delete;

  Status start(const ManagementOptions& options);
  void stop() { listener_.stop(); }
  std::uint16_t port() const { return listener_.port(); }

 private:
  void configure(httplib::Server& server);

  Responders& responders_;
  HttpListener listener_;
};

}  // namespace acmespec::responders
