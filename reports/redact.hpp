// Renderer-side redaction of a whole run record.
//
// The engine redacts exchanges as it records them, but a record can also come
// from an older engine, another tool or a hand edit, and the HTML report is
// the file most likely to be attached to a public CI run.  So every renderer
// that shows record content passes it through redact_record() first, whatever
// the writer promised.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace acmespec::reports {

// A copy of the record with secrets replaced by "<redacted>":
//  - private JWK members, PEM private keys, JSON held in strings and JWS
//    payloads that carry a secret (the rules of harness/http/redact.hpp);
//  - the values of members whose name says they hold a MAC key or another
//    secret (see is_secret_member);
//  - Authorization, Cookie and similar headers in [name, value] pairs.
nlohmann::json redact_record(const nlohmann::json& record);

// Member names that hold a secret by their name alone: anything containing
// "hmac", "mac_key"/"mackey", "secret", "password", "private_key" or
// "privatekey", compared case-insensitively with '-' read as '_'.
bool is_secret_member(std::string_view name);

}  // namespace acmespec::reports
