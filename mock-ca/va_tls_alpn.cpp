// TLS-ALPN-01 (RFC 8737, RFC 8738 §6): a TLS 1.2+ handshake offering only
// acme-tls/1 with the identifier as SNI (a reverse name for an IP); the
// certificate must carry exactly one subjectAltName, the identifier, and the
// critical acmeIdentifier extension holding SHA-256 of the key authorization.
#include <arpa/inet.h>
#include <poll.h>

#include <cstring>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "jose/challenge.hpp"
#include "mock-ca/ossl.hpp"
#include "mock-ca/va.hpp"
#include "mock-ca/va_net.hpp"

namespace acmespec::mockca::detail {
namespace {

using acme::Problem;

std::string reverse_name(const std::string& ip) {
  unsigned char b[16];
  if (inet_pton(AF_INET, ip.c_str(), b) == 1)
    return std::to_string(b[3]) + "." + std::to_string(b[2]) + "." + std::to_string(b[1]) + "." + std::to_string(b[0]) +
           ".in-addr.arpa";
  if (inet_pton(AF_INET6, ip.c_str(), b) != 1) return ip;
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 15; i >= 0; --i) {
    out += hex[b[i] & 0xf];
    out += '.';
    out += hex[b[i] >> 4];
    out += '.';
  }
  return out + "ip6.arpa";
}

}  // namespace

std::optional<Problem> check_challenge_certificate(X509* cert, const VaJob& job) {
  int crit = -1;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, &crit, nullptr));
  GeneralNamesPtr owned(names);
  if (!names || sk_GENERAL_NAME_num(names) != 1)
    return Problem::unauthorized("the challenge certificate must have exactly one subjectAltName");
  const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, 0);
  if (job.identifier.type == "ip") {
    unsigned char want[16];
    const bool v6 = job.identifier.value.find(':') != std::string::npos;
    inet_pton(v6 ? AF_INET6 : AF_INET, job.identifier.value.c_str(), want);
    if (gn->type != GEN_IPADD || ASN1_STRING_length(gn->d.iPAddress) != (v6 ? 16 : 4) ||
        std::memcmp(ASN1_STRING_get0_data(gn->d.iPAddress), want, v6 ? 16 : 4) != 0)
      return Problem::unauthorized("the challenge certificate's iPAddress is not " + job.identifier.value);
  } else {
    if (gn->type != GEN_DNS) return Problem::unauthorized("the challenge certificate's subjectAltName is not a dNSName");
    std::string dns(reinterpret_cast<const char*>(ASN1_STRING_get0_data(gn->d.dNSName)),
                    static_cast<std::size_t>(ASN1_STRING_length(gn->d.dNSName)));
    for (auto& c : dns) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (dns != job.identifier.value)
      return Problem::unauthorized("the challenge certificate names " + dns.substr(0, 100) + ", not " + job.identifier.value);
  }
  const ASN1_OBJECT* want_oid = nullptr;
  std::unique_ptr<ASN1_OBJECT, OsslDeleter<ASN1_OBJECT_free>> oid(OBJ_txt2obj(std::string(jose::kAcmeIdentifierOid).c_str(), 1));
  want_oid = oid.get();
  const int idx = X509_get_ext_by_OBJ(cert, want_oid, -1);
  if (idx < 0) return Problem::unauthorized("the challenge certificate has no acmeIdentifier extension (1.3.6.1.5.5.7.1.31)");
  X509_EXTENSION* ext = X509_get_ext(cert, idx);
  if (!X509_EXTENSION_get_critical(ext)) return Problem::unauthorized("the acmeIdentifier extension is not critical");
  const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(ext);
  const std::string got(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                        static_cast<std::size_t>(ASN1_STRING_length(value)));
  if (got != jose::tls_alpn01_extension_value(job.key_authorization))
    return Problem::incorrect_response("the acmeIdentifier extension does not hold SHA-256 of the key authorization");
  return std::nullopt;
}

std::optional<Problem> check_challenge_certificate(std::string_view der, const VaJob& job) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!cert) return Problem::unauthorized("the challenge certificate is not DER X.509");
  return check_challenge_certificate(cert.get(), job);
}

std::optional<Problem> validate_tls_alpn01(const VaConfig& config, const VaJob& job) {
  const Deadline deadline = std::chrono::steady_clock::now() + config.timeout;
  std::vector<std::string> addresses;
  if (job.identifier.type == "ip") {
    addresses = {job.identifier.value};
  } else {
    auto resolved = resolve_addresses(config, job.identifier.value);
    if (!resolved) return Problem::dns("cannot resolve " + job.identifier.value + ": " + resolved.error().to_string());
    addresses = *resolved;
  }
  Result<responders::UniqueFd> fd = make_error("connect", "no address");
  for (const auto& addr : addresses) {
    fd = connect_tcp(addr, config.tls_port, deadline);
    if (fd) break;
  }
  if (!fd) return Problem::connection("cannot connect for TLS-ALPN-01: " + fd.error().to_string());
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return Problem::server_internal("TLS setup failed");
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  // The challenge certificate is self-signed by design: verification is of its content, not its issuer.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  static const unsigned char alpn[] = "\x0a" "acme-tls/1";
  SSL_CTX_set_alpn_protos(ctx.get(), alpn, sizeof alpn - 1);
  SslPtr ssl(SSL_new(ctx.get()));
  SSL_set_fd(ssl.get(), fd->get());
  const std::string sni = job.identifier.type == "ip" ? reverse_name(job.identifier.value) : job.identifier.value;
  SSL_set_tlsext_host_name(ssl.get(), sni.c_str());
  while (true) {
    const int r = SSL_connect(ssl.get());
    if (r == 1) break;
    const int err = SSL_get_error(ssl.get(), r);
    short events = err == SSL_ERROR_WANT_READ ? POLLIN : err == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
    if (events == 0) return Problem::tls(responders::ossl_error("TLS handshake for TLS-ALPN-01 failed"));
    if (!wait_fd(fd->get(), events, deadline)) return Problem::connection("TLS handshake timed out");
  }
  const unsigned char* proto = nullptr;
  unsigned int proto_len = 0;
  SSL_get0_alpn_selected(ssl.get(), &proto, &proto_len);
  if (proto_len != 10 || std::memcmp(proto, "acme-tls/1", 10) != 0)
    return Problem::unauthorized("the server did not select the acme-tls/1 protocol");
  X509Ptr cert(SSL_get1_peer_certificate(ssl.get()));
  if (!cert) return Problem::unauthorized("the server sent no certificate");
  auto problem = check_challenge_certificate(cert.get(), job);
  SSL_shutdown(ssl.get());
  ERR_clear_error();
  return problem;
}

}  // namespace acmespec::mockca::detail
