// MockCa: routing, the fault plan, the headers every answer carries, and the
// observation log.  The handlers live in wfe_*.cpp.
#include "mock-ca/mock_ca.hpp"

#include <algorithm>
#include <cctype>

#include "mock-ca/state.hpp"

namespace acmespec::mockca {

using detail::Core;
using detail::Reply;
using acme::Problem;

std::string Response::header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() &&
        std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      return v;
  }
  return "";
}

namespace detail {

Core::Core(MockCaConfig config, std::unique_ptr<CertAuthority> authority)
    : cfg(std::move(config)),
      faults(cfg.faults),
      error_hits(faults.errors.size(), 0),
      delay_hits(faults.delays.size(), 0),
      rng(cfg.seed != 0 ? cfg.seed : std::random_device{}() ^ (std::uint64_t{std::random_device{}()} << 32)),
      nonces(cfg.nonce_limit, cfg.nonce_lifetime),
      ca(std::move(authority)) {}

}  // namespace detail

namespace {

struct Route {
  Endpoint endpoint = Endpoint::kOther;
  std::string id;
  std::string sub;  // chain index of a certificate, cursor of an orders page
};

bool all_digits(const std::string& s);

// The resources whose URLs the hostile_urls fault decorates.
bool decorated_kind(const std::string& path) {
  for (const char* p : {"/order/", "/authz/", "/chall/", "/finalize/", "/cert/"})
    if (path.rfind(p, 0) == 0) return true;
  return false;
}

// `decoration` is what hostile_urls appends to resource URLs: a path ending
// in it names the resource before it; the bare path works as well.
Route route(const std::string& path_and_query, const std::string& decoration) {
  const auto q = path_and_query.find('?');
  std::string path = path_and_query.substr(0, q);
  const std::string query = q == std::string::npos ? "" : path_and_query.substr(q + 1);
  if (!decoration.empty() && path.size() > decoration.size() &&
      path.compare(path.size() - decoration.size(), decoration.size(), decoration) == 0) {
    path.resize(path.size() - decoration.size());
    if (!decorated_kind(path)) return {};
  }
  static const std::pair<const char*, Endpoint> kFixed[] = {
      {"/dir", Endpoint::kDirectory},     {"/nonce", Endpoint::kNewNonce},    {"/new-account", Endpoint::kNewAccount},
      {"/key-change", Endpoint::kKeyChange}, {"/new-order", Endpoint::kNewOrder}, {"/revoke-cert", Endpoint::kRevokeCert}};
  for (const auto& [p, e] : kFixed)
    if (path == p && query.empty()) return {e, "", ""};
  static const std::pair<const char*, Endpoint> kPrefixed[] = {
      {"/acct/", Endpoint::kAccount},   {"/order/", Endpoint::kOrder},        {"/orders/", Endpoint::kOrdersList},
      {"/authz/", Endpoint::kAuthorization}, {"/chall/", Endpoint::kChallenge}, {"/finalize/", Endpoint::kFinalize},
      {"/cert/", Endpoint::kCertificate}};
  for (const auto& [p, e] : kPrefixed) {
    const std::string prefix = p;
    if (path.rfind(prefix, 0) != 0) continue;
    std::string rest = path.substr(prefix.size());
    std::string sub;
    if (e == Endpoint::kCertificate) {
      if (auto slash = rest.find('/'); slash != std::string::npos) {
        sub = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
        if (sub.empty() || sub.size() > 2 || !all_digits(sub)) return {};
      }
    }
    if (e == Endpoint::kOrdersList && !query.empty()) {
      if (query.rfind("cursor=", 0) != 0) return {};
      sub = query.substr(7);
      if (sub.empty() || sub.size() > 6 || !all_digits(sub)) return {};
    } else if (!query.empty()) {
      return {};
    }
    if (rest.empty() || rest.size() > 64 || rest.find('/') != std::string::npos) return {};
    return {e, rest, sub};
  }
  return {};
}

bool all_digits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool matches(const std::optional<Endpoint>& want, Endpoint got, const std::vector<int>& nth, int count) {
  if (want && *want != got) return false;
  return nth.empty() || std::find(nth.begin(), nth.end(), count) != nth.end();
}

std::string header_value(const Request& req, const char* name) {
  auto it = req.headers.find(name);
  return it == req.headers.end() ? "" : it->second.substr(0, 512);
}

}  // namespace

class MockCa::Impl {
 public:
  std::unique_ptr<Core> core;
  std::unique_ptr<detail::Validator> va;

  Response handle(const Request& req);

 private:
  Reply dispatch(const Request& req, const Route& r, const std::string& url, Observation& obs);
};

