#include "clientmode/profile.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "clientmode/scenario.hpp"
#include "common/json.hpp"

namespace acmespec::clientmode {
namespace {

using nlohmann::json;

Result<std::vector<std::string>> strings(const json& v, const std::string& path, bool non_empty) {
  if (!v.is_array()) return make_error(path, "expected a list of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) return make_error(json_index(path, i), "expected a string");
    out.push_back(v[i].get<std::string>());
  }
  if (non_empty && out.empty()) return make_error(path, "must not be empty");
  return out;
}

Result<std::map<std::string, std::string>> string_map(const json& v, const std::string& path) {
  if (!v.is_object()) return make_error(path, "expected an object of strings");
  std::map<std::string, std::string> out;
  for (const auto& item : v.items()) {
    if (!item.value().is_string() || item.value().get_ref<const std::string&>().empty())
      return make_error(json_path(path, item.key()), "expected a non-empty string");
    out[item.key()] = item.value().get<std::string>();
  }
  return out;
}

Result<Profile> parse_inner(const json& doc) {
  if (!doc.is_object()) return make_error("", "a profile is a JSON object");
  static const std::vector<std::string> members = {"name", "client", "description", "command", "domain_args",
                                                   "challenge_args", "eab_args", "tos_args", "env", "timeout",
                                                   "disabled_checks", "expected_findings"};
  for (const auto& item : doc.items())
    if (std::find(members.begin(), members.end(), item.key()) == members.end())
      return make_error(item.key(), "unknown member of a profile");
  Profile p;
  for (auto [name, field] : {std::pair{"name", &p.name}, std::pair{"client", &p.client}}) {
    if (!doc.contains(name) || !doc[name].is_string() || doc[name].get_ref<const std::string&>().empty())
      return make_error(name, "required: a non-empty string");
    *field = doc[name].get<std::string>();
  }
  if (doc.contains("description") && !doc["description"].is_string()) return make_error("description", "expected a string");
  if (!doc.contains("command")) return make_error("command", "required");
  auto command = strings(doc["command"], "command", true);
  if (!command) return command.error();
  p.command = *command;
  for (auto [name, field] :
       {std::pair{"domain_args", &p.domain_args}, std::pair{"eab_args", &p.eab_args}, std::pair{"tos_args", &p.tos_args}}) {
    if (!doc.contains(name)) continue;
    auto list = strings(doc[name], name, false);
    if (!list) return list.error();
    *field = *list;
  }
  if (doc.contains("challenge_args")) {
    if (!doc["challenge_args"].is_object()) return make_error("challenge_args", "expected an object keyed by challenge type");
    for (const auto& item : doc["challenge_args"].items()) {
      const std::string path = json_path("challenge_args", item.key());
      const auto& types = challenge_types();
      if (std::find(types.begin(), types.end(), item.key()) == types.end())
        return make_error(path, "expected http-01, http-01-webroot, dns-01 or tls-alpn-01");
      auto list = strings(item.value(), path, false);
      if (!list) return list.error();
      p.challenge_args[item.key()] = *list;
    }
  }
  if (doc.contains("env")) {
    auto env = string_map(doc["env"], "env");
    if (!env) return env.error();
    p.env = *env;
  }
  if (doc.contains("timeout")) {
    const json& t = doc["timeout"];
    if (!t.is_number_integer() || t.get<long long>() < 1 || t.get<long long>() > 3600)
      return make_error("timeout", "expected seconds from 1 to 3600");
    p.timeout_s = t.get<int>();
  }
  if (doc.contains("disabled_checks")) {
    auto disabled = string_map(doc["disabled_checks"], "disabled_checks");
    if (!disabled) return disabled.error().nested("");
    p.disabled_checks = *disabled;
  }
  if (doc.contains("expected_findings")) {
    const json& list = doc["expected_findings"];
    if (!list.is_array()) return make_error("expected_findings", "expected a list");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = json_index("expected_findings", i);
      const json& f = list[i];
      if (!f.is_object()) return make_error(path, "expected an object with scenario, check and reason");
      ExpectedFinding finding;
      for (const auto& item : f.items())
        if (item.key() != "scenario" && item.key() != "check" && item.key() != "reason")
          return make_error(json_path(path, item.key()), "unknown member (expected scenario, check, reason)");
      for (auto [name, field] : {std::pair{"scenario", &finding.scenario}, std::pair{"check", &finding.check},
                                 std::pair{"reason", &finding.reason}}) {
        if (!f.contains(name) || !f[name].is_string() || f[name].get_ref<const std::string&>().empty())
          return make_error(json_path(path, name), "required: a non-empty string");
        *field = f[name].get<std::string>();
      }
      p.expected_findings.push_back(std::move(finding));
    }
  }
  return p;
}

}  // namespace

const ExpectedFinding* Profile::finding(const std::string& scenario, const std::string& check) const {
  for (const auto& f : expected_findings)
    if (f.check == check && (f.scenario == scenario || f.scenario == "*")) return &f;
  return nullptr;
}

Result<Profile> parse_profile(const json& doc, const std::string& file) {
  auto p = parse_inner(doc);
  if (!p) return p.error().path.empty() ? make_error(file, p.error().reason) : make_error(file + ": " + p.error().path, p.error().reason);
  p->dir = std::filesystem::path(file).parent_path();
  return p;
}

Result<Profile> load_profile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error(file.string(), "cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > 256 * 1024) return make_error(file.string(), "larger than 256 KiB");
  auto doc = parse_json(text.str());
  if (!doc) return make_error(file.string(), doc.error().reason);
  return parse_profile(*doc, std::filesystem::absolute(file).string());
}

}  // namespace acmespec::clientmode
