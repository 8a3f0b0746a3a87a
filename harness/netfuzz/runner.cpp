#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "client/csr.hpp"
#include "client/request_signer.hpp"
#include "common/json.hpp"
#include "http/client.hpp"
#include "jose/base64url.hpp"
#include "jose/digest.hpp"
#include "jose/jws.hpp"
#include "netfuzz/netfuzz.hpp"
#include "netfuzz/oracle.hpp"
#include "netfuzz/plan.hpp"

namespace acmespec::netfuzz {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBodyExcerpt = 4096;
constexpr std::size_t kSpentNonces = 64;

json request_json(const http::Request& r) {
  json headers = json::array();
  for (const auto& [n, v] : r.headers) headers.push_back({n, v});
  return {{"method", r.method}, {"url", r.url}, {"headers", headers}, {"body", r.body}};
}

json response_json(const http::Exchange& ex) {
  if (!ex.response) return {{"error", ex.error}};
  json headers = json::array();
  for (const auto& [n, v] : ex.response->headers) headers.push_back({n, v});
  return {{"status", ex.response->status}, {"headers", headers},
          {"body", ex.response->body.substr(0, kBodyExcerpt)},
          {"error", ex.error}};
}

// One fuzzing session: the HTTP client, the accounts, the nonce pool.
class Session {
 public:
  Session(const NetFuzzConfig& config, NetFuzzStats& stats)
      : config_(config), stats_(stats), options_(options(config)) {}

  Status setup(Rng& rng) {
    auto dir = get(config_.directory_url);
    if (!dir.response || dir.response->status != 200) return make_error("directory", "cannot read " + config_.directory_url + ": " + describe(dir));
    auto doc = parse_json(dir.response->body);
    if (!doc || !doc->is_object()) return make_error("directory", "not a JSON object");
    for (const char* m : {"newNonce", "newAccount", "newOrder"}) {
      if (!doc->contains(m) || !(*doc)[m].is_string()) return make_error(std::string("directory.") + m, "missing");
    }
    new_nonce_ = (*doc)["newNonce"];
    targets_.new_account = (*doc)["newAccount"];
    targets_.new_order = (*doc)["newOrder"];
    auto a = jose::PrivateKey::generate(jose::KeyType::P256);
    auto b = jose::PrivateKey::generate(jose::KeyType::P256);
    auto c = jose::PrivateKey::generate(jose::KeyType::P256);
    if (!a || !b || !c) return make_error("keys", "key generation failed");
    key_a_ = std::make_unique<jose::PrivateKey>(std::move(*a));
    key_b_ = std::make_unique<jose::PrivateKey>(std::move(*b));
    const json account_payload = {{"termsOfServiceAgreed", true}};
    auto acct_a = signed_post(targets_.new_account, account_payload, *key_a_, "");
    auto acct_b = signed_post(targets_.new_account, account_payload, *key_b_, "");
    auto loc_a = acct_a.response ? acct_a.response->get("Location") : std::nullopt;
    auto loc_b = acct_b.response ? acct_b.response->get("Location") : std::nullopt;
    if (!loc_a || !loc_b) return make_error("newAccount", "no account created: " + describe(acct_a));
    targets_.account = *loc_a;
    targets_.other_account = *loc_b;
    const std::string name = random_name(rng);
    auto order = signed_post(targets_.new_order, {{"identifiers", json::array({{{"type", "dns"}, {"value", name}}})}},
                             *key_a_, targets_.account);
    auto order_loc = order.response ? order.response->get("Location") : std::nullopt;
    auto order_doc = order.response ? parse_json(order.response->body) : Result<json>(make_error("", "none"));
    if (!order_loc || !order_doc || !order_doc->contains("finalize") || !(*order_doc)["finalize"].is_string()) {
      return make_error("newOrder", "no order created: " + describe(order));
    }
    targets_.order = *order_loc;
    targets_.finalize = (*order_doc)["finalize"];
    auto csr = client::build_csr(*c, {{"dns", name}});
    if (!csr) return csr.error().nested("csr");
    targets_.csr_b64 = jose::base64url_encode(*csr);
    targets_.new_identifier = random_name(rng);
    targets_.signer_jwk = key_a_->public_jwk().to_json();
    return Status{Ok{}};
  }

