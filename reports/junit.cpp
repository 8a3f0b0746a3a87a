#include "reports/junit.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string_view>
#include <vector>

#include "reports/fields.hpp"
#include "reports/run_record.hpp"
#include "reports/text.hpp"

namespace acmespec::reports {
namespace {

// A message attribute is a headline; the full text goes in the element body.
constexpr std::size_t kAttrMax = 300;

// One <testcase> before it is written out.
struct Case {
  std::string name;
  std::int64_t millis = 0;
  std::string kind;     // "", "failure", "error" or "skipped"
  std::string message;  // headline for the message attribute
  std::string body;     // element text of <failure>/<error>
  std::string out;      // <system-out> text
};

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  std::int64_t millis = 0;

  void add(const Case& c) {
    ++tests;
    failures += c.kind == "failure";
    errors += c.kind == "error";
    skipped += c.kind == "skipped";
  }
  void add(const Counts& other) {
    tests += other.tests;
    failures += other.failures;
    errors += other.errors;
    skipped += other.skipped;
    millis += other.millis;
  }
  std::string attributes() const {
    return " tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
           "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" + std::to_string(skipped) +
           "\" time=\"" + format_seconds(millis) + "\"";
  }
};

// The record's RFC 3339 time in the schema's YYYY-MM-DDTHH:MM:SS form, which
// has no zone: "" unless the time is in UTC, so none is shifted silently.
std::string junit_timestamp(const std::string& rfc3339) {
  static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
  if (rfc3339.size() < shape.size()) return "";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(rfc3339[i]));
    if (shape[i] == 'd' ? !digit : rfc3339[i] != shape[i]) return "";
  }
  std::size_t i = shape.size();
  if (i < rfc3339.size() && rfc3339[i] == '.')
    for (++i; i < rfc3339.size() && std::isdigit(static_cast<unsigned char>(rfc3339[i]));) ++i;
  const std::string zone = rfc3339.substr(i);
  if (zone != "Z" && zone != "z" && zone != "+00:00") return "";
  return rfc3339.substr(0, shape.size());
}

// Everything a CI reader needs to act on a check without opening the record.
std::string details(const json& check, std::string_view problem) {
  std::string text = get_string(check, "message");
  if (!problem.empty()) text = std::string(problem) + (text.empty() ? "" : ": " + text);
  const auto add_line = [&](const std::string& line) {
    if (!text.empty()) text += '\n';
    text += line;
  };
  if (check.contains("step") && check["step"].is_number_integer()) {
    const std::string name = get_string(check, "step_name");
    add_line("step: " + std::to_string(check["step"].get<std::int64_t>()) +
             (name.empty() ? "" : " (" + name + ")"));
  }
  std::string evidence;
  for (const std::string& id : get_strings(check, "evidence")) evidence += (evidence.empty() ? "" : ", ") + id;
  if (!evidence.empty()) add_line("evidence: " + evidence);
  const std::string spec = get_string(check, "spec"), section = get_string(check, "section");
  const std::string level = get_string(check, "level"), statement = get_string(check, "statement");
  std::string requirement = spec + (section.empty() ? "" : " section " + section);
  if (!level.empty()) requirement += (requirement.empty() ? "" : " ") + level;
  if (!statement.empty()) requirement += (requirement.empty() ? "" : ": ") + statement;
  if (!requirement.empty()) add_line("requirement: " + requirement);
  const std::string link = rfc_link(spec, section);
  if (!link.empty()) add_line("see: " + link);
  return text;
}

Case check_case(const json& check, std::size_t index) {
  Case c;
  c.name = get_string(check, "id", "check[" + std::to_string(index) + "]");
  c.millis = std::max<std::int64_t>(get_millis(check, "duration_ms"), 0);
  const auto outcome = parse_outcome(get_string(check, "outcome"));
  const std::string message = get_string(check, "message");
  switch (outcome.value_or(Outcome::error)) {
    case Outcome::pass: break;
    case Outcome::fail:
      if (const std::string reason = get_string(check, "expected_finding"); !reason.empty()) {
        c.kind = "skipped";
        c.message = first_line("expected finding: " + reason, kAttrMax);
        c.out = "EXPECTED FAIL: " + details(check, "");
        break;
      }
      [[fallthrough]];
    case Outcome::error: {
      c.kind = outcome == Outcome::fail ? "failure" : "error";
      const std::string problem = outcome_problem(check);
      c.body = details(check, problem);
      c.message = first_line(outcome ? message : problem, kAttrMax);
      break;
    }
    case Outcome::skip:
      c.kind = "skipped";
      c.message = first_line(message.empty() ? "no reason recorded" : message, kAttrMax);
      break;
    case Outcome::warn: c.out = "WARN: " + details(check, ""); break;
    case Outcome::info: c.out = "INFO: " + details(check, ""); break;
  }
  return c;
}

