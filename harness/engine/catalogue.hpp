// The requirements catalogue (scenarios/requirements.json): every check that
// acmespec can report, with a permanent id, the spec section it comes from,
// its level and a one-line statement.  Checks in scenarios cite these ids.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace acmespec::engine {

// RFC 2119 level of a requirement.  It decides the outcome of a violation:
// MUST -> fail, SHOULD -> warn (fail under --strict), MAY -> info.
enum class Level { must, should, may };
std::string_view to_string(Level level);
std::optional<Level> parse_level(std::string_view text);

// Which side of the protocol the requirement binds.
enum class Role { server, client, both };
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

struct Requirement {
  std::string id;         // e.g. RFC8555-6.5-nonce-on-post-response
  std::string spec;       // e.g. RFC8555
  std::string section;    // e.g. 6.5
  Level level = Level::must;
  Role role = Role::server;
  std::string statement;  // our own one-line wording
  std::vector<std::string> tags;
  std::string note;       // optional remark on how the level was chosen

  // Where a reader finds the text, e.g.
  // https://datatracker.ietf.org/doc/html/rfc8555#section-6.5
  std::string url() const;
  // "security" for checks drawn from attacks and incidents (tag "security"),
  // else "conformance"; reports show the two apart.
  std::string category() const;
};

struct Catalogue {
  std::vector<Requirement> requirements;  // in file order (spec, section, id)
  std::vector<std::string> retired;       // ids that must never come back

  const Requirement* find(std::string_view id) const;
};

// Orders dotted section numbers numerically: "6.2" < "6.10" < "7".
bool section_less(std::string_view a, std::string_view b);

// Validates the whole document: shape, id syntax (spec and section prefix
// must agree with the members), unique ids, no retired id in use.  Errors name
// the JSON path, e.g. `requirements[3].level`.
Result<Catalogue> parse_catalogue(const nlohmann::json& doc);

// Reads and parses a catalogue file; errors are prefixed with the file name.
Result<Catalogue> load_catalogue(const std::filesystem::path& file);

}  // namespace acmespec::engine
