// JUnit output against the structure CI reporters read.
//
// There is no single JUnit schema; this test encodes the intersection of what
// Jenkins' junit plugin (its jenkins-junit.xsd), GitLab's test report parser
// and GitHub's common reporter actions accept, so output that passes here
// reads the same in all three:
//   - the root is <testsuites>, children only <testsuite>;
//   - <testsuite> has name and the integer counters tests/failures/errors/
//     skipped, a decimal time, and a timestamp without a zone if any; its
//     children are <properties>, <testcase>, <system-out>, <system-err>;
//   - <property> has name and value;
//   - <testcase> has name, classname and a decimal time; at most one of
//     <failure>, <error>, <skipped>, then optional <system-out>/<system-err>;
//   - <failure> and <error> carry message and type attributes.
#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

#include "common/json.hpp"
#include "reports/junit.hpp"
#include "xml_checker.hpp"

using acmespec::reports::testing::parse_xml;
using acmespec::reports::testing::XmlElement;

namespace {

const std::regex kInteger("^[0-9]+$");
const std::regex kDecimal("^[0-9]+(\\.[0-9]+)?$");
const std::regex kTimestamp("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$");

using Problems = std::vector<std::string>;

void only_children(const XmlElement& e, const std::set<std::string>& allowed, Problems& out) {
  for (const auto& c : e.children)
    if (!allowed.count(c->name)) out.push_back("<" + c->name + "> inside <" + e.name + ">");
}

void need(const XmlElement& e, const char* attr, const std::regex* form, Problems& out) {
  const auto it = e.attributes.find(attr);
  if (it == e.attributes.end() || it->second.empty()) out.push_back("<" + e.name + "> without " + attr);
  else if (form != nullptr && !std::regex_match(it->second, *form))
    out.push_back("<" + e.name + "> " + attr + "=\"" + it->second + "\" has the wrong form");
}

void validate_testcase(const XmlElement& c, Problems& out) {
  need(c, "name", nullptr, out);
  need(c, "classname", nullptr, out);
  need(c, "time", &kDecimal, out);
  only_children(c, {"failure", "error", "skipped", "system-out", "system-err"}, out);
  std::size_t verdicts = 0, position = 0;
  for (const auto& child : c.children) {
    ++position;
    if (child->name == "failure" || child->name == "error" || child->name == "skipped") {
      if (++verdicts > 1) out.push_back("testcase " + c.attributes.at("name") + " has more than one verdict");
      if (position != 1) out.push_back("testcase verdict after its output");
    }
    if (child->name == "failure" || child->name == "error") {
      if (!child->attributes.count("message")) out.push_back("<" + child->name + "> without message");
      need(*child, "type", nullptr, out);
    }
  }
}

Problems validate(const std::string& xml) {
  Problems out;
  if (xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0) != 0) out.push_back("no XML declaration");
  std::unique_ptr<XmlElement> root;
  try {
    root = parse_xml(xml);
  } catch (const std::exception& e) {
    out.push_back(std::string("not well-formed: ") + e.what());
    return out;
  }
  if (root->name != "testsuites") out.push_back("root is <" + root->name + ">");
  only_children(*root, {"testsuite"}, out);
  for (const char* a : {"tests", "failures", "errors"}) need(*root, a, &kInteger, out);
  for (const XmlElement* suite : root->all("testsuite")) {
    need(*suite, "name", nullptr, out);
    for (const char* a : {"tests", "failures", "errors", "skipped"}) need(*suite, a, &kInteger, out);
    need(*suite, "time", &kDecimal, out);
    if (suite->attributes.count("timestamp")) need(*suite, "timestamp", &kTimestamp, out);
    only_children(*suite, {"properties", "testcase", "system-out", "system-err"}, out);
    for (const XmlElement* props : suite->all("properties")) {
      only_children(*props, {"property"}, out);
      for (const XmlElement* p : props->all("property")) {
        need(*p, "name", nullptr, out);
        if (!p->attributes.count("value")) out.push_back("<property> without value");
      }
    }
    for (const XmlElement* c : suite->all("testcase")) validate_testcase(*c, out);
  }
  return out;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("JUnit output has the structure Jenkins, GitLab and GitHub reporters read", "[reports][junit][schema]") {
  const char* name = GENERATE("all-outcomes", "partial", "hostile");
  INFO(name);
  const std::string dir = std::string(ACMESPEC_SOURCE_DIR) + "/tests/unit/reports/golden/";
  auto record = acmespec::parse_json(read(dir + name + ".json"));
  REQUIRE(record.ok());
  const Problems problems = validate(acmespec::reports::render_junit(*record));
  for (const auto& p : problems) UNSCOPED_INFO(p);
  CHECK(problems.empty());
}

TEST_CASE("the structure check itself rejects what reporters choke on", "[reports][junit][schema]") {
  const std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  const std::string suites = "<testsuites tests=\"1\" failures=\"0\" errors=\"0\">";
  const std::string suite = "<testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\"";
  const std::string bad[] = {
      head + suite + "/>",                                           // a bare testsuite root
      head + suites + "<testsuite name=\"x\" tests=\"one\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\"/></testsuites>",
      head + suites + suite + "><testcase name=\"c\" classname=\"k\" time=\"0\"><failure type=\"fail\" message=\"m\"/>"
                              "<error type=\"error\" message=\"m\"/></testcase></testsuite></testsuites>",
      head + suites + suite + " timestamp=\"2026-11-29T02:30:01Z\"/></testsuites>",
      head + suites + suite + "><testcase name=\"c\" time=\"0\"/></testsuite></testsuites>",
      head + suites + suite + "><testcase name=\"c\" classname=\"k\" time=\"0\"><failure>no type</failure>"
                              "</testcase></testsuite></testsuites>",
      head + suites + suite + "><testcase name=\"c\" classname=\"k\" time=\"0\"><result/></testcase></testsuite></testsuites>",
      head + suites + suite + "><testcase name=\"c\" classname=\"k\" time=\"0\">",  // not well-formed
  };
  for (const auto& xml : bad) {
    INFO(xml);
    CHECK_FALSE(validate(xml).empty());
  }
}
