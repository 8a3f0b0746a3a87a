// Request history of the responders: what each validator asked for, when and
// from where.  Tests read it to prove, for example, that every name of a
// multi-name order was fetched with its own Host header.
//
// The log is bounded (oldest entries are dropped first) because a responder
// may run for a long time as a standalone process.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace acmespec::responders {

using WallClock = std::function<std::chrono::system_clock::time_point()>;
WallClock system_wall_clock();

// RFC 3339 UTC with milliseconds: 2024-05-01T12:00:00.123Z.
std::string format_time(std::chrono::system_clock::time_point t);

struct DnsHistoryEntry {
  std::chrono::system_clock::time_point time;
  std::string protocol;  // "udp" or "tcp"
  std::string name;      // lower-cased question name
  std::string type;      // "A", "TXT", "TYPE65", ...
  std::string source;    // "127.0.0.1:40000"
  std::string rcode;     // "NOERROR", "FORMERR", ...
};

struct HttpHistoryEntry {
  std::chrono::system_clock::time_point time;
  std::string method;
  std::string host;  // Host header as sent
  std::string path;
  std::string source;
  std::string user_agent;
  int status = 0;
  std::uint16_t port = 0;  // the listening port the request arrived on
};

struct TlsHistoryEntry {
  std::chrono::system_clock::time_point time;
  std::string sni;                       // empty when none was sent
  std::vector<std::string> alpn_offered;
  std::string alpn_selected;             // empty when none was selected
  std::string version;                   // "TLSv1.3"; empty if no handshake
  std::string source;
  std::string outcome;                   // "challenge certificate", "default certificate", or why it failed
};
// The outcome of a second entry for a connection whose peer sent
// application data after the handshake.
inline constexpr std::string_view kApplicationDataAfterHandshake = "application data after the handshake";

nlohmann::json to_json(const DnsHistoryEntry& e);
nlohmann::json to_json(const HttpHistoryEntry& e);
nlohmann::json to_json(const TlsHistoryEntry& e);

// Thread-safe bounded log of one entry type.
template <class Entry>
class HistoryLog {
 public:
  explicit HistoryLog(std::size_t capacity = 10000) : capacity_(capacity == 0 ? 1 : capacity) {}

  void add(Entry e) {
    std::lock_guard lock(mu_);
    if (entries_.size() == capacity_) entries_.pop_front();
    entries_.push_back(std::move(e));
  }
  std::vector<Entry> snapshot() const {
    std::lock_guard lock(mu_);
    return {entries_.begin(), entries_.end()};
  }
  void clear() {
    std::lock_guard lock(mu_);
    entries_.clear();
  }
  nlohmann::json to_json_array() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : snapshot()) out.push_back(to_json(e));
    return out;
  }

 private:
  std::size_t capacity_;
  mutable std::mutex mu_;
  std::deque<Entry> entries_;
};

}  // namespace acmespec::responders
