#include "responders/history.hpp"

#include <cstdio>
#include <ctime>

namespace acmespec::responders {

WallClock system_wall_clock() {
  return [] { return std::chrono::system_clock::now(); };
}

std::string format_time(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

nlohmann::json to_json(const DnsHistoryEntry& e) {
  return {{"kind", "dns"},     {"time", format_time(e.time)}, {"protocol", e.protocol},
          {"name", e.name},    {"type", e.type},              {"source", e.source},
          {"rcode", e.rcode}};
}

nlohmann::json to_json(const HttpHistoryEntry& e) {
  return {{"kind", "http"},   {"time", format_time(e.time)}, {"method", e.method},
          {"host", e.host},   {"path", e.path},              {"source", e.source},
          {"user_agent", e.user_agent}, {"status", e.status}, {"port", e.port}};
}

nlohmann::json to_json(const TlsHistoryEntry& e) {
  return {{"kind", "tls"},
          {"time", format_time(e.time)},
          {"sni", e.sni},
          {"alpn_offered", e.alpn_offered},
          {"alpn_selected", e.alpn_selected},
          {"version", e.version},
          {"source", e.source},
          {"outcome", e.outcome}};
}

}  // namespace acmespec::responders
