// The VA's worker pool, the per-type dispatch, DNS-01 and the CAA check.
#include "mock-ca/va.hpp"

#include <algorithm>

#include "jose/challenge.hpp"

namespace acmespec::mockca::detail {

using acme::Problem;

std::optional<Problem> validate_dns01(const VaConfig& config, const VaJob& job) {
  const std::string name = "_acme-challenge." + job.identifier.value;
  auto txt = query_txt(config, name);
  if (!txt) return Problem::dns("DNS query for TXT " + name + " failed: " + txt.error().to_string());
  const std::string want = jose::dns01_txt_value(job.key_authorization);
  for (const auto& v : *txt)
    if (v == want) return std::nullopt;
  return Problem::incorrect_response("no TXT record at " + name + " equals " + want + " (found " +
                                     std::to_string(txt->size()) + " records)");
}

std::optional<Problem> check_caa(const VaConfig& config, const std::string& name, bool wildcard,
                                 const std::vector<std::string>& identities) {
  std::string candidate = name;
  for (int depth = 0; depth < 32 && !candidate.empty(); ++depth) {
    auto records = query_caa(config, candidate);
    if (!records) return Problem::dns("CAA lookup for " + candidate + " failed: " + records.error().to_string());
    if (!records->empty()) {
      bool has_issue = false, has_wild = false;
      for (const auto& r : *records) {
        if ((r.flags & 0x80) && r.tag != "issue" && r.tag != "issuewild" && r.tag != "iodef")
          return Problem::caa("CAA at " + candidate + " has an unknown critical property \"" + r.tag + "\"");
        has_issue = has_issue || r.tag == "issue";
        has_wild = has_wild || r.tag == "issuewild";
      }
      // RFC 8659 §4.3: issuewild, when present, governs wildcard names alone.
      const std::string tag = wildcard && has_wild ? "issuewild" : "issue";
      if (!(tag == "issue" ? has_issue : has_wild)) return std::nullopt;
      for (const auto& r : *records) {
        if (r.tag != tag) continue;
        std::string domain = r.value.substr(0, r.value.find(';'));
        while (!domain.empty() && (domain.back() == ' ' || domain.back() == '\t')) domain.pop_back();
        while (!domain.empty() && (domain.front() == ' ' || domain.front() == '\t')) domain.erase(0, 1);
        for (const auto& id : identities)
          if (!domain.empty() && domain == id) return std::nullopt;
      }
      return Problem::caa("CAA " + tag + " records at " + candidate + " do not authorize this CA");
    }
    const auto dot = candidate.find('.');
    if (dot == std::string::npos) break;
    candidate = candidate.substr(dot + 1);
  }
  return std::nullopt;
}

namespace {
std::optional<Problem> validate_once(const VaConfig& config, const VaJob& job) {
  if (job.type == "http-01") return validate_http01(config, job);
  if (job.type == "dns-01") return validate_dns01(config, job);
  if (job.type == "tls-alpn-01") return validate_tls_alpn01(config, job);
  return Problem::malformed("unknown challenge type " + job.type);
}
}  // namespace

std::optional<Problem> validate(const VaConfig& config, const VaJob& job) {
  // §8.2: a failed attempt is retried once after a short pause, so that a
  // responder that was a moment late does not cost the client its authorization.
  std::optional<Problem> result = validate_once(config, job);
  if (result) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    result = validate_once(config, job);
  }
  if (!result && job.identifier.type == "dns" && !job.caa_identities.empty())
    result = check_caa(config, job.identifier.value, job.wildcard, job.caa_identities);
  return result;
}

Validator::Validator(VaConfig config) : config_(std::move(config)) {
  const int n = std::clamp(config_.workers, 1, 64);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
}

Validator::~Validator() { stop(); }

bool Validator::submit(VaJob job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= config_.queue_limit) return false;
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void Validator::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
  workers_.clear();
}

void Validator::work() {
  while (true) {
    VaJob job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      if (config_.start_delay.count() > 0 &&
          cv_.wait_for(lock, std::min<std::chrono::milliseconds>(config_.start_delay, std::chrono::seconds(30)),
                       [this] { return stopping_; }))
        return;
    }
    if (config_.on_attempt) config_.on_attempt(job.type, job.identifier.value);
    auto result = validate(config_, job);
    if (job.done) job.done(std::move(result));
  }
}

}  // namespace acmespec::mockca::detail
