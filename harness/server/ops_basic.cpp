#include <algorithm>
#include <cctype>

#include "client/request_signer.hpp"
#include "common/json.hpp"
#include "http/link.hpp"
#include "server/ops.hpp"
#include "server/server_mode.hpp"

namespace acmespec::server {

using nlohmann::json;

namespace op {

// A string member of a server-supplied object, or "" (a hostile answer with
// the wrong types must not throw out of an op).
std::string text(const json& obj, const char* name) {
  if (!obj.is_object()) return {};
  auto it = obj.find(name);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json member_or(const json& obj, const char* name, json fallback) {
  if (!obj.is_object()) return fallback;
  auto it = obj.find(name);
  return it != obj.end() ? *it : fallback;
}

// One POST-as-GET recorded as a side exchange (not the main one).
json fetch(ServerExecutor& ex, const std::string& url, const std::string& key_name) {
  auto key = ex.key(key_name);
  auto acct = ex.state().accounts.find(key_name);
  if (!key || acct == ex.state().accounts.end()) return nullptr;
  client::Posted p = ex.session().post(url, std::nullopt, client::Signer{key->get(), acct->second});
  if (!p.exchange.response || p.exchange.response->status != 200) return nullptr;
  auto doc = parse_json(p.exchange.response->body);
  return doc ? *doc : json();
}

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

namespace {

// §6.5: a badNonce error carries a fresh nonce the client may retry with.
// The same request, without the nonce fault, is sent again with exactly that
// nonce (not through the session's pool, which may hold older nonces), and
// the answer is summarised for the check.
json retry_with_offered_nonce(ServerExecutor& ex, const http::Exchange& refused, const std::string& url,
                              const std::optional<json>& payload, const client::Signer& signer) {
  json out = json::object();
  auto offered = refused.response->get("Replay-Nonce");
  if (!offered || offered->empty()) return out;
  out["nonce"] = *offered;
  auto body = client::sign_request(signer, url, *offered, payload);
  if (!body) {
    out["error"] = body.error().to_string();
    return out;
  }
  http::Request req{"POST", url, {{"Content-Type", "application/jose+json"}}, body->body};
  http::Exchange answer = ex.session().http().send(req);
  out["exchange"] = answer.id;
  if (!answer.response) {
    out["error"] = answer.error;
    return out;
  }
  out["status"] = answer.response->status;
  auto doc = parse_json(answer.response->body);
  out["type"] = doc ? problem_type(*doc) : std::string();
  return out;
}

// Knob values that name scenario state rather than a literal (see
// mutations.hpp): "account:<key>" is the URL of the account made with that
// key, "directory:<member>" a directory URL; "+<suffix>" appends text.
Result<std::string> resolve_reference(ServerExecutor& ex, const std::string& value, const std::string& knob) {
  const auto colon = value.find(':');
  if (colon == std::string::npos) return value;
  const std::string kind = value.substr(0, colon);
  if (kind != "account" && kind != "directory") return value;
  std::string name = value.substr(colon + 1);
  std::string suffix;
  if (const auto plus = name.find('+'); plus != std::string::npos) {
    suffix = name.substr(plus + 1);
    name.resize(plus);
  }
  std::string url;
  if (kind == "account") {
    auto it = ex.state().accounts.find(name);
    if (it == ex.state().accounts.end()) return make_error(knob, "no account for key \"" + name + "\" yet");
    url = it->second;
  } else {
    url = ex.session().endpoint(name);
    if (url.empty()) return make_error(knob, "the directory has no " + name);
  }
  return url + suffix;
}

}  // namespace

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
  client::Mutations mutations = o.mutations;
  for (auto [field, knob] : {std::pair{&mutations.kid, "protected.kid"}, std::pair{&mutations.url, "protected.url"}}) {
    if (!*field) continue;
    auto resolved = resolve_reference(ex, **field, knob);
    if (!resolved) {
      o.facts["harness_error"] = resolved.error().to_string();
      return;
    }
    *field = *resolved;
  }
  client::Posted posted = ex.session().post(url, payload, signer, mutations);
  if (!posted.harness_error.empty()) {
    o.facts["harness_error"] = posted.harness_error;
    return;
  }
  o.facts["bad_nonce_retries"] = posted.bad_nonce_retries;
  o.facts["protected"] = posted.protected_header;
  o.facts["nonce_sent"] = posted.nonce;
  capture(o, posted.exchange);
  if (o.mutations.touches_nonce() && client::is_problem(posted.exchange, "badNonce"))
    o.facts["nonce_retry"] = retry_with_offered_nonce(ex, posted.exchange, url, payload, signer);
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

namespace {

bool rate_limited(const http::Exchange& answer) {
  return answer.response && (answer.response->status == 429 || client::is_problem(answer, "rateLimited"));
}

// §6.6 can only be judged once the target limits something; a short burst
// is the least intrusive way to find out.  Each request is a valid one.
OpResult burst(ServerExecutor& ex, const json& args, Observation& o) {
  const std::string kind = op::arg_string(args, "request", "new-order");
  const int count = std::clamp(args.value("count", 20), 1, 100);
  if (kind != "new-order" && kind != "new-nonce")
    return op_harness_error("args.request: must be new-order or new-nonce");
  int sent = 0;
  for (; sent < count; ++sent) {
    if (kind == "new-nonce") {
      op::capture(o, ex.session().new_nonce("HEAD"));
    } else {
      const json payload = {{"identifiers", json::array({{{"type", "dns"}, {"value", ex.random_label() + "." + ex.config().domain_suffix}}})}};
      op::signed_post(ex, o, ex.session().endpoint("newOrder"), payload, op::arg_string(args, "key", "account"), true);
    }
    if (o.facts.contains("harness_error") || !o.main || !o.main->response || rate_limited(*o.main)) break;
  }
  o.facts["sent"] = sent + (sent < count ? 1 : 0);
  o.facts["rate_limited"] = o.main && rate_limited(*o.main);
  OpResult r = op::finish(o, {200, 201, 204, 429}, "burst");
  if (!r.failure && o.main && o.main->response && o.status() >= 400 && !rate_limited(*o.main))
    r.failure = "burst answered HTTP " + std::to_string(o.status());
  return r;
}

}  // namespace

std::vector<OpDef> ops_basic() {
  return {
      OpDef{"directory", "GET the directory", {}, false,
            [](ServerExecutor& ex, const json&, Observation& o) {
              op::capture(o, ex.session().fetch_directory());
              return op::finish(o, {200}, "directory");
            }},
      OpDef{"new-nonce", "newNonce by HEAD or GET, `count` times (default 1, at most 200)", {"method", "count"}, false,
            [](ServerExecutor& ex, const json& args, Observation& o) {
              const std::string method = op::arg_string(args, "method", "HEAD");
              const int count = std::clamp(args.value("count", 1), 1, 200);
              for (int i = 0; i < count; ++i) {
                op::capture(o, ex.session().new_nonce(method));
                if (!o.main->response) break;
              }
              o.facts["method"] = method;
              // The status codes themselves are what the §7.2 checks judge.
              return op::finish(o, {200, 204}, "newNonce");
            }},
      OpDef{"burst",
            "up to `count` (default 20, at most 100) back-to-back requests of one kind (`request`: new-order for a fresh "
            "name, or new-nonce), stopping at the first 429 or rateLimited answer",
            {"request", "count", "key"}, true, burst},
      OpDef{"set-caa", "publish a CAA record (`flags` default 0, `tag`, `value`) for `host` on acmespec's DNS responder",
            {"host", "flags", "tag", "value"}, false,
            [](ServerExecutor& ex, const json& args, Observation& o) {
              OpResult r;
              if (!ex.responders()) {
                r.harness_error = "no DNS responder is running";
                return r;
              }
              responders::CaaRecord caa{static_cast<std::uint8_t>(std::clamp(args.value("flags", 0), 0, 255)),
                                        op::arg_string(args, "tag", "issue"), op::arg_string(args, "value")};
              ex.responders()->zone().add_caa(op::arg_string(args, "host"), caa);
              o.facts["caa"] = {{"host", op::arg_string(args, "host")}, {"flags", caa.flags}, {"tag", caa.tag}, {"value", caa.value}};
              r.result = o.facts["caa"];
              return r;
            }},
      OpDef{"get", "plain GET of a URL (no JWS)", {"url"}, false,
            [](ServerExecutor& ex, const json& args, Observation& o) {
              op::capture(o, ex.session().get(op::arg_string(args, "url")));
              return op::finish(o, {200}, "GET");
            }},
      OpDef{"post-as-get", "POST-as-GET of a URL with an account key; `previous`: an earlier copy of the resource to compare",
            {"url", "key", "resource", "previous"}, true,
            [](ServerExecutor& ex, const json& args, Observation& o) {
              op::signed_post(ex, o, op::arg_string(args, "url"), std::nullopt, op::arg_string(args, "key", "account"), true);
              o.facts["resource"] = op::arg_string(args, "resource");
              if (args.contains("previous")) o.facts["previous"] = args["previous"];
              return op::finish(o, {200}, "POST-as-GET");
            }},
  };
}

const std::vector<OpDef>& all_ops() {
  static const std::vector<OpDef> all = [] {
    std::vector<OpDef> v;
    for (auto part : {ops_basic(), ops_accounts(), ops_orders(), ops_challenges()}) v.insert(v.end(), part.begin(), part.end());
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
