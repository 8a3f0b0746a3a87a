// Redaction of secrets before anything leaves the process as evidence.
//
// The harness signs with private keys and some mutations put key material in
// bodies on purpose; a report must never carry it.  Redaction is applied when
// the transcript is serialised (the in-memory exchanges stay exact, callers
// need real bodies), and reporters can call the same functions.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/message.hpp"

namespace acmespec::http {

inline constexpr std::string_view kRedacted = "<redacted>";

// Replaces, at any depth:
//  - private JWK members ("d", "p", "q", "dp", "dq", "qi", "oth", and "k" of a
//    kty "oct" key) in every object that looks like a JWK (has "kty", or has
//    "d" next to "crv", "x", "n" or "e");
//  - PEM private key blocks inside string values;
//  - JSON documents held in string values, redacted recursively;
//  - the "payload" of a flattened JWS whose decoded payload holds a secret.
// Returns whether anything was replaced.
bool redact_json(nlohmann::json& value);

// Replaces every "-----BEGIN <label> PRIVATE KEY-----" block (through its END
// line, or the end of the text when the END line is missing).
std::string redact_pem(std::string_view text, bool* changed = nullptr);

struct RedactedText {
  std::string text;
  bool changed = false;
};

// A body as evidence: JSON is redacted structurally (and re-serialised only
// when something changed); text that looks like a JWK but does not parse is
// replaced whole, since its secret members cannot be located reliably; PEM
// private keys are replaced in any text.
RedactedText redact_text(std::string_view text);

// Authorization, Proxy-Authorization, Cookie and Set-Cookie.
bool is_secret_header(std::string_view name);
Headers redact_headers(const Headers& headers);

}  // namespace acmespec::http
