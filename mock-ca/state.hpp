// The mock CA's internal state and request-handling core, shared by the
// handler files (wfe_*.cpp).  Not an interface for other components: they use
// mock_ca.hpp.  One mutex guards everything here; handlers run under it and
// never block on the network (validation runs on the VA's workers).
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "acme/identifier.hpp"
#include "acme/problem.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "mock-ca/ca.hpp"
#include "mock-ca/mock_ca.hpp"
#include "mock-ca/nonces.hpp"
#include "mock-ca/va.hpp"

namespace acmespec::mockca::detail {

using TimePoint = std::chrono::system_clock::time_point;

struct Account {
  std::string id, url;
  jose::Jwk key;
  std::string status = "valid";
  nlohmann::json contact = nlohmann::json::array();
  bool tos_agreed = false;
  // Cleared for every account while the terms_changed fault is on, until the
  // account agrees again through an update.
  bool agreed_current_terms = true;
  std::optional<nlohmann::json> eab{};  // the binding as received (no secret in it)
  std::vector<std::string> orders{};  // ids, oldest first
};

struct Challenge {
  std::string id, type, token;
  std::string status = "pending";
  std::optional<acme::Problem> error{};
  std::optional<TimePoint> validated{};
};

struct Authz {
  std::string id, account_id;
  acme::Identifier identifier;  // without the "*." of a wildcard order
  bool wildcard = false;
  std::string status = "pending";
  TimePoint expires;
  std::vector<Challenge> challenges;
  bool validating = false;
  int hold_polls = 0;  // authz_pending_polls still to be answered "pending"
  // A finished validation waiting for hold_polls to run out: which challenge, and its problem if it failed.
  std::optional<std::pair<std::string, std::optional<acme::Problem>>> held;
  std::vector<std::string> orders;
};

struct Order {
  std::string id, account_id;
  std::string status = "pending";
  TimePoint expires;
  std::vector<acme::Identifier> identifiers;
  std::optional<std::string> not_before, not_after;
  std::vector<std::string> authz_ids;
  std::optional<acme::Problem> error;
  std::string cert_id;
  int processing_polls = 0;  // order_processing_polls still to be answered "processing"
};

struct Certificate {
  std::string id, account_id, der, serial;
  std::vector<acme::Identifier> identifiers{};
  bool revoked = false;
  int reason = 0;
};

// What a handler answers; the router adds the headers every answer carries.
struct Reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type;
  std::string problem_type;     // short ACME error name when the answer is a problem
  std::string resource_status;  // "status" of a returned resource
  std::string token;            // "token" of a returned challenge (256 bytes at most)
  std::optional<int> retry_after;
};
Reply json_reply(int status, const nlohmann::json& body);
Reply problem_reply(const acme::Problem& problem);
// The problem type's short name ("badNonce"), or the full type when not an ACME error.
std::string short_type(const acme::Problem& problem);

// An authenticated POST (RFC 8555 §6.2-§6.5 already enforced).
struct Authed {
  jose::FlattenedJws jws;
  std::optional<jose::Jwk> jwk;  // when the header carried "jwk"
  Account* account = nullptr;    // when "kid" named a valid account
  bool post_as_get = false;
  nlohmann::json payload;        // the parsed payload object, null for POST-as-GET
};

class Core {
 public:
  Core(MockCaConfig config, std::unique_ptr<CertAuthority> ca);

  MockCaConfig cfg;
  FaultPlan faults;
  std::vector<int> error_hits, delay_hits;  // per fault rule: matching requests so far
  int invalid_nonce_hits = 0;               // answers with a nonce that the invalid_nonce fault matched
  mutable std::mutex mu;
  std::mt19937_64 rng;
  NonceStore nonces;
  std::unique_ptr<CertAuthority> ca;
  Validator* va = nullptr;  // set by MockCa; outlives no request