Reply MockCa::Impl::dispatch(const Request& req, const Route& r, const std::string& url, Observation& obs) {
  Core& c = *core;
  const bool lookup = r.endpoint == Endpoint::kDirectory || r.endpoint == Endpoint::kNewNonce;
  if (r.endpoint == Endpoint::kOther) {
    Reply rep = detail::problem_reply(Problem::malformed("no such resource: " + req.path.substr(0, 200)));
    rep.status = 404;
    return rep;
  }
  if (lookup && (req.method == "GET" || req.method == "HEAD")) {
    if (r.endpoint == Endpoint::kDirectory) return c.directory();
    Reply rep;
    rep.status = req.method == "HEAD" ? 200 : 204;
    return rep;
  }
  if (req.method != "POST") {
    Reply rep = detail::problem_reply(Problem::malformed(
        lookup ? "use GET, HEAD or POST" : "this resource is fetched with POST-as-GET; plain " + req.method.substr(0, 10) +
                                               " is not allowed (RFC 8555 §6.3)"));
    rep.status = 405;
    rep.headers.emplace_back("Allow", lookup ? "GET, HEAD, POST" : "POST");
    return rep;
  }
  auto auth = c.authenticate(req, url, r.endpoint, obs);
  if (auto* refused = std::get_if<Reply>(&auth)) return std::move(*refused);
  auto& a = std::get<detail::Authed>(auth);
  switch (r.endpoint) {
    case Endpoint::kDirectory:
      return c.directory();
    case Endpoint::kNewNonce: {
      Reply rep;
      rep.status = 200;
      return rep;
    }
    case Endpoint::kNewAccount: return c.new_account(a, url);
    case Endpoint::kAccount: return c.account(a, r.id);
    case Endpoint::kKeyChange: return c.key_change(a, url);
    case Endpoint::kNewOrder: return c.new_order(a);
    case Endpoint::kOrder: return c.order(a, r.id);
    case Endpoint::kOrdersList: return c.orders_list(a, r.id, r.sub.empty() ? 0 : std::stoul(r.sub));
    case Endpoint::kAuthorization: return c.authz(a, r.id);
    case Endpoint::kChallenge: return c.challenge(a, r.id);
    case Endpoint::kFinalize: return c.finalize(a, r.id, obs);
    case Endpoint::kCertificate: return c.certificate(a, r.id, r.sub.empty() ? 0 : std::stoi(r.sub));
    case Endpoint::kRevokeCert: return c.revoke(a);
    case Endpoint::kOther: break;
  }
  return detail::problem_reply(Problem::server_internal("unrouted request"));
}

Response MockCa::Impl::handle(const Request& req) {
  Core& c = *core;
  std::lock_guard lock(c.mu);
  const std::string url = c.url(req.path);
  const Route r = route(req.path, url_decoration(c.faults));
  Observation obs;
  obs.seq = ++c.observation_seq;
  obs.at = c.now();
  obs.method = req.method.substr(0, 16);
  obs.url = url.substr(0, 8192);  // hostile_urls makes URLs of several KiB
  obs.endpoint = r.endpoint;
  obs.content_type = header_value(req, "content-type");
  obs.user_agent = header_value(req, "user-agent");
  obs.accept = header_value(req, "accept");
  obs.body_size = req.body.size();
  std::optional<jose::FlattenedJws> jws;
  if (req.method == "POST" && req.body.size() <= 256 * 1024) {
    if (auto parsed = jose::parse_flattened(req.body)) {
      jws = std::move(*parsed);
      detail::observe_jws(*jws, obs);
    }
  }

  Reply rep;
  std::optional<ErrorFault> fault;
  for (std::size_t i = 0; i < c.faults.errors.size(); ++i) {
    const auto& f = c.faults.errors[i];
    if (f.endpoint && *f.endpoint != r.endpoint) continue;
    const int n = ++c.error_hits[i];
    if (!fault && matches(f.endpoint, r.endpoint, f.nth, n)) fault = f;
  }
  std::chrono::milliseconds delay{0};
  for (std::size_t i = 0; i < c.faults.delays.size(); ++i) {
    const auto& f = c.faults.delays[i];
    if (f.endpoint && *f.endpoint != r.endpoint) continue;
    const int n = ++c.delay_hits[i];
    if (matches(f.endpoint, r.endpoint, f.nth, n)) delay = std::max(delay, f.delay);
  }
  if (fault) {
    // A valid nonce on a refused request is spent all the same, as a real
    // server's would be: a client that retries with it meets a real badNonce.
    if (jws && jws->protected_header.is_object() && jws->protected_header.contains("nonce") &&
        jws->protected_header["nonce"].is_string())
      c.nonces.consume(jws->protected_header["nonce"].get<std::string>(), c.now());
    auto p = Problem::acme(fault->type, fault->detail.empty() ? "injected by the fault plan" : fault->detail);
    p.status = fault->status;
    rep = detail::problem_reply(p);
    rep.retry_after = fault->retry_after ? fault->retry_after : (fault->status == 429 ? c.faults.retry_after : std::nullopt);
    obs.fault_injected = true;
  } else {
    rep = dispatch(req, r, url, obs);
  }
  if (const auto& hb = c.faults.hostile_body; hb && (!hb->endpoint || *hb->endpoint == r.endpoint)) {
    rep.status = 200;  // the hostile_body fault: an answer no client should swallow whole
    rep.content_type = "application/json";
    rep.body = render_hostile_body(*hb);
    rep.problem_type.clear();
    obs.fault_injected = true;
  }

  // The challenge's own answer only, not one the fault plan replaced.
  if (r.endpoint == Endpoint::kChallenge && rep.status == 200 && !obs.fault_injected) obs.challenge_token = rep.token;
  Response out;
  out.status = rep.status;
  out.delay = delay;
  if (!rep.content_type.empty()) out.headers.emplace_back("Content-Type", rep.content_type);
  for (auto& h : rep.headers) out.headers.push_back(std::move(h));
  out.headers.emplace_back("Link", "<" + c.url("/dir") + ">;rel=\"index\"");
  if (rep.retry_after) out.headers.emplace_back("Retry-After", std::to_string(*rep.retry_after));
  const bool is_nonce = r.endpoint == Endpoint::kNewNonce;
  if (req.method == "POST" || rep.status >= 400 || is_nonce) {
    const auto& inv = c.faults.invalid_nonce;
    if (inv && (!inv->endpoint || *inv->endpoint == r.endpoint) &&
        matches(inv->endpoint, r.endpoint, inv->nth, ++c.invalid_nonce_hits)) {
      obs.replay_nonce = invalid_nonce_value(detail::random_b64(c.rng, 12));  // never in the store: badNonce if used
      obs.fault_injected = true;
    } else {
      obs.replay_nonce = c.nonces.issue(c.rng, c.now());
    }
    out.headers.emplace_back("Replay-Nonce", obs.replay_nonce);
  }
  if (is_nonce || rep.status >= 400) out.headers.emplace_back("Cache-Control", "no-store");
  if (req.method != "HEAD") out.body = std::move(rep.body);

  obs.status = rep.status;
  obs.problem_type = rep.problem_type;
  obs.resource_status = rep.resource_status;
  obs.retry_after = rep.retry_after;
  if (c.cfg.on_observation) c.cfg.on_observation(obs);
  c.observations.push_back(std::move(obs));
  while (c.observations.size() > c.cfg.observation_limit) c.observations.pop_front();
  return out;
}

