#include "mock-ca/ca.hpp"

#include <arpa/inet.h>

#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "mock-ca/ossl.hpp"

namespace acmespec::mockca::detail {
namespace {

using namespace std::chrono_literals;

Result<EvpPkeyPtr> generate_key(const std::string& algorithm) {
  EvpPkeyPtr key(algorithm == "rsa" ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256"));
  if (!key) return make_error("ca", responders::ossl_error("key generation failed"));
  return key;
}

bool set_time(ASN1_TIME* t, std::chrono::system_clock::time_point tp) {
  return ASN1_TIME_set(t, std::chrono::system_clock::to_time_t(tp)) != nullptr;
}

bool add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool random_serial(X509* cert, std::string* hex_out) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return false;
  bytes[0] &= 0x7f;  // positive
  bytes[0] |= 0x01;  // and of full length
  BignumPtr bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert))) return false;
  if (hex_out) {
    char* hex = BN_bn2hex(bn.get());
    if (!hex) return false;
    *hex_out = hex;
    OPENSSL_free(hex);
  }
  return true;
}

X509NamePtr make_name(const std::string& cn) {
  X509NamePtr name(X509_NAME_new());
  X509_NAME_add_entry_by_txt(name.get(), "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("acmespec mock CA"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                             -1, 0);
  return name;
}

// A CA certificate for `subject_key` named `cn`, signed by issuer (self when null).
Result<X509Ptr> make_ca_cert(const std::string& cn, EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key,
                             std::chrono::system_clock::time_point now, int path_len) {
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), 2) != 1 || !random_serial(cert.get(), nullptr))
    return make_error("ca", responders::ossl_error("certificate setup failed"));
  auto name = make_name(cn);
  X509_set_subject_name(cert.get(), name.get());
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name.get());
  set_time(X509_getm_notBefore(cert.get()), now - 1h);
  set_time(X509_getm_notAfter(cert.get()), now + 24h * 3650);
  X509_set_pubkey(cert.get(), subject_key);
  const std::string bc = "critical,CA:TRUE,pathlen:" + std::to_string(path_len);
  X509* iss = issuer ? issuer : cert.get();
  if (!add_ext(cert.get(), iss, NID_basic_constraints, bc.c_str()) ||
      !add_ext(cert.get(), iss, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature") ||
      !add_ext(cert.get(), iss, NID_subject_key_identifier, "hash") ||
      (issuer && !add_ext(cert.get(), iss, NID_authority_key_identifier, "keyid:always")))
    return make_error("ca", responders::ossl_error("CA extensions failed"));
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0)
    return make_error("ca", responders::ossl_error("CA signing failed"));
  return cert;
}

std::string to_der(X509* cert) {
  unsigned char* buf = nullptr;
  const int len = i2d_X509(cert, &buf);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<char*>(buf), static_cast<std::size_t>(len));
  OPENSSL_free(buf);
  return out;
}

}  // namespace

struct CertAuthority::Hierarchy {
  EvpPkeyPtr root_key;
  X509Ptr root;
  X509Ptr intermediate;  // signed by root; key is the shared intermediate key
  std::string root_pem;
  std::string intermediate_pem;
};

std::string der_to_pem(const std::string& der, const char* label) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio(bio.get(), label, "", reinterpret_cast<const unsigned char*>(der.data()),
                static_cast<long>(der.size()));
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

CertAuthority::CertAuthority() = default;
CertAuthority::~CertAuthority() = default;

Result<std::unique_ptr<CertAuthority>> CertAuthority::create(const std::string& algorithm,
                                                             std::chrono::system_clock::time_point now) {
  if (algorithm != "ecdsa" && algorithm != "rsa")
    return make_error("key_algorithm", "expected \"ecdsa\" or \"rsa\", got \"" + algorithm + "\"");
  std::unique_ptr<CertAuthority> ca(new CertAuthority());
  ca->algorithm_ = algorithm;
  ca->created_ = now;
  auto h = std::make_unique<Hierarchy>();
  auto root_key = generate_key(algorithm);
  auto int_key = generate_key(algorithm);
  if (!root_key) return root_key.error();
  if (!int_key) return int_key.error();
  h->root_key = std::move(*root_key);
  const std::string suffix = algorithm == "rsa" ? " RSA" : " ECDSA";
  auto root = make_ca_cert("acmespec mock root" + suffix, h->root_key.get(), nullptr, h->root_key.get(), now, 1);
  if (!root) return root.error();
  h->root = std::move(*root);
  auto inter = make_ca_cert("acmespec mock intermediate" + suffix, int_key->get(), h->root.get(),
                            h->root_key.get(), now, 0);
  if (!inter) return inter.error();
  h->intermediate = std::move(*inter);
  h->root_pem = der_to_pem(to_der(h->root.get()));
  h->intermediate_pem = der_to_pem(to_der(h->intermediate.get()));
  ca->intermediate_key_ = std::move(*int_key);
  ca->primary_ = std::move(h);
  return ca;
}

