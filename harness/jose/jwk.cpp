#include "jose/jwk.hpp"

#include <algorithm>

#include <array>

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>

#include "common/json.hpp"
#include "jose/base64url.hpp"
#include "jose/digest.hpp"
#include "jose/ossl.hpp"

namespace acmespec::jose {
namespace {

using Members = std::vector<std::pair<std::string, std::string>>;

struct CurveInfo {
  KeyFamily family;
  std::string_view crv;         // JWK name
  std::string_view group_name;  // OpenSSL name
  int nid;
  std::size_t field_bytes;
};

constexpr std::array<CurveInfo, 3> kCurves{{
    {KeyFamily::EcP256, "P-256", "prime256v1", NID_X9_62_prime256v1, 32},
    {KeyFamily::EcP384, "P-384", "secp384r1", NID_secp384r1, 48},
    {KeyFamily::EcP521, "P-521", "secp521r1", NID_secp521r1, 66},
}};

// Members that only a private (or symmetric) JWK has (RFC 7518 §6.2.2, §6.3.2,
// §6.4; RFC 8037 §2).
constexpr std::array<std::string_view, 8> kPrivateMembers{"d", "p", "q", "dp",
                                                           "dq", "qi", "oth", "k"};

Result<std::string> string_member(const nlohmann::json& j, const std::string& path,
                                  std::string_view name) {
  const auto it = j.find(name);
  if (it == j.end()) return make_error(json_path(path, name), "missing");
  if (!it->is_string()) return make_error(json_path(path, name), "must be a string");
  return it->get<std::string>();
}

// Decodes a base64url member; returns the decoded bytes.
Result<std::string> bytes_member(const nlohmann::json& j, const std::string& path,
                                 std::string_view name) {
  auto text = string_member(j, path, name);
  if (!text) return text.error();
  auto bytes = base64url_decode(*text);
  if (!bytes) return bytes.error().nested(json_path(path, name));
  return bytes;
}

// RFC 7518 §6.3.1: n and e are unsigned big-endian integers in the fewest
// octets.  A leading zero octet would change the RFC 7638 thumbprint without
// changing the key, so two spellings of one key would get two identities.
Status check_minimal_integer(const std::string& bytes, const std::string& where) {
  if (bytes.empty()) return make_error(where, "empty integer");
  if (bytes.front() == '\0') {
    return make_error(where, "integer has a leading zero octet (RFC 7518 §6.3.1 requires "
                             "the minimum number of octets)");
  }
  return Ok{};
}

// A key may declare what it is for (RFC 7517 §4.2-4.4).  A key declared for
// encryption, or for another algorithm, must not verify signatures: using
// it so is the key confusion those members exist to prevent.
Status check_intended_use(const nlohmann::json& j, const std::string& path, KeyFamily family) {
  if (auto use = j.find("use"); use != j.end() && *use != "sig")
    return make_error(json_path(path, "use"), "the key is declared for \"" + use->get<std::string>() +
                                                  "\", not for signatures");
  if (auto ops = j.find("key_ops"); ops != j.end()) {
    bool verify = false;
    for (const auto& op : *ops) verify = verify || op == "verify";
    if (!verify) return make_error(json_path(path, "key_ops"), "the key's operations do not include verify");
  }
  if (auto alg = j.find("alg"); alg != j.end()) {
    // Only registered JWS algorithm names can be judged; an unregistered
    // name (RFC 7517 §4.4 allows private ones) says nothing acmespec knows.
    static constexpr std::string_view kRegistered[] = {"HS256", "HS384", "HS512", "RS256", "RS384",
                                                       "RS512", "ES256", "ES384", "ES512", "PS256",
                                                       "PS384", "PS512", "none",  "EdDSA", "ES256K"};
    const std::string name = alg->get<std::string>();
    const bool registered = std::find(std::begin(kRegistered), std::end(kRegistered), name) != std::end(kRegistered);
    const auto parsed = alg_from_name(name);
    if (registered && (!parsed || !alg_fits(*parsed, family)))
      return make_error(json_path(path, "alg"), "the key is declared for \"" + name +
                                                    "\", which is not a signature algorithm acmespec verifies with a " +
                                                    std::string(family_name(family)) + " key");
  }
  return Ok{};
}

Status check_optional_members(const nlohmann::json& j, const std::string& path) {
  for (const std::string_view name : {"use", "alg", "kid", "x5u", "x5t", "x5t#S256"}) {
    const auto it = j.find(name);
    if (it != j.end() && !it->is_string()) {
      return make_error(json_path(path, name), "must be a string");
    }
  }
  for (const std::string_view name : {"key_ops", "x5c"}) {
    const auto it = j.find(name);
    if (it == j.end()) continue;
    if (!it->is_array()) return make_error(json_path(path, name), "must be an array of strings");
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) {
        return make_error(json_index(json_path(path, name), i), "must be a string");
      }
    }
  }
  return Ok{};
}

