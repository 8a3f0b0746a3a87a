#include "http/transcript.hpp"

#include <cstdio>
#include <ctime>

#include "common/json.hpp"
#include "http/base64.hpp"
#include "jose/base64url.hpp"
#include "http/redact.hpp"

namespace acmespec::http {
namespace {

constexpr int kMaxJwsNesting = 4;  // a key-change JWS nests one inside another

std::string rfc3339(std::chrono::system_clock::time_point t) {
  const auto secs_tp = std::chrono::floor<std::chrono::seconds>(t);
  const std::time_t secs = std::chrono::system_clock::to_time_t(secs_tp);
  const long frac = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(t - secs_tp).count());
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

// Text that came from a peer may be any bytes; JSON strings must be UTF-8.
std::string safe_text(const std::string& s) { return is_valid_utf8(s) ? s : "base64:" + base64_encode(s); }

nlohmann::json headers_json(const Headers& headers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, value] : redact_headers(headers)) {
    if (is_valid_utf8(name) && is_valid_utf8(value)) {
      out.push_back({name, value});
    } else {
      out.push_back({base64_encode(name), base64_encode(value), "base64"});
    }
  }
  return out;
}

// Writes body, body_encoding and body_redacted into `into`.
void put_body(nlohmann::json& into, const std::string& body) {
  if (is_valid_utf8(body)) {
    RedactedText r = redact_text(body);
    into["body"] = std::move(r.text);
    into["body_encoding"] = "utf-8";
    if (r.changed) into["body_redacted"] = true;
  } else {
    into["body"] = base64_encode(body);
    into["body_encoding"] = "base64";
  }
}

// A decoded JWS part: JSON when it parses, else UTF-8 text, else base64.
nlohmann::json decoded_part(const std::string& bytes) {
  JsonLimits limits;
  limits.reject_duplicate_keys = false;
  if (auto doc = parse_json(bytes, limits)) {
    redact_json(*doc);
    return std::move(*doc);
  }
  if (is_valid_utf8(bytes)) return redact_text(bytes).text;
  return {{"base64", base64_encode(bytes)}};
}

std::optional<nlohmann::json> decode_jws(std::string_view body, int nesting) {
  if (nesting > kMaxJwsNesting) return std::nullopt;
  JsonLimits limits;
  limits.reject_duplicate_keys = false;
  auto doc = parse_json(body, limits);
  if (!doc || !doc->is_object()) return std::nullopt;
  for (const char* member : {"protected", "payload", "signature"}) {
    if (!doc->contains(member) || !(*doc)[member].is_string()) return std::nullopt;
  }
  nlohmann::json out = nlohmann::json::object();
  for (const char* member : {"protected", "payload"}) {
    const auto decoded = jose::base64url_decode((*doc)[member].get<std::string>());
    if (!decoded) {
      out[member] = {{"error", "not valid base64url"}};
      continue;
    }
    out[member] = decoded_part(*decoded);
    if (std::string(member) == "payload") {
      if (auto inner = decode_jws(*decoded, nesting + 1)) out["payload_jws"] = std::move(*inner);
    }
  }
  return out;
}

}  // namespace

std::optional<nlohmann::json> decode_jws_for_evidence(std::string_view body) { return decode_jws(body, 0); }

std::string Transcript::record(Exchange& exchange) {
  std::lock_guard lock(mutex_);
  char id[24];
  std::snprintf(id, sizeof id, "x%04zu", exchanges_.size() + 1);
  exchange.id = id;
  exchanges_.push_back(exchange);
  return exchange.id;
}

std::optional<Exchange> Transcript::find(std::string_view id) const {
  std::lock_guard lock(mutex_);
  for (const auto& e : exchanges_) {
    if (e.id == id) return e;
  }
  return std::nullopt;
}

std::vector<Exchange> Transcript::exchanges() const {
  std::lock_guard lock(mutex_);
  return exchanges_;
}

std::size_t Transcript::size() const {
  std::lock_guard lock(mutex_);
  return exchanges_.size();
}

nlohmann::json Transcript::to_json() const {
  const std::vector<Exchange> copy = exchanges();  // serialise outside the lock
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : copy) list.push_back(exchange_to_json(e));
  return {{"exchanges", std::move(list)}};
}

nlohmann::json exchange_to_json(const Exchange& e) {
  nlohmann::json out = nlohmann::json::object();
  out["id"] = e.id;
  out["started_at"] = rfc3339(e.started_at);
  out["duration_ms"] = static_cast<double>(e.duration.count()) / 1000.0;

  nlohmann::json req = nlohmann::json::object();
  req["method"] = safe_text(e.request.method);
  req["url"] = safe_text(e.request.url);
  req["headers"] = headers_json(e.request.headers);
  put_body(req, e.request.body);
  if (auto jws = decode_jws_for_evidence(e.request.body)) req["jws"] = std::move(*jws);
  out["request"] = std::move(req);

  if (e.response) {
    nlohmann::json res = nlohmann::json::object();
    res["status"] = e.response->status;
    res["version"] = safe_text(e.response->version);
    res["reason"] = safe_text(e.response->reason);
    res["headers"] = headers_json(e.response->headers);
    put_body(res, e.response->body);
    res["body_truncated"] = e.body_truncated;
    out["response"] = std::move(res);
  }
  if (!e.error.empty()) out["error"] = safe_text(e.error);
  if (e.headers_truncated) out["headers_truncated"] = true;
  if (!e.redirected_from.empty()) out["redirected_from"] = e.redirected_from;
  return out;
}

}  // namespace acmespec::http
