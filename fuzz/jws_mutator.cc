#include "jws_mutator.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json.hpp"
#include "fuzz_support.hpp"
#include "jose/base64url.hpp"
#include "jose/jws.hpp"

namespace acmespec::fuzz {
namespace {

using nlohmann::json;
using Rng = std::mt19937;

std::size_t pick(Rng& rng, std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }

const std::vector<json>& interesting_values() {
  static const std::vector<json> values = {
      nullptr, true, false, 0, -1, 1, std::numeric_limits<std::int32_t>::max(),
      std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::uint64_t>::max(), 9007199254740993.0,
      1e308, -0.0, 1.5, "", "none", "HS256", "ES256", "RS256", "EdDSA", "ES512", std::string(1024, 'A'),
      std::string("\0", 1), "\xc3\xa9", "\xf0\x9f\x98\x80", "\xe2\x80\xae", "https://fuzz.acmespec.test/acme/new-order",
      "not base64url!", "mailto:a@example.org", "dns", "ip", "*.example.org", "pending", "valid", "deactivated",
      json::array(), json::object(), json::array({1, "a"}), json::array({"b64"}), json{{"kty", "oct"}},
  };
  return values;
}

const std::vector<std::string>& interesting_names() {
  static const std::vector<std::string> names = {
      "alg", "nonce", "url", "kid", "jwk", "crit", "b64", "typ", "cty", "x5c", "x5u", "jku", "zip", "enc",
      "identifiers", "csr", "status", "contact", "onlyReturnExisting", "termsOfServiceAgreed",
      "externalAccountBinding", "account", "oldKey", "certificate", "reason", "notBefore", "notAfter", "profile",
      "type", "value", "wildcard", "keyAuthorization", "__proto__", "",
  };
  return names;
}

// Every node of `doc` (bounded), so one can be picked uniformly.
void collect(json& node, std::vector<json*>& out) {
  if (out.size() >= 256) return;
  out.push_back(&node);
  if (node.is_object() || node.is_array()) {
    for (auto& child : node) collect(child, out);
  }
}

std::string mutate_text(std::string text, std::size_t cap, Rng& rng, const ByteMutator& bytes) {
  const std::size_t max_size = std::max<std::size_t>(std::min(cap, text.size() * 2 + 16), 1);
  std::vector<std::uint8_t> buf(max_size);
  const std::size_t n = std::min(text.size(), max_size);
  std::memcpy(buf.data(), text.data(), n);
  const std::size_t got = bytes(buf.data(), n, max_size);
  (void)rng;
  return std::string(reinterpret_cast<const char*>(buf.data()), std::min(got, max_size));
}

// One structural change to a JSON value.
void mutate_json(json& doc, Rng& rng, const ByteMutator& bytes) {
  std::vector<json*> nodes;
  collect(doc, nodes);
  json& node = *nodes[pick(rng, nodes.size())];
  switch (pick(rng, 5)) {
    case 0:  // replace with a boundary or wrong-typed value
      node = interesting_values()[pick(rng, interesting_values().size())];
      break;
    case 1:  // delete a member or element
      if (node.is_object() && !node.empty()) {
        auto it = node.begin();
        std::advance(it, static_cast<long>(pick(rng, node.size())));
        node.erase(it);
      } else if (node.is_array() && !node.empty()) {
        node.erase(node.begin() + static_cast<long>(pick(rng, node.size())));
      }
      break;
    case 2:  // add a member (or element)
      if (node.is_object()) {
        node[interesting_names()[pick(rng, interesting_names().size())]] =
            interesting_values()[pick(rng, interesting_values().size())];
      } else if (node.is_array() && node.size() < 64) {
        node.push_back(node.empty() ? json("x") : node[pick(rng, node.size())]);  // repeat an element
      }
      break;
    case 3:  // byte-level change inside a string
      if (node.is_string()) node = mutate_text(node.get<std::string>(), 4096, rng, bytes);
      break;
    default:  // numbers near their limits
      if (node.is_number_integer()) {
        const std::int64_t deltas[] = {1, -1, 1LL << 31, -(1LL << 31), 1LL << 53};
        std::int64_t moved = 0;
        // Wraps at the int64 limits instead of overflowing, which would be
        // undefined behaviour in the mutator itself.
        if (__builtin_add_overflow(node.get<std::int64_t>(), deltas[pick(rng, 5)], &moved)) {
          node = node.get<std::int64_t>() < 0 ? std::numeric_limits<std::int64_t>::min()
                                               : std::numeric_limits<std::int64_t>::max();
        } else {
          node = moved;
        }
      } else {
        node = interesting_values()[pick(rng, interesting_values().size())];
      }
      break;
  }
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Splices a second copy of a member into the serialized object, which a
// JSON library cannot represent and a JOSE parser must refuse.
std::string duplicate_member(std::string text, Rng& rng) {
  if (text.size() < 2 || text.back() != '}') return text;
  const auto& names = interesting_names();
  const auto& values = interesting_values();
  text.pop_back();
  if (text.size() > 1) text += ",";
  text += json(names[pick(rng, 4)]).dump() + ":" + dump(values[pick(rng, values.size())]) + "}";
  return text;
}

std::string fresh_jws(Rng& rng) {
  json header = {{"alg", "ES256"}, {"nonce", "bm9uY2U"}, {"url", "https://fuzz.acmespec.test/acme/new-order"}};
  if (pick(rng, 2) == 0) {
    header["jwk"] = test_key().public_jwk().to_json();
  } else {
    header["kid"] = std::string(kTestKid);
  }
  const json payload = {{"identifiers", json::array({{{"type", "dns"}, {"value", "fuzz.example"}}})}};
  auto jws = jose::sign_flattened(header, payload.dump(), test_key());
  return jws ? jws->serialize() : std::string();
}

std::size_t byte_fallback(std::uint8_t* data, std::size_t size, std::size_t max_size, const ByteMutator& bytes) {
  return bytes(data, size, max_size);
}

std::size_t mutate_impl(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed,
                        const ByteMutator& bytes) {
  Rng rng(seed);
  auto jws = jose::parse_flattened(as_text(data, size));
  if (!jws) {
    if (pick(rng, 8) != 0) return byte_fallback(data, size, max_size, bytes);
    const std::string fresh = fresh_jws(rng);
    if (fresh.empty() || fresh.size() > max_size) return byte_fallback(data, size, max_size, bytes);
    std::memcpy(data, fresh.data(), fresh.size());
    return fresh.size();
  }
  json header = jws->protected_header;
  std::string header_text = jws->protected_header.is_null() ? std::string() : dump(header);
  std::string payload = jws->payload;
  std::string signature;
  if (auto sig = jose::base64url_decode(jws->signature_b64)) signature = *sig;

  switch (pick(rng, 10)) {
    case 0: case 1: case 2: case 3:
      mutate_json(header, rng, bytes);
      header_text = dump(header);
      break;
    case 4: case 5: case 6:
      if (auto doc = parse_json(payload); doc && !payload.empty()) {
        mutate_json(*doc, rng, bytes);
        payload = dump(*doc);
      } else {
        payload = pick(rng, 2) == 0 ? std::string() : mutate_text(payload, 8192, rng, bytes);
      }
      break;
    case 7:
      header_text = pick(rng, 2) == 0 ? duplicate_member(header_text, rng) : mutate_text(header_text, 4096, rng, bytes);
      break;
    case 8:
      payload = mutate_text(payload, 8192, rng, bytes);
      break;
    default:
      signature = mutate_text(signature, 1024, rng, bytes);
      break;
  }

  jose::FlattenedJws out;
  if (pick(rng, 2) == 0) {
    // Re-sign, presenting the test key the way the target will look for it.
    if (auto h = parse_json(header_text); h && h->is_object()) {
      if (h->contains("jwk") || !h->contains("kid")) {
        (*h)["jwk"] = test_key().public_jwk().to_json();
      }
      if (pick(rng, 4) != 0) (*h)["alg"] = "ES256";
      header_text = dump(*h);
    }
    auto signed_jws = jose::JwsBuilder::from_protected_bytes(header_text).payload(payload).sign(test_key(), jose::Alg::ES256);
    if (!signed_jws) return byte_fallback(data, size, max_size, bytes);
    out = *signed_jws;
  } else {
    out = jose::JwsBuilder::from_protected_bytes(header_text).payload(payload).with_signature(signature);
  }
  out.unprotected_header = jws->unprotected_header;
  const std::string text = out.serialize();
  if (text.size() > max_size) return byte_fallback(data, size, max_size, bytes);
  std::memcpy(data, text.data(), text.size());
  return text.size();
}

}  // namespace

std::size_t mutate_jws(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed,
                       const ByteMutator& bytes) {
  try {
    return mutate_impl(data, size, max_size, seed, bytes);
  } catch (const std::exception&) {
    // nlohmann throws on a few shapes (e.g. arithmetic on huge numbers); the
    // input then simply gets byte mutation.
    return byte_fallback(data, size, max_size, bytes);
  }
}

}  // namespace acmespec::fuzz
