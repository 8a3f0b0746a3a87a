#include <catch2/catch.hpp>

#include <filesystem>

#include "clientmode/process.hpp"

using namespace acmespec::clientmode;

TEST_CASE("process: exit code, output, working directory and environment") {
  ProcessOptions o;
  o.argv = {"/bin/sh", "-c", "pwd; echo \"v=$ACMESPEC_TEST_VAR\"; echo oops >&2; exit 3"};
  o.cwd = std::filesystem::temp_directory_path();
  o.env = {{"ACMESPEC_TEST_VAR", "42"}};
  auto r = run_process(o);
  REQUIRE(r.ok());
  CHECK(r->exit_code == 3);
  CHECK_FALSE(r->timed_out);
  CHECK(r->output.find(std::filesystem::canonical(o.cwd).string()) != std::string::npos);
  CHECK(r->output.find("v=42") != std::string::npos);
  CHECK(r->output.find("oops") != std::string::npos);
}

TEST_CASE("process: the timeout kills the whole process group") {
  ProcessOptions o;
  // The child leaves a grandchild behind that would otherwise keep running.
  o.argv = {"/bin/sh", "-c", "sleep 30 & echo started; sleep 30"};
  o.timeout = std::chrono::milliseconds(300);
  o.kill_grace = std::chrono::milliseconds(200);
  auto r = run_process(o);
  REQUIRE(r.ok());
  CHECK(r->timed_out);
  CHECK_FALSE(r->exit_code.has_value());
  CHECK(r->signal != 0);
  CHECK(r->output.find("started") != std::string::npos);
  CHECK(r->duration < std::chrono::seconds(10));  // bounded, not a timing assertion on speed
}

TEST_CASE("process: output beyond the cap keeps head and tail") {
  ProcessOptions o;
  o.argv = {"/bin/sh", "-c", "echo FIRST; i=0; while [ $i -lt 2000 ]; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done; echo LAST"};
  o.output_cap = 1024;
  auto r = run_process(o);
  REQUIRE(r.ok());
  CHECK(r->output_bytes > 70000);
  CHECK(r->output.size() < 1200);
  CHECK(r->output.rfind("FIRST", 0) == 0);
  CHECK(r->output.find("LAST") != std::string::npos);
  CHECK(r->output.find("bytes elided") != std::string::npos);
}

TEST_CASE("process: a missing program is an error, not a result") {
  ProcessOptions o;
  o.argv = {"acmespec-no-such-program-xyz"};
  auto r = run_process(o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().reason.find("cannot run") != std::string::npos);
  CHECK_FALSE(run_process(ProcessOptions{}).ok());
}
