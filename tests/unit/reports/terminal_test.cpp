#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "reports/terminal.hpp"
#include "reports/text.hpp"

using namespace acmespec::reports;
using nlohmann::json;

namespace {

const json kRecord = {
    {"mode", "server"},
    {"target", {{"directory", "https://127.0.0.1:14000/dir"}}},
    {"duration_ms", 2500},
    {"complete", true},
    {"scenarios",
     {{{"id", "s1"},
       {"checks",
        {{{"id", "ok"}, {"outcome", "pass"}, {"message", "fine"}},
         {{"id", "bad"}, {"outcome", "fail"}, {"level", "MUST"}, {"step", 2}, {"step_name", "new-order"},
          {"message", "status was valid"}, {"evidence", {"x1"}}},
         {{"id", "meh"}, {"outcome", "warn"}, {"level", "SHOULD"}, {"message", "no expires"}},
         {{"id", "fyi"}, {"outcome", "info"}, {"message", "meta present"}},
         {{"id", "na"}, {"outcome", "skip"}, {"message", "no keyChange"}}}},
       {"exchanges",
        {{{"id", "x1"},
          {"request", {{"method", "POST"}, {"url", "https://127.0.0.1:14000/new-order"}, {"body", "{}"}}},
          {"response", {{"status", 201}, {"body", std::string(1000, 'z')}}}}}}}}}};

}  // namespace

TEST_CASE("the summary lists problems and ends with the verdict line", "[reports][terminal]") {
  const std::string out = render_summary(kRecord, {false, false});
  CHECK(out.find("against https://127.0.0.1:14000/dir") != std::string::npos);
  CHECK(out.find("duration 2.500 s") != std::string::npos);
  CHECK(out.find("FAIL  s1 / bad [MUST]\n      step 2 (new-order): status was valid\n      evidence: x1\n") !=
        std::string::npos);
  CHECK(out.find("WARN  s1 / meh [SHOULD]") != std::string::npos);
  CHECK(out.find("s1 / ok") == std::string::npos);   // passes are only counted
  CHECK(out.find("s1 / fyi") == std::string::npos);  // as are infos and skips
  CHECK(out.find("POST") == std::string::npos);      // no transcript unless verbose
  const std::string last = "acmespec: 1 passed, 1 failed, 1 warned, 1 info, 1 skipped, 0 errors \xE2\x80\x94 verdict FAIL\n";
  REQUIRE(out.size() > last.size());
  CHECK(out.substr(out.size() - last.size()) == last);
  CHECK(out.find('\x1b') == std::string::npos);
}

TEST_CASE("verbose adds the evidence transcript with bodies cut short", "[reports][terminal]") {
  const std::string out = render_summary(kRecord, {false, true});
  CHECK(out.find("x1  POST https://127.0.0.1:14000/new-order -> 201") != std::string::npos);
  CHECK(out.find("request body: {}") != std::string::npos);
  CHECK(out.find(std::string(300, 'z') + " \xE2\x80\xA6(700 more bytes)") != std::string::npos);
  CHECK(out.find(std::string(301, 'z')) == std::string::npos);
}

TEST_CASE("colour appears only when asked for", "[reports][terminal]") {
  const std::string plain = render_summary(kRecord, {false, false});
  const std::string color = render_summary(kRecord, {true, false});
  CHECK(color.find("\x1b[1;31mFAIL \x1b[0m s1 / bad") != std::string::npos);
  CHECK(color.find("verdict \x1b[1;31mFAIL\x1b[0m") != std::string::npos);
  std::string stripped;  // removing the SGR sequences gives the plain text back
  for (std::size_t i = 0; i < color.size(); ++i) {
    if (color[i] == '\x1b') {
      i = color.find('m', i);
      continue;
    }
    stripped += color[i];
  }
  CHECK(stripped == plain);
}

TEST_CASE("the verdict line follows the recomputed counts", "[reports][terminal]") {
  CHECK(render_summary(json::object()).find("0 errors \xE2\x80\x94 verdict PASS\n") != std::string::npos);
  const json died = {{"scenarios", {{{"id", "s"}, {"error", "timed out"}}}}};
  const std::string out = render_summary(died);
  CHECK(out.find("ERROR s (scenario stopped)\n      timed out\n") != std::string::npos);
  CHECK(out.find("1 error \xE2\x80\x94 verdict ERROR\n") != std::string::npos);
}

TEST_CASE("no byte from the record reaches the terminal as a control", "[reports][terminal]") {
  std::mt19937 rng(8555);
  for (int round = 0; round < 100; ++round) {
    std::string junk(std::uniform_int_distribution<std::size_t>(0, 200)(rng), '\0');
    for (char& c : junk) c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    json record = kRecord;
    record["target"]["directory"] = junk;
    record["started_at"] = junk;
    record["scenarios"][0]["id"] = junk;
    record["scenarios"][0]["checks"][1]["message"] = junk;
    record["scenarios"][0]["checks"][1]["evidence"] = {"x1", junk};
    record["scenarios"][0]["exchanges"][0]["request"]["url"] = junk;
    record["scenarios"][0]["exchanges"][0]["response"]["body"] = junk;
    const std::string out = render_summary(record, {false, true});
    // printable() is the identity exactly on text without controls and with
    // valid UTF-8.
    CHECK(printable(out) == out);
  }
}

TEST_CASE("a failure the client profile expects says so under its line", "[reports][terminal]") {
  json record = kRecord;
  record["scenarios"][0]["checks"][1]["expected_finding"] = "known: the target keeps orders valid";
  const std::string out = render_summary(record, {false, false});
  CHECK(out.find("      step 2 (new-order): status was valid\n      expected finding: known: the target keeps orders "
                 "valid\n      evidence: x1\n") != std::string::npos);
}
