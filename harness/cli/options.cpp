#include "cli/options.hpp"

#include <algorithm>
#include <sstream>

namespace acmespec::cli {

std::optional<std::string> ParsedOptions::get(std::string_view name) const {
  auto it = values.find(std::string(name));
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedOptions::all(std::string_view name) const {
  auto it = values.find(std::string(name));
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

Result<ParsedOptions> parse_options(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs,
                                    std::size_t max_positional) {
  ParsedOptions out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      out.after_dashes.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-' ) {
      if (out.positional.size() >= max_positional)
        return make_error(arg, max_positional == 0 ? "unexpected argument" : "too many arguments");
      out.positional.push_back(arg);
      continue;
    }
    if (arg.rfind("--", 0) != 0) return make_error(arg, "unknown option (options are spelled --name)");
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto spec = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.name == name; });
    if (spec == specs.end()) return make_error("--" + name, "unknown option");
    std::string value;
    if (spec->value_name.empty()) {
      if (inline_value) return make_error("--" + name, "takes no value");
    } else if (inline_value) {
      value = *inline_value;
    } else {
      if (i + 1 >= args.size()) return make_error("--" + name, "needs a value (" + spec->value_name + ")");
      value = args[++i];
    }
    auto& slot = out.values[name];
    if (!slot.empty() && !spec->repeatable) return make_error("--" + name, "given more than once");
    slot.push_back(value);
  }
  return out;
}

std::string format_options(const std::vector<OptionSpec>& specs) {
  std::ostringstream out;
  for (const auto& spec : specs) {
    std::string left = "  --" + spec.name + (spec.value_name.empty() ? "" : " " + spec.value_name);
    out << left;
    if (left.size() < 28) out << std::string(28 - left.size(), ' ');
    else out << "\n" << std::string(28, ' ');
    out << spec.help << (spec.repeatable ? " (repeatable)" : "") << "\n";
  }
  return out.str();
}

}  // namespace acmespec::cli
