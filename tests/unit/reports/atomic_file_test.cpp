#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "reports/atomic_file.hpp"

namespace fs = std::filesystem;
using acmespec::reports::write_file_atomic;

namespace {

// A fresh directory per test, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "acmespec-atomic-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::size_t entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(path)) ++n;
    return n;
  }
};

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

mode_t mode_of(const fs::path& file) {
  struct stat st{};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("write_file_atomic creates and replaces a file, leaving no temporary", "[reports][atomic]") {
  TempDir dir;
  const fs::path file = dir.path / "run.json";
  const std::string binary("a\0b\xff\n", 5);
  REQUIRE(write_file_atomic(file, binary).ok());
  CHECK(slurp(file) == binary);
  CHECK(mode_of(file) == 0644);

  REQUIRE(write_file_atomic(file, "second, shorter").ok());
  CHECK(slurp(file) == "second, shorter");
  REQUIRE(write_file_atomic(file, "").ok());
  CHECK(slurp(file).empty());
  CHECK(dir.entries() == 1);
}

TEST_CASE("write_file_atomic sets the mode exactly, whatever the umask", "[reports][atomic]") {
  TempDir dir;
  const mode_t old_mask = ::umask(0077);
  const fs::path file = dir.path / "key.pem";
  const bool wrote_private = write_file_atomic(file, "secret", 0600).ok();
  const bool wrote_public = write_file_atomic(dir.path / "report.xml", "<x/>", 0644).ok();
  ::umask(old_mask);
  REQUIRE(wrote_private);
  REQUIRE(wrote_public);
  CHECK(mode_of(file) == 0600);
  CHECK(mode_of(dir.path / "report.xml") == 0644);
  // Replacing a public file with a private one narrows it.
  REQUIRE(write_file_atomic(dir.path / "report.xml", "<y/>", 0600).ok());
  CHECK(mode_of(dir.path / "report.xml") == 0600);
}

TEST_CASE("a failed write leaves the old file and no temporary behind", "[reports][atomic]") {
  TempDir dir;
  // rename() cannot replace a non-empty directory, so the last step fails.
  const fs::path blocked = dir.path / "blocked";
  fs::create_directory(blocked);
  std::ofstream(blocked / "inside") << "old";
  const auto result = write_file_atomic(blocked, "new");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().path == blocked.string());
  CHECK(result.error().reason.find("rename") != std::string::npos);
  CHECK(slurp(blocked / "inside") == "old");
  CHECK(dir.entries() == 1);

  const auto missing = write_file_atomic(dir.path / "no-such-dir" / "run.json", "x");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().reason.find("temporary") != std::string::npos);
  CHECK_FALSE(write_file_atomic(dir.path / "", "x").ok());
}
