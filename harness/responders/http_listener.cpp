#include "responders/http_listener.hpp"

namespace acmespec::responders {

Status HttpListener::start(const std::string& where, const HttpListenerOptions& options,
                           const Configure& configure) {
  if (server_) return make_error(where, "already running");
  auto server = std::make_unique<httplib::Server>();
  server->set_read_timeout(options.read_timeout);
  server->set_write_timeout(options.write_timeout);
  server->set_keep_alive_timeout(1);
  server->set_tcp_nodelay(true);  // headers and body go out in separate writes
  server->set_payload_max_length(options.max_body_bytes);
  configure(*server);
  int port = options.port;
  if (port == 0) {
    port = server->bind_to_any_port(options.host);
    if (port <= 0) return make_error(where, "cannot bind " + options.host + ":0");
  } else if (!server->bind_to_port(options.host, port)) {
    return make_error(where, "cannot bind " + options.host + ":" + std::to_string(port));
  }
  finished_ = false;
  // Known before the first request can arrive, so handlers may read it.
  port_ = static_cast<std::uint16_t>(port);
  httplib::Server* raw = server.get();
  thread_ = std::thread([this, raw] {
    raw->listen_after_bind();
    finished_ = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!raw->is_running() && !finished_ && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server_ = std::move(server);
  if (!server_->is_running()) {
    stop();
    return make_error(where, "server thread did not start listening");
  }
  return Status{Ok{}};
}

void HttpListener::stop() {
  if (!server_) return;
  // start() returned only once is_running() was true, so one stop() reaches
  // the accept loop (httplib asserts when stop() is repeated).
  if (!finished_ && server_->is_running()) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
  port_ = 0;
}

}  // namespace acmespec::responders
