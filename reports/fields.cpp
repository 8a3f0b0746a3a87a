#include "reports/fields.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace acmespec::reports {

std::string get_string(const json& obj, const char* key, const std::string& fallback) {
  if (!obj.is_object()) return fallback;
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

std::int64_t get_millis(const json& obj, const char* key) {
  if (!obj.is_object()) return -1;
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_number()) return -1;
  const double value = it->get<double>();
  // A century bounds the conversion so absurd values cannot overflow int64.
  constexpr double kMax = 100.0 * 365 * 24 * 3600 * 1000;
  if (!std::isfinite(value) || value < 0) return -1;
  return static_cast<std::int64_t>(std::llround(std::min(value, kMax)));
}

const json& get_array(const json& obj, const char* key) {
  static const json empty = json::array();
  if (!obj.is_object()) return empty;
  const auto it = obj.find(key);
  return it != obj.end() && it->is_array() ? *it : empty;
}

std::vector<std::string> get_strings(const json& obj, const char* key) {
  std::vector<std::string> out;
  for (const auto& item : get_array(obj, key))
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

std::string format_seconds(std::int64_t millis) {
  if (millis < 0) millis = 0;
  std::string frac = std::to_string(millis % 1000);
  frac.insert(0, 3 - frac.size(), '0');
  return std::to_string(millis / 1000) + "." + frac;
}

bool has_scenario_error(const json& scenario) {
  if (!scenario.is_object()) return false;
  const auto it = scenario.find("error");
  return it != scenario.end() && !it->is_null();
}

std::string scenario_error_text(const json& scenario) {
  if (!has_scenario_error(scenario)) return "";
  const json& error = scenario.at("error");
  if (error.is_string() && !error.get<std::string>().empty()) return error.get<std::string>();
  for (const char* key : {"message", "reason"}) {
    std::string text = get_string(error, key);
    if (!text.empty()) {
      const std::string path = get_string(error, "path");
      return path.empty() ? text : path + ": " + text;
    }
  }
  if (error.is_string() || error.empty()) return "the scenario stopped with an error but recorded no reason";
  return dump_json(error);
}

std::string rfc_link(const std::string& spec, const std::string& section) {
  if (spec.size() < 4 || spec.size() > 12 || spec.compare(0, 3, "RFC") != 0) return "";
  for (std::size_t i = 3; i < spec.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(spec[i]))) return "";
  std::string link = "https://datatracker.ietf.org/doc/html/rfc" + spec.substr(3);
  if (section.empty()) return link;
  if (section.size() > 32) return "";
  for (char c : section)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') return "";
  const bool appendix = std::isalpha(static_cast<unsigned char>(section[0]));
  return link + (appendix ? "#appendix-" : "#section-") + section;
}

bool is_incomplete(const json& record) {
  if (!record.is_object()) return true;
  const auto it = record.find("complete");
  return it != record.end() && *it != true;
}

std::string dump_json(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string target_label(const json& record) {
  if (!record.is_object() || !record.contains("target")) return "unknown";
  const json& t = record["target"];
  if (t.is_string()) return t.get<std::string>();
  for (const char* key : {"directory", "client", "profile", "name"}) {
    const std::string v = get_string(t, key);
    if (!v.empty()) return v;
  }
  if (t.is_object() && t.contains("command")) {
    const json& c = t["command"];
    if (c.is_string()) return c.get<std::string>();
    std::string line;
    for (const std::string& part : get_strings(t, "command")) line += (line.empty() ? "" : " ") + part;
    if (!line.empty()) return line;
  }
  return dump_json(t);
}

}  // namespace acmespec::reports