Status reject_foreign_members(const nlohmann::json& j, const std::string& path,
                              std::string_view kty,
                              std::initializer_list<std::string_view> foreign) {
  for (const std::string_view name : foreign) {
    if (j.contains(name)) {
      return make_error(json_path(path, name),
                        "member not defined for kty \"" + std::string(kty) + "\"");
    }
  }
  return Ok{};
}

// `identity` holds every input of the import.  Importing into OpenSSL
// (EVP_PKEY_fromdata) costs tens of microseconds and one request parses the
// same key several times (the header rules, then verification), so the last
// keys built on this thread are reused: a hit is the key the import would
// build, and an OpenSSL key is immutable once built and safe to share.
Result<std::shared_ptr<EVP_PKEY>> build_from_params(const char* type, OSSL_PARAM_BLD* bld,
                                                    const std::string& path, const std::string& identity) {
  struct Recent {
    std::string identity;
    std::shared_ptr<EVP_PKEY> key;
  };
  thread_local std::array<Recent, 8> recent;
  thread_local std::size_t next = 0;
  for (const auto& r : recent) {
    if (r.key && r.identity == identity) return r.key;
  }
  detail::ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return make_error(path, "OpenSSL refused the key: " + detail::openssl_error());
  }
  auto key = detail::share(detail::PkeyPtr(raw));
  recent[next] = {identity, key};
  next = (next + 1) % recent.size();
  return key;
}

struct Parsed {
  KeyFamily family;
  Members members;
  std::shared_ptr<EVP_PKEY> key;
};

Result<Parsed> parse_rsa(const nlohmann::json& j, const std::string& path,
                         const JwkPolicy& policy) {
  if (auto s = reject_foreign_members(j, path, "RSA", {"crv", "x", "y"}); !s) return s.error();
  auto n = bytes_member(j, path, "n");
  if (!n) return n.error();
  const std::string n_path = json_path(path, "n");
  if (auto s = check_minimal_integer(*n, n_path); !s) return s.error();
  auto n_bn = detail::bn_from_bytes(*n);
  if (!n_bn) return make_error(n_path, "cannot hold modulus: " + detail::openssl_error());
  const int bits = BN_num_bits(n_bn.get());
  if (bits < policy.min_rsa_bits) {
    return make_error(n_path, "RSA modulus of " + std::to_string(bits) + " bits is under the " +
                                  std::to_string(policy.min_rsa_bits) + "-bit minimum");
  }
  if (bits > policy.max_rsa_bits) {
    return make_error(n_path, "RSA modulus of " + std::to_string(bits) + " bits exceeds the " +
                                  std::to_string(policy.max_rsa_bits) + "-bit maximum");
  }
  if (!BN_is_odd(n_bn.get())) return make_error(n_path, "RSA modulus is even");

  auto e = bytes_member(j, path, "e");
  if (!e) return e.error();
  const std::string e_path = json_path(path, "e");
  if (auto s = check_minimal_integer(*e, e_path); !s) return s.error();
  // Exponents wider than 32 bits are legal RSA but used by nobody honest, and
  // they make verification expensive; 65537 is what every ACME client sends.
  if (e->size() > 4) return make_error(e_path, "RSA exponent wider than 32 bits");
  auto e_bn = detail::bn_from_bytes(*e);
  if (!e_bn) return make_error(e_path, "cannot hold exponent: " + detail::openssl_error());
  if (!BN_is_odd(e_bn.get())) return make_error(e_path, "RSA exponent is even");
  if (BN_is_one(e_bn.get())) return make_error(e_path, "RSA exponent is 1");

  detail::ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n_bn.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e_bn.get()) != 1) {
    return make_error(path, "cannot build RSA key: " + detail::openssl_error());
  }
  auto built = build_from_params("RSA", bld.get(), path, "RSA:" + std::to_string(n->size()) + ":" + *n + *e);
  if (!built) return built.error();
  return Parsed{KeyFamily::Rsa,
                {{"e", base64url_encode(*e)}, {"kty", "RSA"}, {"n", base64url_encode(*n)}},
                std::move(*built)};
}

