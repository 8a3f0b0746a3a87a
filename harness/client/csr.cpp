#include "client/csr.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace acmespec::client {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using ReqPtr = std::unique_ptr<X509_REQ, Deleter<X509_REQ, X509_REQ_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;
void free_extensions(STACK_OF(X509_EXTENSION) * s) { sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free); }
using ExtsPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), Deleter<STACK_OF(X509_EXTENSION), free_extensions>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;

std::string ssl_error() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

Result<GENERAL_NAME*> general_name(const CsrIdentifier& id) {
  GENERAL_NAME* name = GENERAL_NAME_new();
  if (id.type == "dns") {
    ASN1_IA5STRING* s = ASN1_IA5STRING_new();
    ASN1_STRING_set(s, id.value.data(), static_cast<int>(id.value.size()));
    GENERAL_NAME_set0_value(name, GEN_DNS, s);
    return name;
  }
  if (id.type == "ip") {
    unsigned char buf[16];
    int len = 0;
    if (inet_pton(AF_INET, id.value.c_str(), buf) == 1) len = 4;
    else if (inet_pton(AF_INET6, id.value.c_str(), buf) == 1) len = 16;
    if (len == 0) {
      GENERAL_NAME_free(name);
      return make_error("identifiers", "not an IP address: " + id.value);
    }
    ASN1_OCTET_STRING* s = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(s, buf, len);
    GENERAL_NAME_set0_value(name, GEN_IPADD, s);
    return name;
  }
  GENERAL_NAME_free(name);
  return make_error("identifiers", "unsupported identifier type " + id.type);
}

std::string name_line(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::chrono::system_clock::time_point to_time(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string ip_text(const ASN1_OCTET_STRING* s) {
  char buf[INET6_ADDRSTRLEN] = {};
  const int len = ASN1_STRING_length(s);
  const unsigned char* data = ASN1_STRING_get0_data(s);
  if (len == 4) inet_ntop(AF_INET, data, buf, sizeof buf);
  else if (len == 16) inet_ntop(AF_INET6, data, buf, sizeof buf);
  else return "<bad IP of " + std::to_string(len) + " bytes>";
  return buf;
}

CertificateInfo describe(X509* cert) {
  CertificateInfo info;
  info.subject = name_line(X509_get_subject_name(cert));
  info.issuer = name_line(X509_get_issuer_name(cert));
  if (const ASN1_INTEGER* serial = X509_get0_serialNumber(cert)) {
    std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> bn(ASN1_INTEGER_to_BN(serial, nullptr));
    if (bn) {
      char* hex = BN_bn2hex(bn.get());
      info.serial_hex = hex;
      OPENSSL_free(hex);
    }
  }
  unsigned char* der = nullptr;
  int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  if (len > 0) info.spki_der.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  der = nullptr;
  len = i2d_X509(cert, &der);
  if (len > 0) info.der.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  info.not_before = to_time(X509_get0_notBefore(cert));
  info.not_after = to_time(X509_get0_notAfter(cert));
  info.is_ca = X509_check_ca(cert) != 0;
  NamesPtr names(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names.get(), i);
    if (n->type == GEN_DNS) {
      const ASN1_STRING* s = n->d.dNSName;
      info.sans.push_back({"dns", std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                              static_cast<std::size_t>(ASN1_STRING_length(s)))});
    } else if (n->type == GEN_IPADD) {
      info.sans.push_back({"ip", ip_text(n->d.iPAddress)});
    }
  }
  ERR_clear_error();
  return info;
}

Result<std::vector<X509Ptr>> read_pem_certs(const std::string& pem) {
  std::vector<X509Ptr> certs;
  std::size_t pos = 0;
  static const std::string begin = "-----BEGIN CERTIFICATE-----";
  static const std::string end = "-----END CERTIFICATE-----";
  while (true) {
    std::size_t b = pem.find("-----BEGIN ", pos);
    std::string between = pem.substr(pos, b == std::string::npos ? std::string::npos : b - pos);
    if (between.find_first_not_of(" \t\r\n") != std::string::npos)
      return make_error("certificate", "text outside PEM blocks at byte " + std::to_string(pos));
    if (b == std::string::npos) break;
    if (pem.compare(b, begin.size(), begin) != 0)
      return make_error("certificate", "a PEM block that is not a CERTIFICATE at byte " + std::to_string(b));
    std::size_t e = pem.find(end, b);
    if (e == std::string::npos) return make_error("certificate", "unterminated PEM block at byte " + std::to_string(b));
    e += end.size();
    BioPtr bio(BIO_new_mem_buf(pem.data() + b, static_cast<int>(e - b)));
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) return make_error("certificate", "PEM block at byte " + std::to_string(b) + " is not a certificate: " + ssl_error());
    certs.push_back(std::move(cert));
    pos = e;
  }
  if (certs.empty()) return make_error("certificate", "no certificate in the chain");
  return certs;
}

}  // namespace

