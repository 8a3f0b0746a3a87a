// Runs one httplib::Server on its own thread with a bounded start and stop.
//
// httplib's stop() does nothing until the server has entered its accept
// loop, so start() waits (bounded) for that; otherwise a quick stop() after
// start() would leave the thread running for ever.  Each start() builds a
// fresh httplib::Server through `configure`, so a listener can be restarted.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "common/result.hpp"

namespace acmespec::responders {

struct HttpListenerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0 = pick a free port
  std::chrono::milliseconds read_timeout{2000};
  std::chrono::milliseconds write_timeout{2000};
  std::size_t max_body_bytes = 1 << 20;
};

class HttpListener {
 public:
  using Configure = std::function<void(httplib::Server&)>;

  HttpListener() = default;
  ~HttpListener() { stop(); }
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // `where` names the listener in errors ("http01", "management").
  Status start(const std::string& where, const HttpListenerOptions& options,
               const Configure& configure);
  void stop();  // idempotent; joins the thread
  bool running() const { return server_ != nullptr; }
  std::uint16_t port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> finished_{false};
  std::uint16_t port_ = 0;
};

}  // namespace acmespec::responders
