#include "responders/tls_alpn_server.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace acmespec::responders {
namespace {

// Reads the first host_name entry of a server_name extension body.
std::string parse_sni(const unsigned char* p, std::size_t len) {
  if (len < 2) return {};
  std::size_t list = (std::size_t{p[0]} << 8) | p[1];
  std::size_t i = 2;
  const std::size_t end = std::min(len, 2 + list);
  while (i + 3 <= end) {
    const unsigned type = p[i];
    const std::size_t n = (std::size_t{p[i + 1]} << 8) | p[i + 2];
    if (i + 3 + n > end) return {};
    if (type == 0) return std::string(reinterpret_cast<const char*>(p + i + 3), n);
    i += 3 + n;
  }
  return {};
}

// Lists the protocols of an ALPN extension body (or a client's wire list).
std::vector<std::string> parse_alpn_list(const unsigned char* p, std::size_t len) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < len) {
    const std::size_t n = p[i];
    if (n == 0 || i + 1 + n > len) break;
    out.emplace_back(reinterpret_cast<const char*>(p + i + 1), n);
    i += 1 + n;
  }
  return out;
}

}  // namespace

struct TlsAlpnServer::Connection {
  enum class State { kHandshake, kDraining };
  UniqueFd fd;
  SslPtr ssl;
  State state = State::kHandshake;
  short events = POLLIN;
  std::chrono::steady_clock::time_point deadline;
  TlsHistoryEntry entry;
  bool data_recorded = false;
  bool challenge = false;
  bool no_alpn = false;
  bool recorded = false;
};

TlsAlpnServer::TlsAlpnServer(HistoryLog<TlsHistoryEntry>& history, WallClock clock)
    : history_(history), clock_(clock ? std::move(clock) : system_wall_clock()) {}

TlsAlpnServer::~TlsAlpnServer() { stop(); }

void TlsAlpnServer::add_key_authorization(std::string_view host, std::string key_authorization,
                                          TlsAlpnFaults faults) {
  TlsIdentifier id = canonical_identifier(host);
  std::lock_guard lock(mu_);
  const std::string key = id.value;
  registrations_[key] = Registration{std::move(id), std::move(key_authorization), std::move(faults)};
}

bool TlsAlpnServer::remove_key_authorization(std::string_view host) {
  std::lock_guard lock(mu_);
  return registrations_.erase(canonical_identifier(host).value) > 0;
}

void TlsAlpnServer::clear_key_authorizations() {
  std::lock_guard lock(mu_);
  registrations_.clear();
}

