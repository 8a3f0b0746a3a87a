#include "clientmode/placeholders.hpp"

namespace acmespec::clientmode {

const std::vector<std::string>& placeholder_names() {
  static const std::vector<std::string> names = {
      "directory", "ca_bundle", "domain",  "domains", "http_port", "tls_port", "dns_server",
      "dns_api",   "workdir",   "email",   "acmespec", "eab_kid",  "eab_hmac_key"};
  return names;
}

Result<std::string> expand(const std::string& text, const Placeholders& values, const std::string& where) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      out += '}';
      ++i;
      continue;
    }
    if (c == '}') return make_error(where, "unmatched '}' at offset " + std::to_string(i) + " (write }} for a literal brace)");
    if (c != '{') {
      out += c;
      continue;
    }
    const auto close = text.find('}', i + 1);
    if (close == std::string::npos)
      return make_error(where, "unterminated placeholder at offset " + std::to_string(i) + " (write {{ for a literal brace)");
    const std::string name = text.substr(i + 1, close - i - 1);
    auto it = values.find(name);
    if (it == values.end()) {
      std::string known;
      for (const auto& [n, _] : values) known += (known.empty() ? "" : ", ") + n;
      return make_error(where, "unknown placeholder {" + name + "} (known: " + known + ")");
    }
    out += it->second;
    i = close;
  }
  return out;
}

Result<std::vector<std::string>> expand_all(const std::vector<std::string>& args, const Placeholders& values,
                                            const std::string& where) {
  std::vector<std::string> out;
  out.reserve(args.size());
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto e = expand(args[i], values, where + "[" + std::to_string(i) + "]");
    if (!e) return e.error();
    out.push_back(std::move(*e));
  }
  return out;
}

}  // namespace acmespec::clientmode
