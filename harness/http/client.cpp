#include "http/client.hpp"

#include <httplib.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include <atomic>
#include <cstdint>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "http/redact.hpp"
#include "http/url.hpp"

// Limits of the transport worth knowing (cpp-httplib 0.11.4, compiled):
//  - The status line and header block are read before any callback runs.
//    The header caps are applied as soon as the block is parsed; until then
//    memory is bounded only by how much the peer can send before the total
//    deadline (httplib itself refuses a single field line over 8 KiB once it
//    has read it).
//  - A read timeout and a reset both surface as a read error; the text below
//    tells them apart by how long the exchange had been waiting.
//  - httplib keeps response fields in a name-ordered map, so the recorded
//    field order is by name, not as on the wire.

namespace acmespec::http {
namespace {

using Clock = std::chrono::steady_clock;

std::string seconds_text(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

Status check_request(const Request& request) {
  if (!is_token(request.method)) return make_error("method", "'" + request.method + "' is not an HTTP method token");
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name)) return make_error("headers", "'" + name + "' is not a valid field name");
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return make_error("headers." + name, "field value contains CR, LF or NUL");
    }
  }
  return Ok{};
}

// OpenSSL keeps its error queue per thread; the handshake ran on this one.
std::string drain_openssl_errors() {
  std::string out;
  while (const unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

// Wakes after the deadline and shuts the socket, which is the only way to
// interrupt httplib while it is inside a read that keeps being fed.
class Watchdog {
 public:
  Watchdog(httplib::ClientImpl& client, Clock::time_point deadline)
      : thread_([this, &client, deadline] {
          std::unique_lock lock(mutex_);
          if (!cv_.wait_until(lock, deadline, [this] { return done_; })) {
            fired_ = true;
            lock.unlock();
            client.stop();
          }
        }) {}
  ~Watchdog() { finish(); }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  void finish() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  bool fired() const { return fired_; }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::atomic<bool> fired_{false};
  std::thread thread_;
};

// What the certificate verification callback saw; reachable from the
// callback through the SSL_CTX's app data.
struct TlsVerifyState {
  int error = X509_V_OK;
  int depth = -1;
};

int record_verify_failure(int preverify_ok, X509_STORE_CTX* store) {
  if (preverify_ok == 1) return 1;
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* state = ssl != nullptr ? static_cast<TlsVerifyState*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl))) : nullptr;
  if (state != nullptr && state->error == X509_V_OK) {
    state->error = X509_STORE_CTX_get_error(store);
    state->depth = X509_STORE_CTX_get_error_depth(store);
  }
  return 0;
}

// httplib's own verification is not used: its IP SAN comparison reads past
// short SAN entries (found by ASan with an IPv6 host), and its failure
// reporting loses the reason.  OpenSSL verifies chain and name during the
// handshake instead, and the callback keeps the first failure.
Result<std::unique_ptr<httplib::ClientImpl>> make_transport(const Url& url, const ClientOptions& options,
                                                            TlsVerifyState& tls_state) {
  std::unique_ptr<httplib::ClientImpl> cli;
  if (url.is_https()) {
    auto ssl = std::make_unique<httplib::SSLClient>(url.host, url.port);
    ssl->enable_server_certificate_verification(false);
    SSL_CTX* ctx = ssl->ssl_context();
    if (ctx == nullptr) return make_error("tls", "could not create a TLS context");
    if (!options.insecure) {
      const bool loaded = options.ca_bundle_path.empty()
                              ? SSL_CTX_set_default_verify_paths(ctx) == 1
                              : SSL_CTX_load_verify_locations(ctx, options.ca_bundle_path.c_str(), nullptr) == 1;
      if (!loaded) {
        const std::string detail = drain_openssl_errors();
        return make_error("tls", options.ca_bundle_path.empty()
                                     ? "could not load the system trust store" + (detail.empty() ? "" : ": " + detail)
                                     : "could not load the CA bundle '" + options.ca_bundle_path + "'" +
                                           (detail.empty() ? "" : ": " + detail));
      }
      X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
      const int named = url.is_ipv6() || url.host.find_first_not_of("0123456789.") == std::string::npos
                            ? X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str())
                            : X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), url.host.size());
      if (named != 1) return make_error("tls", "cannot verify a certificate for host '" + url.host + "'");
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      SSL_CTX_set_app_data(ctx, &tls_state);
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, record_verify_failure);
    }
    cli = std::move(ssl);
  } else {
    cli = std::make_unique<httplib::ClientImpl>(url.host, url.port);
  }
  cli->set_connection_timeout(options.connect_timeout);
  cli->set_read_timeout(options.read_timeout);
  cli->set_write_timeout(options.write_timeout);
  cli->set_keep_alive(false);
  // httplib writes the header block and the body separately; without
  // TCP_NODELAY the body waits for the ACK of the headers, which the peer
  // delays (about 40 ms on Linux) while it waits for the body.
  cli->set_tcp_nodelay(true);
  cli->set_follow_location(false);
  cli->set_url_encode(false);  // the target goes out exactly as given
  return Result<std::unique_ptr<httplib::ClientImpl>>(std::move(cli));
}

