#include "jose/private_key.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "common/json.hpp"
#include "jose/base64url.hpp"
#include "jose/ossl.hpp"
#include "jose/signature.hpp"

namespace acmespec::jose {
namespace {

// Keys a test holds itself may be weak on purpose; see PrivateKey::from_pem.
constexpr JwkPolicy kOwnKeyPolicy{512, 16384};

// Refuses to prompt for a passphrase: a harness must never block on a tty.
int no_passphrase(char*, int, int, void*) { return -1; }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

std::string errno_text(int err) { return std::strerror(err); }

Result<std::string> private_bytes(const nlohmann::json& j, const std::string& path,
                                  std::string_view name) {
  const auto it = j.find(name);
  if (it == j.end()) return make_error(json_path(path, name), "missing");
  if (!it->is_string()) return make_error(json_path(path, name), "must be a string");
  auto bytes = base64url_decode(it->get<std::string>());
  if (!bytes) return bytes.error().nested(json_path(path, name));
  if (bytes->empty()) return make_error(json_path(path, name), "empty");
  return bytes;
}

Result<std::shared_ptr<EVP_PKEY>> keypair_from_params(const char* type, OSSL_PARAM_BLD* bld,
                                                      const std::string& path) {
  detail::ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    return make_error(path, "OpenSSL refused the private key: " + detail::openssl_error());
  }
  return detail::share(detail::PkeyPtr(raw));
}

// RFC 7518 §6.3.2: d is required; the CRT members come all together or not at all.
Result<std::shared_ptr<EVP_PKEY>> rsa_private(const nlohmann::json& j, const std::string& path,
                                              const Jwk& pub) {
  if (j.contains("oth")) {
    return make_error(json_path(path, "oth"), "multi-prime RSA keys are not supported");
  }
  detail::ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld) return make_error(path, "cannot build RSA key: " + detail::openssl_error());
  std::vector<detail::BnPtr> keep;  // the builder refers to these until to_param
  auto push = [&](const char* param, const std::string& value) {
    keep.push_back(detail::bn_from_bytes(value));
    return keep.back() && OSSL_PARAM_BLD_push_BN(bld.get(), param, keep.back().get()) == 1;
  };
  const nlohmann::json pub_json = pub.to_json();
  bool ok = push(OSSL_PKEY_PARAM_RSA_N, *base64url_decode(pub_json["n"].get<std::string>())) &&
            push(OSSL_PKEY_PARAM_RSA_E, *base64url_decode(pub_json["e"].get<std::string>()));
  auto d = private_bytes(j, path, "d");
  if (!d) return d.error();
  ok = ok && push(OSSL_PKEY_PARAM_RSA_D, *d);

  static constexpr std::pair<const char*, const char*> kCrt[] = {
      {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},      {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
      {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},   {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
      {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
  std::size_t present = 0;
  for (const auto& [name, param] : kCrt) present += j.contains(name) ? 1 : 0;
  if (present != 0) {
    for (const auto& [name, param] : kCrt) {
      auto value = private_bytes(j, path, name);
      if (!value) {
        return make_error(value.error().path,
                          value.error().reason + " (RFC 7518 §6.3.2: p, q, dp, dq and qi "
                                                 "come together)");
      }
      ok = ok && push(param, *value);
    }
  }
  if (!ok) return make_error(path, "cannot build RSA key: " + detail::openssl_error());
  return keypair_from_params("RSA", bld.get(), path);
}

Result<std::shared_ptr<EVP_PKEY>> ec_private(const nlohmann::json& j, const std::string& path,
                                             const Jwk& pub) {
  static constexpr std::size_t kSizes[] = {32, 48, 66};
  static constexpr const char* kGroups[] = {"prime256v1", "secp384r1", "secp521r1"};
  const auto index = static_cast<std::size_t>(pub.family()) -
                     static_cast<std::size_t>(KeyFamily::EcP256);
  auto d = private_bytes(j, path, "d");
  if (!d) return d.error();
  // RFC 7518 §6.2.2.1: d is the full width of the curve order.
  if (d->size() != kSizes[index]) {
    return make_error(json_path(path, "d"), "must be exactly " + std::to_string(kSizes[index]) +
                                                " octets for " +
                                                std::string(family_name(pub.family())) +
                                                ", got " + std::to_string(d->size()));
  }
  const nlohmann::json pub_json = pub.to_json();
  const std::string point = "\x04" + *base64url_decode(pub_json["x"].get<std::string>()) +
                            *base64url_decode(pub_json["y"].get<std::string>());
  auto d_bn = detail::bn_from_bytes(*d);
  detail::ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!d_bn || !bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, kGroups[index],
                                      0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d_bn.get()) != 1) {
    return make_error(path, "cannot build EC key: " + detail::openssl_error());
  }
  return keypair_from_params("EC", bld.get(), path);
}

Result<std::shared_ptr<EVP_PKEY>> ed25519_private(const nlohmann::json& j,
                                                  const std::string& path) {
  auto d = private_bytes(j, path, "d");
  if (!d) return d.error();
  if (d->size() != 32) {
    return make_error(json_path(path, "d"),
                      "must be exactly 32 octets for Ed25519, got " + std::to_string(d->size()));
  }
  detail::PkeyPtr key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(d->data()), d->size()));
  if (!key) return make_error(json_path(path, "d"), "OpenSSL refused the key: " +
                                                        detail::openssl_error());
  return detail::share(std::move(key));
}

