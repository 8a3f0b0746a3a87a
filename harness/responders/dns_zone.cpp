#include "responders/dns_zone.hpp"

#include <arpa/inet.h>
#include <cctype>

namespace acmespec::responders {
namespace {

std::string address_text(const std::string& bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  const int family = bytes.size() == 4 ? AF_INET : AF_INET6;
  ::inet_ntop(family, bytes.data(), text, sizeof text);
  return text;
}

}  // namespace

std::string normalize_dns_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out(name);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

DnsZone::DnsZone() {
  default_a_.push_back(std::string("\x7f\x00\x00\x01", 4));
}

Result<DnsZone::Addresses> DnsZone::parse_addresses(const std::vector<std::string>& text,
                                                    int family) {
  Addresses out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char buf[16];
    if (::inet_pton(family, text[i].c_str(), buf) != 1) {
      return make_error("addresses[" + std::to_string(i) + "]",
                        std::string("not an ") + (family == AF_INET ? "IPv4" : "IPv6") +
                            " address: " + text[i]);
    }
    out.emplace_back(reinterpret_cast<const char*>(buf), family == AF_INET ? 4 : 16);
  }
  return out;
}

Status DnsZone::set_default_a(const std::vector<std::string>& addresses) {
  auto parsed = parse_addresses(addresses, AF_INET);
  if (!parsed) return parsed.error();
  std::lock_guard lock(mu_);
  default_a_ = std::move(*parsed);
  return Status{Ok{}};
}

Status DnsZone::set_default_aaaa(const std::vector<std::string>& addresses) {
  auto parsed = parse_addresses(addresses, AF_INET6);
  if (!parsed) return parsed.error();
  std::lock_guard lock(mu_);
  default_aaaa_ = std::move(*parsed);
  return Status{Ok{}};
}

Status DnsZone::set_a(std::string_view host, const std::vector<std::string>& addresses) {
  auto parsed = parse_addresses(addresses, AF_INET);
  if (!parsed) return parsed.error();
  std::lock_guard lock(mu_);
  a_[normalize_dns_name(host)] = std::move(*parsed);
  return Status{Ok{}};
}

Status DnsZone::set_aaaa(std::string_view host, const std::vector<std::string>& addresses) {
  auto parsed = parse_addresses(addresses, AF_INET6);
  if (!parsed) return parsed.error();
  std::lock_guard lock(mu_);
  aaaa_[normalize_dns_name(host)] = std::move(*parsed);
  return Status{Ok{}};
}

void DnsZone::clear_a(std::string_view host) {
  std::lock_guard lock(mu_);
  a_.erase(normalize_dns_name(host));
}

void DnsZone::clear_aaaa(std::string_view host) {
  std::lock_guard lock(mu_);
  aaaa_.erase(normalize_dns_name(host));
}

void DnsZone::add_txt(std::string_view host, std::string value) {
  std::lock_guard lock(mu_);
  txt_[normalize_dns_name(host)].push_back(std::move(value));
}

void DnsZone::clear_txt(std::string_view host) {
  std::lock_guard lock(mu_);
  txt_.erase(normalize_dns_name(host));
}

void DnsZone::add_caa(std::string_view host, CaaRecord record) {
  std::lock_guard lock(mu_);
  caa_[normalize_dns_name(host)].push_back(std::move(record));
}

void DnsZone::clear_caa(std::string_view host) {
  std::lock_guard lock(mu_);
  caa_.erase(normalize_dns_name(host));
}

void DnsZone::clear_all() {
  std::lock_guard lock(mu_);
  a_.clear();
  aaaa_.clear();
  txt_.clear();
  caa_.clear();
}

void DnsZone::set_ttl(std::uint32_t ttl) {
  std::lock_guard lock(mu_);
  ttl_ = ttl;
}

void DnsZone::append_records(const std::string& name, std::uint16_t type, DnsAnswers& out) const {
  auto addresses = [&](const std::map<std::string, Addresses>& overrides,
                       const Addresses& fallback) -> const Addresses& {
    const auto it = overrides.find(name);
    return it == overrides.end() ? fallback : it->second;
  };
  switch (type) {
    case dns_type::kA:
      for (const auto& a : addresses(a_, default_a_)) out.answers.push_back(make_a_record(a, ttl_));
      break;
    case dns_type::kAaaa:
      for (const auto& a : addresses(aaaa_, default_aaaa_)) out.answers.push_back(make_aaaa_record(a, ttl_));
      break;
    case dns_type::kTxt:
      if (const auto it = txt_.find(name); it != txt_.end()) {
        for (const auto& v : it->second) out.answers.push_back(make_txt_record(v, ttl_));
      }
      break;
    case dns_type::kCaa:
      if (const auto it = caa_.find(name); it != caa_.end()) {
        for (const auto& c : it->second) {
          out.answers.push_back(make_caa_record(c.flags, c.tag, c.value, ttl_));
        }
      }
      break;
    default:
      break;
  }
}

DnsAnswers DnsZone::answer(const DnsQuery& query) const {
  DnsAnswers out;
  if (query.opcode != 0) {
    out.rcode = dns_rcode::kNotImp;
    return out;
  }
  if (query.questions.size() != 1) {
    out.rcode = dns_rcode::kFormErr;
    return out;
  }
  if (query.edns && query.edns->version != 0) {
    out.rcode = dns_rcode::kBadVers;
    return out;
  }
  const auto& q = query.questions.front();
  if (q.klass != kDnsClassIn && q.klass != kDnsClassAny) {
    out.rcode = dns_rcode::kRefused;
    return out;
  }
  const std::string name = q.name();
  std::lock_guard lock(mu_);
  if (q.type == dns_type::kAny) {
    for (const auto t : {dns_type::kA, dns_type::kAaaa, dns_type::kTxt, dns_type::kCaa}) {
      append_records(name, t, out);
    }
  } else {
    append_records(name, q.type, out);
  }
  return out;
}

nlohmann::json DnsZone::to_json() const {
  std::lock_guard lock(mu_);
  auto addr_list = [](const Addresses& list) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& a : list) arr.push_back(address_text(a));
    return arr;
  };
  nlohmann::json out{{"default_a", addr_list(default_a_)}, {"default_aaaa", addr_list(default_aaaa_)}};
  out["a"] = nlohmann::json::object();
  for (const auto& [k, v] : a_) out["a"][k] = addr_list(v);
  out["aaaa"] = nlohmann::json::object();
  for (const auto& [k, v] : aaaa_) out["aaaa"][k] = addr_list(v);
  out["txt"] = nlohmann::json::object();
  for (const auto& [k, v] : txt_) out["txt"][k] = v;
  out["caa"] = nlohmann::json::object();
  for (const auto& [k, v] : caa_) {
    for (const auto& c : v) out["caa"][k].push_back({{"flags", c.flags}, {"tag", c.tag}, {"value", c.value}});
  }
  return out;
}

}  // namespace acmespec::responders