Status CertAuthority::ensure_alternates(int count) {
  std::lock_guard lock(mu_);
  while (static_cast<int>(alternates_.size()) < count) {
    auto h = std::make_unique<Hierarchy>();
    auto root_key = generate_key(algorithm_);
    if (!root_key) return root_key.error();
    h->root_key = std::move(*root_key);
    const std::string n = std::to_string(alternates_.size() + 1);
    auto root = make_ca_cert("acmespec mock alternate root " + n, h->root_key.get(), nullptr, h->root_key.get(),
                             created_, 1);
    if (!root) return root.error();
    h->root = std::move(*root);
    // Same subject and key as the primary intermediate, so the leaf's
    // signature verifies under either certificate.
    X509_NAME* subject = X509_get_subject_name(primary_->intermediate.get());
    X509Ptr inter(X509_new());
    X509_set_version(inter.get(), 2);
    random_serial(inter.get(), nullptr);
    X509_set_subject_name(inter.get(), subject);
    X509_set_issuer_name(inter.get(), X509_get_subject_name(h->root.get()));
    set_time(X509_getm_notBefore(inter.get()), created_ - 1h);
    set_time(X509_getm_notAfter(inter.get()), created_ + 24h * 3650);
    X509_set_pubkey(inter.get(), intermediate_key_.get());
    if (!add_ext(inter.get(), h->root.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
        !add_ext(inter.get(), h->root.get(), NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature") ||
        !add_ext(inter.get(), h->root.get(), NID_subject_key_identifier, "hash") ||
        !add_ext(inter.get(), h->root.get(), NID_authority_key_identifier, "keyid:always") ||
        X509_sign(inter.get(), h->root_key.get(), EVP_sha256()) <= 0)
      return make_error("ca", responders::ossl_error("alternate intermediate failed"));
    h->intermediate = std::move(inter);
    h->root_pem = der_to_pem(to_der(h->root.get()));
    h->intermediate_pem = der_to_pem(to_der(h->intermediate.get()));
    alternates_.push_back(std::move(h));
  }
  return Ok{};
}

Result<IssuedCertificate> CertAuthority::issue(EVP_PKEY* subject_key, const std::vector<acme::Identifier>& identifiers,
                                               std::chrono::system_clock::time_point not_before,
                                               std::chrono::system_clock::time_point not_after) {
  X509Ptr cert(X509_new());
  IssuedCertificate out;
  if (!cert || X509_set_version(cert.get(), 2) != 1 || !random_serial(cert.get(), &out.serial_hex))
    return make_error("ca", responders::ossl_error("certificate setup failed"));
  X509* issuer = primary_->intermediate.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer));
  X509NamePtr subject(X509_NAME_new());
  // The CN, when present, must be one of the SANs; DNS names fit, IP literals
  // are left to the SAN alone.
  for (const auto& id : identifiers) {
    if (id.type == "dns" && id.value.size() <= 64) {
      X509_NAME_add_entry_by_txt(subject.get(), "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(id.value.c_str()), -1, -1, 0);
      break;
    }
  }
  X509_set_subject_name(cert.get(), subject.get());
  set_time(X509_getm_notBefore(cert.get()), not_before);
  set_time(X509_getm_notAfter(cert.get()), not_after);
  X509_set_pubkey(cert.get(), subject_key);
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  for (const auto& id : identifiers) {
    GENERAL_NAME* gn = GENERAL_NAME_new();
    if (id.type == "ip") {
      unsigned char buf[16];
      const bool v6 = id.value.find(':') != std::string::npos;
      if (inet_pton(v6 ? AF_INET6 : AF_INET, id.value.c_str(), buf) != 1) {
        GENERAL_NAME_free(gn);
        return make_error("identifiers", "not an IP address: " + id.value);
      }
      ASN1_OCTET_STRING* os = ASN1_OCTET_STRING_new();
      ASN1_OCTET_STRING_set(os, buf, v6 ? 16 : 4);
      GENERAL_NAME_set0_value(gn, GEN_IPADD, os);
    } else {
      ASN1_IA5STRING* s = ASN1_IA5STRING_new();
      ASN1_STRING_set(s, id.value.data(), static_cast<int>(id.value.size()));
      GENERAL_NAME_set0_value(gn, GEN_DNS, s);
    }
    sk_GENERAL_NAME_push(names.get(), gn);
  }
  if (X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1 ||
      !add_ext(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE") ||
      !add_ext(cert.get(), issuer, NID_key_usage, "critical,digitalSignature") ||
      !add_ext(cert.get(), issuer, NID_ext_key_usage, "serverAuth,clientAuth") ||
      !add_ext(cert.get(), issuer, NID_subject_key_identifier, "hash") ||
      !add_ext(cert.get(), issuer, NID_authority_key_identifier, "keyid:always"))
    return make_error("ca", responders::ossl_error("leaf extensions failed"));
  if (X509_sign(cert.get(), intermediate_key_.get(), EVP_sha256()) <= 0)
    return make_error("ca", responders::ossl_error("leaf signing failed"));
  out.der = to_der(cert.get());
  return out;
}

Result<std::string> CertAuthority::chain_pem(const std::string& leaf_der, int index) const {
  std::lock_guard lock(mu_);
  const Hierarchy* h = index == 0 ? primary_.get()
                       : index > 0 && index <= static_cast<int>(alternates_.size())
                           ? alternates_[static_cast<std::size_t>(index - 1)].get()
                           : nullptr;
  if (!h) return make_error("chain", "no chain " + std::to_string(index));
  return der_to_pem(leaf_der) + h->intermediate_pem;
}

std::vector<std::string> CertAuthority::root_pems() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out{primary_->root_pem};
  for (const auto& h : alternates_) out.push_back(h->root_pem);
  return out;
}

bool CertAuthority::issued_here(const std::string& der) const {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) return false;
  const bool ok = X509_verify(cert.get(), intermediate_key_.get()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace acmespec::mockca::detail
