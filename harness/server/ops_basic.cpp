#include <algorithm>
#include <cctype>

#include "common/json.hpp"
#include "http/link.hpp"
#include "server/ops.hpp"
#include "server/server_mode.hpp"

namespace acmespec::server {

using nlohmann::json;

namespace op {

std::string arg_string(const json& args, const char* name, const std::string& fallback) {
  auto it = args.find(name);
  return it != args.end() && it->is_string() ? it->get<std::string>() : fallback;
}

json result_of(const Observation& o) {
  json r = {{"status", o.status()}, {"body", o.body}};
  json headers = json::object();
  json links = json::array();
  if (o.main && o.main->response) {
    for (const auto& [name, value] : o.main->response->headers) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (!headers.contains(lower)) headers[lower] = value;
    }
    auto parsed = http::parse_link_headers(o.main->response->get_all("Link"));
    if (parsed) {
      auto resolved = http::resolve_links(*parsed, o.main->request.url);
      for (const auto& link : resolved ? *resolved : *parsed)
        for (const auto& rel : link.rels) links.push_back({{"uri", link.uri}, {"rel", rel}});
    }
  }
  r["headers"] = headers;
  r["location"] = headers.value("location", "");
  r["links"] = links;
  r["facts"] = o.facts;
  return r;
}

void capture(Observation& o, const http::Exchange& ex) {
  o.main = ex;
  o.body = nullptr;
  if (ex.response) {
    auto doc = parse_json(ex.response->body);
    if (doc) o.body = std::move(*doc);
  }
}

void signed_post(ServerExecutor& ex, Observation& o, const std::string& url, const std::optional<json>& payload,
                 const std::string& key_name, bool use_kid) {
  auto key = ex.key(key_name);
  if (!key) {
    o.facts["harness_error"] = key.error().to_string();
    return;
  }
  client::Signer signer{key->get(), ""};
  if (use_kid) {
    auto acct = ex.state().accounts.find(key_name);
    if (acct != ex.state().accounts.end()) signer.kid = acct->second;
  }
  client::Posted posted = ex.session().post(url, payload, signer, o.mutations);
  if (!posted.harness_error.empty()) {
    o.facts["harness_error"] = posted.harness_error;
    return;
  }
  o.facts["bad_nonce_retries"] = posted.bad_nonce_retries;
  o.facts["protected"] = posted.protected_header;
  o.facts["nonce_sent"] = posted.nonce;
  capture(o, posted.exchange);
}

OpResult finish(const Observation& o, std::vector<int> ok_statuses, const std::string& what) {
  OpResult r;
  r.result = result_of(o);
  if (o.facts.contains("harness_error")) {
    r.harness_error = o.facts["harness_error"].get<std::string>();
    return r;
  }
  if (o.mutations.any()) return r;
  if (!o.main) {
    r.failure = what + ": nothing was sent";
  } else if (!o.main->response) {
    r.failure = what + ": " + o.main->error;
  } else if (std::find(ok_statuses.begin(), ok_statuses.end(), o.status()) == ok_statuses.end()) {
    std::string type = problem_type(o.body);
    r.failure = what + " answered HTTP " + std::to_string(o.status()) + (type.empty() ? "" : " (" + type + ")");
  }
  return r;
}

}  // namespace op

std::vector<OpDef> ops_basic() {
  return {
      OpDef{"directory", "GET the directory", {}, false,
            [](ServerExecutor& ex, const json&, Observation& o) {
              op::capture(o, ex.session().fetch_directory());
              return op::finish(o, {200}, "directory");
            }},
      OpDef{"new-nonce", "newNonce by HEAD or GET", {"method"}, false,
            [](ServerExecutor& ex, const json& args, Observation& o) {
              const std::string method = op::arg_string(args, "method", "HEAD");
              op::capture(o, ex.session().new_nonce(method));
              o.facts["method"] = method;
              return op::finish(o, method == "HEAD" ? std::vector<int>{200, 204} : std::vector<int>{200, 204}, "newNonce");
            }},
      OpDef{"get", "plain GET of a URL (no JWS)", {"url"}, false,
            [](ServerExecutor& ex, const json& args, Observation& o) {
              op::capture(o, ex.session().get(op::arg_string(args, "url")));
              return op::finish(o, {200}, "GET");
            }},
      OpDef{"post-as-get", "POST-as-GET of a URL with an account key", {"url", "key", "resource"}, true,
            [](ServerExecutor& ex, const json& args, Observation& o) {
              op::signed_post(ex, o, op::arg_string(args, "url"), std::nullopt, op::arg_string(args, "key", "account"), true);
              o.facts["resource"] = op::arg_string(args, "resource");
              return op::finish(o, {200}, "POST-as-GET");
            }},
  };
}

const std::vector<OpDef>& all_ops() {
  static const std::vector<OpDef> all = [] {
    std::vector<OpDef> v;
    for (auto part : {ops_basic(), ops_accounts(), ops_orders()}) v.insert(v.end(), part.begin(), part.end());
    return v;
  }();
  return all;
}

const OpDef* find_op(const std::string& name) {
  for (const auto& op : all_ops())
    if (op.name == name) return &op;
  return nullptr;
}

}  // namespace acmespec::server
