#include "responders/management_api.hpp"

#include <functional>
#include <limits>

#include "common/json.hpp"

namespace acmespec::responders {
namespace {

using nlohmann::json;

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void reply_error(httplib::Response& res, int status, const Error& e) {
  reply(res, status, json{{"error", e.reason}, {"path", e.path}});
}

Result<json> parse_body(const httplib::Request& req, bool allow_empty) {
  if (req.body.empty()) {
    if (allow_empty) return json::object();
    return make_error("", "request body must be a JSON object");
  }
  JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_depth = 8;
  auto parsed = parse_json(req.body, limits);
  if (!parsed) return parsed.error();
  if (!parsed->is_object()) return make_error("", "request body must be a JSON object");
  return std::move(*parsed);
}

Result<std::string> get_string(const json& j, const std::string& key) {
  const auto it = j.find(key);
  if (it == j.end()) return make_error(key, "required member is missing");
  if (!it->is_string()) return make_error(key, "must be a string");
  return it->get<std::string>();
}

Result<bool> get_bool(const json& j, const std::string& key, const std::string& path) {
  const auto it = j.find(key);
  if (it == j.end()) return false;
  if (!it->is_boolean()) return make_error(json_path(path, key), "must be a boolean");
  return it->get<bool>();
}

Result<std::uint64_t> get_uint(const json& j, const std::string& key, const std::string& path,
                               std::uint64_t max) {
  const auto it = j.find(key);
  if (it == j.end()) return make_error(json_path(path, key), "required member is missing");
  if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<std::int64_t>() >= 0)) {
    return make_error(json_path(path, key), "must be a non-negative integer");
  }
  const auto v = it->get<std::uint64_t>();
  if (v > max) return make_error(json_path(path, key), "must be at most " + std::to_string(max));
  return v;
}

Result<std::vector<std::string>> get_string_array(const json& j, const std::string& key) {
  const auto it = j.find(key);
  if (it == j.end()) return make_error(key, "required member is missing");
  if (!it->is_array()) return make_error(key, "must be an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) return make_error(json_index(key, i), "must be a string");
    out.push_back((*it)[i].get<std::string>());
  }
  return out;
}

Status check_members(const json& j, const std::string& path,
                     std::initializer_list<std::string_view> known) {
  for (const auto& [k, v] : j.items()) {
    bool ok = false;
    for (const auto name : known) ok = ok || k == name;
    if (!ok) return make_error(json_path(path, k), "unknown member");
  }
  return Status{Ok{}};
}

}  // namespace

Result<Http01Faults> parse_http01_faults(const json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "must be an object");
  if (auto st = check_members(j, path, {"wrong_key_authorization", "redirect",
                                        "oversized_body_bytes", "delay_ms"}); !st) {
    return st.error();
  }
  Http01Faults f;
  if (j.contains("wrong_key_authorization")) {
    auto v = get_string(j, "wrong_key_authorization");
    if (!v) return v.error().nested(path);
    f.wrong_key_authorization = *v;
  }
  if (j.contains("redirect")) {
    const auto& r = j.at("redirect");
    const std::string rpath = json_path(path, "redirect");
    if (!r.is_object()) return make_error(rpath, "must be an object");
    if (auto st = check_members(r, rpath, {"status", "location"}); !st) return st.error();
    auto location = get_string(r, "location");
    if (!location) return location.error().nested(rpath);
    HttpRedirect redirect{302, *location};
    if (r.contains("status")) {
      auto status = get_uint(r, "status", rpath, 599);
      if (!status) return status.error();
      if (*status < 300) return make_error(json_path(rpath, "status"), "must be a 3xx status");
      redirect.status = static_cast<int>(*status);
    }
    f.redirect = redirect;
  }
  if (j.contains("oversized_body_bytes")) {
    auto v = get_uint(j, "oversized_body_bytes", path, std::uint64_t{1} << 32);
    if (!v) return v.error();
    f.oversized_body_bytes = static_cast<std::size_t>(*v);
  }
  if (j.contains("delay_ms")) {
    auto v = get_uint(j, "delay_ms", path, 600000);
    if (!v) return v.error();
    f.delay = std::chrono::milliseconds(*v);
  }
  return f;
}

