#include "engine/variables.hpp"

#include <charconv>

#include "common/json.hpp"

namespace acmespec::engine {
namespace {

using nlohmann::json;

Result<std::string> substitute(const std::string& text, const Variables& vars, const std::string& path) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t open = text.find("${", pos);
    if (open == std::string::npos) break;
    std::size_t close = text.find('}', open + 2);
    if (close == std::string::npos) return make_error(path, "unterminated ${ in \"" + text + "\"");
    out.append(text, pos, open - pos);
    std::string_view name(text.data() + open + 2, close - open - 2);
    auto it = vars.find(name);
    if (it == vars.end()) return make_error(path, "unknown variable ${" + std::string(name) + "}");
    out += it->second.is_string() ? it->second.get<std::string>() : it->second.dump();
    pos = close + 1;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace

Result<json> interpolate(const json& value, const Variables& vars, const std::string& path) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() > 3 && text.rfind("${", 0) == 0 && text.back() == '}' &&
        text.find_first_of("${}", 2) == text.size() - 1) {
      auto it = vars.find(std::string_view(text).substr(2, text.size() - 3));
      if (it == vars.end()) return make_error(path, "unknown variable " + text);
      return it->second;
    }
    auto s = substitute(text, vars, path);
    if (!s) return s.error();
    return json(std::move(*s));
  }
  if (value.is_array()) {
    json out = json::array();
    for (std::size_t i = 0; i < value.size(); ++i) {
      auto v = interpolate(value[i], vars, json_index(path, i));
      if (!v) return v.error();
      out.push_back(std::move(*v));
    }
    return out;
  }
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [key, member] : value.items()) {
      auto v = interpolate(member, vars, json_path(path, key));
      if (!v) return v.error();
      out[key] = std::move(*v);
    }
    return out;
  }
  return value;
}

Result<json> extract(const json& result, std::string_view path) {
  const json* cur = &result;
  std::string walked;
  std::size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '.') {
      ++pos;
      continue;
    }
    if (path[pos] == '[') {
      std::size_t close = path.find(']', pos);
      std::size_t index = 0;
      if (close == std::string_view::npos ||
          std::from_chars(path.data() + pos + 1, path.data() + close, index).ptr != path.data() + close)
        return make_error(std::string(path), "bad index in path");
      walked = json_index(walked, index);
      if (!cur->is_array() || index >= cur->size()) return make_error(walked, "no such element");
      cur = &(*cur)[index];
      pos = close + 1;
      continue;
    }
    std::size_t end = path.find_first_of(".[", pos);
    std::string member(path.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    walked = json_path(walked, member);
    if (!cur->is_object()) return make_error(walked, "not present (parent is not an object)");
    auto it = cur->find(member);
    if (it == cur->end()) return make_error(walked, "not present");
    cur = &*it;
    pos = end == std::string_view::npos ? path.size() : end;
  }
  return *cur;
}

}  // namespace acmespec::engine
