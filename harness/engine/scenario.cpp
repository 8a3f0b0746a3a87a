#include "engine/scenario.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/json.hpp"

namespace acmespec::engine {
namespace {

using nlohmann::json;

Error at(const std::string& file, const std::string& path, std::string reason) {
  return make_error(file + ": " + path, std::move(reason));
}

Result<std::vector<std::string>> string_list(const json& obj, const std::string& path, const char* member,
                                             bool required) {
  std::vector<std::string> out;
  auto it = obj.find(member);
  if (it == obj.end()) {
    if (required) return make_error(json_path(path, member), "missing");
    return out;
  }
  if (!it->is_array()) return make_error(json_path(path, member), "not an array of strings");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& v = (*it)[i];
    if (!v.is_string() || v.get_ref<const std::string&>().empty())
      return make_error(json_index(json_path(path, member), i), "not a non-empty string");
    out.push_back(v.get<std::string>());
  }
  return out;
}

Status check_members(const json& obj, const std::string& path, const std::set<std::string>& known) {
  for (const auto& item : obj.items())
    if (!known.count(item.key())) return make_error(json_path(path, item.key()), "unknown member");
  return Ok{};
}

Result<Step> parse_step(const json& doc, const std::string& path, std::size_t index) {
  if (!doc.is_object()) return make_error(path, "not an object");
  if (auto s = check_members(doc, path, {"name", "op", "args", "mutate", "save", "expect", "may_fail", "comment"}); !s)
    return s.error();
  Step step;
  step.index = index;
  auto op = doc.find("op");
  if (op == doc.end()) return make_error(json_path(path, "op"), "missing");
  if (!op->is_string()) return make_error(json_path(path, "op"), "not a string");
  step.op = op->get<std::string>();
  step.name = step.op;
  if (auto name = doc.find("name"); name != doc.end()) {
    if (!name->is_string()) return make_error(json_path(path, "name"), "not a string");
    step.name = name->get<std::string>();
  }
  for (auto [member, target] : {std::pair{"args", &step.args}, std::pair{"mutate", &step.mutate}}) {
    auto it = doc.find(member);
    *target = it == doc.end() ? json::object() : *it;
    if (!target->is_object()) return make_error(json_path(path, member), "not an object");
  }
  if (auto save = doc.find("save"); save != doc.end()) {
    if (!save->is_object()) return make_error(json_path(path, "save"), "not an object");
    static const std::regex var_re("[A-Za-z_][A-Za-z0-9_]*");
    for (const auto& [var, from] : save->items()) {
      if (!std::regex_match(var, var_re))
        return make_error(json_path(json_path(path, "save"), var), "variable names are [A-Za-z_][A-Za-z0-9_]*");
      if (!from.is_string()) return make_error(json_path(json_path(path, "save"), var), "not a string path");
      step.save[var] = from.get<std::string>();
    }
  }
  auto expect = string_list(doc, path, "expect", false);
  if (!expect) return expect.error();
  step.expect = std::move(*expect);
  if (auto mf = doc.find("may_fail"); mf != doc.end()) {
    if (!mf->is_boolean()) return make_error(json_path(path, "may_fail"), "not a boolean");
    step.may_fail = mf->get<bool>();
  }
  return step;
}

}  // namespace

std::vector<std::string> Scenario::cited_checks() const {
  std::vector<std::string> out;
  for (const auto& step : steps)
    for (const auto& check : step.expect)
      if (std::find(out.begin(), out.end(), check) == out.end()) out.push_back(check);
  return out;
}

