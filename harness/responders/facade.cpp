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
