#include "fuzz_support.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "common/json.hpp"
#include "jose/acme_header.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"

namespace acmespec::fuzz {

void fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "acmespec fuzz invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  if (!detail.empty()) std::fprintf(stderr, "  %.*s\n", static_cast<int>(detail.size()), detail.data());
  std::abort();
}

const jose::PrivateKey& test_key() {
  // Initialised once and never modified afterwards.
  static const jose::PrivateKey key = [] {
    const auto jwk = nlohmann::json{{"kty", "EC"},
                                    {"crv", "P-256"},
                                    {"x", "JuYa1d8Ef9xHLzTL7SL_XsXHsZF3EK_kPzqP-FZn7gY"},
                                    {"y", "-XtbRbqVNNaXh1EMh4BPrGYZUHkUQ2iIa2lVLyMQrUA"},
                                    {"d", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X5fcLjQhl70"}};
    auto k = jose::PrivateKey::from_jwk(jwk, "test_key");
    if (!k) fail("the fuzz test key does not load", k.error().to_string());
    return std::move(k).value();
  }();
  return key;
}

void exercise_jws(std::string_view body) {
  auto jws = jose::parse_flattened(body);
  if (!jws) {
    require(!jws.error().reason.empty(), "JWS parse error without a reason");
    return;
  }
  for (auto expect : {jose::KeyRef::Either, jose::KeyRef::Jwk, jose::KeyRef::Kid}) {
    for (const auto& v : jose::check_acme_jws(*jws, expect)) {
      require(!jose::header_rule_id(v.rule).empty(), "header violation without a rule id");
    }
  }
  const auto& header = jws->protected_header;
  Status verified = make_error("", "no key");
  std::optional<jose::Jwk> header_key;
  if (header.is_object() && header.contains("jwk")) {
    auto key = jose::Jwk::parse(header["jwk"], "protected.jwk");
    if (key) {
      header_key = std::move(*key);
      verified = jose::verify_flattened(*jws, *header_key);
    }
  } else if (header.is_object() && header.contains("kid")) {
    verified = jose::verify_flattened(*jws, test_key().public_jwk());
  }
  if (header.is_object() && header.contains("alg") && header["alg"].is_string() &&
      header["alg"].get<std::string>().rfind("HS", 0) == 0) {
    (void)jose::verify_flattened_mac(*jws, "fuzz-eab-mac-key-of-thirty-two-b");
  }
  if (!verified) return;
  // What verified once must verify again after a serialization round trip.
  // Verification is a function of the signing input, the signature and the
  // key, so the round trip must keep those three; checking them directly
  // spares a second ECDSA/RSA verification per input.
  auto again = jose::parse_flattened(jws->serialize());
  require(again.ok(), "a verified JWS does not re-parse", jws->serialize());
  require(again->signing_input() == jws->signing_input(), "signing input changed across a round trip");
  require(again->signature_b64 == jws->signature_b64, "signature changed across a round trip");
  require(again->protected_header == header, "protected header changed across a round trip");
  if (header_key) {
    auto key = jose::Jwk::parse(again->protected_header["jwk"], "protected.jwk");
    require(key.ok() && *key == *header_key, "a verified JWS's key changed across a round trip");
  }
}

void exercise_jwk(std::string_view text) {
  auto doc = parse_json(text);
  if (!doc) return;
  auto key = jose::Jwk::parse(*doc);
  if (!key) {
    require(key.error().path.rfind("jwk", 0) == 0, "JWK error outside the jwk path", key.error().to_string());
    return;
  }
  const std::string thumb = key->thumbprint();
  require(thumb.size() == 43, "thumbprint is not base64url of 32 bytes", thumb);
  auto again = jose::Jwk::parse(key->to_json());
  require(again.ok(), "to_json() of a parsed JWK does not parse", key->to_json().dump());
  require(*again == *key, "JWK round trip changed the key", key->to_json().dump());
  require(again->thumbprint() == thumb, "JWK round trip changed the thumbprint");
  auto canonical = parse_json(key->thumbprint_input());
  require(canonical.ok(), "thumbprint input is not JSON", key->thumbprint_input());
  auto from_canonical = jose::Jwk::parse(*canonical);
  require(from_canonical.ok() && *from_canonical == *key, "thumbprint input is not the same key");
  auto from_evp = jose::Jwk::from_evp(key->evp());
  require(from_evp.ok() && from_evp->thumbprint() == thumb, "the OpenSSL key gives another thumbprint");
}

}  // namespace acmespec::fuzz
