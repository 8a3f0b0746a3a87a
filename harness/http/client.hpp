// The HTTP(S) client the harness talks to servers under test with.
//
// Servers under test may be broken or hostile, so every wait is bounded
// (connect, each read, each write, and the whole exchange), the response
// body and headers are capped, and every failure comes back as text in the
// Exchange instead of an exception.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "http/message.hpp"
#include "http/transcript.hpp"

namespace acmespec::http {

struct ClientOptions {
  // TLS: the system trust store unless ca_bundle_path names a PEM file, in
  // which case only that bundle is trusted.  Verification (chain and host
  // name, including IP SANs) is on unless `insecure` is set.
  std::string ca_bundle_path;
  bool insecure = false;

  std::chrono::milliseconds connect_timeout{10'000};
  // Per socket wait: how long the peer may stay silent.
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  // Whole exchange, from before connecting to the last body byte; this is
  // what stops a peer that drips one byte at a time.  It is enforced once the
  // TCP connect and TLS handshake are done (those are bounded by
  // connect_timeout per step).
  std::chrono::milliseconds total_timeout{60'000};

  // The body is read up to this many bytes; more aborts the read, keeps the
  // first max_response_body bytes and marks the exchange truncated.
  std::size_t max_response_body = 4u << 20;
  // Checked once the header block has been parsed (see the transport notes
  // at the top of client.cpp): more fields or bytes abort the exchange.
  std::size_t max_response_headers = 100;
  std::size_t max_response_header_bytes = 64u << 10;

  // Off by default: ACME clients must see 3xx responses as they are.  When
  // on, at most max_redirects hops are followed, each recorded as its own
  // exchange linked by redirected_from.
  bool follow_redirects = false;
  int max_redirects = 5;

  std::string version = "0.1.0";  // User-Agent: acmespec/<version>
};

// Use from one thread at a time (each send owns its connection, so separate
// Client objects may run in parallel and share one Transcript).  A new
// connection is made per exchange with "Connection: close": a hostile server
// cannot poison later exchanges through a kept-alive socket, at the price of
// a handshake per request.
class Client {
 public:
  Client(ClientOptions options, Transcript& transcript);

  // Always returns an Exchange, already recorded in the transcript.  Success
  // is `ok()`; otherwise `error` says what went wrong (invalid URL or header,
  // refused, timed out, reset, TLS failure with the verification reason, body
  // or header cap, total deadline, redirect limit).  With redirects followed,
  // this is the last hop.
  Exchange send(const Request& request);

  const ClientOptions& options() const { return options_; }
  std::string user_agent() const { return "acmespec/" + options_.version; }

 private:
  Exchange perform(const Request& request) const;

  ClientOptions options_;
  Transcript& transcript_;
};

}  // namespace acmespec::http
