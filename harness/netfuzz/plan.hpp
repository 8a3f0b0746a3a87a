// One request of the network fuzzer before it is signed and sent, and the
// mutations applied to it.
//
// A plan starts as a valid ACME request (newAccount, newOrder, POST-as-GET of
// the order or the account, finalize of a pending order) and mutation
// operators rewrite its protected header, payload, signature, nonce, key
// reference and HTTP fields.  Each operator records what it did, and marks
// the plan when the RFC requires the server to refuse it, so the oracles can
// tell an accepted attack from an accepted harmless change.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace acmespec::netfuzz {

using Rng = std::mt19937_64;

// The random stream of one iteration: a pure function of (seed, iteration),
// so a finding names the two numbers that reproduce it.
Rng iteration_rng(std::uint64_t seed, std::uint64_t iteration);

enum class BaseOp { new_account, new_order, get_order, get_account, finalize_pending };
const char* base_op_name(BaseOp op);

// URLs the base requests need, found during setup.
struct Targets {
  std::string new_account;
  std::string new_order;
  std::string account;        // account A
  std::string other_account;  // account B (for the foreign-kid oracle)
  std::string order;          // a pending order of A
  std::string finalize;       // its finalize URL
  std::string csr_b64;        // a valid CSR for the order's name
  std::string new_identifier; // a fresh DNS name for newOrder
  nlohmann::json signer_jwk;  // account A's public key, the jwk of newAccount
};

struct Plan {
  BaseOp op = BaseOp::get_account;
  std::string method = "POST";
  std::string url;
  nlohmann::json header = nlohmann::json::object();  // without "nonce": added at send time
  bool omit_nonce = false;
  std::optional<std::string> fixed_nonce;             // a nonce value chosen by a mutation
  std::optional<nlohmann::json> payload;              // nullopt: POST-as-GET (empty payload)
  std::optional<std::string> raw_payload;             // non-JSON payload bytes, wins over payload
  std::optional<std::string> raw_header;              // protected header text, wins over header
  std::string content_type = "application/jose+json";
  bool corrupt_signature = false;
  bool replay_nonce = false;  // send a nonce the server already consumed
  bool foreign_kid = false;   // kid of account B, signed by account A's key
  bool sign_with_jwk = false; // the key is named by "jwk", not "kid" (newAccount)
  // Set by operators whose result the RFC requires the server to refuse
  // (alg none or a MAC, no nonce, no url, jwk and kid together, ...).
  std::string must_refuse;
  std::vector<std::string> mutations;  // what was done, in order, for the report
};

// The valid request an iteration starts from.
Plan base_plan(BaseOp op, const Targets& targets);

// Applies one to three mutation operators chosen by `rng`; returns their names.
void mutate(Plan& plan, const Targets& targets, Rng& rng);

}  // namespace acmespec::netfuzz