Result<TlsAlpnFaults> parse_tls_alpn_faults(const json& j, const std::string& path) {
  if (!j.is_object()) return make_error(path, "must be an object");
  if (auto st = check_members(j, path, {"legacy_oid", "non_critical", "extra_san", "wrong_digest",
                                        "no_alpn", "max_tls_1_1"}); !st) {
    return st.error();
  }
  TlsAlpnFaults f;
  for (const auto& [name, field] :
       std::initializer_list<std::pair<const char*, bool TlsAlpnFaults::*>>{
           {"legacy_oid", &TlsAlpnFaults::legacy_oid},
           {"non_critical", &TlsAlpnFaults::non_critical},
           {"wrong_digest", &TlsAlpnFaults::wrong_digest},
           {"no_alpn", &TlsAlpnFaults::no_alpn},
           {"max_tls_1_1", &TlsAlpnFaults::max_tls_1_1}}) {
    auto v = get_bool(j, name, path);
    if (!v) return v.error();
    f.*field = *v;
  }
  if (j.contains("extra_san")) {
    auto v = get_string(j, "extra_san");
    if (!v) return v.error().nested(path);
    f.extra_san = *v;
  }
  return f;
}

Status ManagementApi::start(const ManagementOptions& options) {
  HttpListenerOptions lo;
  lo.host = options.host;
  lo.port = options.port;
  lo.max_body_bytes = 64 * 1024;
  return listener_.start("management", lo, [this](httplib::Server& s) { configure(s); });
}