Result<std::string> build_csr(const jose::PrivateKey& key, const std::vector<CsrIdentifier>& identifiers,
                              const CsrOptions& options) {
  ReqPtr req(X509_REQ_new());
  X509_REQ_set_version(req.get(), 0);
  if (options.common_name) {
    for (const auto& id : identifiers) {
      if (id.type != "dns" || id.value.size() > 64) continue;
      X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(req.get()), "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(id.value.c_str()), -1, -1, 0);
      break;
    }
  }
  if (!identifiers.empty()) {
    NamesPtr names(GENERAL_NAMES_new());
    for (const auto& id : identifiers) {
      auto name = general_name(id);
      if (!name) return name.error();
      sk_GENERAL_NAME_push(names.get(), *name);
    }
    ExtsPtr exts(sk_X509_EXTENSION_new_null());
    X509_EXTENSION* san = X509V3_EXT_i2d(NID_subject_alt_name, 0, names.get());
    if (!san) return make_error("csr", "cannot encode subjectAltName: " + ssl_error());
    sk_X509_EXTENSION_push(exts.get(), san);
    X509_REQ_add_extensions(req.get(), exts.get());
  }
  if (X509_REQ_set_pubkey(req.get(), key.evp()) != 1) return make_error("csr", "cannot set key: " + ssl_error());
  const EVP_MD* md = key.family() == jose::KeyFamily::Ed25519 ? nullptr : EVP_sha256();
  if (X509_REQ_sign(req.get(), key.evp(), md) <= 0) return make_error("csr", "cannot sign: " + ssl_error());
  if (options.corrupt_signature) {
    const ASN1_BIT_STRING* sig = nullptr;
    X509_REQ_get0_signature(req.get(), &sig, nullptr);
    if (sig && ASN1_STRING_length(sig) > 0) {
      // The signature bytes belong to the request; flipping one in place
      // keeps the encoding well-formed while breaking verification.
      unsigned char* bytes = const_cast<unsigned char*>(ASN1_STRING_get0_data(sig));
      bytes[ASN1_STRING_length(sig) / 2] ^= 0x01;
    }
  }
  unsigned char* der = nullptr;
  int len = i2d_X509_REQ(req.get(), &der);
  if (len <= 0) return make_error("csr", "cannot encode: " + ssl_error());
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

Result<std::vector<CertificateInfo>> parse_pem_chain(const std::string& pem) {
  auto certs = read_pem_certs(pem);
  if (!certs) return certs.error();
  std::vector<CertificateInfo> out;
  for (auto& c : *certs) out.push_back(describe(c.get()));
  return out;
}

Status verify_chain_order(const std::string& chain_pem, const std::string& roots_pem) {
  auto certs = read_pem_certs(chain_pem);
  if (!certs) return certs.error();
  for (std::size_t i = 0; i + 1 < certs->size(); ++i) {
    EVP_PKEY* issuer_key = X509_get0_pubkey((*certs)[i + 1].get());
    if (!issuer_key || X509_verify((*certs)[i].get(), issuer_key) != 1) {
      ERR_clear_error();
      return make_error("certificate[" + std::to_string(i) + "]",
                        "not signed by the next certificate in the chain");
    }
  }
  if (roots_pem.empty()) return Ok{};
  auto roots = read_pem_certs(roots_pem);
  if (!roots) return roots.error();
  X509* last = certs->back().get();
  for (auto& root : *roots) {
    EVP_PKEY* root_key = X509_get0_pubkey(root.get());
    if (root_key && X509_verify(last, root_key) == 1) return Ok{};
    if (X509_cmp(last, root.get()) == 0) return Ok{};
  }
  ERR_clear_error();
  return make_error("certificate[" + std::to_string(certs->size() - 1) + "]", "not issued by any of the given roots");
}

std::string spki_of(const jose::PrivateKey& key) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key.evp(), &der);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace acmespec::client
