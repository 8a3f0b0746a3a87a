// MockCaServer: the HTTPS shell over MockCa::handle().  It owns a throwaway
// TLS CA (only its certificate is written out) and a server certificate for
// the listen address and the loopback names.
#include <sys/stat.h>

#include <condition_variable>
#include <fstream>
#include <thread>

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "acme/identifier.hpp"

#include "mock-ca/ca.hpp"
#include "mock-ca/mock_ca.hpp"
#include "mock-ca/ossl.hpp"

namespace acmespec::mockca {
namespace {

using detail::EvpPkeyPtr;
using detail::X509Ptr;

constexpr std::chrono::milliseconds kMaxDelay{600000};

bool add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  detail::X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

Result<X509Ptr> make_cert(const std::string& cn, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, bool is_ca,
                          const std::string& san) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[12];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  detail::BignumPtr bn(BN_bin2bn(serial, sizeof serial, nullptr));
  BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()));
  detail::X509NamePtr name(X509_NAME_new());
  X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_subject_name(cert.get(), name.get());
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name.get());
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 365);
  X509_set_pubkey(cert.get(), key);
  X509* iss = issuer ? issuer : cert.get();
  const bool ok = is_ca ? add_ext(cert.get(), iss, NID_basic_constraints, "critical,CA:TRUE") &&
                              add_ext(cert.get(), iss, NID_key_usage, "critical,keyCertSign,cRLSign")
                        : add_ext(cert.get(), iss, NID_basic_constraints, "critical,CA:FALSE") &&
                              add_ext(cert.get(), iss, NID_ext_key_usage, "serverAuth") &&
                              add_ext(cert.get(), iss, NID_subject_alt_name, san);
  if (!ok || X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0)
    return make_error("tls", responders::ossl_error("TLS certificate generation failed"));
  return cert;
}

std::string pem_of(X509* cert) {
  detail::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace

class MockCaServer::Impl {
 public:
  EvpPkeyPtr tls_ca_key, tls_key;
  X509Ptr tls_ca, tls_cert;
  std::unique_ptr<httplib::SSLServer> server;
  std::unique_ptr<MockCa> ca;
  std::thread thread;
  std::uint16_t port = 0;
  std::mutex mu;
  std::condition_variable stop_cv;
  bool stopping = false;

  ~Impl() {
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    stop_cv.notify_all();
    if (server) server->stop();
    if (thread.joinable()) thread.join();
  }

  void serve(const httplib::Request& hreq, httplib::Response& hres) {
    Request req;
    req.method = hreq.method;
    req.path = hreq.target.empty() ? hreq.path : hreq.target;
    for (const auto& [k, v] : hreq.headers) {
      std::string name = k;
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace(std::move(name), v);
    }
    req.body = hreq.body;
    req.remote_addr = hreq.remote_addr;
    Response res = ca->handle(req);
    if (res.delay.count() > 0) {
      std::unique_lock lock(mu);
      stop_cv.wait_for(lock, std::min(res.delay, kMaxDelay), [this] { return stopping; });
    }
    hres.status = res.status;
    std::string content_type;
    for (const auto& [k, v] : res.headers) {
      if (k == "Content-Type") content_type = v;
      else hres.headers.emplace(k, v);
    }
    if (!res.body.empty()) hres.set_content(res.body, content_type.c_str());
    else if (!content_type.empty()) hres.set_header("Content-Type", content_type);
  }
};

MockCaServer::MockCaServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MockCaServer::~MockCaServer() = default;
std::uint16_t MockCaServer::port() const { return impl_->port; }
std::string MockCaServer::directory_url() const { return impl_->ca->directory_url(); }
MockCa& MockCaServer::ca() { return *impl_->ca; }

Result<std::unique_ptr<MockCaServer>> MockCaServer::start(MockCaServerConfig config) {
  auto impl = std::make_unique<Impl>();
  impl->tls_ca_key.reset(EVP_EC_gen("P-256"));
  impl->tls_key.reset(EVP_EC_gen("P-256"));
  if (!impl->tls_ca_key || !impl->tls_key) return make_error("tls", responders::ossl_error("key generation failed"));
  auto ca_cert = make_cert("acmespec mock CA TLS root", impl->tls_ca_key.get(), nullptr, impl->tls_ca_key.get(), true, "");
  if (!ca_cert) return ca_cert.error();
  impl->tls_ca = std::move(*ca_cert);
  const bool host_is_ip = acme::is_ip_address(config.host);
  std::string san = "DNS:localhost,IP:127.0.0.1,IP:::1";
  if (!config.host.empty() && config.host != "localhost" && config.host != "127.0.0.1" && config.host != "::1" &&
      config.host != "0.0.0.0" && config.host != "::")
    san += (host_is_ip ? ",IP:" : ",DNS:") + config.host;
  auto leaf = make_cert("acmespec mock CA", impl->tls_key.get(), impl->tls_ca.get(), impl->tls_ca_key.get(), false, san);
  if (!leaf) return leaf.error();
  impl->tls_cert = std::move(*leaf);
  if (!config.ca_bundle_path.empty()) {
    // Certificates only: the TLS CA's key never leaves this process.
    std::ofstream out(config.ca_bundle_path, std::ios::trunc);
    out << pem_of(impl->tls_ca.get());
    if (!out) return make_error(config.ca_bundle_path, "cannot write the CA bundle");
    out.close();
    ::chmod(config.ca_bundle_path.c_str(), 0644);
  }
  impl->server = std::make_unique<httplib::SSLServer>(impl->tls_cert.get(), impl->tls_key.get());
  if (!impl->server->is_valid()) return make_error("tls", "cannot set up the HTTPS server");
  auto& svr = *impl->server;
  svr.set_payload_max_length(1 << 20);
  svr.set_read_timeout(10, 0);
  svr.set_write_timeout(10, 0);
  svr.set_keep_alive_max_count(100);
  // Headers and body leave in separate writes; without this, Nagle and the
  // client's delayed ACK add 40 ms to every answer with a body.
  svr.set_tcp_nodelay(true);
  int port = config.port;
  if (config.port == 0) {
    port = svr.bind_to_any_port(config.host);
    if (port <= 0) return make_error("listen", "cannot bind " + config.host + " to a free port");
  } else if (!svr.bind_to_port(config.host, config.port)) {
    return make_error("listen", "cannot bind " + config.host + ":" + std::to_string(config.port));
  }
  impl->port = static_cast<std::uint16_t>(port);
  const bool v6 = config.host.find(':') != std::string::npos;
  config.ca.base_url = "https://" + (v6 ? "[" + config.host + "]" : config.host) + ":" + std::to_string(port);
  auto ca = MockCa::create(std::move(config.ca));
  if (!ca) return ca.error();
  impl->ca = std::move(*ca);
  Impl* self = impl.get();
  auto handler = [self](const httplib::Request& q, httplib::Response& r) { self->serve(q, r); };
  svr.Get(".*", handler);
  svr.Post(".*", handler);
  svr.Put(".*", handler);
  svr.Delete(".*", handler);
  svr.Patch(".*", handler);
  svr.Options(".*", handler);
  impl->thread = std::thread([self] { self->server->listen_after_bind(); });
  for (int i = 0; i < 200 && !svr.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return std::unique_ptr<MockCaServer>(new MockCaServer(std::move(impl)));
}

}  // namespace acmespec::mockca