  // Sends one mutated plan and returns the exchange.
  std::pair<http::Request, http::Exchange> send(const Plan& plan) {
    std::string nonce;
    if (plan.replay_nonce && !spent_.empty()) {
      nonce = spent_.front();
    } else if (plan.fixed_nonce) {
      nonce = *plan.fixed_nonce;
    } else if (!plan.omit_nonce) {
      nonce = take_nonce();
    }
    json header = plan.header;
    if (!plan.omit_nonce) header["nonce"] = nonce;
    std::string header_text = plan.raw_header.value_or(header.dump(-1, ' ', false, json::error_handler_t::replace));
    if (plan.raw_header && !plan.omit_nonce) {
      // The spliced text lacks the nonce; put it first so the duplicate stays last.
      header_text = "{\"nonce\":" + json(nonce).dump() + "," + header_text.substr(1);
    }
    std::string payload = plan.raw_payload.value_or(plan.payload ? plan.payload->dump(-1, ' ', false, json::error_handler_t::replace) : "");
    auto jws = jose::JwsBuilder::from_protected_bytes(header_text).payload(payload).sign(*key_a_, jose::Alg::ES256);
    http::Request req;
    req.method = plan.method;
    req.url = plan.url;
    req.headers = {{"Content-Type", plan.content_type}};
    if (jws) {
      if (plan.corrupt_signature) jose::corrupt_signature(*jws);
      req.body = jws->serialize();
    }
    auto ex = exchange(req);
    // Only an accepted request proves the server consumed its nonce; a
    // request refused early (bad JWS, wrong Content-Type) may leave it valid.
    if (!nonce.empty() && ex.response && ex.response->status / 100 == 2) remember_spent(nonce);
    return {req, ex};
  }

  const Targets& targets() const { return targets_; }

 private:
  static http::ClientOptions options(const NetFuzzConfig& c) {
    http::ClientOptions o;
    o.ca_bundle_path = c.ca_bundle;
    o.insecure = c.insecure;
    o.connect_timeout = c.timeout;
    o.read_timeout = c.timeout;
    o.write_timeout = c.timeout;
    o.total_timeout = c.timeout * 2;
    o.max_response_body = 1 << 20;
    return o;
  }

  static std::string describe(const http::Exchange& ex) {
    if (!ex.response) return ex.error;
    return "HTTP " + std::to_string(ex.response->status) + " " + ex.response->body.substr(0, 300);
  }

  std::string random_name(Rng& rng) {
    static const char kAlnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string label;
    for (int i = 0; i < 12; ++i) label += kAlnum[rng() % 36];
    return label + ".netfuzz.acmespec.test";
  }

  http::Exchange exchange(const http::Request& req) {
    // A transcript per exchange keeps memory flat over long runs.
    http::Transcript transcript;
    auto ex = http::Client(options_, transcript).send(req);
    ++stats_.requests;
    if (ex.response) {
      if (auto n = ex.response->get("Replay-Nonce")) pool_.push_back(*n);
      if (pool_.size() > 16) pool_.pop_front();
    }
    return ex;
  }

  http::Exchange get(const std::string& url) {
    http::Request r;
    r.url = url;
    return exchange(r);
  }

  std::string take_nonce() {
    if (pool_.empty()) {
      http::Request r;
      r.method = "HEAD";
      r.url = new_nonce_;
      exchange(r);
    }
    if (pool_.empty()) return "";
    std::string n = pool_.front();
    pool_.pop_front();
    return n;
  }

  void remember_spent(const std::string& nonce) {
    spent_.push_back(nonce);
    if (spent_.size() > kSpentNonces) spent_.pop_front();
  }

  http::Exchange signed_post(const std::string& url, const json& payload, const jose::PrivateKey& key,
                             const std::string& kid) {
    const std::string nonce = take_nonce();
    client::Signer signer{&key, kid};
    auto body = client::sign_request(signer, url, nonce, payload);
    http::Request req;
    req.method = "POST";
    req.url = url;
    req.headers = {{"Content-Type", "application/jose+json"}};
    if (body) req.body = body->body;
    auto ex = exchange(req);
    if (ex.response && ex.response->status / 100 == 2) remember_spent(nonce);
    return ex;
  }

