#include "http/message.hpp"

#include <algorithm>

namespace acmespec::http {

bool iequals(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

std::optional<std::string> header_value(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return std::nullopt;
}

std::vector<std::string> header_values(const Headers& headers, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) out.push_back(v);
  }
  return out;
}

}  // namespace acmespec::http