MockCa::MockCa(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MockCa::~MockCa() {
  // Workers call back into the core; they must be gone before it is.
  if (impl_ && impl_->va) impl_->va->stop();
}

Result<std::unique_ptr<MockCa>> MockCa::create(MockCaConfig config) {
  if (config.base_url.empty()) config.base_url = "https://127.0.0.1:14000";
  while (!config.base_url.empty() && config.base_url.back() == '/') config.base_url.pop_back();
  if (config.faults.eab_required && config.eab_keys.empty())
    return make_error("eab_keys", "eab_required needs at least one EAB key");
  const auto now = config.clock ? config.clock() : std::chrono::system_clock::now();
  auto authority = detail::CertAuthority::create(config.key_algorithm, now);
  if (!authority) return authority.error();
  if (auto s = (*authority)->ensure_alternates(std::clamp(config.faults.alternate_chains, 0, 8)); !s) return s.error();
  auto impl = std::make_unique<Impl>();
  impl->va = std::make_unique<detail::Validator>(config.va);
  impl->core = std::make_unique<Core>(std::move(config), std::move(*authority));
  impl->core->va = impl->va.get();
  return std::unique_ptr<MockCa>(new MockCa(std::move(impl)));
}

Response MockCa::handle(const Request& request) {
  try {
    return impl_->handle(request);
  } catch (const std::exception& e) {
    // A handler bug must still leave the client with an ACME answer.
    Response r;
    r.status = 500;
    r.headers.emplace_back("Content-Type", "application/problem+json");
    r.body = Problem::server_internal(std::string("internal error: ") + e.what()).to_json().dump();
    return r;
  }
}

std::string MockCa::directory_url() const { return impl_->core->url("/dir"); }

std::vector<std::string> MockCa::root_pems() const { return impl_->core->ca->root_pems(); }

std::vector<Observation> MockCa::observations() const {
  std::lock_guard lock(impl_->core->mu);
  return {impl_->core->observations.begin(), impl_->core->observations.end()};
}

void MockCa::set_faults(FaultPlan plan) {
  Core& c = *impl_->core;
  (void)c.ca->ensure_alternates(std::clamp(plan.alternate_chains, 0, 8));
  std::lock_guard lock(c.mu);
  c.faults = std::move(plan);
  c.faults.alternate_chains = std::clamp(c.faults.alternate_chains, 0, 8);
  c.error_hits.assign(c.faults.errors.size(), 0);
  c.delay_hits.assign(c.faults.delays.size(), 0);
  c.invalid_nonce_hits = 0;
  for (auto& [id, acct] : c.accounts) acct.agreed_current_terms = !c.faults.terms_changed;
}

nlohmann::json MockCa::stats() const {
  const Core& c = *impl_->core;
  std::lock_guard lock(c.mu);
  return {{"accounts", c.accounts.size()}, {"orders", c.orders.size()},   {"authorizations", c.authzs.size()},
          {"certificates", c.certs.size()}, {"nonces", c.nonces.size()},  {"observations", c.observations.size()},
          {"retired", c.retired}};
}

}  // namespace acmespec::mockca
