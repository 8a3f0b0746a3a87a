#include "acme/fields.hpp"

#include <algorithm>

namespace acmespec::acme::fields {

const json* find(const json& obj, std::string_view key) {
  const auto it = obj.find(std::string(key));
  return it == obj.end() ? nullptr : &*it;
}

Result<std::string> required_string(const json& obj, std::string_view key, const std::string& path) {
  const json* v = find(obj, key);
  if (!v) return make_error(json_path(path, key), "missing required member");
  if (!v->is_string()) return make_error(json_path(path, key), "not a string");
  return v->get<std::string>();
}

Result<std::optional<std::string>> optional_string(const json& obj, std::string_view key, const std::string& path) {
  const json* v = find(obj, key);
  if (!v) return std::optional<std::string>{};
  if (!v->is_string()) return make_error(json_path(path, key), "not a string");
  return std::optional<std::string>{v->get<std::string>()};
}

Result<std::optional<bool>> optional_bool(const json& obj, std::string_view key, const std::string& path) {
  const json* v = find(obj, key);
  if (!v) return std::optional<bool>{};
  if (!v->is_boolean()) return make_error(json_path(path, key), "not a boolean");
  return std::optional<bool>{v->get<bool>()};
}

Result<std::optional<Timestamp>> optional_timestamp(const json& obj, std::string_view key, const std::string& path) {
  const json* v = find(obj, key);
  if (!v) return std::optional<Timestamp>{};
  if (!v->is_string()) return make_error(json_path(path, key), "not a string");
  auto t = Timestamp::parse(v->get_ref<const std::string&>());
  if (!t) return t.error().nested(json_path(path, key));
  return std::optional<Timestamp>{*t};
}

namespace {
Result<std::vector<std::string>> string_array(const json& v, const std::string& where) {
  if (!v.is_array()) return make_error(where, "not an array");
  std::vector<std::string> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) return make_error(json_index(where, i), "not a string");
    out.push_back(v[i].get<std::string>());
  }
  return out;
}
}  // namespace

Result<std::vector<std::string>> required_string_array(const json& obj, std::string_view key,
                                                       const std::string& path) {
  const json* v = find(obj, key);
  if (!v) return make_error(json_path(path, key), "missing required member");
  return string_array(*v, json_path(path, key));
}

Result<std::optional<std::vector<std::string>>> optional_string_array(const json& obj, std::string_view key,
                                                                      const std::string& path) {
  const json* v = find(obj, key);
  if (!v) return std::optional<std::vector<std::string>>{};
  auto a = string_array(*v, json_path(path, key));
  if (!a) return a.error();
  return std::optional<std::vector<std::string>>{std::move(*a)};
}

std::optional<json> optional_any(const json& obj, std::string_view key) {
  const json* v = find(obj, key);
  if (!v) return std::nullopt;
  return *v;
}

json unknown_members(const json& obj, std::initializer_list<std::string_view> known) {
  json out = json::object();
  if (!obj.is_object()) return out;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::find(known.begin(), known.end(), std::string_view(it.key())) == known.end()) {
      out[it.key()] = it.value();
    }
  }
  return out;
}

void merge_unknown(json& out, const json& extra) {
  if (!extra.is_object()) return;
  for (auto it = extra.begin(); it != extra.end(); ++it) {
    if (!out.contains(it.key())) out[it.key()] = it.value();
  }
}

}  // namespace acmespec::acme::fields
