#include "client/session.hpp"

#include "common/json.hpp"
#include "jose/base64url.hpp"

namespace acmespec::client {
namespace {

constexpr std::size_t kMaxPooledNonces = 64;

}  // namespace

Session::Session(SessionOptions options, http::Transcript& transcript)
    : options_(std::move(options)), http_(options_.http, transcript) {}

http::Exchange Session::fetch_directory() {
  http::Exchange ex = get(options_.directory_url);
  if (ex.ok()) {
    auto doc = parse_json(ex.response->body);
    if (doc && doc->is_object()) directory_ = std::move(*doc);
  }
  return ex;
}

std::string Session::endpoint(const std::string& name) const {
  auto it = directory_.find(name);
  return it != directory_.end() && it->is_string() ? it->get<std::string>() : std::string();
}

http::Exchange Session::get(const std::string& url, http::Headers headers) {
  http::Request req{"GET", url, std::move(headers), ""};
  http::Exchange ex = http_.send(req);
  harvest(ex);
  return ex;
}

http::Exchange Session::head(const std::string& url) {
  http::Exchange ex = http_.send(http::Request{"HEAD", url, {}, ""});
  harvest(ex);
  return ex;
}

http::Exchange Session::new_nonce(const std::string& method) {
  const std::string url = endpoint("newNonce");
  if (url.empty()) {
    http::Exchange none;
    none.error = "the directory has no newNonce URL";
    return none;
  }
  return method == "GET" ? get(url) : head(url);
}

void Session::harvest(const http::Exchange& ex) {
  if (!ex.response) return;
  if (auto nonce = ex.response->get("Replay-Nonce"); nonce && !nonce->empty()) {
    pool_.push_back(*nonce);
    if (pool_.size() > kMaxPooledNonces) pool_.pop_front();
  }
}

std::string Session::take_nonce(std::vector<std::string>& ids) {
  if (pool_.empty()) {
    http::Exchange ex = new_nonce("HEAD");
    if (!ex.id.empty()) ids.push_back(ex.id);
  }
  if (pool_.empty()) return {};
  std::string nonce = pool_.front();
  pool_.pop_front();
  return nonce;
}

Posted Session::post(const std::string& url, const std::optional<nlohmann::json>& payload, const Signer& signer,
                     const Mutations& m, http::Headers extra_headers) {
  Posted out;
  for (int attempt = 0;; ++attempt) {
    std::string nonce;
    switch (m.nonce) {
      case Mutations::Nonce::normal: nonce = take_nonce(out.exchange_ids); break;
      case Mutations::Nonce::replay:
        // The nonce of this session's previous signed request: one the server
        // has certainly seen and spent.
        if (last_spent_.empty()) {
          out.harness_error = "the replay mutation needs an earlier signed request in the scenario";
          return out;
        }
        nonce = last_spent_;
        break;
      case Mutations::Nonce::omit: break;
      case Mutations::Nonce::invent:
        // Well-formed (base64url of 16 bytes) but never issued.
        nonce = jose::base64url_encode(std::string("acmespec-invent\x01", 16));
        break;
    }
    out.nonce = nonce;
    auto body = sign_request(signer, url, nonce, payload, m);
    if (!body) {
      out.harness_error = "cannot sign the request: " + body.error().to_string();
      return out;
    }
    out.protected_header = body->protected_header;
    http::Request req;
    req.url = url;
    if (m.plain_get) {
      req.method = "GET";
    } else {
      req.method = "POST";
      req.body = body->body;
      if (!m.omit_content_type)
        req.headers.emplace_back("Content-Type", m.content_type.value_or("application/jose+json"));
    }
    req.headers.insert(req.headers.end(), extra_headers.begin(), extra_headers.end());
    out.exchange = http_.send(req);
    if (!nonce.empty()) last_spent_ = nonce;
    if (!out.exchange.id.empty()) out.exchange_ids.push_back(out.exchange.id);
    harvest(out.exchange);
    if (m.touches_nonce() || attempt >= options_.bad_nonce_retries || !is_problem(out.exchange, "badNonce"))
      return out;
    ++out.bad_nonce_retries;
  }
}

bool is_problem(const http::Exchange& ex, const std::string& type) {
  if (!ex.response) return false;
  auto doc = parse_json(ex.response->body);
  if (!doc || !doc->is_object()) return false;
  auto it = doc->find("type");
  return it != doc->end() && it->is_string() && *it == "urn:ietf:params:acme:error:" + type;
}

}  // namespace acmespec::client
