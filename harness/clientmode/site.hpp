// The webroot site of a client scenario with challenge "http-01-webroot":
// a folder `<workdir>/site` holding `webroot/` (the client writes its HTTP-01
// files under webroot/.well-known/acme-challenge/) and `canary/` (a folder
// beside the webroot that nothing may ever write into).  SiteServer serves
// the webroot read-only on the client's HTTP-01 port, so the mock CA can
// validate; SiteWatch records every path created or changed under the site
// while the client runs (inotify, plus a before/after snapshot), so a token
// that escapes the challenge folder is seen even if the client removes the
// file again.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/result.hpp"

namespace acmespec::clientmode {

// Creates <workdir>/site/{webroot/.well-known/acme-challenge,canary}; returns the site folder.
Result<std::filesystem::path> make_site(const std::filesystem::path& workdir);

// Relative path -> (size, mtime in ns) of every entry below `root`, at most
// `limit` entries, symbolic links listed but never followed.
using TreeSnapshot = std::map<std::string, std::pair<std::uintmax_t, long long>>;
TreeSnapshot snapshot_tree(const std::filesystem::path& root, std::size_t limit = 20000);

class SiteWatch {
 public:
  SiteWatch() = default;
  ~SiteWatch();
  SiteWatch(const SiteWatch&) = delete;
  SiteWatch& operator=(const SiteWatch&) = delete;

  Status start(const std::filesystem::path& root);
  // Stops watching; returns the relative paths created, written or moved in
  // below the root since start(), sorted, at most 1000.
  std::vector<std::string> stop();

 private:
  void add_watch(const std::filesystem::path& dir);
  void loop();

  std::filesystem::path root_;
  TreeSnapshot before_;
  int fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::map<int, std::string> dirs_;  // watch descriptor -> relative folder ("" for the root)
  std::mutex mu_;
  std::set<std::string> seen_;
  std::thread thread_;
};

// A static file server for the webroot on 127.0.0.1:<port>: GET and HEAD
// only, no listings, paths confined to the root.
class SiteServer {
 public:
  static Result<std::unique_ptr<SiteServer>> start(const std::filesystem::path& root, std::uint16_t port);
  ~SiteServer();

 private:
  struct Impl;
  explicit SiteServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace acmespec::clientmode