void ManagementApi::configure(httplib::Server& server) {
  Responders& r = responders_;
  // Each route body returns a Status; errors become 400 with the JSON path.
  using Body = std::function<Status(const json&)>;
  auto post = [&server](const std::string& pattern, bool allow_empty, Body body) {
    server.Post(pattern, [allow_empty, body](const httplib::Request& req, httplib::Response& res) {
      auto parsed = parse_body(req, allow_empty);
      if (!parsed) return reply_error(res, 400, parsed.error());
      if (auto st = body(*parsed); !st) return reply_error(res, 400, st.error());
      reply(res, 200, json{{"status", "ok"}});
    });
  };

  server.Get("/health", [&r](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, json{{"status", "ok"},
                         {"http01_port", r.http01_port()},
                         {"tls_alpn_port", r.tls_alpn_port()},
                         {"dns_port", r.dns_port()}});
  });

  post("/http-01", false, [&r](const json& b) -> Status {
    if (auto st = check_members(b, "", {"token", "content", "faults"}); !st) return st;
    auto token = get_string(b, "token");
    if (!token) return token.error();
    auto content = get_string(b, "content");
    if (!content) return content.error();
    Http01Faults faults;
    if (b.contains("faults")) {
      auto f = parse_http01_faults(b.at("faults"), "faults");
      if (!f) return f.error();
      faults = std::move(*f);
    }
    return r.add_http01_token(*token, *content, std::move(faults));
  });
  server.Delete(R"(/http-01/([^/]+))", [&r](const httplib::Request& req, httplib::Response& res) {
    if (!r.remove_http01_token(req.matches[1])) {
      return reply_error(res, 404, make_error("token", "no such token"));
    }
    reply(res, 200, json{{"status", "ok"}});
  });
  post("/clear-http-01", true, [&r](const json& b) -> Status {
    if (!b.contains("token")) {
      r.clear_http01_tokens();
      return Status{Ok{}};
    }
    auto token = get_string(b, "token");
    if (!token) return token.error();
    r.remove_http01_token(*token);
    return Status{Ok{}};
  });

  post("/tls-alpn-01", false, [&r](const json& b) -> Status {
    if (auto st = check_members(b, "", {"host", "content", "faults"}); !st) return st;
    auto host = get_string(b, "host");
    if (!host) return host.error();
    auto content = get_string(b, "content");
    if (!content) return content.error();
    TlsAlpnFaults faults;
    if (b.contains("faults")) {
      auto f = parse_tls_alpn_faults(b.at("faults"), "faults");
      if (!f) return f.error();
      faults = std::move(*f);
    }
    r.add_tls_alpn_key_authorization(*host, *content, std::move(faults));
    return Status{Ok{}};
  });
  post("/clear-tls-alpn-01", true, [&r](const json& b) -> Status {
    if (!b.contains("host")) {
      r.clear_tls_alpn_key_authorizations();
      return Status{Ok{}};
    }
    auto host = get_string(b, "host");
    if (!host) return host.error();
    r.remove_tls_alpn_key_authorization(*host);
    return Status{Ok{}};
  });

  post("/set-txt", false, [&r](const json& b) -> Status {
    auto host = get_string(b, "host");
    if (!host) return host.error();
    auto value = get_string(b, "value");
    if (!value) return value.error();
    r.zone().add_txt(*host, *value);
    return Status{Ok{}};
  });
  post("/clear-txt", false, [&r](const json& b) -> Status {
    auto host = get_string(b, "host");
    if (!host) return host.error();
    r.zone().clear_txt(*host);
    return Status{Ok{}};
  });

  auto set_addresses = [&r](bool v6) {
    return [&r, v6](const json& b) -> Status {
      auto host = get_string(b, "host");
      if (!host) return host.error();
      auto addrs = get_string_array(b, "addresses");
      if (!addrs) return addrs.error();
      return v6 ? r.zone().set_aaaa(*host, *addrs) : r.zone().set_a(*host, *addrs);
    };
  };
  post("/set-a", false, set_addresses(false));
  post("/set-aaaa", false, set_addresses(true));
  post("/clear-a", false, [&r](const json& b) -> Status {
    auto host = get_string(b, "host");
    if (!host) return host.error();
    r.zone().clear_a(*host);
    return Status{Ok{}};
  });
  post("/clear-aaaa", false, [&r](const json& b) -> Status {
    auto host = get_string(b, "host");
    if (!host) return host.error();
    r.zone().clear_aaaa(*host);
    return Status{Ok{}};
  });
  post("/set-default-a", false, [&r](const json& b) -> Status {
    auto addrs = get_string_array(b, "addresses");
    if (!addrs) return addrs.error();
    return r.zone().set_default_a(*addrs);
  });
  post("/set-default-aaaa", false, [&r](const json& b) -> Status {
    auto addrs = get_string_array(b, "addresses");
    if (!addrs) return addrs.error();
    return r.zone().set_default_aaaa(*addrs);
  });

  post("/set-caa", false, [&r](const json& b) -> Status {
    auto host = get_string(b, "host");
    if (!host) return host.error();
    auto tag = get_string(b, "tag");
    if (!tag) return tag.error();
    if (tag->empty() || tag->size() > 255) return make_error("tag", "must be 1-255 bytes");
    auto value = get_string(b, "value");
    if (!value) return value.error();
    CaaRecord rec{0, *tag, *value};
    if (b.contains("flags")) {
      auto flags = get_uint(b, "flags", "", 255);
      if (!flags) return flags.error();
      rec.flags = static_cast<std::uint8_t>(*flags);
    }
    r.zone().add_caa(*host, std::move(rec));
    return Status{Ok{}};
  });
  post("/clear-caa", false, [&r](const json& b) -> Status {
    auto host = get_string(b, "host");
    if (!host) return host.error();
    r.zone().clear_caa(*host);
    return Status{Ok{}};
  });

  server.Get("/history", [&r](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("kind")) return reply(res, 200, r.history());
    const auto kind = parse_history_kind(req.get_param_value("kind"));
    if (!kind) return reply_error(res, 400, make_error("kind", "must be http, dns or tls"));
    reply(res, 200, r.history(*kind));
  });
  post("/clear-history", true, [&r](const json&) -> Status {
    r.clear_history();
    return Status{Ok{}};
  });

  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      reply_error(res, 404, make_error(req.path, "no such route"));
    }
  });
}

}  // namespace acmespec::responders
