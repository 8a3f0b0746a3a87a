#include "clientmode/scenario.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "clientmode/checks.hpp"
#include "common/json.hpp"

namespace acmespec::clientmode {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxIdentifiers = 20;
constexpr std::size_t kMaxScenarioBytes = 256 * 1024;

Result<std::string> string_member(const json& doc, const std::string& name, bool required) {
  auto it = doc.find(name);
  if (it == doc.end()) {
    if (required) return make_error(name, "required");
    return std::string();
  }
  if (!it->is_string() || (required && it->get_ref<const std::string&>().empty()))
    return make_error(name, "expected a non-empty string");
  return it->get<std::string>();
}

Result<std::vector<std::string>> string_list(const json& doc, const std::string& name, bool required) {
  auto it = doc.find(name);
  if (it == doc.end()) {
    if (required) return make_error(name, "required");
    return std::vector<std::string>{};
  }
  if (!it->is_array()) return make_error(name, "expected a list of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string() || (*it)[i].get_ref<const std::string&>().empty())
      return make_error(json_index(name, i), "expected a non-empty string");
    out.push_back((*it)[i].get<std::string>());
  }
  if (required && out.empty()) return make_error(name, "must not be empty");
  return out;
}

Status check_identifier(const std::string& text, const std::string& challenge, const std::string& path) {
  // A label-ish name under {domain}: the mock CA resolves every name below it
  // through acmespec's DNS responder, so nothing else would validate.
  static const std::regex shape(R"((\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*\{domain\})");
  if (!std::regex_match(text, shape))
    return make_error(path, "expected {domain} or a name under it such as www.{domain}, got \"" + text + "\"");
  if (text.rfind("*.", 0) == 0 && challenge != "dns-01")
    return make_error(path, "a wildcard name can only be validated with dns-01 (RFC 8555 7.1.3)");
  return Ok{};
}

Result<ClientScenario> parse_inner(const json& doc, const std::string& file, const engine::Catalogue& catalogue) {
  if (!doc.is_object()) return make_error("", "a client scenario is a JSON object");
  static const std::vector<std::string> members = {"id",         "title",      "description", "suites",
                                                   "sections",   "faults",     "challenge",   "identifiers",
                                                   "expect",     "client_should", "timeout",
                                                   "validation_delay", "tos_opt_in"};
  for (const auto& item : doc.items())
    if (std::find(members.begin(), members.end(), item.key()) == members.end())
      return make_error(item.key(), "unknown member of a client scenario");
  ClientScenario sc;
  sc.file = file;
  auto id = string_member(doc, "id", true);
  if (!id) return id.error();
  static const std::regex id_shape("[a-z0-9][a-z0-9.-]*");
  if (!std::regex_match(*id, id_shape)) return make_error("id", "expected lower-case letters, digits, '.' and '-'");
  sc.id = *id;
  auto title = string_member(doc, "title", true);
  if (!title) return title.error();
  sc.title = *title;
  auto description = string_member(doc, "description", false);
  if (!description) return description.error();
  sc.description = *description;
  auto suites = string_list(doc, "suites", true);
  if (!suites) return suites.error();
  sc.suites = *suites;
  auto sections = string_list(doc, "sections", false);
  if (!sections) return sections.error();
  sc.sections = *sections;
  if (doc.contains("faults")) {
    auto plan = mockca::parse_fault_plan(doc["faults"]);
    if (!plan) return plan.error().nested("faults");
    sc.faults = std::move(*plan);
  }
  auto challenge = string_member(doc, "challenge", true);
  if (!challenge) return challenge.error();
  const auto& types = challenge_types();
  if (std::find(types.begin(), types.end(), *challenge) == types.end())
    return make_error("challenge", "expected http-01, http-01-webroot, dns-01 or tls-alpn-01, got \"" + *challenge + "\"");
  sc.challenge = *challenge;
  auto identifiers = string_list(doc, "identifiers", true);
  if (!identifiers) return identifiers.error();
  if (identifiers->size() > kMaxIdentifiers)
    return make_error("identifiers", "more than " + std::to_string(kMaxIdentifiers) + " names");
  for (std::size_t i = 0; i < identifiers->size(); ++i) {
    if (auto s = check_identifier((*identifiers)[i], sc.challenge, json_index("identifiers", i)); !s) return s.error();
    for (std::size_t k = 0; k < i; ++k)
      if ((*identifiers)[k] == (*identifiers)[i]) return make_error(json_index("identifiers", i), "named twice");
  }
  sc.identifiers = *identifiers;
  auto should = string_member(doc, "client_should", true);
  if (!should) return should.error();
  if (*should != "succeed" && *should != "fail")
    return make_error("client_should", "expected \"succeed\" or \"fail\", got \"" + *should + "\"");
  sc.client_should = *should == "succeed" ? Expectation::succeed : Expectation::fail;
  if (doc.contains("timeout")) {
    const json& t = doc["timeout"];
    if (!t.is_number_integer() || t.get<long long>() < 1 || t.get<long long>() > 3600)
      return make_error("timeout", "expected whole seconds from 1 to 3600");
    sc.timeout_s = t.get<int>();
  }
  if (doc.contains("validation_delay")) {
    const json& d = doc["validation_delay"];
    if (!d.is_number_integer() || d.get<long long>() < 0 || d.get<long long>() > 10)
      return make_error("validation_delay", "expected whole seconds from 0 to 10");
    sc.validation_delay_s = d.get<int>();
  }
  if (doc.contains("tos_opt_in")) {
    if (!doc["tos_opt_in"].is_boolean()) return make_error("tos_opt_in", "expected true or false");
    sc.tos_opt_in = doc["tos_opt_in"].get<bool>();
  }
  auto expect = string_list(doc, "expect", true);
  if (!expect) return expect.error();
  for (std::size_t i = 0; i < expect->size(); ++i) {
    const std::string& check = (*expect)[i];
    const std::string path = json_index("expect", i);
    const engine::Requirement* req = catalogue.find(check);
    if (!req) return make_error(path, "\"" + check + "\" is not in the catalogue (scenarios/requirements.json)");
    if (req->role == engine::Role::server)
      return make_error(path, "\"" + check + "\" binds the server; a client scenario judges client requirements");
    const ClientCheckDef* def = find_client_check(check);
    if (!def) return make_error(path, "client mode has no implementation of \"" + check + "\"");
    for (std::size_t k = 0; k < i; ++k)
      if ((*expect)[k] == check) return make_error(path, "\"" + check + "\" is listed twice");
    if (def->unfit)
      if (auto why = def->unfit(sc)) return make_error(path, "\"" + check + "\" cannot be judged here: " + *why);
  }
  sc.expect = *expect;
  return sc;
}

}  // namespace

