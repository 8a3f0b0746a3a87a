#include "support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace acmespec::http::test {
namespace {

struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct ExtDeleter {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

PkeyPtr make_key() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  require(key != nullptr, "EVP_EC_gen");
  return key;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtDeleter> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  require(ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1, "extension");
}

X509Ptr make_cert(EVP_PKEY* key, const char* cn, long serial, X509* issuer, EVP_PKEY* issuer_key, bool ca) {
  X509Ptr cert(X509_new());
  require(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509* issuer_cert = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert));
  if (ca) {
    add_ext(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(cert.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
  } else {
    add_ext(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(cert.get(), issuer_cert, NID_key_usage, "critical,digitalSignature");
    add_ext(cert.get(), issuer_cert, NID_ext_key_usage, "serverAuth");
    add_ext(cert.get(), issuer_cert, NID_subject_alt_name, "IP:127.0.0.1,IP:::1");
    add_ext(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid");
  }
  require(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

}  // namespace

TestPki::TestPki() {
  char tmpl[] = "/tmp/acmespec-http-test-XXXXXX";
  require(mkdtemp(tmpl) != nullptr, "mkdtemp");
  dir = tmpl;
  ca_key = make_key();
  ca_cert = make_cert(ca_key.get(), "acmespec test CA", 1, nullptr, ca_key.get(), true);
  server_key = make_key();
  server_cert = make_cert(server_key.get(), "127.0.0.1", 2, ca_cert.get(), ca_key.get(), false);
  ca_pem_path = dir + "/ca.pem";
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_file(ca_pem_path.c_str(), "w"));
  require(bio != nullptr && PEM_write_bio_X509(bio.get(), ca_cert.get()) == 1, "write CA PEM");
}

TestPki::~TestPki() {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

HttpServer::HttpServer(std::function<void(httplib::Server&)> routes, const TestPki* tls, std::string host)
    : host_(std::move(host)), tls_(tls != nullptr) {
  if (tls != nullptr) {
    server_ = std::make_unique<httplib::SSLServer>(tls->server_cert.get(), tls->server_key.get());
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  routes(*server_);
  port_ = server_->bind_to_any_port(host_);
  if (port_ <= 0) throw std::runtime_error("HttpServer: bind failed");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib's stop() is a no-op until the accept loop runs, so a server torn
  // down too early would never stop; wait (bounded) for the loop.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!server_->is_running() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

HttpServer::~HttpServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string HttpServer::url(const std::string& path) const {
  const std::string host = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
  return std::string(tls_ ? "https" : "http") + "://" + host + ":" + std::to_string(port_) + path;
}

RawServer::RawServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("RawServer: socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(listen_fd_, 8) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("RawServer: bind/listen");
  }
  port_ = ntohs(addr.sin_port);
  accept_thread_ = std::thread([this] {
    while (!stopping_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      workers_.emplace_back([this, fd] {
        handler_(fd, stopping_);
        ::close(fd);
      });
    }
  });
}

RawServer::~RawServer() {
  stopping_ = true;
  if (accept_thread_.joinable()) accept_thread_.join();
  for (auto& w : workers_) w.join();
  ::close(listen_fd_);
}

std::string RawServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

void sleep_unless_stopping(std::chrono::milliseconds d, const std::atomic<bool>& stopping) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (!stopping && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace acmespec::http::test
