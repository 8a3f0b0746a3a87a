#include "responders/http01_server.hpp"

#include <algorithm>

namespace acmespec::responders {
namespace {

constexpr std::string_view kChallengePrefix = "/.well-known/acme-challenge/";

std::string source_of(const httplib::Request& req) {
  const bool v6 = req.remote_addr.find(':') != std::string::npos;
  return (v6 ? "[" + req.remote_addr + "]" : req.remote_addr) + ":" +
         std::to_string(req.remote_port);
}

}  // namespace

Http01Server::Http01Server(HistoryLog<HttpHistoryEntry>& history, WallClock clock)
    : history_(history), clock_(clock ? std::move(clock) : system_wall_clock()) {}

Http01Server::~Http01Server() { stop(); }

Status Http01Server::start(const Http01Options& options) {
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  HttpListenerOptions lo;
  lo.host = options.host;
  lo.port = options.port;
  lo.read_timeout = options.read_timeout;
  lo.max_body_bytes = 64 * 1024;  // validators send no bodies
  return listener_.start("http01", lo, [this](httplib::Server& s) { configure(s); });
}

void Http01Server::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  listener_.stop();
}

Status Http01Server::add_token(const std::string& token, std::string key_authorization,
                               Http01Faults faults) {
  if (token.empty() || token.find('/') != std::string::npos) {
    return make_error("token", "must be a non-empty path segment without '/'");
  }
  std::lock_guard lock(mu_);
  tokens_[token] = Entry{std::move(key_authorization), std::move(faults)};
  return Status{Ok{}};
}

bool Http01Server::remove_token(const std::string& token) {
  std::lock_guard lock(mu_);
  return tokens_.erase(token) > 0;
}

void Http01Server::clear_tokens() {
  std::lock_guard lock(mu_);
  tokens_.clear();
}

bool Http01Server::interruptible_sleep(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  return !stop_cv_.wait_for(lock, d, [this] { return stopping_; });
}

void Http01Server::configure(httplib::Server& server) {
  // Pre-routing sees every request and method, so one handler answers all
  // and the history is written before the response leaves.
  server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    handle(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
}

void Http01Server::handle(const httplib::Request& req, httplib::Response& res) {
  std::optional<Entry> entry;
  const bool is_get = req.method == "GET" || req.method == "HEAD";
  if (is_get && req.path.size() > kChallengePrefix.size() &&
      req.path.compare(0, kChallengePrefix.size(), kChallengePrefix) == 0) {
    const std::string token = req.path.substr(kChallengePrefix.size());
    std::lock_guard lock(mu_);
    if (const auto it = tokens_.find(token); it != tokens_.end()) entry = it->second;
  }

  if (!entry) {
    res.status = 404;
    res.set_content("not found\n", "text/plain");
  } else if (entry->faults.redirect) {
    res.status = entry->faults.redirect->status;
    res.set_header("Location", entry->faults.redirect->location);
  } else {
    res.status = 200;
    std::string body = entry->faults.wrong_key_authorization.value_or(entry->key_authorization);
    const std::size_t total = entry->faults.oversized_body_bytes;
    if (total > body.size()) {
      res.set_content_provider(
          total, "application/octet-stream",
          [prefix = std::move(body), total](std::size_t offset, std::size_t length,
                                            httplib::DataSink& sink) {
            std::string chunk;
            const std::size_t end = std::min(total, offset + std::min<std::size_t>(length, 16384));
            for (std::size_t i = offset; i < end; ++i) {
              chunk.push_back(i < prefix.size() ? prefix[i] : 'A');
            }
            return sink.write(chunk.data(), chunk.size());
          });
    } else {
      res.set_content(body, "application/octet-stream");
    }
  }
  history_.add(HttpHistoryEntry{clock_(), req.method, req.get_header_value("Host"), req.path,
                                source_of(req),
                                req.get_header_value("User-Agent"), res.status, listener_.port()});
  if (entry && entry->faults.delay.count() > 0 && !interruptible_sleep(entry->faults.delay)) {
    res.status = 503;
    res.set_content("responder stopping\n", "text/plain");
  }
}

}  // namespace acmespec::responders