  std::unordered_map<std::string, Account> accounts;
  std::unordered_map<std::string, std::string> account_by_thumbprint;
  std::unordered_map<std::string, Order> orders;
  std::unordered_map<std::string, Authz> authzs;
  std::unordered_map<std::string, std::string> authz_by_challenge;
  std::unordered_map<std::string, Certificate> certs;
  std::unordered_map<std::string, std::string> cert_by_der;
  std::deque<Observation> observations;
  std::uint64_t observation_seq = 0;
  // Accounts and orders in creation order, for retiring the oldest state
  // first (retention.cpp).
  struct Created {
    bool is_order = false;
    std::string id;
  };
  std::deque<Created> created;
  std::uint64_t retired = 0;  // orders and accounts retired so far

  TimePoint now() const { return cfg.clock ? cfg.clock() : std::chrono::system_clock::now(); }
  std::string url(const std::string& path) const { return cfg.base_url + path; }
  // The URL handed out for an order, authorization, challenge, finalize or
  // certificate: with the hostile_urls decoration when the fault is on.
  std::string resource_url(const std::string& path) const { return cfg.base_url + path + url_decoration(faults); }
  std::string new_id() { return random_b64(rng, 9); }
  // Accounts + orders + authorizations held; make_room() retires the oldest
  // orders and idle accounts (never `keep`, the account making the request)
  // until `needed` more fit under state_limit, and says whether they do
  // (retention.cpp).
  std::size_t state_size() const;
  bool make_room(std::size_t needed, const std::string& keep = {});
  void retire_order(const std::string& order_id);
  std::string current_terms() const;
  std::string url_for_account_prefix() const { return cfg.base_url + "/acct/"; }

  // Request authentication (jws_auth.cpp).  Either an Authed or the refusal.
  std::variant<Authed, Reply> authenticate(const Request& req, const std::string& url, Endpoint ep,
                                           Observation& obs);

  Reply directory();
  Reply new_account(Authed& a, const std::string& url);
  Reply account(Authed& a, const std::string& id);
  Reply key_change(Authed& a, const std::string& url);
  Reply new_order(Authed& a);
  Reply order(Authed& a, const std::string& id);
  Reply orders_list(Authed& a, const std::string& id, std::size_t page);
  Reply authz(Authed& a, const std::string& id);
  Reply challenge(Authed& a, const std::string& id);
  Reply finalize(Authed& a, const std::string& id, Observation& obs);
  Reply certificate(Authed& a, const std::string& id, int chain);
  Reply revoke(Authed& a);

  // State upkeep.
  void refresh_authz(Authz& z);
  void refresh_order(Order& o);
  void on_validated(const std::string& authz_id, const std::string& challenge_id, std::optional<acme::Problem> error);
  void apply_validation(Authz& z, const std::string& challenge_id, std::optional<acme::Problem> error);
  nlohmann::json account_json(const Account& acct) const;
  nlohmann::json order_json(const Order& o) const;
  // Where a decoy fault ("http", "other-host") points: MockCaConfig::decoy_base
  // when set, else a plain-HTTP form of the CA's URL or https://127.0.0.2;
  // the CA's own base URL for "".
  std::string decoy_base(const std::string& kind) const;
  nlohmann::json authz_json(const Authz& z) const;
  nlohmann::json challenge_json(const Challenge& c) const;
  Reply order_reply(int status, Order& o);
  Status issue_for(Order& o, EVP_PKEY* key);
};

// An RFC 3339 timestamp of a state time, whole seconds (retention.cpp).
std::string stamp(TimePoint t);

// Fills the JWS facts of an observation (header, payload, nonce, url, alg, key reference).
void observe_jws(const jose::FlattenedJws& jws, Observation& obs);
// RFC 8555 §7.3: mailto: only, one plausible address each.
std::optional<acme::Problem> check_contacts(const nlohmann::json& contact);
// RFC 3492 decoding of an xn-- label's Punycode; false when it is not valid.
bool valid_punycode_label(std::string_view label);

}  // namespace acmespec::mockca::detail