// A private part that does not belong to the public members would sign
// things nobody can verify; a sign-then-verify round catches it for every
// key type, including RSA keys given without their CRT members.
Status check_pair(const PrivateKey& key, const std::string& path) {
  static constexpr std::string_view kProbe = "acmespec key pair check";
  auto sig = sign(key.default_alg(), key, kProbe);
  if (!sig) return make_error(path, "private key cannot sign: " + sig.error().reason);
  if (!verify(key.default_alg(), key.public_jwk(), kProbe, *sig)) {
    return make_error(json_path(path, "d"), "private key does not match the public members");
  }
  return Ok{};
}

}  // namespace

Result<PrivateKey> PrivateKey::from_evp(std::shared_ptr<EVP_PKEY> key) {
  if (!key) return make_error("", "no key");
  auto pub = Jwk::from_evp(key.get(), kOwnKeyPolicy);
  if (!pub) return pub.error();
  return PrivateKey(std::move(key), std::move(*pub));
}

Result<PrivateKey> PrivateKey::generate(KeyType type) {
  EVP_PKEY* raw = nullptr;
  switch (type) {
    case KeyType::Rsa2048: raw = EVP_RSA_gen(2048); break;
    case KeyType::Rsa3072: raw = EVP_RSA_gen(3072); break;
    case KeyType::Rsa4096: raw = EVP_RSA_gen(4096); break;
    case KeyType::P256: raw = EVP_EC_gen("P-256"); break;
    case KeyType::P384: raw = EVP_EC_gen("P-384"); break;
    case KeyType::P521: raw = EVP_EC_gen("P-521"); break;
    case KeyType::Ed25519: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
  }
  if (raw == nullptr) {
    return make_error("", "cannot generate " + std::string(key_type_name(type)) + " key: " +
                              detail::openssl_error());
  }
  return from_evp(detail::share(detail::PkeyPtr(raw)));
}

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
  detail::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return make_error("", "cannot read PEM: " + detail::openssl_error());
  detail::PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) {
    return make_error("", "not an unencrypted PEM private key: " + detail::openssl_error());
  }
  return from_evp(detail::share(std::move(key)));
}

Result<PrivateKey> PrivateKey::from_jwk(const nlohmann::json& jwk, const std::string& path) {
  try {
    if (!jwk.is_object()) return make_error(path, "must be a JSON object");
    if (!jwk.contains("d")) {
      return make_error(json_path(path, "d"), "missing (not a private JWK)");
    }
    // The public half goes through the same checks as any received JWK.
    nlohmann::json public_part = jwk;
    for (const char* name : {"d", "p", "q", "dp", "dq", "qi", "oth"}) public_part.erase(name);
    auto pub = Jwk::parse(public_part, path, kOwnKeyPolicy);
    if (!pub) return pub.error();

    Result<std::shared_ptr<EVP_PKEY>> key = make_error(path, "unsupported key");
    switch (pub->family()) {
      case KeyFamily::Rsa: key = rsa_private(jwk, path, *pub); break;
      case KeyFamily::EcP256:
      case KeyFamily::EcP384:
      case KeyFamily::EcP521: key = ec_private(jwk, path, *pub); break;
      case KeyFamily::Ed25519: key = ed25519_private(jwk, path); break;
    }
    if (!key) return key.error();
    PrivateKey out(std::move(*key), std::move(*pub));
    if (auto pair = check_pair(out, path); !pair) return pair.error();
    return out;
  } catch (const std::exception& e) {
    return make_error(path, std::string("cannot read private JWK: ") + e.what());
  }
}

Result<std::string> PrivateKey::to_pem() const {
  detail::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr,
                                            nullptr) != 1) {
    return make_error("", "cannot write PEM: " + detail::openssl_error());
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || data == nullptr) return make_error("", "cannot write PEM: empty output");
  return std::string(data, static_cast<std::size_t>(len));
}

Status PrivateKey::write_pem_file(const std::string& path) const {
  auto pem = to_pem();
  if (!pem) return pem.error().nested(path);
  // O_EXCL: never write a key through an existing file (or a planted
  // symlink) that others may already be able to read.
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return make_error(path, "cannot create key file: " + errno_text(errno));
  auto fail = [&](const std::string& what) -> Status {
    const int err = errno;
    ::close(fd.release());
    ::unlink(path.c_str());
    return make_error(path, what + ": " + errno_text(err));
  };
  // The umask may have cleared bits of 0600 but never added any; set the
  // mode exactly so the owner can read it back.
  if (::fchmod(fd.get(), 0600) != 0) return fail("cannot set mode 0600");
  std::size_t done = 0;
  while (done < pem->size()) {
    const ssize_t n = ::write(fd.get(), pem->data() + done, pem->size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write key file");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail("cannot flush key file");
  if (::close(fd.release()) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return make_error(path, "cannot close key file: " + errno_text(err));
  }
  return Ok{};
}

}  // namespace acmespec::jose
