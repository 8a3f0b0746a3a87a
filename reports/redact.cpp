#include "reports/redact.hpp"

#include <array>
#include <cctype>
#include <string>

#include "http/redact.hpp"

namespace acmespec::reports {
namespace {

using json = nlohmann::json;

// Records nest exchanges a few levels down; anything deeper than this is not
// a record shape and is left to http::redact_json alone.
constexpr int kMaxDepth = 64;

void redact_names(json& value, int depth) {
  if (depth > kMaxDepth) return;
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (is_secret_member(it.key()) && !it->is_null() && *it != http::kRedacted) {
        *it = std::string(http::kRedacted);
        continue;
      }
      redact_names(*it, depth + 1);
    }
    return;
  }
  if (!value.is_array()) return;
  // A [name, value] header pair.
  if (value.size() == 2 && value[0].is_string() && value[1].is_string() &&
      (http::is_secret_header(value[0].get_ref<const std::string&>()) ||
       is_secret_member(value[0].get_ref<const std::string&>()))) {
    value[1] = std::string(http::kRedacted);
    return;
  }
  for (auto& element : value) redact_names(element, depth + 1);
}

}  // namespace

bool is_secret_member(std::string_view name) {
  std::string n;
  n.reserve(name.size());
  for (char c : name) n += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 7> kMarkers = {"hmac",   "mac_key",     "mackey",    "secret",
                                                               "password", "private_key", "privatekey"};
  for (auto marker : kMarkers)
    if (n.find(marker) != std::string::npos) return true;
  return false;
}

json redact_record(const json& record) {
  json copy = record;
  http::redact_json(copy);
  redact_names(copy, 0);
  return copy;
}

}  // namespace acmespec::reports