void write_case(std::string& xml, const std::string& classname, const Case& c) {
  xml += "    <testcase classname=\"" + xml_attr(classname) + "\" name=\"" + xml_attr(c.name) +
         "\" time=\"" + format_seconds(c.millis) + "\"";
  if (c.kind.empty() && c.out.empty()) {
    xml += "/>\n";
    return;
  }
  xml += ">\n";
  if (c.kind == "skipped") {
    xml += "      <skipped message=\"" + xml_attr(c.message) + "\"/>\n";
  } else if (!c.kind.empty()) {
    const char* type = c.kind == "failure" ? "fail" : "error";
    xml += "      <" + c.kind + " message=\"" + xml_attr(c.message) + "\" type=\"" + type + "\">" +
           xml_text(c.body) + "</" + c.kind + ">\n";
  }
  if (!c.out.empty()) xml += "      <system-out>" + xml_text(c.out) + "</system-out>\n";
  xml += "    </testcase>\n";
}

void write_property(std::string& xml, const char* name, const std::string& value) {
  if (value.empty()) return;
  xml += std::string("      <property name=\"") + name + "\" value=\"" + xml_attr(value) + "\"/>\n";
}

// Renders one scenario as a <testsuite> and returns its counts.
Counts write_suite(std::string& xml, const json& scenario, std::size_t index, const std::string& run_start) {
  const std::string id = get_string(scenario, "id", "scenario[" + std::to_string(index) + "]");
  const std::string classname = "acmespec." + id;
  std::vector<Case> cases;
  std::size_t check_index = 0;
  for (const json& check : get_array(scenario, "checks")) {
    if (check.is_object()) cases.push_back(check_case(check, check_index));
    ++check_index;
  }
  if (has_scenario_error(scenario)) {
    const std::string text = scenario_error_text(scenario);
    cases.push_back(Case{id, 0, "error", first_line(text, kAttrMax), "scenario error: " + text, ""});
  }
  Counts counts;
  for (const Case& c : cases) counts.add(c);
  counts.millis = std::max<std::int64_t>(get_millis(scenario, "duration_ms"), 0);

  xml += "  <testsuite name=\"" + xml_attr(id) + "\"" + counts.attributes();
  const std::string stamp = junit_timestamp(get_string(scenario, "started_at", run_start));
  if (!stamp.empty()) xml += " timestamp=\"" + stamp + "\"";
  xml += ">\n";
  std::string suites;
  for (const std::string& s : get_strings(scenario, "suites")) suites += (suites.empty() ? "" : " ") + s;
  std::string properties;
  write_property(properties, "title", get_string(scenario, "title"));
  write_property(properties, "file", get_string(scenario, "file"));
  write_property(properties, "suites", suites);
  if (!properties.empty()) xml += "    <properties>\n" + properties + "    </properties>\n";
  for (const Case& c : cases) write_case(xml, classname, c);
  xml += "  </testsuite>\n";
  return counts;
}

}  // namespace

std::string render_junit(const json& record) {
  std::string suites_xml;
  Counts total;
  const std::string run_start = get_string(record, "started_at");
  std::size_t index = 0;
  for (const json& scenario : get_array(record, "scenarios")) {
    if (scenario.is_object()) total.add(write_suite(suites_xml, scenario, index, run_start));
    ++index;
  }
  // A killed run has no duration of its own; its scenarios' times still add up.
  const std::int64_t run_millis = get_millis(record, "duration_ms");
  if (run_millis >= 0) total.millis = run_millis;

  const std::string mode = get_string(record, "mode");
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (is_incomplete(record))
    xml += "<!-- incomplete run record: the run stopped before every scenario finished -->\n";
  xml += "<testsuites name=\"" + xml_attr(mode.empty() ? "acmespec" : "acmespec " + mode) + "\"" +
         total.attributes() + ">\n";
  xml += suites_xml;
  xml += "</testsuites>\n";
  return xml;
}

}  // namespace acmespec::reports