struct ReadState {
  std::string body;
  bool headers_done = false;
  bool body_capped = false;
  bool headers_capped = false;
  bool deadline_hit = false;
  std::string header_cap_reason;
  Clock::time_point last_activity;
};

std::string header_cap_violation(const httplib::Headers& headers, const ClientOptions& options) {
  if (headers.size() > options.max_response_headers) {
    return "response has " + std::to_string(headers.size()) + " header fields, over the cap of " +
           std::to_string(options.max_response_headers);
  }
  std::size_t bytes = 0;
  for (const auto& [name, value] : headers) bytes += name.size() + value.size() + 4;  // ": " and CRLF
  if (bytes > options.max_response_header_bytes) {
    return "response header fields total " + std::to_string(bytes) + " bytes, over the cap of " +
           std::to_string(options.max_response_header_bytes);
  }
  return {};
}

std::string transport_error(httplib::Error err, const Url& url, const ClientOptions& options,
                            const ReadState& state, bool watchdog_fired, Clock::time_point now,
                            const TlsVerifyState& tls_state, const std::string& ssl_errors) {
  const std::string where = url.host_port();
  const std::string phase = state.headers_done ? "the response body" : "the response status line and headers";
  const bool io_error = err == httplib::Error::Read || err == httplib::Error::Write || err == httplib::Error::Canceled;
  if (state.deadline_hit || (watchdog_fired && io_error)) {
    return "exceeded the total deadline of " + seconds_text(options.total_timeout) + " while reading " + phase +
           " from " + where;
  }
  switch (err) {
    case httplib::Error::Connection:
      return "could not connect to " + where + " (connection refused or host unreachable)";
    case httplib::Error::ConnectionTimeout:
      return "timed out after " + seconds_text(options.connect_timeout) + " connecting to " + where;
    case httplib::Error::Read: {
      const auto silent = std::chrono::duration_cast<std::chrono::milliseconds>(now - state.last_activity);
      if (silent + std::chrono::milliseconds(50) >= options.read_timeout) {
        return "timed out after " + seconds_text(options.read_timeout) + " waiting for " + phase + " from " + where;
      }
      return "connection closed or reset by " + where + " while reading " + phase;
    }
    case httplib::Error::Write:
      return "could not send the request to " + where + " (connection closed, reset, or write timeout)";
    case httplib::Error::Canceled:
      if (state.headers_capped) return state.header_cap_reason;
      if (state.body_capped) {
        return "response body exceeds the cap of " + std::to_string(options.max_response_body) +
               " bytes; read stopped there";
      }
      return "exchange canceled";
    case httplib::Error::SSLConnection:
      if (tls_state.error != X509_V_OK) {
        std::string text = "TLS certificate verification failed for " + where + ": " +
                           X509_verify_cert_error_string(tls_state.error);
        if (tls_state.error == X509_V_ERR_HOSTNAME_MISMATCH || tls_state.error == X509_V_ERR_IP_ADDRESS_MISMATCH) {
          text += " (the certificate does not name " + url.host + ")";
        }
        return text;
      }
      if (watchdog_fired) {
        return "exceeded the total deadline of " + seconds_text(options.total_timeout) + " during the TLS handshake with " +
               where;
      }
      return "TLS handshake with " + where + " failed" + (ssl_errors.empty() ? "" : ": " + ssl_errors);
    case httplib::Error::Compression:
      return "could not decode the compressed response body from " + where;
    default:
      return "transport error (" + httplib::to_string(err) + ") talking to " + where;
  }
}

Headers from_httplib(const httplib::Headers& headers) {
  Headers out;
  out.reserve(headers.size());
  for (const auto& [name, value] : headers) out.emplace_back(name, value);
  return out;
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// RFC 9110 §15.4: 303 turns into GET; 301/302 after POST do too in every
// deployed client, so the harness follows suit; 307/308 repeat the request.
Request redirected_request(const Request& previous, const std::string& location, int status,
                           const Url& from, const Url& to) {
  Request next = previous;
  next.url = location;
  const bool to_get = (status == 303 && previous.method != "HEAD") ||
                      ((status == 301 || status == 302) && previous.method == "POST");
  const bool same_origin = from.scheme == to.scheme && from.host == to.host && from.port == to.port;
  std::erase_if(next.headers, [&](const Header& h) {
    return iequals(h.first, "Host") || (to_get && (iequals(h.first, "Content-Type") || iequals(h.first, "Content-Length"))) ||
           (!same_origin && is_secret_header(h.first));
  });
  if (to_get) {
    next.method = "GET";
    next.body.clear();
  }
  return next;
}

}  // namespace

