// The harness's ACME client: one session against one server's directory.
// It keeps the nonce pool, signs requests (with any mutation a scenario asks
// for), retries badNonce where the request was not about nonces, and records
// every exchange in the transcript.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/mutations.hpp"
#include "client/request_signer.hpp"
#include "http/client.hpp"
#include "http/transcript.hpp"

namespace acmespec::client {

struct SessionOptions {
  std::string directory_url;
  http::ClientOptions http;
  // badNonce answers to requests that did not tamper with the nonce are
  // retried this many times with the nonce the error carried (§6.5).
  int bad_nonce_retries = 5;
};

// One signed POST as the scenario sees it: the final exchange, plus every
// exchange it took (nonce fetches, badNonce retries).
struct Posted {
  http::Exchange exchange;              // the last attempt
  std::vector<std::string> exchange_ids;
  nlohmann::json protected_header;      // of the last attempt
  std::string nonce;                    // the nonce the last attempt carried
  int bad_nonce_retries = 0;
  // Set when the harness could not build the request at all (nothing was sent).
  std::string harness_error;
};

class Session {
 public:
  Session(SessionOptions options, http::Transcript& transcript);

  // GET of the directory, kept for URL lookups.  Fails when the answer is not
  // a JSON object.
  http::Exchange fetch_directory();
  const nlohmann::json& directory() const { return directory_; }
  // A directory member's URL ("newNonce", "newAccount", ...); empty if absent.
  std::string endpoint(const std::string& name) const;

  http::Exchange get(const std::string& url, http::Headers headers = {});
  http::Exchange head(const std::string& url);
  // newNonce by HEAD (default) or GET; a returned Replay-Nonce joins the pool.
  http::Exchange new_nonce(const std::string& method = "HEAD");

  // Signed POST; payload absent = POST-as-GET.  Harvests Replay-Nonce from
  // every answer.
  Posted post(const std::string& url, const std::optional<nlohmann::json>& payload, const Signer& signer,
              const Mutations& mutations = {}, http::Headers extra_headers = {});

  // Nonces seen in answers and not yet spent, oldest first.
  std::size_t pooled_nonces() const { return pool_.size(); }
  http::Client& http() { return http_; }
  const SessionOptions& options() const { return options_; }

 private:
  // A fresh nonce from the pool or from newNonce; empty (with the exchange
  // id recorded in `ids`) when the server gave none.
  std::string take_nonce(std::vector<std::string>& ids);
  void harvest(const http::Exchange& exchange);

  SessionOptions options_;
  http::Client http_;
  nlohmann::json directory_ = nlohmann::json::object();
  std::deque<std::string> pool_;
  std::string last_spent_;  // for the replay mutation
};

// Whether an answer is an ACME problem document of the given type (the
// short name, e.g. "badNonce").
bool is_problem(const http::Exchange& exchange, const std::string& type);

}  // namespace acmespec::client
