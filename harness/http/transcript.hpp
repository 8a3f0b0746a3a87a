// Every exchange the harness makes, in order, as evidence for checks.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/message.hpp"

namespace acmespec::http {

// Thread-safe: any number of threads may record and read at once.  Ids are
// "x0001", "x0002", ... in recording order, so they are stable within a run.
class Transcript {
 public:
  // Gives `exchange` the next id, stores a copy and returns the id (also
  // written into `exchange.id`).
  std::string record(Exchange& exchange);
  std::optional<Exchange> find(std::string_view id) const;
  std::vector<Exchange> exchanges() const;
  std::size_t size() const;
  // {"exchanges": [...]} with every exchange as exchange_to_json gives it.
  nlohmann::json to_json() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Exchange> exchanges_;
};

// The evidence form of one exchange, redacted (see redact.hpp):
// {"id", "started_at" (RFC 3339 UTC, ms), "duration_ms",
//  "request": {"method", "url", "headers": [[name, value]...], "body",
//              "body_encoding": "utf-8"|"base64", "body_redacted"?,
//              "jws"?: {"protected", "payload", "payload_jws"?}},
//  "response"?: {"status", "version", "reason", "headers", "body",
//                "body_encoding", "body_redacted"?, "body_truncated"},
//  "error"?, "headers_truncated"?, "redirected_from"?}
// A flattened JWS request body is decoded inline: protected header and
// payload appear as JSON when they are JSON, else as text or base64.
nlohmann::json exchange_to_json(const Exchange& exchange);

// The inline decoding used above, on its own: nullopt unless `body` is a
// flattened JWS JSON object with string protected/payload/signature members.
std::optional<nlohmann::json> decode_jws_for_evidence(std::string_view body);

}  // namespace acmespec::http
