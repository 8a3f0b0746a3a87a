// HTTP-01 challenge responder (RFC 8555 §8.3).
//
// Serves GET /.well-known/acme-challenge/<token> with the registered key
// authorization (Content-Type application/octet-stream, as in the RFC's
// example) and 404 for anything else.  Every request, matched or not, is
// recorded with its Host header, so a test can see which names a CA checked.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "responders/history.hpp"
#include "responders/http_listener.hpp"

namespace acmespec::responders {

struct HttpRedirect {
  int status = 302;
  std::string location;
};

// Deliberate misbehaviours of one token, for tests of a CA's validator.
// Each field is one fault; all default to "behave correctly".
struct Http01Faults {
  // Serve this body instead of the registered key authorization.
  std::optional<std::string> wrong_key_authorization;
  // Answer with this status and Location header instead of the body.
  std::optional<HttpRedirect> redirect;
  // When non-zero, the body is the key authorization followed by 'A' bytes up
  // to this total length, streamed (a validator should cap what it reads).
  std::size_t oversized_body_bytes = 0;
  // Hold the answer back this long (stop() cuts the wait short).
  std::chrono::milliseconds delay{0};
};

struct Http01Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 5002;  // Pebble's VA HTTP port; 0 = pick one
  std::chrono::milliseconds read_timeout{2000};
};

class Http01Server {
 public:
  Http01Server(HistoryLog<HttpHistoryEntry>& history, WallClock clock);
  ~Http01Server();
  Http01Server(const Http01Server&) = delete;
  Http01Server& operator=(const Http01Server&) = delete;

  Status start(const Http01Options& options);
  void stop();
  bool running() const { return listener_.running(); }
  std::uint16_t port() const { return listener_.port(); }

  // Replaces any earlier registration of the token.  Tokens are URL path
  // segments: empty ones or ones containing '/' are refused.
  Status add_token(const std::string& token, std::string key_authorization,
                   Http01Faults faults = {});
  bool remove_token(const std::string& token);
  void clear_tokens();

 private:
  struct Entry {
    std::string key_authorization;
    Http01Faults faults;
  };
  void configure(httplib::Server& server);
  void handle(const httplib::Request& req, httplib::Response& res);
  // Sleeps for `d` unless stop() begins; false when interrupted.
  bool interruptible_sleep(std::chrono::milliseconds d);

  HistoryLog<HttpHistoryEntry>& history_;
  WallClock clock_;
  HttpListener listener_;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::map<std::string, Entry> tokens_;
};

}  // namespace acmespec::responders
