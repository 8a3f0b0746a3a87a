#include "reports/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace acmespec::reports {
namespace {

Error system_error(const std::filesystem::path& path, const char* call, int err) {
  return make_error(path.string(), std::string(call) + " failed: " + std::strerror(err));
}

// Owns the temporary file until it has been renamed into place.
class TempFile {
 public:
  TempFile(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(name_.c_str());
  }
  int fd() const { return fd_; }
  const std::string& name() const { return name_; }
  // Closes the descriptor, reporting errors (close can report a failed write).
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }
  void commit() { committed_ = true; }

 private:
  int fd_;
  std::string name_;
  bool committed_ = false;
};

bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) {  // no progress and no errno: do not spin
      errno = EIO;
      return false;
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Makes the rename itself durable; best effort, since some file systems
// refuse fsync on directories and the data is already safe by then.
void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Status write_file_atomic(const std::filesystem::path& path, std::string_view content, mode_t mode) {
  if (path.filename().empty()) return make_error(path.string(), "not a file name");
  const std::filesystem::path dir = path.parent_path();
  // A dot name keeps the temporary out of globs such as *.json.
  std::string pattern = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);  // mode 0600
  if (fd < 0) return system_error(path, "creating a temporary file", errno);
  TempFile tmp(fd, name.data());

  if (!write_all(tmp.fd(), content)) return system_error(path, "write", errno);
  if (::fchmod(tmp.fd(), mode & 07777) != 0) return system_error(path, "fchmod", errno);
  if (::fsync(tmp.fd()) != 0) return system_error(path, "fsync", errno);
  if (tmp.close() != 0) return system_error(path, "close", errno);
  if (::rename(tmp.name().c_str(), path.c_str()) != 0) return system_error(path, "rename", errno);
  tmp.commit();
  sync_directory(dir);
  return Ok{};
}

}  // namespace acmespec::reports