  const NetFuzzConfig& config_;
  NetFuzzStats& stats_;
  http::ClientOptions options_;
  std::string new_nonce_;
  Targets targets_;
  std::unique_ptr<jose::PrivateKey> key_a_, key_b_;
  std::deque<std::string> pool_;
  std::deque<std::string> spent_;
};

// Iteration i of a run: the base request and its mutations, from (seed, i) only.
Plan plan_for(std::uint64_t seed, std::uint64_t iteration, const Targets& targets) {
  Rng rng = iteration_rng(seed, iteration);
  const auto op = static_cast<BaseOp>(rng() % 5);
  Plan plan = base_plan(op, targets);
  mutate(plan, targets, rng);
  return plan;
}

Status write_finding(const Finding& f, const std::string& dir, std::vector<std::string>& files) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(dir, ec.message());
  const std::string name = "finding-" + jose::base64url_encode(jose::sha256(f.key())).substr(0, 16) + ".json";
  const auto path = std::filesystem::path(dir) / name;
  std::ofstream out(path, std::ios::trunc);
  out << f.to_json().dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  if (!out) return make_error(path.string(), "write failed");
  files.push_back(path.string());
  return Status{Ok{}};
}

Result<NetFuzzStats> run(const NetFuzzConfig& config, std::ostream& log, std::optional<std::uint64_t> only) {
  NetFuzzStats stats;
  const auto start = Clock::now();
  const auto deadline = start + config.duration;
  Session session(config, stats);
  Rng setup_rng = iteration_rng(config.seed, ~std::uint64_t{0});
  if (auto s = session.setup(setup_rng); !s) return s.error();
  std::set<std::string> seen;
  for (std::uint64_t i = only.value_or(0);; ++i) {
    if (only ? i != *only : (Clock::now() >= deadline || stats.requests >= config.max_requests)) break;
    const Plan plan = plan_for(config.seed, i, session.targets());
    auto [req, ex] = session.send(plan);
    ++stats.iterations;
    for (const auto& v : judge(plan, ex.response, ex.error)) {
      Finding f{v.oracle, v.detail, base_op_name(plan.op), plan.mutations, config.seed, i, request_json(req), response_json(ex)};
      if (!seen.insert(f.key()).second) {
        ++stats.duplicates;
        continue;
      }
      if (stats.findings.size() >= config.max_findings) continue;
      log << "finding " << f.oracle << " (" << f.op << ", iteration " << i << "): " << f.detail << "\n";
      if (!config.out_dir.empty()) {
        if (auto w = write_finding(f, config.out_dir, stats.files); !w) return w.error();
      }
      stats.findings.push_back(std::move(f));
    }
    if (only) break;
  }
  stats.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return stats;
}

}  // namespace

std::string Finding::key() const {
  // The first mutation names the kind of change; the rest vary too much.
  const std::string first = mutations.empty() ? "" : mutations.front().substr(0, mutations.front().find('='));
  const int status = response.contains("status") ? response["status"].get<int>() : 0;
  return oracle + "|" + op + "|" + first + "|" + std::to_string(status);
}

json Finding::to_json() const {
  return {{"oracle", oracle}, {"detail", detail}, {"op", op}, {"mutations", mutations}, {"seed", seed},
          {"iteration", iteration}, {"request", request}, {"response", response},
          {"replay", "acmespec fuzz --replay FILE --directory URL [--ca-bundle PEM]"}};
}

Result<NetFuzzStats> run_netfuzz(const NetFuzzConfig& config, std::ostream& log) {
  if (config.directory_url.empty()) return make_error("--directory", "required");
  return run(config, log, std::nullopt);
}

Result<NetFuzzStats> replay_finding(const std::string& file, NetFuzzConfig config, std::ostream& log) {
  std::ifstream in(file);
  if (!in) return make_error(file, "cannot read");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto doc = parse_json(text);
  if (!doc) return doc.error().nested(file);
  if (!doc->contains("seed") || !(*doc)["seed"].is_number_unsigned() || !doc->contains("iteration") ||
      !(*doc)["iteration"].is_number_unsigned()) {
    return make_error(file + ": seed/iteration", "missing or not unsigned integers");
  }
  config.seed = (*doc)["seed"].get<std::uint64_t>();
  if (config.directory_url.empty()) return make_error("--directory", "required to replay");
  config.out_dir.clear();
  return run(config, log, (*doc)["iteration"].get<std::uint64_t>());
}

}  // namespace acmespec::netfuzz