Status TlsAlpnServer::start(const TlsAlpnOptions& options) {
  if (running_) return make_error("tls_alpn", "already running");
  options_ = options;
  auto def = make_default_certificate();
  if (!def) return def.error().nested("tls_alpn.default_certificate");
  default_cert_ = std::move(*def);
  ctx_.reset(SSL_CTX_new(TLS_server_method()));
  if (!ctx_) return make_error("tls_alpn", ossl_error("SSL_CTX_new failed"));
  // The default and the challenge certificates both use P-256 keys, so a
  // challenge certificate installed per connection replaces the default in
  // the same slot instead of sitting beside it.
  if (SSL_CTX_use_certificate(ctx_.get(), default_cert_.cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx_.get(), default_cert_.key.get()) != 1) {
    return make_error("tls_alpn", ossl_error("installing the default certificate failed"));
  }
  SSL_CTX_set_client_hello_cb(ctx_.get(), &TlsAlpnServer::client_hello_cb, this);
  SSL_CTX_set_alpn_select_cb(ctx_.get(), &TlsAlpnServer::alpn_select_cb, this);
  SSL_CTX_set_session_cache_mode(ctx_.get(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(ctx_.get(), 0);
  if (auto st = wake_.open(); !st) return st.error().nested("tls_alpn");
  auto fd = bind_socket(options.host, options.port, SOCK_STREAM);
  if (!fd) return fd.error().nested("tls_alpn");
  listener_ = std::move(*fd);
  port_ = bound_port(listener_.get());
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
  running_ = true;
  return Status{Ok{}};
}

void TlsAlpnServer::stop() {
  if (!running_) return;
  stopping_ = true;
  wake_.signal();
  if (thread_.joinable()) thread_.join();
  listener_.reset();
  ctx_.reset();
  running_ = false;
}

int TlsAlpnServer::client_hello_cb(SSL* ssl, int* alert, void* arg) {
  auto* self = static_cast<TlsAlpnServer*>(arg);
  auto* conn = static_cast<Connection*>(SSL_get_app_data(ssl));
  if (!self || !conn) return SSL_CLIENT_HELLO_ERROR;
  return self->on_client_hello(*conn, alert);
}

int TlsAlpnServer::on_client_hello(Connection& c, int* alert) {
  SSL* ssl = c.ssl.get();
  const unsigned char* p = nullptr;
  std::size_t len = 0;
  c.entry.sni = SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) == 1
                    ? parse_sni(p, len) : std::string();
  c.entry.alpn_offered.clear();
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_application_layer_protocol_negotiation, &p,
                                &len) == 1 && len >= 2) {
    c.entry.alpn_offered = parse_alpn_list(p + 2, len - 2);
  }
  const auto& offered = c.entry.alpn_offered;
  if (std::find(offered.begin(), offered.end(), kAcmeTlsAlpn) == offered.end()) {
    c.challenge = false;
    return SSL_CLIENT_HELLO_SUCCESS;  // default certificate, no ALPN
  }
  if (c.entry.sni.empty()) {
    c.entry.outcome = "acme-tls/1 offered without SNI";
    *alert = SSL_AD_UNRECOGNIZED_NAME;
    return SSL_CLIENT_HELLO_ERROR;
  }
  const TlsIdentifier id = identifier_from_sni(c.entry.sni);
  std::optional<Registration> reg;
  {
    std::lock_guard lock(mu_);
    if (const auto it = registrations_.find(id.value); it != registrations_.end()) reg = it->second;
  }
  if (!reg) {
    c.entry.outcome = "no key authorization registered for " + id.value;
    *alert = SSL_AD_UNRECOGNIZED_NAME;
    return SSL_CLIENT_HELLO_ERROR;
  }
  auto cert = make_challenge_certificate(reg->id, reg->key_authorization, reg->faults);
  if (!cert) {
    c.entry.outcome = "certificate generation failed: " + cert.error().to_string();
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  if (SSL_use_certificate(ssl, cert->cert.get()) != 1 ||
      SSL_use_PrivateKey(ssl, cert->key.get()) != 1) {
    c.entry.outcome = ossl_error("installing the challenge certificate failed");
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  if (reg->faults.max_tls_1_1) {
    SSL_set_security_level(ssl, 0);
    SSL_set_max_proto_version(ssl, TLS1_1_VERSION);
  }
  c.challenge = true;
  c.no_alpn = reg->faults.no_alpn;
  return SSL_CLIENT_HELLO_SUCCESS;
}

int TlsAlpnServer::alpn_select_cb(SSL* ssl, const unsigned char** out, unsigned char* outlen,
                                  const unsigned char* in, unsigned int inlen, void*) {
  auto* conn = static_cast<Connection*>(SSL_get_app_data(ssl));
  if (!conn || !conn->challenge || conn->no_alpn) return SSL_TLSEXT_ERR_NOACK;
  for (unsigned int i = 0; i < inlen;) {
    const unsigned n = in[i];
    if (i + 1 + n > inlen) break;
    if (std::string_view(reinterpret_cast<const char*>(in + i + 1), n) == kAcmeTlsAlpn) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(n);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + n;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

bool TlsAlpnServer::step(Connection& c) {
  if (c.state == Connection::State::kDraining) {
    // Read through TLS rather than draining raw bytes, so application data
    // a validator sends after the handshake (RFC 8737 §4 forbids it) is
    // seen and recorded as an entry of its own.
    char buf[1024];
    ERR_clear_error();
    const int n = SSL_read(c.ssl.get(), buf, sizeof buf);
    if (n > 0) {
      if (!c.data_recorded) {
        TlsHistoryEntry e = c.entry;
        e.time = clock_();
        e.outcome = std::string(kApplicationDataAfterHandshake);
        history_.add(std::move(e));
        c.data_recorded = true;
      }
      return true;
    }
    const int err = SSL_get_error(c.ssl.get(), n);
    ERR_clear_error();
    return err == SSL_ERROR_WANT_READ;
  }
  ERR_clear_error();
  const int r = SSL_accept(c.ssl.get());
  if (r == 1) {
    c.entry.version = SSL_get_version(c.ssl.get());
    const unsigned char* alpn = nullptr;
    unsigned int alpn_len = 0;
    SSL_get0_alpn_selected(c.ssl.get(), &alpn, &alpn_len);
    c.entry.alpn_selected.assign(reinterpret_cast<const char*>(alpn), alpn ? alpn_len : 0);
    c.entry.outcome = c.challenge ? "challenge certificate" : "default certificate";
    history_.add(c.entry);
    c.recorded = true;
    // Send close_notify, then read until the peer closes (bounded by the
    // deadline) so our close does not turn into a reset the peer sees
    // before it has read the handshake.
    SSL_shutdown(c.ssl.get());
    ERR_clear_error();
    ::shutdown(c.fd.get(), SHUT_WR);
    c.state = Connection::State::kDraining;
    c.events = POLLIN;
    c.deadline = std::min(c.deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(500));
    return true;
  }
  const int err = SSL_get_error(c.ssl.get(), r);
  if (err == SSL_ERROR_WANT_READ) {
    c.events = POLLIN;
    return true;
  }
  if (err == SSL_ERROR_WANT_WRITE) {
    c.events = POLLOUT;
    return true;
  }
  if (c.entry.outcome.empty()) c.entry.outcome = ossl_error("handshake failed");
  ERR_clear_error();
  history_.add(c.entry);
  c.recorded = true;
  return false;
}

void TlsAlpnServer::loop() {
  using Clock = std::chrono::steady_clock;
  std::vector<std::unique_ptr<Connection>> conns;
  std::vector<pollfd> fds;
  while (!stopping_) {
    fds.clear();
    fds.push_back({wake_.read_fd(), POLLIN, 0});
    const bool accepting = conns.size() < options_.max_connections;
    fds.push_back({accepting ? listener_.get() : -1, POLLIN, 0});
    auto next_deadline = Clock::now() + std::chrono::seconds(1);
    for (const auto& c : conns) {
      fds.push_back({c->fd.get(), c->events, 0});
      next_deadline = std::min(next_deadline, c->deadline);
    }
    const int timeout = poll_timeout_ms(next_deadline, std::chrono::milliseconds(1000));
    if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) break;
    if (stopping_) break;

    const auto now = Clock::now();
    std::vector<bool> keep(conns.size(), true);
    for (std::size_t i = 0; i < conns.size(); ++i) {
      auto& c = *conns[i];
      if (fds[i + 2].revents != 0) keep[i] = step(c);
      if (keep[i] && now >= c.deadline) {
        if (!c.recorded) {
          c.entry.outcome = "handshake timed out";
          history_.add(c.entry);
        }
        keep[i] = false;
      }
    }
    for (std::size_t i = conns.size(); i-- > 0;) {
      if (!keep[i]) conns.erase(conns.begin() + static_cast<std::ptrdiff_t>(i));
    }

    if (accepting && (fds[1].revents & POLLIN)) {
      while (conns.size() < options_.max_connections) {
        sockaddr_storage peer{};
        socklen_t peer_len = sizeof peer;
        const int fd = ::accept4(listener_.get(), reinterpret_cast<sockaddr*>(&peer), &peer_len,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) break;
        auto c = std::make_unique<Connection>();
        c->fd.reset(fd);
        c->ssl.reset(SSL_new(ctx_.get()));
        if (!c->ssl || SSL_set_fd(c->ssl.get(), fd) != 1) {
          ERR_clear_error();
          continue;
        }
        SSL_set_app_data(c->ssl.get(), c.get());
        SSL_set_accept_state(c->ssl.get());
        c->deadline = Clock::now() + options_.handshake_timeout;
        c->entry.time = clock_();
        c->entry.source = address_to_string(peer, peer_len);
        conns.push_back(std::move(c));
      }
    }
  }
}

}  // namespace acmespec::responders
