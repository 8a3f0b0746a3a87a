#include "mock-ca/csr.hpp"

#include <algorithm>
#include <arpa/inet.h>

#include "mock-ca/ossl.hpp"

namespace acmespec::mockca::detail {

using acme::Problem;

namespace {

constexpr std::size_t kMaxNames = 100;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<std::string> ip_text(const ASN1_OCTET_STRING* os) {
  char buf[INET6_ADDRSTRLEN];
  const int len = ASN1_STRING_length(os);
  const unsigned char* d = ASN1_STRING_get0_data(os);
  if (len == 4 && inet_ntop(AF_INET, d, buf, sizeof buf)) return std::string(buf);
  if (len == 16 && inet_ntop(AF_INET6, d, buf, sizeof buf)) return acme::canonicalize_ip(buf);
  return std::nullopt;
}

}  // namespace

std::variant<CsrInfo, Problem> parse_csr(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509ReqPtr req(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!req) return Problem::bad_csr("csr is not a DER PKCS#10 request");
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size())
    return Problem::bad_csr("csr has bytes after the DER request");
  EVP_PKEY* key = X509_REQ_get0_pubkey(req.get());
  if (!key) return Problem::bad_csr("csr has no usable public key");
  const int verified = X509_REQ_verify(req.get(), key);
  ERR_clear_error();
  if (verified != 1) return Problem::bad_csr("the CSR's signature does not verify");
  auto jwk = jose::Jwk::from_evp(key);
  if (!jwk)
    return Problem::bad_csr("the CSR's key is not acceptable (RSA of 2048 bits or more, ECDSA P-256/P-384/P-521, "
                            "or Ed25519): " + jwk.error().to_string());
  CsrInfo info;
  EVP_PKEY_up_ref(key);
  info.key = std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
  info.jwk = std::move(*jwk);
  ExtStackPtr exts(X509_REQ_get_extensions(req.get()));
  if (exts) {
    GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(X509V3_get_d2i(exts.get(), NID_subject_alt_name, nullptr, nullptr)));
    ERR_clear_error();
    if (names) {
      for (int i = 0; i < sk_GENERAL_NAME_num(names.get()) && info.names.size() <= kMaxNames; ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
        if (gn->type == GEN_DNS) {
          const auto* s = gn->d.dNSName;
          info.names.push_back(acme::Identifier::dns(
              lower(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<std::size_t>(ASN1_STRING_length(s))))));
        } else if (gn->type == GEN_IPADD) {
          auto ip = ip_text(gn->d.iPAddress);
          if (!ip) return Problem::bad_csr("csr has a malformed iPAddress subjectAltName");
          info.names.push_back(acme::Identifier::ip(*ip));
        } else {
          return Problem::bad_csr("csr has a subjectAltName that is neither dNSName nor iPAddress");
        }
      }
    }
  }
  X509_NAME* subject = X509_REQ_get_subject_name(req.get());
  const int cn_index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (cn_index >= 0) {
    const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, cn_index));
    std::string cn = lower(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<std::size_t>(ASN1_STRING_length(s))));
    acme::Identifier id = acme::is_ip_address(cn) ? acme::Identifier::ip(*acme::canonicalize_ip(cn)) : acme::Identifier::dns(cn);
    if (std::find(info.names.begin(), info.names.end(), id) == info.names.end()) info.names.push_back(id);
  }
  if (info.names.size() > kMaxNames) return Problem::bad_csr("csr names more than " + std::to_string(kMaxNames) + " identifiers");
  if (info.names.empty()) return Problem::bad_csr("csr names no identifier");
  return info;
}

std::optional<Problem> csr_matches(const CsrInfo& csr, const std::vector<acme::Identifier>& identifiers) {
  auto key = [](const acme::Identifier& i) { return i.type + ":" + lower(i.value); };
  std::vector<std::string> want, got;
  for (const auto& i : identifiers) want.push_back(key(i));
  for (const auto& i : csr.names) got.push_back(key(i));
  std::sort(want.begin(), want.end());
  want.erase(std::unique(want.begin(), want.end()), want.end());
  std::sort(got.begin(), got.end());
  got.erase(std::unique(got.begin(), got.end()), got.end());
  if (want == got) return std::nullopt;
  std::string detail = "the CSR names";
  for (const auto& g : got) detail += " " + g;
  detail += " but the order is for";
  for (const auto& w : want) detail += " " + w;
  return Problem::bad_csr(detail);
}

}  // namespace acmespec::mockca::detail