Result<Scenario> parse_scenario(const json& doc, const std::string& file, const Catalogue& catalogue,
                                const Vocabulary& vocabulary) {
  if (!doc.is_object()) return at(file, "$", "a scenario must be a JSON object");
  if (auto s = check_members(doc, "", {"id", "title", "description", "suites", "sections", "requires", "steps"}); !s)
    return at(file, s.error().path, s.error().reason);
  Scenario sc;
  sc.file = file;
  for (auto [member, target, required] : {std::tuple{"id", &sc.id, true}, std::tuple{"title", &sc.title, true},
                                          std::tuple{"description", &sc.description, false}}) {
    auto it = doc.find(member);
    if (it == doc.end()) {
      if (required) return at(file, member, "missing");
      continue;
    }
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) return at(file, member, "not a non-empty string");
    *target = it->get<std::string>();
  }
  static const std::regex id_re("[a-z0-9]+(-[a-z0-9]+)*");
  if (!std::regex_match(sc.id, id_re)) return at(file, "id", "scenario ids are kebab-case [a-z0-9-]");
  for (auto [member, target, required] : {std::tuple{"suites", &sc.suites, true},
                                          std::tuple{"sections", &sc.sections, true},
                                          std::tuple{"requires", &sc.requires_features, false}}) {
    auto list = string_list(doc, "", member, required);
    if (!list) return at(file, list.error().path, list.error().reason);
    *target = std::move(*list);
  }
  auto steps = doc.find("steps");
  if (steps == doc.end()) return at(file, "steps", "missing");
  if (!steps->is_array() || steps->empty()) return at(file, "steps", "must be a non-empty array");
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const std::string path = json_index("steps", i);
    auto step = parse_step((*steps)[i], path, i + 1);
    if (!step) return at(file, step.error().path, step.error().reason);
    if (auto s = vocabulary.validate_step(*step); !s) return at(file, s.error().nested(path).path, s.error().reason);
    for (std::size_t e = 0; e < step->expect.size(); ++e) {
      const std::string& id = step->expect[e];
      const std::string epath = json_index(json_path(path, "expect"), e);
      if (!catalogue.find(id)) return at(file, epath, "check " + id + " is not in the catalogue");
      if (!vocabulary.has_check(id)) return at(file, epath, "check " + id + " has no implementation");
      auto needs = vocabulary.mutations_required_by(id);
      if (!needs.empty() && std::none_of(needs.begin(), needs.end(),
                                          [&](const std::string& m) { return step->mutate.contains(m); })) {
        std::string list;
        for (const auto& m : needs) list += (list.empty() ? "" : ", ") + m;
        return at(file, epath, "check " + id + " judges a rejection, but the step has none of the mutations that cause it (" + list + ")");
      }
      if (auto why = vocabulary.check_unfit(id, *step)) return at(file, epath, "check " + id + " " + *why);
    }
    sc.steps.push_back(std::move(*step));
  }
  return sc;
}

Result<std::vector<Scenario>> load_scenarios(const std::filesystem::path& dir, const Catalogue& catalogue,
                                             const Vocabulary& vocabulary) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return make_error(dir.string(), "is not a folder of scenarios");
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  if (ec) return make_error(dir.string(), "cannot be listed: " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<Scenario> out;
  std::map<std::string, std::string> ids;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) return make_error(file.string(), "cannot be read");
    auto doc = parse_json(text.str());
    if (!doc) return make_error(file.string(), doc.error().reason);
    auto sc = parse_scenario(*doc, file.string(), catalogue, vocabulary);
    if (!sc) return sc.error();
    if (auto [it, fresh] = ids.emplace(sc->id, file.string()); !fresh)
      return at(file.string(), "id", "scenario id " + sc->id + " is already used by " + it->second);
    out.push_back(std::move(*sc));
  }
  return out;
}

std::vector<const Scenario*> select(const std::vector<Scenario>& all, const Selection& selection) {
  auto section_matches = [](const std::string& have, const std::string& want) {
    return have == want || have.rfind(want + ".", 0) == 0;
  };
  std::vector<const Scenario*> out;
  const bool everything = selection.ids.empty() && selection.suites.empty() && selection.sections.empty();
  for (const auto& sc : all) {
    bool chosen = everything || std::count(selection.ids.begin(), selection.ids.end(), sc.id) > 0;
    for (const auto& suite : selection.suites)
      chosen = chosen || std::count(sc.suites.begin(), sc.suites.end(), suite) > 0;
    for (const auto& want : selection.sections)
      for (const auto& have : sc.sections) chosen = chosen || section_matches(have, want);
    if (chosen) out.push_back(&sc);
  }
  return out;
}

}  // namespace acmespec::engine
