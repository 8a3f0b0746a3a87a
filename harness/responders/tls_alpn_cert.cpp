#include "responders/tls_alpn_cert.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <vector>

#include <openssl/rand.h>
#include <openssl/sha.h>

namespace acmespec::responders {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<std::string_view> split_labels(std::string_view s) {
  std::vector<std::string_view> out;
  while (true) {
    const auto dot = s.find('.');
    out.push_back(s.substr(0, dot));
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return out;
}

std::optional<std::string> reverse_v4(std::string_view prefix) {
  const auto labels = split_labels(prefix);
  if (labels.size() != 4) return std::nullopt;
  std::string text;
  for (auto it = labels.rbegin(); it != labels.rend(); ++it) {
    if (it->empty() || it->size() > 3) return std::nullopt;
    for (const char c : *it) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    }
    if (!text.empty()) text.push_back('.');
    text.append(*it);
  }
  unsigned char bytes[4];
  if (::inet_pton(AF_INET, text.c_str(), bytes) != 1) return std::nullopt;
  char out[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, bytes, out, sizeof out);
  return std::string(out);
}

std::optional<std::string> reverse_v6(std::string_view prefix) {
  const auto labels = split_labels(prefix);
  if (labels.size() != 32) return std::nullopt;
  unsigned char bytes[16] = {};
  for (std::size_t i = 0; i < 32; ++i) {
    const auto label = labels[31 - i];  // most significant nibble comes last
    if (label.size() != 1 || !std::isxdigit(static_cast<unsigned char>(label[0]))) {
      return std::nullopt;
    }
    const char c = label[0];
    const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10;
    bytes[i / 2] = static_cast<unsigned char>(bytes[i / 2] | (i % 2 == 0 ? v << 4 : v));
  }
  char out[INET6_ADDRSTRLEN];
  ::inet_ntop(AF_INET6, bytes, out, sizeof out);
  return std::string(out);
}

Result<EvpPkeyPtr> make_key() {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return make_error("key", ossl_error("EC key generation failed"));
  return key;
}

// Self-signed certificate for `san` names, with optional extra extensions.
Result<CertAndKey> make_certificate(const std::string& common_name, GENERAL_NAMES* san,
                                    X509_EXTENSION* extra) {
  auto key = make_key();
  if (!key) return key.error();
  X509Ptr cert(X509_new());
  if (!cert) return make_error("certificate", ossl_error("X509_new failed"));
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) {
    return make_error("certificate.serial", ossl_error("RAND_bytes failed"));
  }
  serial_bytes[0] &= 0x7f;  // a positive INTEGER
  BignumPtr serial(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
  X509NamePtr name(X509_NAME_new());
  if (!serial || !name ||
      X509_set_version(cert.get(), 2) != 1 ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) ||
      X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()),
                                 -1, -1, 0) != 1 ||
      X509_set_subject_name(cert.get(), name.get()) != 1 ||
      X509_set_issuer_name(cert.get(), name.get()) != 1 ||
      !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()), 7 * 24 * 3600) ||
      X509_set_pubkey(cert.get(), key->get()) != 1) {
    return make_error("certificate", ossl_error("building the certificate failed"));
  }
  if (san && X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, san, 0, X509V3_ADD_DEFAULT) != 1) {
    return make_error("certificate.subjectAltName", ossl_error("adding the SAN failed"));
  }
  if (extra && X509_add_ext(cert.get(), extra, -1) != 1) {
    return make_error("certificate.acmeIdentifier", ossl_error("adding the extension failed"));
  }
  if (X509_sign(cert.get(), key->get(), EVP_sha256()) <= 0) {
    return make_error("certificate", ossl_error("signing failed"));
  }
  return CertAndKey{std::move(cert), std::move(*key)};
}

Status push_name(GENERAL_NAMES* names, int type, const std::string& bytes) {
  GeneralNamePtr gen(GENERAL_NAME_new());
  Asn1StringPtr value(ASN1_STRING_type_new(type == GEN_DNS ? V_ASN1_IA5STRING : V_ASN1_OCTET_STRING));
  if (!gen || !value ||
      ASN1_STRING_set(value.get(), bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return make_error("subjectAltName", ossl_error("allocation failed"));
  }
  GENERAL_NAME_set0_value(gen.get(), type, value.release());
  if (sk_GENERAL_NAME_push(names, gen.get()) <= 0) {
    return make_error("subjectAltName", ossl_error("allocation failed"));
  }
  gen.release();  // owned by the stack now
  return Status{Ok{}};
}

}  // namespace

