#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "server/challenge_faults.hpp"

namespace cli = acmespec::cli;
namespace fs = std::filesystem;

namespace {
struct Run {
  int code;
  std::string out, err;
};
Run run(std::vector<std::string> args, cli::Environment env = {}) {
  std::ostringstream out, err;
  int code = cli::run(args, out, err, env);
  return {code, out.str(), err.str()};
}
}  // namespace

TEST_CASE("the version and help flags succeed", "[cli]") {
  auto v = run({"--version"});
  CHECK(v.code == 0);
  CHECK(v.out == "acmespec " + cli::version() + "\n");
  auto h = run({"--help"});
  CHECK(h.code == 0);
  CHECK(h.out.find("Usage: acmespec") != std::string::npos);
  CHECK(h.out.find("list") != std::string::npos);
  auto lh = run({"list", "--help"});
  CHECK(lh.code == 0);
  CHECK(lh.out.find("--checks") != std::string::npos);
}

TEST_CASE("usage errors exit 2 and name the problem", "[cli]") {
  auto none = run({});
  CHECK(none.code == 2);
  auto flag = run({"--frobnicate"});
  CHECK(flag.code == 2);
  CHECK(flag.err.find("unknown option '--frobnicate'") != std::string::npos);
  auto cmd = run({"frobnicate"});
  CHECK(cmd.code == 2);
  CHECK(cmd.err.find("unknown command 'frobnicate'") != std::string::npos);
  auto sub = run({"list", "--nope"});
  CHECK(sub.code == 2);
  CHECK(sub.err.find("--nope: unknown option") != std::string::npos);
  auto extra = run({"list", "stray"});
  CHECK(extra.code == 2);
  CHECK(extra.err.find("stray: unexpected argument") != std::string::npos);
}

TEST_CASE("list prints the catalogue from the data folder", "[cli]") {
  auto r = run({"list", "--checks", "--data-dir", ACMESPEC_SOURCE_DIR});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("RFC8555-") != std::string::npos);
  CHECK(r.out.find("Scenarios") == std::string::npos);
}

TEST_CASE("list --ops prints operations, mutations and every challenge fault", "[cli]") {
  auto r = run({"list", "--ops", "--data-dir", ACMESPEC_SOURCE_DIR});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Operations (server scenarios):") != std::string::npos);
  CHECK(r.out.find("Challenge faults") != std::string::npos);
  for (const auto& f : acmespec::server::challenge_faults()) {
    INFO(f.name);
    CHECK(r.out.find("  " + f.name + " ") != std::string::npos);
  }
}

TEST_CASE("list refuses a broken catalogue with file, path and reason", "[cli]") {
  fs::path dir = fs::temp_directory_path() / "acmespec-cli-test";
  fs::create_directories(dir / "scenarios");
  {
    std::ofstream f(dir / "scenarios" / "requirements.json");
    f << R"({"version": 1, "requirements": [{"id": "RFC8555-6.5-x", "spec": "RFC8555", "section": "6.5",
           "level": "MUST!", "role": "server", "statement": "s"}]})";
  }
  auto r = run({"list"}, cli::Environment{dir.string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("requirements.json: requirements[0].level: must be MUST, SHOULD or MAY") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("option parser forms", "[cli]") {
  std::vector<cli::OptionSpec> specs = {{"directory", "URL", "d"}, {"suite", "NAME", "s", true}, {"quiet", "", "q"}};
  auto ok = cli::parse_options({"--directory=https://x/dir", "--suite", "a", "--suite", "b", "--quiet", "--", "cmd", "--x"},
                               specs, 0);
  REQUIRE(ok.ok());
  CHECK(ok->get("directory") == "https://x/dir");
  CHECK(ok->all("suite") == std::vector<std::string>{"a", "b"});
  CHECK(ok->has("quiet"));
  CHECK(ok->after_dashes == std::vector<std::string>{"cmd", "--x"});
  CHECK_FALSE(cli::parse_options({"--directory"}, specs, 0).ok());
  CHECK_FALSE(cli::parse_options({"--directory", "a", "--directory", "b"}, specs, 0).ok());
  CHECK_FALSE(cli::parse_options({"--quiet=yes"}, specs, 0).ok());
  CHECK_FALSE(cli::parse_options({"-q"}, specs, 0).ok());
}