const std::vector<std::string>& challenge_types() {
  static const std::vector<std::string> types = {"http-01", "http-01-webroot", "dns-01", "tls-alpn-01"};
  return types;
}

Result<ClientScenario> parse_client_scenario(const json& doc, const std::string& file, const engine::Catalogue& catalogue) {
  auto r = parse_inner(doc, file, catalogue);
  if (!r) return r.error().path.empty() ? make_error(file, r.error().reason) : make_error(file + ": " + r.error().path, r.error().reason);
  return r;
}

Result<std::vector<ClientScenario>> load_client_scenarios(const std::filesystem::path& dir, const engine::Catalogue& catalogue) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return make_error(dir.string(), "no such folder");
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  if (ec) return make_error(dir.string(), ec.message());
  std::sort(files.begin(), files.end());
  std::vector<ClientScenario> out;
  std::map<std::string, std::string> seen;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) return make_error(f.string(), "cannot be read");
    if (text.str().size() > kMaxScenarioBytes) return make_error(f.string(), "larger than 256 KiB");
    auto doc = parse_json(text.str());
    if (!doc) return make_error(f.string(), doc.error().reason);
    auto sc = parse_client_scenario(*doc, f.string(), catalogue);
    if (!sc) return sc.error();
    if (auto [it, fresh] = seen.emplace(sc->id, f.string()); !fresh)
      return make_error(f.string() + ": id", "\"" + sc->id + "\" is already used by " + it->second);
    out.push_back(std::move(*sc));
  }
  return out;
}

std::vector<std::string> expand_identifiers(const ClientScenario& scenario, const std::string& domain) {
  std::vector<std::string> out;
  for (const auto& t : scenario.identifiers) {
    const auto at = t.find("{domain}");
    out.push_back(at == std::string::npos ? t : t.substr(0, at) + domain + t.substr(at + 8));
  }
  return out;
}

std::vector<const ClientScenario*> select(const std::vector<ClientScenario>& all, const std::vector<std::string>& ids,
                                          const std::vector<std::string>& suites) {
  std::vector<const ClientScenario*> out;
  for (const auto& sc : all) {
    bool pick = ids.empty() && suites.empty();
    pick = pick || std::find(ids.begin(), ids.end(), sc.id) != ids.end();
    for (const auto& s : suites) pick = pick || std::find(sc.suites.begin(), sc.suites.end(), s) != sc.suites.end();
    if (pick) out.push_back(&sc);
  }
  return out;
}

}  // namespace acmespec::clientmode
