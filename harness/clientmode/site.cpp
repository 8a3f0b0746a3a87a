#include "clientmode/site.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <httplib.h>

namespace acmespec::clientmode {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kMaxWatches = 512;
constexpr std::size_t kMaxSeen = 1000;
constexpr std::uint32_t kSiteEvents = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB;
}  // namespace

Result<fs::path> make_site(const fs::path& workdir) {
  const fs::path site = workdir / "site";
  std::error_code ec;
  fs::create_directories(site / "webroot" / ".well-known" / "acme-challenge", ec);
  if (!ec) fs::create_directories(site / "canary", ec);
  if (ec) return make_error(site.string(), "cannot create the webroot site: " + ec.message());
  return site;
}

TreeSnapshot snapshot_tree(const fs::path& root, std::size_t limit) {
  TreeSnapshot out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end; !ec && it != end; it.increment(ec)) {
    if (out.size() >= limit) break;
    std::error_code e2;
    const auto st = it->symlink_status(e2);
    std::uintmax_t size = 0;
    long long mtime = 0;
    if (fs::is_regular_file(st)) {
      size = fs::file_size(it->path(), e2);
      mtime = static_cast<long long>(fs::last_write_time(it->path(), e2).time_since_epoch().count());
    }
    out[fs::relative(it->path(), root, e2).generic_string()] = {size, mtime};
  }
  return out;
}

SiteWatch::~SiteWatch() { (void)stop(); }

void SiteWatch::add_watch(const fs::path& dir) {
  if (dirs_.size() >= kMaxWatches) return;
  const int wd = ::inotify_add_watch(fd_, dir.c_str(), kSiteEvents | IN_ONLYDIR);
  if (wd < 0) return;
  std::error_code ec;
  const std::string rel = dir == root_ ? "" : fs::relative(dir, root_, ec).generic_string();
  dirs_[wd] = rel;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec) && !it->is_symlink(ec)) add_watch(it->path());
}

Status SiteWatch::start(const fs::path& root) {
  root_ = root;
  before_ = snapshot_tree(root);
  fd_ = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (fd_ < 0) return make_error(root.string(), std::string("inotify: ") + std::strerror(errno));
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) return make_error(root.string(), std::string("pipe: ") + std::strerror(errno));
  add_watch(root);
  thread_ = std::thread([this] { loop(); });
  return Ok{};
}

void SiteWatch::loop() {
  alignas(inotify_event) char buf[16384];
  for (;;) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, 1000) < 0 && errno != EINTR) return;
    const bool stopping = fds[1].revents != 0;
    for (;;) {  // drain what is queued, also after the stop request
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) break;
      for (ssize_t at = 0; at < n;) {
        const auto* ev = reinterpret_cast<const inotify_event*>(buf + at);
        at += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
        auto dir = dirs_.find(ev->wd);
        if (dir == dirs_.end() || ev->len == 0) continue;
        const std::string rel = (dir->second.empty() ? "" : dir->second + "/") + ev->name;
        if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) add_watch(root_ / rel);
        std::lock_guard lock(mu_);
        if (seen_.size() < kMaxSeen) seen_.insert(rel);
      }
    }
    if (stopping) return;
  }
}

std::vector<std::string> SiteWatch::stop() {
  if (fd_ < 0) return {};
  if (thread_.joinable()) {
    const char c = 1;
    (void)!::write(stop_pipe_[1], &c, 1);
    thread_.join();
  }
  ::close(fd_);
  fd_ = -1;
  for (int& p : stop_pipe_)
    if (p >= 0) ::close(std::exchange(p, -1));
  // The snapshot catches what inotify may have missed (a watch limit, a
  // folder created and filled before its watch was added).
  for (const auto& [path, info] : snapshot_tree(root_)) {
    auto it = before_.find(path);
    if ((it == before_.end() || it->second != info) && seen_.size() < kMaxSeen) seen_.insert(path);
  }
  return {seen_.begin(), seen_.end()};
}

struct SiteServer::Impl {
  httplib::Server server;
  std::thread thread;
};

SiteServer::SiteServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SiteServer::~SiteServer() {
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

Result<std::unique_ptr<SiteServer>> SiteServer::start(const fs::path& root, std::uint16_t port) {
  auto impl = std::make_unique<Impl>();
  auto& svr = impl->server;
  svr.set_read_timeout(5, 0);
  svr.set_write_timeout(5, 0);
  svr.set_payload_max_length(64 * 1024);
  svr.new_task_queue = [] { return new httplib::ThreadPool(2); };
  if (!svr.set_mount_point("/", root.string())) return make_error(root.string(), "cannot serve the webroot");
  if (!svr.bind_to_port("127.0.0.1", port))
    return make_error("http_port", "cannot bind 127.0.0.1:" + std::to_string(port) + " for the webroot server");
  auto* raw = impl.get();
  impl->thread = std::thread([raw] { raw->server.listen_after_bind(); });
  return std::unique_ptr<SiteServer>(new SiteServer(std::move(impl)));
}

}  // namespace acmespec::clientmode
