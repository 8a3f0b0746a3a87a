// Deliberate misbehaviours of the harness's ACME client, one named knob each.
// A scenario step turns them on with `"mutate": {"protected.nonce": "replay"}`;
// every knob wraps an otherwise valid request, so a rejection can only be
// caused by the one thing that was changed.
//
//   protected.nonce   "replay"  a nonce the server has already seen
//                     "omit"    no nonce member
//                     "invent"  a well-formed nonce the server never issued
//   protected.url     "omit"    no url member
//                     "mangle"  the request URL with a path segment appended
//                     "reencode" the request URL with one character of its
//                               last path segment percent-encoded: the same
//                               resource by RFC 3986 normalisation, but not
//                               the same string
//                     "directory:<member>[+<suffix>]" that directory URL
//                               (e.g. directory:newAccount), text appended
//                     any other string: sent as the url (e.g. "${order}",
//                               the URL of another resource)
//   protected.key     "jwk+kid" both jwk and kid
//                     "jwk"     jwk where kid is required
//                     "kid"     kid where jwk is required (uses the "kid" knob
//                               or the signer's account URL)
//   protected.kid     "account:<key>[+<suffix>]" the URL of the account made
//                               with that key in this scenario (e.g.
//                               account:other), text appended (an account
//                               that does not exist: account:account+-none)
//                     any other string: this kid instead of the signer's
//   protected.jwk     "extra-members" the jwk carries optional members (use,
//                               kid) beside the required ones; the signature
//                               stays valid
//                     "weak-rsa" a fresh RSA-1024 key signs the request and is
//                               the jwk (meant for jwk-signed requests)
//   protected.b64     "false"   RFC 7797 unencoded payload: b64 false, crit
//                               ["b64"], the payload member holds raw bytes
//   protected.alg     "none"    alg none with an empty signature
//                     "HS256"   alg HS256, MAC keyed with the account's thumbprint
//                     any other string: sent as alg, signed with the real key
//   protected.crit    array     a crit member with these names (and each name
//                               set to true in the header)
//   signature         "corrupt" one bit of the signature flipped
//                     "empty"   an empty signature
//                     "der"     ECDSA signature in DER instead of R||S
//   payload           "not-json" a payload that is not JSON
//                     any other string: sent as the payload bytes
//   jws.padding       "protected", "payload" or "signature": that member's
//                               base64url text ends in '=' padding; the
//                               signature covers the padded texts, so padding
//                               is the only fault
//   jws.unprotected-header "add" an unprotected "header" member beside the
//                               protected one
//                     "move:<member>" that member (kid, jwk, nonce, url)
//                               leaves the protected header for the
//                               unprotected one
//   protected.duplicate "url", "nonce", "kid" or "alg": the protected header
//                               text names the member twice, the real value
//                               first and a wrong one last (RFC 7515 §4 allows
//                               a reader to reject or take the last; taking
//                               the first is the fault this exposes)
//   jws.serialization "compact" the compact serialization (three dot-joined
//                               texts) instead of flattened JSON
//                     "general" the general JSON serialization, one signature
//                     "two-signatures" general JSON with two signatures
//   http.content-type string    this Content-Type instead of application/jose+json
//                     "omit"    no Content-Type
//   http.method       "GET"     a plain GET instead of the POST (POST-as-GET checks)
//
// The "account:" and "directory:" forms name scenario state, which only the
// server mode knows: its ops resolve them to URLs before a request is signed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace acmespec::client {

struct Mutations {
  enum class Nonce { normal, replay, omit, invent };
  enum class KeyHeader { normal, both, jwk, kid };
  enum class Signature { normal, corrupt, empty, der };
  enum class Jwk { normal, extra_members, weak_rsa };
  enum class Padding { none, protected_header, payload, signature };
  enum class Serialization { flattened, compact, general, two_signatures };

  Nonce nonce = Nonce::normal;
  bool omit_url = false;
  bool mangle_url = false;
  bool reencode_url = false;
  std::optional<std::string> url;
  KeyHeader key_header = KeyHeader::normal;
  std::optional<std::string> kid;
  Jwk jwk = Jwk::normal;
  bool unencoded_payload = false;  // protected.b64 false
  std::optional<std::string> alg;
  std::optional<std::vector<std::string>> crit;
  Signature signature = Signature::normal;
  std::optional<std::string> payload;  // raw payload bytes
  Padding padding = Padding::none;
  bool unprotected_header = false;
  std::optional<std::string> move_to_unprotected;  // header member name
  std::optional<std::string> duplicate;            // header member name
  Serialization serialization = Serialization::flattened;
  std::optional<std::string> content_type;
  bool omit_content_type = false;
  bool plain_get = false;

  // Parses a step's "mutate" object; errors name the member, e.g.
  // "protected.nonce: must be replay, omit or invent".
  static Result<Mutations> parse(const nlohmann::json& mutate);
  // The names parse() accepts, for scenario validation and documentation.
  static const std::vector<std::string>& names();

  bool any() const;
  // Whether the request deliberately carries a bad nonce (then a badNonce
  // answer is the point, not something to retry).
  bool touches_nonce() const { return nonce != Nonce::normal; }
};

}  // namespace acmespec::client
