// Loopback servers and a throwaway PKI for the http unit tests.
#pragma once

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace acmespec::http::test {

struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// A CA and a server certificate for 127.0.0.1 and ::1 signed by it; the CA
// certificate is written as PEM into a temporary folder removed on
// destruction.
struct TestPki {
  TestPki();
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  std::string dir;
  std::string ca_pem_path;
  PkeyPtr ca_key;
  X509Ptr ca_cert;
  PkeyPtr server_key;
  X509Ptr server_cert;
};

// An httplib server (plain or TLS) on an ephemeral loopback port, serving
// from its own thread until destroyed.
class HttpServer {
 public:
  explicit HttpServer(std::function<void(httplib::Server&)> routes, const TestPki* tls = nullptr,
                      std::string host = "127.0.0.1");
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const;

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string host_;
  int port_ = 0;
  bool tls_ = false;
};

// A raw TCP listener on 127.0.0.1 that hands each accepted connection to
// `handler` on its own thread.  The handler gets the socket and a flag that
// turns true when the server shuts down; it must return soon after.
class RawServer {
 public:
  using Handler = std::function<void(int fd, const std::atomic<bool>& stopping)>;
  explicit RawServer(Handler handler);
  ~RawServer();
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const;

 private:
  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::vector<std::thread> workers_;
};

// A loopback port that nothing listens on (bound, then released).
int closed_port();

// Sleeps in small steps so a handler can notice shutdown.
void sleep_unless_stopping(std::chrono::milliseconds d, const std::atomic<bool>& stopping);

}  // namespace acmespec::http::test
