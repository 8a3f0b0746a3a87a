#include "engine/catalogue.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/json.hpp"

namespace acmespec::engine {
namespace {

using nlohmann::json;

Result<std::string> required_string(const json& obj, const std::string& path, const char* member) {
  auto it = obj.find(member);
  if (it == obj.end()) return make_error(json_path(path, member), "missing");
  if (!it->is_string()) return make_error(json_path(path, member), "not a string");
  if (it->get_ref<const std::string&>().empty()) return make_error(json_path(path, member), "empty");
  return it->get<std::string>();
}

Result<Requirement> parse_requirement(const json& item, const std::string& path) {
  if (!item.is_object()) return make_error(path, "not an object");
  static const std::set<std::string> known = {"id",   "spec", "section", "level",
                                              "role", "statement", "tags", "note"};
  for (const auto& [key, value] : item.items()) {
    (void)value;
    if (!known.count(key)) return make_error(json_path(path, key), "unknown member");
  }
  Requirement req;
  for (auto [member, target] : {std::pair{"id", &req.id}, std::pair{"spec", &req.spec},
                                std::pair{"section", &req.section}, std::pair{"statement", &req.statement}}) {
    auto value = required_string(item, path, member);
    if (!value) return value.error();
    *target = std::move(*value);
  }
  auto level = required_string(item, path, "level");
  if (!level) return level.error();
  auto parsed_level = parse_level(*level);
  if (!parsed_level) return make_error(json_path(path, "level"), "must be MUST, SHOULD or MAY");
  req.level = *parsed_level;

  auto role = required_string(item, path, "role");
  if (!role) return role.error();
  auto parsed_role = parse_role(*role);
  if (!parsed_role) return make_error(json_path(path, "role"), "must be server, client or both");
  req.role = *parsed_role;

  static const std::regex spec_re("RFC[0-9]+");
  static const std::regex section_re("[0-9]+(\\.[0-9]+)*|[A-Z](\\.[0-9]+)*");
  static const std::regex slug_re("[a-z0-9]+(-[a-z0-9]+)*");
  if (!std::regex_match(req.spec, spec_re))
    return make_error(json_path(path, "spec"), "must look like RFC8555");
  if (!std::regex_match(req.section, section_re))
    return make_error(json_path(path, "section"), "must be a dotted section number like 7.1.3");
  const std::string prefix = req.spec + "-" + req.section + "-";
  if (req.id.rfind(prefix, 0) != 0)
    return make_error(json_path(path, "id"), "must start with \"" + prefix + "\" to match spec and section");
  const std::string slug = req.id.substr(prefix.size());
  if (slug.size() > 48 || !std::regex_match(slug, slug_re))
    return make_error(json_path(path, "id"), "slug after the section must be kebab-case [a-z0-9-], at most 48 characters");
  if (req.statement.size() > 200)
    return make_error(json_path(path, "statement"), "longer than 200 characters: keep it to one line");

  if (auto tags = item.find("tags"); tags != item.end()) {
    if (!tags->is_array()) return make_error(json_path(path, "tags"), "not an array");
    for (std::size_t i = 0; i < tags->size(); ++i) {
      if (!(*tags)[i].is_string()) return make_error(json_index(json_path(path, "tags"), i), "not a string");
      req.tags.push_back((*tags)[i].get<std::string>());
    }
  }
  if (auto note = item.find("note"); note != item.end()) {
    if (!note->is_string()) return make_error(json_path(path, "note"), "not a string");
    req.note = note->get<std::string>();
  }
  return req;
}

}  // namespace

std::string_view to_string(Level level) {
  switch (level) {
    case Level::must: return "MUST";
    case Level::should: return "SHOULD";
    case Level::may: return "MAY";
  }
  return "?";
}

std::optional<Level> parse_level(std::string_view text) {
  if (text == "MUST") return Level::must;
  if (text == "SHOULD") return Level::should;
  if (text == "MAY") return Level::may;
  return std::nullopt;
}

std::string_view to_string(Role role) {
  switch (role) {
    case Role::server: return "server";
    case Role::client: return "client";
    case Role::both: return "both";
  }
  return "?";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "server") return Role::server;
  if (text == "client") return Role::client;
  if (text == "both") return Role::both;
  return std::nullopt;
}

std::string Requirement::category() const {
  return std::find(tags.begin(), tags.end(), "security") != tags.end() ? "security" : "conformance";
}

std::string Requirement::url() const {
  std::string rfc = spec;
  std::transform(rfc.begin(), rfc.end(), rfc.begin(), [](unsigned char c) { return std::tolower(c); });
  const bool appendix = !section.empty() && std::isalpha(static_cast<unsigned char>(section[0]));
  return "https://datatracker.ietf.org/doc/html/" + rfc + (appendix ? "#appendix-" : "#section-") + section;
}

const Requirement* Catalogue::find(std::string_view id) const {
  for (const auto& req : requirements)
    if (req.id == id) return &req;
  return nullptr;
}

bool section_less(std::string_view a, std::string_view b) {
  auto next = [](std::string_view& s) -> long {
    auto dot = s.find('.');
    std::string_view part = s.substr(0, dot);
    s = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    long value = 0;
    if (std::from_chars(part.data(), part.data() + part.size(), value).ec != std::errc{})
      value = part.empty() ? -1 : 1000000 + static_cast<unsigned char>(part[0]);  // appendices last
    return value;
  };
  while (!a.empty() || !b.empty()) {
    if (a.empty()) return true;
    if (b.empty()) return false;
    long x = next(a), y = next(b);
    if (x != y) return x < y;
  }
  return false;
}

Result<Catalogue> parse_catalogue(const json& doc) {
  if (!doc.is_object()) return make_error("", "the catalogue must be a JSON object");
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer() || version->get<int>() != 1)
    return make_error("version", "must be 1");
  Catalogue cat;
  auto retired = doc.find("retired");
  if (retired != doc.end()) {
    if (!retired->is_array()) return make_error("retired", "not an array");
    for (std::size_t i = 0; i < retired->size(); ++i) {
      if (!(*retired)[i].is_string()) return make_error(json_index("retired", i), "not a string");
      cat.retired.push_back((*retired)[i].get<std::string>());
    }
  }
  auto reqs = doc.find("requirements");
  if (reqs == doc.end()) return make_error("requirements", "missing");
  if (!reqs->is_array()) return make_error("requirements", "not an array");
  std::set<std::string> seen;
  const std::set<std::string> retired_set(cat.retired.begin(), cat.retired.end());
  for (std::size_t i = 0; i < reqs->size(); ++i) {
    const std::string path = json_index("requirements", i);
    auto req = parse_requirement((*reqs)[i], path);
    if (!req) return req.error();
    if (!seen.insert(req->id).second) return make_error(json_path(path, "id"), "duplicate id " + req->id);
    if (retired_set.count(req->id))
      return make_error(json_path(path, "id"), "id " + req->id + " is retired and may not be reused");
    cat.requirements.push_back(std::move(*req));
  }
  return cat;
}

Result<Catalogue> load_catalogue(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error(file.string(), "cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  auto doc = parse_json(text.str(), JsonLimits{.max_bytes = 16 << 20});
  if (!doc) return make_error(file.string(), doc.error().reason);
  auto cat = parse_catalogue(*doc);
  if (!cat) return make_error(file.string() + ": " + cat.error().path, cat.error().reason);
  return cat;
}

}  // namespace acmespec::engine
