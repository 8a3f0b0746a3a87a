#include "clientmode/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace acmespec::clientmode {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Keeps the first and the last cap/2 bytes of a stream.
class CappedOutput {
 public:
  explicit CappedOutput(std::size_t cap) : half_(cap / 2) {}
  void append(const char* data, std::size_t n) {
    total_ += n;
    std::size_t used = 0;
    if (head_.size() < half_) {
      used = std::min(n, half_ - head_.size());
      head_.append(data, used);
    }
    tail_.append(data + used, n - used);
    if (tail_.size() > 2 * half_) tail_.erase(0, tail_.size() - half_);
  }
  std::string text() const {
    std::string t = tail_.size() > half_ ? tail_.substr(tail_.size() - half_) : tail_;
    if (total_ <= head_.size() + t.size()) return head_ + t;
    return head_ + "\n[... " + std::to_string(total_ - head_.size() - t.size()) + " bytes elided ...]\n" + t;
  }
  std::size_t total() const { return total_; }

 private:
  std::size_t half_;
  std::string head_, tail_;
  std::size_t total_ = 0;
};

struct Fd {
  int fd = -1;
  ~Fd() { if (fd >= 0) ::close(fd); }
};

}  // namespace

Result<ProcessResult> run_process(const ProcessOptions& options) {
  if (options.argv.empty() || options.argv.front().empty()) return make_error("command", "no program to run");
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return make_error("command", std::string("pipe: ") + std::strerror(errno));
  Fd read_end{pipefd[0]}, write_end{pipefd[1]};
  // A separate pipe reports an exec failure (errno) to the parent.
  int errpipe[2];
  if (::pipe2(errpipe, O_CLOEXEC) != 0) return make_error("command", std::string("pipe: ") + std::strerror(errno));
  Fd err_read{errpipe[0]}, err_write{errpipe[1]};

  // Everything the child needs is built before fork: only async-signal-safe calls after it.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    const std::string key = kv.substr(0, kv.find('='));
    if (!options.env.count(key)) env_strings.push_back(std::move(kv));
  }
  for (const auto& [k, v] : options.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  // PATH is searched here, not in the child: between fork and exec only
  // async-signal-safe calls are allowed, and the mock CA's threads are running.
  std::string program = options.argv.front();
  if (program.find('/') == std::string::npos) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    std::string found;
    for (std::size_t start = 0; start <= dirs.size() && found.empty();) {
      const auto end = std::min(dirs.find(':', start), dirs.size());
      const std::string candidate = (end > start ? dirs.substr(start, end - start) : std::string(".")) + "/" + program;
      if (::access(candidate.c_str(), X_OK) == 0) found = candidate;
      start = end + 1;
    }
    if (found.empty()) return make_error("command", "cannot run \"" + program + "\": not found on PATH");
    program = found;
  }
  std::vector<std::string> args = options.argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string cwd = options.cwd.string();

  const auto started = SteadyClock::now();
  const pid_t pid = ::fork();
  if (pid < 0) return make_error("command", std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::setpgid(0, 0);
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::dup2(write_end.fd, 1);
    ::dup2(write_end.fd, 2);
    int err = 0;
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) err = errno;
    if (err == 0) {
      ::execve(program.c_str(), argv.data(), envp.data());
      err = errno;
    }
    [[maybe_unused]] auto n = ::write(err_write.fd, &err, sizeof err);
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent, so the group exists before any kill
  ::close(write_end.fd);
  write_end.fd = -1;
  ::close(err_write.fd);
  err_write.fd = -1;

  int exec_errno = 0;
  if (::read(err_read.fd, &exec_errno, sizeof exec_errno) == static_cast<ssize_t>(sizeof exec_errno)) {
    ::waitpid(pid, nullptr, 0);
    return make_error("command", "cannot run \"" + options.argv.front() + "\": " + std::strerror(exec_errno));
  }

  ProcessResult result;
  CappedOutput out(options.output_cap);
  const auto deadline = started + options.timeout;
  std::optional<SteadyClock::time_point> killed_at;
  bool open = true;
  int status = 0;
  bool reaped = false;
  char buf[8192];
  while (!reaped) {
    const auto now = SteadyClock::now();
    if (!killed_at && now >= deadline) {
      result.timed_out = true;
      ::kill(-pid, SIGTERM);
      killed_at = now;
    } else if (killed_at && now >= *killed_at + options.kill_grace) {
      ::kill(-pid, SIGKILL);
    }
    if (open) {
      pollfd p{read_end.fd, POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {
        const ssize_t n = ::read(read_end.fd, buf, sizeof buf);
        if (n > 0) out.append(buf, static_cast<std::size_t>(n));
        else if (n == 0 || (errno != EINTR && errno != EAGAIN)) open = false;
      }
    } else {
      ::usleep(20'000);
    }
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) reaped = true;
  }
  // Grandchildren may hold the pipe open; take what is buffered, then end the group.
  ::kill(-pid, SIGKILL);
  for (int i = 0; open && i < 100; ++i) {
    pollfd p{read_end.fd, POLLIN, 0};
    if (::poll(&p, 1, 10) <= 0) break;
    const ssize_t n = ::read(read_end.fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.output = out.text();
  result.output_bytes = out.total();
  return result;
}

}  // namespace acmespec::clientmode
