// Shared helpers for the fuzz targets.
//
// Each target is a few lines that hand the input to one helper here; the
// helpers call exactly what production calls (the parsers, the §6.2 header
// rules, the verifier) and abort when a property that must always hold does
// not, so a broken invariant is a crash the engine keeps and minimises.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "jose/private_key.hpp"

namespace acmespec::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Reports a broken invariant on stderr and aborts (the engine records the input).
[[noreturn]] void fail(std::string_view what, std::string_view detail = {});
inline void require(bool holds, std::string_view what, std::string_view detail = {}) {
  if (!holds) fail(what, detail);
}

// A fixed P-256 test key, published in this source tree, so signing with it
// protects nothing: it only lets the mutator produce messages whose
// signatures verify, to reach code past verification.
const jose::PrivateKey& test_key();
// "kid" value the mutator and the targets associate with test_key().
inline constexpr std::string_view kTestKid = "https://fuzz.acmespec.test/acct/1";

// Flattened-JWS parse, §6.2 header rules for every key-reference policy, and
// verification under the header's "jwk" (or test_key() for "kid").  A JWS
// that verifies must survive serialize() -> parse -> verify unchanged.
void exercise_jws(std::string_view body);

// JWK parse, thumbprint, and the round trips to_json -> parse and
// thumbprint_input -> parse, which must give the same key and thumbprint.
void exercise_jwk(std::string_view text);

// Every ACME resource parser and the problem parser over one document;
// whatever parses must satisfy parse(to_json(x)) == x.
void exercise_resources(std::string_view text);

// Link and Retry-After parsing of the input as a field value (and as several
// fields, one per line), with a fixed "now".
void exercise_http_headers(std::string_view text);

// DNS query parsing and, for queries that parse, the answer builder.
void exercise_dns_message(std::string_view bytes);

// The scenario loader and validator against the real catalogue and the
// server-mode vocabulary.
void exercise_scenario(std::string_view text);

// The mock CA's finalize CSR checks (mock-ca/csr.hpp).
void exercise_csr(std::string_view der);
// tls_alpn_cert_fuzzer: the mock CA's RFC 8737 certificate rules over arbitrary DER.
void exercise_tls_alpn_cert(std::string_view der);

// One request through the mock CA's handler, with a fixed clock and seed.
void exercise_mockca_request(std::string_view input);

// The embedded scenarios/requirements.json (generated at configure time).
std::string_view embedded_catalogue();

}  // namespace acmespec::fuzz
