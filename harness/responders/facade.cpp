#include "responders/facade.hpp"

#include "responders/management_api.hpp"

namespace acmespec::responders {

std::optional<HistoryKind> parse_history_kind(std::string_view text) {
  if (text == "http") return HistoryKind::kHttp;
  if (text == "dns") return HistoryKind::kDns;
  if (text == "tls") return HistoryKind::kTls;
  return std::nullopt;
}

Responders::Responders(RespondersConfig config)
    : config_(std::move(config)),
      http_history_(config_.history_capacity),
      dns_history_(config_.history_capacity),
      tls_history_(config_.history_capacity),
      http01_(http_history_, config_.clock),
      http01_alternate_(http_history_, config_.clock),
      tls_alpn_(tls_history_, config_.clock),
      dns_(zone_, dns_history_, config_.clock) {}

Responders::~Responders() { stop(); }

Status Responders::start() {
  if (running_) return make_error("responders", "already running");
  if (auto st = zone_.set_default_a(config_.default_a); !st) return st.error().nested("default_a");
  if (auto st = zone_.set_default_aaaa(config_.default_aaaa); !st) {
    return st.error().nested("default_aaaa");
  }
  zone_.set_ttl(config_.dns_ttl);
  running_ = true;  // so that stop() below undoes a partial start
  auto fail = [this](const Error& e) {
    stop();
    return Status{e};
  };
  if (config_.enable_http01) {
    if (auto st = http01_.start(config_.http01); !st) return fail(st.error());
  }
  if (config_.enable_tls_alpn) {
    if (auto st = tls_alpn_.start(config_.tls_alpn); !st) return fail(st.error());
  }
  if (config_.enable_dns) {
    if (auto st = dns_.start(config_.dns); !st) return fail(st.error());
  }
  if (config_.enable_management) {
    management_ = std::make_unique<ManagementApi>(*this);
    if (auto st = management_->start(config_.management); !st) return fail(st.error());
  }
  return Status{Ok{}};
}

void Responders::stop() {
  if (!running_) return;
  // The management API first: its handlers call into the other servers.
  if (management_) {
    management_->stop();
    management_.reset();
  }
  dns_.stop();
  tls_alpn_.stop();
  http01_alternate_.stop();
  http01_.stop();
  running_ = false;
}

std::uint16_t Responders::management_port() const {
  return management_ ? management_->port() : 0;
}

Status Responders::add_http01_token(const std::string& token, std::string key_authorization,
                                    Http01Faults faults) {
  return http01_.add_token(token, std::move(key_authorization), std::move(faults));
}

void Responders::add_tls_alpn_key_authorization(std::string_view host,
                                                std::string key_authorization,
                                                TlsAlpnFaults faults) {
  tls_alpn_.add_key_authorization(host, std::move(key_authorization), std::move(faults));
}

void Responders::clear_http01_tokens() {
  http01_.clear_tokens();
  http01_alternate_.clear_tokens();
}

Result<std::uint16_t> Responders::start_http01_alternate() {
  std::lock_guard lock(alternate_mu_);
  if (http01_alternate_.running()) return http01_alternate_.port();
  if (!running_ || !http01_.running()) {
    return make_error("http01_alternate", "the HTTP-01 responder is not running");
  }
  Http01Options options = config_.http01;
  options.port = 0;
  if (auto st = http01_alternate_.start(options); !st) return st.error();
  const std::uint16_t port = http01_alternate_.port();
  if (port == 80 || port == 443 || port == http01_.port()) {  // not from port 0, but cheap to rule out
    http01_alternate_.stop();
    return make_error("http01_alternate", "picked port " + std::to_string(port) + ", which validation may use");
  }
  return port;
}

Status Responders::add_http01_alternate_token(const std::string& token,
                                              std::string key_authorization) {
  return http01_alternate_.add_token(token, std::move(key_authorization));
}

bool Responders::remove_tls_alpn_key_authorization(std::string_view host) {
  return tls_alpn_.remove_key_authorization(host);
}

nlohmann::json Responders::history() const {
  return {{"http", http_history_.to_json_array()},
          {"dns", dns_history_.to_json_array()},
          {"tls", tls_history_.to_json_array()}};
}

nlohmann::json Responders::history(HistoryKind kind) const {
  switch (kind) {
    case HistoryKind::kHttp: return http_history_.to_json_array();
    case HistoryKind::kDns: return dns_history_.to_json_array();
    case HistoryKind::kTls: return tls_history_.to_json_array();
  }
  return nlohmann::json::array();
}

void Responders::clear_history() {
  http_history_.clear();
  dns_history_.clear();
  tls_history_.clear();
}

}  // namespace acmespec::responders
