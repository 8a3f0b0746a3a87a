// Byte-for-byte comparison of every renderer against files in golden/.
//
// To accept a deliberate change of output, run the tests once with
// ACMESPEC_UPDATE_GOLDEN=1 and review the diff of golden/ before committing.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "common/json.hpp"
#include "reports/html.hpp"
#include "reports/junit.hpp"
#include "reports/markdown.hpp"
#include "reports/terminal.hpp"
#include "xml_checker.hpp"

namespace {

const std::string kGolden = std::string(ACMESPEC_SOURCE_DIR) + "/tests/unit/reports/golden/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void compare_golden(const std::string& file, const std::string& actual) {
  INFO("golden file " << kGolden + file);
  if (const char* update = std::getenv("ACMESPEC_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(kGolden + file, std::ios::binary) << actual;
    WARN("rewrote " << file);
  }
  const std::string expected = read_file(kGolden + file);
  if (expected != actual) {
    std::size_t at = 0;
    while (at < expected.size() && at < actual.size() && expected[at] == actual[at]) ++at;
    FAIL("differs from byte " << at << "; expected: ["
         << expected.substr(at > 40 ? at - 40 : 0, 120) << "] actual: ["
         << actual.substr(at > 40 ? at - 40 : 0, 120) << "]");
  }
}

}  // namespace

TEST_CASE("renderers match the golden files", "[reports][golden]") {
  const char* name = GENERATE("all-outcomes", "partial", "hostile");
  INFO("record " << name);
  auto record = acmespec::parse_json(read_file(kGolden + name + ".json"));
  REQUIRE(record.ok());

  const std::string xml = acmespec::reports::render_junit(*record);
  CHECK_NOTHROW(acmespec::reports::testing::parse_xml(xml));
  compare_golden(std::string(name) + ".xml", xml);
  compare_golden(std::string(name) + ".txt", acmespec::reports::render_summary(*record, {false, false}));
  compare_golden(std::string(name) + ".color.txt", acmespec::reports::render_summary(*record, {true, false}));
  compare_golden(std::string(name) + ".verbose.txt", acmespec::reports::render_summary(*record, {false, true}));
  compare_golden(std::string(name) + ".html", acmespec::reports::render_html(*record));
  compare_golden(std::string(name) + ".md", acmespec::reports::render_markdown(*record));
}
