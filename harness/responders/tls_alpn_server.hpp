// TLS-ALPN-01 challenge responder (RFC 8737), on OpenSSL directly.
//
// A ClientHello offering ALPN "acme-tls/1" gets a challenge certificate made
// on the spot for the identifier its SNI names (reverse names map to IP
// identifiers, RFC 8738 §6); the server selects "acme-tls/1", completes the
// handshake, sends close_notify and closes.  If no key authorization is
// registered for that identifier, or SNI is missing, the handshake is aborted
// with an unrecognized_name alert.  A ClientHello without "acme-tls/1" gets
// the default certificate (make_default_certificate) and no ALPN, which a
// validator must not accept.
//
// One thread runs a poll() loop over non-blocking handshakes; connections are
// capped, each has a deadline, and stop() interrupts the loop.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.hpp"
#include "responders/history.hpp"
#include "responders/net.hpp"
#include "responders/ossl.hpp"
#include "responders/tls_alpn_cert.hpp"

namespace acmespec::responders {

struct TlsAlpnOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 5001;  // Pebble's VA TLS port; 0 = pick one
  std::size_t max_connections = 32;
  std::chrono::milliseconds handshake_timeout{2000};
};

class TlsAlpnServer {
 public:
  TlsAlpnServer(HistoryLog<TlsHistoryEntry>& history, WallClock clock);
  ~TlsAlpnServer();
  TlsAlpnServer(const TlsAlpnServer&) = delete;
  TlsAlpnServer& operator=(const TlsAlpnServer&) = delete;

  Status start(const TlsAlpnOptions& options);
  void stop();
  bool running() const { return running_; }
  std::uint16_t port() const { return port_; }

  // `host` is a DNS name or an IP literal (keyed by canonical_identifier).
  void add_key_authorization(std::string_view host, std::string key_authorization,
                             TlsAlpnFaults faults = {});
  bool remove_key_authorization(std::string_view host);
  void clear_key_authorizations();

 private:
  struct Connection;
  struct Registration {
    TlsIdentifier id;
    std::string key_authorization;
    TlsAlpnFaults faults;
  };
  static int client_hello_cb(SSL* ssl, int* alert, void* arg);
  static int alpn_select_cb(SSL* ssl, const unsigned char** out, unsigned char* outlen,
                            const unsigned char* in, unsigned int inlen, void* arg);
  int on_client_hello(Connection& c, int* alert);
  void loop();
  // Advances one connection; false when it is finished and can be dropped.
  bool step(Connection& c);

  HistoryLog<TlsHistoryEntry>& history_;
  WallClock clock_;
  TlsAlpnOptions options_;
  SslCtxPtr ctx_;
  CertAndKey default_cert_;
  WakePipe wake_;
  UniqueFd listener_;
  std::atomic<bool> stopping_{false};
  bool running_ = false;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, Registration> registrations_;  // by canonical identifier value
};

}  // namespace acmespec::responders