// RFC 7518 §6.2.1: x and y are the full field width, and (x, y) must lie on
// the named curve; an off-curve point is the lever of invalid-curve attacks.
Result<Parsed> parse_ec(const nlohmann::json& j, const std::string& path) {
  if (auto s = reject_foreign_members(j, path, "EC", {"n", "e"}); !s) return s.error();
  auto crv = string_member(j, path, "crv");
  if (!crv) return crv.error();
  const CurveInfo* curve = nullptr;
  for (const auto& c : kCurves) {
    if (c.crv == *crv) curve = &c;
  }
  if (curve == nullptr) {
    return make_error(json_path(path, "crv"), "unsupported curve \"" + *crv +
                                                  "\" (expected P-256, P-384 or P-521)");
  }
  const std::string crv_name(curve->crv);
  auto x = bytes_member(j, path, "x");
  if (!x) return x.error();
  auto y = bytes_member(j, path, "y");
  if (!y) return y.error();
  for (const auto& [name, value] : {std::pair<std::string_view, const std::string*>{"x", &*x},
                                    {"y", &*y}}) {
    if (value->size() != curve->field_bytes) {
      return make_error(json_path(path, name),
                        "must be exactly " + std::to_string(curve->field_bytes) +
                            " octets for " + crv_name + ", got " + std::to_string(value->size()));
    }
  }

  detail::EcGroupPtr group(EC_GROUP_new_by_curve_name(curve->nid));
  detail::BnCtxPtr bn_ctx(BN_CTX_new());
  detail::BnPtr p(BN_new());
  auto x_bn = detail::bn_from_bytes(*x);
  auto y_bn = detail::bn_from_bytes(*y);
  if (!group || !bn_ctx || !p || !x_bn || !y_bn ||
      EC_GROUP_get_curve(group.get(), p.get(), nullptr, nullptr, bn_ctx.get()) != 1) {
    return make_error(path, "cannot set up curve " + crv_name + ": " + detail::openssl_error());
  }
  // OpenSSL would silently reduce a coordinate >= p; the encoding must be the
  // canonical one.
  if (BN_cmp(x_bn.get(), p.get()) >= 0) {
    return make_error(json_path(path, "x"), "coordinate is not less than the field prime of " +
                                                crv_name);
  }
  if (BN_cmp(y_bn.get(), p.get()) >= 0) {
    return make_error(json_path(path, "y"), "coordinate is not less than the field prime of " +
                                                crv_name);
  }
  detail::EcPointPtr point(EC_POINT_new(group.get()));
  if (!point) return make_error(path, "cannot allocate a point: " + detail::openssl_error());
  if (EC_POINT_set_affine_coordinates(group.get(), point.get(), x_bn.get(), y_bn.get(),
                                      bn_ctx.get()) != 1 ||
      EC_POINT_is_on_curve(group.get(), point.get(), bn_ctx.get()) != 1) {
    detail::clear_openssl_errors();
    return make_error(json_path(path, "x"), "point (x, y) is not on curve " + crv_name);
  }

  std::string pub = "\x04" + *x + *y;
  detail::ParamBldPtr bld(OSSL_PARAM_BLD_new());
  const std::string group_name(curve->group_name);
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group_name.c_str(),
                                      0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(),
                                       pub.size()) != 1) {
    return make_error(path, "cannot build EC key: " + detail::openssl_error());
  }
  auto built = build_from_params("EC", bld.get(), path, "EC:" + group_name + ":" + pub);
  if (!built) return built.error();
  return Parsed{curve->family,
                {{"crv", crv_name},
                 {"kty", "EC"},
                 {"x", base64url_encode(*x)},
                 {"y", base64url_encode(*y)}},
                std::move(*built)};
}

// RFC 8037 §2: an OKP key is the raw 32-byte public key of its curve.
Result<Parsed> parse_okp(const nlohmann::json& j, const std::string& path) {
  if (auto s = reject_foreign_members(j, path, "OKP", {"n", "e", "y"}); !s) return s.error();
  auto crv = string_member(j, path, "crv");
  if (!crv) return crv.error();
  if (*crv != "Ed25519") {
    const std::string why = *crv == "X25519" || *crv == "X448"
                                ? " (a key-agreement curve cannot sign)"
                                : " (expected Ed25519)";
    return make_error(json_path(path, "crv"), "unsupported curve \"" + *crv + "\"" + why);
  }
  auto x = bytes_member(j, path, "x");
  if (!x) return x.error();
  if (x->size() != 32) {
    return make_error(json_path(path, "x"), "must be exactly 32 octets for Ed25519, got " +
                                                std::to_string(x->size()));
  }
  detail::PkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x->data()), x->size()));
  if (!key) return make_error(json_path(path, "x"), "OpenSSL refused the key: " +
                                                        detail::openssl_error());
  return Parsed{KeyFamily::Ed25519,
                {{"crv", "Ed25519"}, {"kty", "OKP"}, {"x", base64url_encode(*x)}},
                detail::share(std::move(key))};
}