TlsIdentifier canonical_identifier(std::string_view host) {
  const std::string text(host);
  unsigned char bytes[16];
  char out[INET6_ADDRSTRLEN];
  if (::inet_pton(AF_INET, text.c_str(), bytes) == 1) {
    ::inet_ntop(AF_INET, bytes, out, sizeof out);
    return {TlsIdentifier::Kind::kIp, out};
  }
  if (::inet_pton(AF_INET6, text.c_str(), bytes) == 1) {
    ::inet_ntop(AF_INET6, bytes, out, sizeof out);
    return {TlsIdentifier::Kind::kIp, out};
  }
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return {TlsIdentifier::Kind::kDns, lower(host)};
}

TlsIdentifier identifier_from_sni(std::string_view sni) {
  const std::string name = lower(sni);
  constexpr std::string_view v4_suffix = ".in-addr.arpa";
  constexpr std::string_view v6_suffix = ".ip6.arpa";
  if (ends_with(name, v4_suffix)) {
    if (auto ip = reverse_v4(std::string_view(name).substr(0, name.size() - v4_suffix.size()))) {
      return {TlsIdentifier::Kind::kIp, *ip};
    }
  }
  if (ends_with(name, v6_suffix)) {
    if (auto ip = reverse_v6(std::string_view(name).substr(0, name.size() - v6_suffix.size()))) {
      return {TlsIdentifier::Kind::kIp, *ip};
    }
  }
  return canonical_identifier(name);
}

std::string acme_identifier_extension_value(std::string_view key_authorization) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key_authorization.data()),
         key_authorization.size(), digest);
  std::string out("\x04\x20", 2);
  out.append(reinterpret_cast<const char*>(digest), sizeof digest);
  return out;
}

Result<CertAndKey> make_challenge_certificate(const TlsIdentifier& id,
                                              std::string_view key_authorization,
                                              const TlsAlpnFaults& faults) {
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (!names) return make_error("subjectAltName", ossl_error("allocation failed"));
  if (id.kind == TlsIdentifier::Kind::kIp) {
    unsigned char bytes[16];
    const bool v4 = ::inet_pton(AF_INET, id.value.c_str(), bytes) == 1;
    if (!v4 && ::inet_pton(AF_INET6, id.value.c_str(), bytes) != 1) {
      return make_error("identifier", "not an IP address: " + id.value);
    }
    const std::string raw(reinterpret_cast<const char*>(bytes), v4 ? 4 : 16);
    if (auto st = push_name(names.get(), GEN_IPADD, raw); !st) return st.error();
  } else if (auto st = push_name(names.get(), GEN_DNS, id.value); !st) {
    return st.error();
  }
  if (faults.extra_san) {
    if (auto st = push_name(names.get(), GEN_DNS, *faults.extra_san); !st) return st.error();
  }

  std::string digest_input(key_authorization);
  if (faults.wrong_digest) digest_input += "x";
  const std::string der = acme_identifier_extension_value(digest_input);
  Asn1ObjectPtr oid(OBJ_txt2obj(faults.legacy_oid ? kLegacyAcmeIdentifierOid : kAcmeIdentifierOid, 1));
  Asn1OctetStringPtr value(ASN1_OCTET_STRING_new());
  if (!oid || !value ||
      ASN1_OCTET_STRING_set(value.get(), reinterpret_cast<const unsigned char*>(der.data()),
                            static_cast<int>(der.size())) != 1) {
    return make_error("acmeIdentifier", ossl_error("allocation failed"));
  }
  X509ExtensionPtr ext(
      X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), faults.non_critical ? 0 : 1, value.get()));
  if (!ext) return make_error("acmeIdentifier", ossl_error("creating the extension failed"));
  return make_certificate("acmespec tls-alpn-01 " + id.value, names.get(), ext.get());
}

Result<CertAndKey> make_default_certificate() {
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (!names) return make_error("subjectAltName", ossl_error("allocation failed"));
  if (auto st = push_name(names.get(), GEN_DNS, "acmespec-default.invalid"); !st) return st.error();
  return make_certificate("acmespec-default.invalid", names.get(), nullptr);
}

}  // namespace acmespec::responders