Client::Client(ClientOptions options, Transcript& transcript)
    : options_(std::move(options)), transcript_(transcript) {}

Exchange Client::perform(const Request& request) const {
  Exchange ex;
  ex.request = request;
  ex.started_at = std::chrono::system_clock::now();
  const auto start = Clock::now();
  auto finish = [&]() -> Exchange {
    ex.duration = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
    return ex;
  };

  auto url = parse_url(request.url);
  if (!url) {
    ex.error = "invalid URL '" + request.url + "': " + url.error().to_string();
    return finish();
  }
  if (auto valid = check_request(request); !valid) {
    ex.error = "invalid request: " + valid.error().to_string();
    return finish();
  }

  httplib::Request hreq;
  hreq.method = request.method;
  hreq.path = url->target();
  hreq.body = request.body;
  for (const auto& [name, value] : request.headers) hreq.headers.emplace(name, value);
  if (!hreq.has_header("Host")) hreq.headers.emplace("Host", url->authority());
  if (!hreq.has_header("User-Agent")) hreq.headers.emplace("User-Agent", user_agent());

  ERR_clear_error();
  TlsVerifyState tls_state;
  auto transport = make_transport(*url, options_, tls_state);
  if (!transport) {
    ex.error = transport.error().reason;
    return finish();
  }
  httplib::ClientImpl& cli = **transport;

  // Network time starts here: loading a trust store is not the peer's doing.
  ReadState state;
  state.last_activity = Clock::now();
  const auto deadline = state.last_activity + options_.total_timeout;
  hreq.response_handler = [&](const httplib::Response& res) {
    state.headers_done = true;
    state.last_activity = Clock::now();
    state.header_cap_reason = header_cap_violation(res.headers, options_);
    state.headers_capped = !state.header_cap_reason.empty();
    return !state.headers_capped;
  };
  hreq.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
    state.last_activity = Clock::now();
    if (state.last_activity >= deadline) {
      state.deadline_hit = true;
      return false;
    }
    const std::size_t room = options_.max_response_body - state.body.size();
    if (n > room) {
      state.body.append(data, room);
      state.body_capped = true;
      return false;
    }
    state.body.append(data, n);
    return true;
  };

  httplib::Response hres;
  httplib::Error herr = httplib::Error::Success;
  bool sent = false;
  bool fired = false;
  {
    Watchdog watchdog(cli, deadline);
    sent = cli.send(hreq, hres, herr);
    watchdog.finish();
    fired = watchdog.fired();
  }
  const std::string ssl_errors = drain_openssl_errors();

  ex.request.headers = from_httplib(hreq.headers);
  if (sent && !state.headers_done) {
    // 204, 304 and HEAD responses skip the handler; apply the caps here.
    state.header_cap_reason = header_cap_violation(hres.headers, options_);
    state.headers_capped = !state.header_cap_reason.empty();
  }
  if (sent || state.headers_done) {
    Response res;
    res.status = hres.status;
    res.version = hres.version;
    res.reason = hres.reason;
    res.headers = from_httplib(hres.headers);
    res.body = std::move(state.body);
    ex.response = std::move(res);
  }
  ex.body_truncated = state.body_capped;
  ex.headers_truncated = state.headers_capped;
  if (!sent) {
    ex.error = transport_error(herr, *url, options_, state, fired, Clock::now(), tls_state, ssl_errors);
  } else if (state.headers_capped) {
    ex.error = state.header_cap_reason;
  }
  return finish();
}

Exchange Client::send(const Request& request) {
  Request current = request;
  std::string previous_id;
  for (int hops = 0;; ++hops) {
    Exchange ex = perform(current);
    ex.redirected_from = previous_id;
    std::optional<Request> next;
    if (options_.follow_redirects && ex.ok() && is_redirect(ex.response->status)) {
      if (const auto location = ex.response->get("Location")) {
        if (hops >= options_.max_redirects) {
          ex.error = "stopped after " + std::to_string(options_.max_redirects) +
                     " redirects; this response redirects again to '" + *location + "'";
        } else if (auto target = resolve_reference(current.url, *location); !target) {
          ex.error = "cannot follow Location '" + *location + "': " + target.error().to_string();
        } else if (auto to = parse_url(*target); !to) {
          ex.error = "cannot follow Location '" + *location + "': " + to.error().to_string();
        } else {
          const auto from = parse_url(current.url);  // parsed before, in perform
          next = redirected_request(current, to->to_string(), ex.response->status, *from, *to);
        }
      }
    }
    transcript_.record(ex);
    if (!next) return ex;
    previous_id = ex.id;
    current = std::move(*next);
  }
}

}  // namespace acmespec::http