Result<Parsed> parse_any(const nlohmann::json& j, const std::string& path,
                         const JwkPolicy& policy) {
  if (!j.is_object()) return make_error(path, "must be a JSON object");
  auto kty = string_member(j, path, "kty");
  if (!kty) return kty.error();
  for (const std::string_view name : kPrivateMembers) {
    if (j.contains(name)) {
      return make_error(json_path(path, name),
                        "private key member in a public JWK (a public key must not carry "
                        "private key material)");
    }
  }
  if (auto s = check_optional_members(j, path); !s) return s.error();
  Result<Parsed> key = *kty == "RSA"  ? parse_rsa(j, path, policy)
                       : *kty == "EC" ? parse_ec(j, path)
                       : *kty == "OKP"
                           ? parse_okp(j, path)
                           : Result<Parsed>(make_error(json_path(path, "kty"),
                                                       "unsupported key type \"" + *kty + "\" (expected RSA, EC or OKP)"));
  if (!key) return key;
  if (auto s = check_intended_use(j, path, key->family); !s) return s.error();
  return key;
}

// Pulls the public values out of an OpenSSL key as JWK members, so that keys
// from PEM, DER or generation pass through the same checks as received JWKs.
Result<nlohmann::json> public_members(EVP_PKEY* key) {
  if (key == nullptr) return make_error("", "no key");
  if (EVP_PKEY_is_a(key, "RSA")) {
    BIGNUM* n_raw = nullptr;
    BIGNUM* e_raw = nullptr;
    const bool got_n = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n_raw) == 1;
    detail::BnPtr n(n_raw);
    const bool got_e = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e_raw) == 1;
    detail::BnPtr e(e_raw);
    if (!got_n || !got_e) return make_error("", "cannot read RSA key: " + detail::openssl_error());
    return nlohmann::json{{"kty", "RSA"},
                          {"n", base64url_encode(detail::bn_to_bytes(n.get()))},
                          {"e", base64url_encode(detail::bn_to_bytes(e.get()))}};
  }
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {};
    std::size_t group_len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &group_len) != 1) {
      return make_error("", "EC key without a named curve: " + detail::openssl_error());
    }
    const CurveInfo* curve = nullptr;
    for (const auto& c : kCurves) {
      if (c.group_name == group) curve = &c;
    }
    if (curve == nullptr) return make_error("", "unsupported EC curve " + std::string(group));
    BIGNUM* x_raw = nullptr;
    BIGNUM* y_raw = nullptr;
    const bool got_x = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x_raw) == 1;
    detail::BnPtr x(x_raw);
    const bool got_y = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y_raw) == 1;
    detail::BnPtr y(y_raw);
    std::string xs, ys;
    if (!got_x || !got_y || !detail::bn_to_fixed(x.get(), curve->field_bytes, xs) ||
        !detail::bn_to_fixed(y.get(), curve->field_bytes, ys)) {
      return make_error("", "cannot read EC public point: " + detail::openssl_error());
    }
    return nlohmann::json{{"kty", "EC"},
                          {"crv", std::string(curve->crv)},
                          {"x", base64url_encode(xs)},
                          {"y", base64url_encode(ys)}};
  }
  if (EVP_PKEY_is_a(key, "ED25519")) {
    std::string raw(32, '\0');
    std::size_t len = raw.size();
    if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &len) !=
            1 ||
        len != 32) {
      return make_error("", "cannot read Ed25519 key: " + detail::openssl_error());
    }
    return nlohmann::json{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", base64url_encode(raw)}};
  }
  return make_error("", std::string("unsupported key type ") +
                            (EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "?"));
}

}  // namespace

Result<Jwk> Jwk::parse(const nlohmann::json& json, const std::string& path,
                       const JwkPolicy& policy) {
  try {
    auto parsed = parse_any(json, path, policy);
    if (!parsed) return parsed.error();
    return Jwk(parsed->family, std::move(parsed->members), std::move(parsed->key));
  } catch (const std::exception& e) {
    // nlohmann only throws here on internal misuse; keep the no-throw promise.
    return make_error(path, std::string("cannot read JWK: ") + e.what());
  }
}

Result<Jwk> Jwk::from_evp(EVP_PKEY* key, const JwkPolicy& policy) {
  auto members = public_members(key);
  if (!members) return members.error();
  return parse(*members, "", policy);
}

Result<Jwk> Jwk::from_spki_der(std::string_view der, const JwkPolicy& policy) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  detail::PkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!key) return make_error("", "not a DER SubjectPublicKeyInfo: " + detail::openssl_error());
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return make_error("", "trailing bytes after the SubjectPublicKeyInfo");
  }
  return from_evp(key.get(), policy);
}

nlohmann::json Jwk::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : members_) out[name] = value;
  return out;
}

std::string Jwk::thumbprint_input() const {
  // Every value is base64url text or a fixed ASCII name, so no JSON escaping
  // is ever needed and the members are already in lexicographic order.
  std::string out = "{";
  for (const auto& [name, value] : members_) {
    if (out.size() > 1) out += ',';
    out += '"' + name + "\":\"" + value + '"';
  }
  out += '}';
  return out;
}

std::string Jwk::thumbprint() const { return base64url_encode(sha256(thumbprint_input())); }

}  // namespace acmespec::jose
