// Test-side clients for the responders: DNS over UDP/TCP with a decoder
// written independently of the production codec, and a TLS client.  Every
// socket operation has a timeout so a broken server fails a test instead of
// hanging it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "responders/net.hpp"
#include "responders/ossl.hpp"

namespace rsp_test {

using acmespec::responders::UniqueFd;

// Polls `done` until it holds or ~2 s pass; servers record history on their
// own threads, possibly after the client has seen the response.
template <class Pred>
bool eventually(Pred done) {
  for (int i = 0; i < 400; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

inline void put16(std::string& s, unsigned v) {
  s.push_back(static_cast<char>((v >> 8) & 0xff));
  s.push_back(static_cast<char>(v & 0xff));
}

inline unsigned get16(const std::string& s, std::size_t at) {
  return (static_cast<unsigned char>(s.at(at)) << 8) | static_cast<unsigned char>(s.at(at + 1));
}

// A query message built by hand: RD set, one question, optional OPT.
inline std::string build_query(unsigned id, const std::string& name, unsigned type,
                               std::optional<unsigned> edns_size = std::nullopt) {
  std::string m;
  put16(m, id);
  put16(m, 0x0100);
  put16(m, 1);
  put16(m, 0);
  put16(m, 0);
  put16(m, edns_size ? 1 : 0);
  std::size_t start = 0;
  while (start <= name.size()) {
    auto dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    if (dot > start) {
      m.push_back(static_cast<char>(dot - start));
      m.append(name, start, dot - start);
    }
    start = dot + 1;
  }
  m.push_back('\0');
  put16(m, type);
  put16(m, 1);
  if (edns_size) {
    m.push_back('\0');
    put16(m, 41);
    put16(m, *edns_size);
    put16(m, 0);
    put16(m, 0);
    put16(m, 0);
  }
  return m;
}

struct DecodedRecord {
  std::string owner;
  unsigned type = 0;
  unsigned klass = 0;
  std::uint32_t ttl = 0;
  std::string rdata;
};

struct DecodedResponse {
  unsigned id = 0;
  unsigned flags = 0;
  std::vector<std::string> questions;
  std::vector<DecodedRecord> answers;
  std::vector<DecodedRecord> additional;
  unsigned rcode() const { return flags & 0x0f; }
  bool qr() const { return (flags & 0x8000) != 0; }
  bool aa() const { return (flags & 0x0400) != 0; }
  bool tc() const { return (flags & 0x0200) != 0; }
};

// Reads a name, following pointers (at most 16), as dotted text.
inline bool read_name(const std::string& m, std::size_t& pos, std::string& out) {
  std::size_t p = pos;
  bool jumped = false;
  for (int guard = 0; guard < 128; ++guard) {
    if (p >= m.size()) return false;
    const auto len = static_cast<unsigned char>(m[p]);
    if (len == 0) {
      if (!jumped) pos = p + 1;
      return true;
    }
    if ((len & 0xc0) == 0xc0) {
      if (p + 1 >= m.size()) return false;
      if (!jumped) pos = p + 2;
      jumped = true;
      p = get16(m, p) & 0x3fff;
      continue;
    }
    if (p + 1 + len > m.size()) return false;
    if (!out.empty()) out.push_back('.');
    out.append(m, p + 1, len);
    p += 1 + len;
  }
  return false;
}

inline std::optional<DecodedResponse> decode_response(const std::string& m) {
  if (m.size() < 12) return std::nullopt;
  DecodedResponse r;
  r.id = get16(m, 0);
  r.flags = get16(m, 2);
  const unsigned qd = get16(m, 4), an = get16(m, 6), ns = get16(m, 8), ar = get16(m, 10);
  std::size_t pos = 12;
  for (unsigned i = 0; i < qd; ++i) {
    std::string name;
    if (!read_name(m, pos, name) || pos + 4 > m.size()) return std::nullopt;
    pos += 4;
    r.questions.push_back(name);
  }
  for (unsigned i = 0; i < an + ns + ar; ++i) {
    DecodedRecord rec;
    if (!read_name(m, pos, rec.owner) || pos + 10 > m.size()) return std::nullopt;
    rec.type = get16(m, pos);
    rec.klass = get16(m, pos + 2);
    rec.ttl = (std::uint32_t{get16(m, pos + 4)} << 16) | get16(m, pos + 6);
    const unsigned len = get16(m, pos + 8);
    pos += 10;
    if (pos + len > m.size()) return std::nullopt;
    rec.rdata = m.substr(pos, len);
    pos += len;
    if (i < an) r.answers.push_back(rec);
    else if (i >= an + ns) r.additional.push_back(rec);
  }
  if (pos != m.size()) return std::nullopt;
  return r;
}

// TXT RDATA: the character-strings concatenated.
inline std::string txt_value(const std::string& rdata) {
  std::string out;
  std::size_t p = 0;
  while (p < rdata.size()) {
    const auto n = static_cast<unsigned char>(rdata[p]);
    out.append(rdata, p + 1, n);
    p += 1 + n;
  }
  return out;
}

inline std::string ip_text(const std::string& rdata) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(rdata.size() == 4 ? AF_INET : AF_INET6, rdata.data(), buf, sizeof buf);
  return buf;
}

inline UniqueFd connect_loopback(std::uint16_t port, int type, int timeout_ms = 1500) {
  UniqueFd fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return UniqueFd();
  return fd;
}

inline std::optional<std::string> udp_exchange(std::uint16_t port, const std::string& query) {
  auto fd = connect_loopback(port, SOCK_DGRAM);
  if (!fd.valid() || ::send(fd.get(), query.data(), query.size(), 0) < 0) return std::nullopt;
  std::string buf(65535, '\0');
  const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
  if (n < 0) return std::nullopt;
  buf.resize(static_cast<std::size_t>(n));
  return buf;
}

inline bool recv_exact(int fd, std::string& out, std::size_t n) {
  out.resize(n);
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::recv(fd, out.data() + got, n - got, 0);
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

// Sends each query with its length prefix on one connection, reads as many answers.
inline std::vector<std::string> tcp_exchange(std::uint16_t port,
                                             const std::vector<std::string>& queries) {
  std::vector<std::string> out;
  auto fd = connect_loopback(port, SOCK_STREAM);
  if (!fd.valid()) return out;
  std::string wire;
  for (const auto& q : queries) {
    put16(wire, static_cast<unsigned>(q.size()));
    wire += q;
  }
  if (::send(fd.get(), wire.data(), wire.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(wire.size())) {
    return out;
  }
  for (std::size_t i = 0; i < queries.size(); ++i) {
    std::string len, body;
    if (!recv_exact(fd.get(), len, 2) || !recv_exact(fd.get(), body, get16(len, 0))) break;
    out.push_back(body);
  }
  return out;
}

struct TlsOutcome {
  bool handshake_ok = false;
  std::string alpn;
  std::string version;
  acmespec::responders::X509Ptr peer;
  std::string error;
};

inline TlsOutcome tls_connect(std::uint16_t port, const std::string& sni,
                              const std::vector<std::string>& alpn, bool tls11 = false) {
  TlsOutcome out;
  acmespec::responders::SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (tls11) {
    SSL_CTX_set_security_level(ctx.get(), 0);
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
  }
  auto fd = connect_loopback(port, SOCK_STREAM, 2000);
  if (!fd.valid()) {
    out.error = "connect failed";
    return out;
  }
  acmespec::responders::SslPtr ssl(SSL_new(ctx.get()));
  SSL_set_fd(ssl.get(), fd.get());
  if (!sni.empty()) SSL_set_tlsext_host_name(ssl.get(), sni.c_str());
  if (!alpn.empty()) {
    std::string wire;
    for (const auto& p : alpn) {
      wire.push_back(static_cast<char>(p.size()));
      wire += p;
    }
    SSL_set_alpn_protos(ssl.get(), reinterpret_cast<const unsigned char*>(wire.data()),
                        static_cast<unsigned>(wire.size()));
  }
  ERR_clear_error();
  if (SSL_connect(ssl.get()) != 1) {
    out.error = acmespec::responders::ossl_error("handshake failed");
    return out;
  }
  out.handshake_ok = true;
  const unsigned char* sel = nullptr;
  unsigned sel_len = 0;
  SSL_get0_alpn_selected(ssl.get(), &sel, &sel_len);
  if (sel) out.alpn.assign(reinterpret_cast<const char*>(sel), sel_len);
  out.version = SSL_get_version(ssl.get());
  out.peer.reset(SSL_get1_peer_certificate(ssl.get()));
  SSL_shutdown(ssl.get());
  ERR_clear_error();
  return out;
}

struct SanSummary {
  std::vector<std::string> dns;
  std::vector<std::string> ips;  // textual
};

inline SanSummary sans_of(X509* cert) {
  SanSummary out;
  acmespec::responders::GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(names.get(), i);
    if (g->type == GEN_DNS) {
      out.dns.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(g->d.dNSName)),
                           static_cast<std::size_t>(ASN1_STRING_length(g->d.dNSName)));
    } else if (g->type == GEN_IPADD) {
      out.ips.push_back(ip_text(std::string(
          reinterpret_cast<const char*>(ASN1_STRING_get0_data(g->d.iPAddress)),
          static_cast<std::size_t>(ASN1_STRING_length(g->d.iPAddress)))));
    }
  }
  return out;
}

struct ExtensionSummary {
  bool present = false;
  bool critical = false;
  std::string value;
};

inline ExtensionSummary extension_of(X509* cert, const char* oid_text) {
  ExtensionSummary out;
  acmespec::responders::Asn1ObjectPtr oid(OBJ_txt2obj(oid_text, 1));
  const int idx = X509_get_ext_by_OBJ(cert, oid.get(), -1);
  if (idx < 0) return out;
  X509_EXTENSION* ext = X509_get_ext(cert, idx);
  out.present = true;
  out.critical = X509_EXTENSION_get_critical(ext) == 1;
  const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(ext);
  out.value.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                   static_cast<std::size_t>(ASN1_STRING_length(data)));
  return out;
}

}  // namespace rsp_test
