// The vocabulary of operations a server scenario step can name.  Each op
// performs one RFC 8555 exchange (or a short flow such as polling), fills
// the step's Observation, and returns what `save` can read.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "http/message.hpp"
#include "server/observation.hpp"

namespace acmespec::server {

class ServerExecutor;

struct OpResult {
  nlohmann::json result = nlohmann::json::object();
  std::optional<std::string> failure;        // the target did not do what the op needs
  std::optional<std::string> harness_error;  // the harness could not perform the op
};

// The result of an op the harness could not perform.
inline OpResult op_harness_error(std::string why) { return OpResult{{}, std::nullopt, std::move(why)}; }

struct OpDef {
  std::string name;
  std::string summary;
  // Argument members the op understands (anything else is refused at load).
  std::vector<std::string> args;
  bool signed_request = true;  // whether mutations apply
  std::function<OpResult(ServerExecutor&, const nlohmann::json& args, Observation&)> run;
};

const std::vector<OpDef>& all_ops();
const OpDef* find_op(const std::string& name);

std::vector<OpDef> ops_basic();       // directory, nonces, get, post-as-get
std::vector<OpDef> ops_accounts();    // new-account, account update, key change, deactivation
std::vector<OpDef> ops_orders();      // new-order, new-authz, authorizations, finalize, certificate, revoke
std::vector<OpDef> ops_challenges();  // authorize (answer challenges, with responder faults), poll

// Helpers shared by the op files.
namespace op {
// {"status", "headers" (lower-cased names, first value), "location", "body", "links"}.
nlohmann::json result_of(const Observation& o);
// Makes `ex` the main exchange and parses its JSON body.
void capture(Observation& o, const http::Exchange& ex);
// Records a signed POST into `o` as the main exchange.
void signed_post(ServerExecutor& ex, Observation& o, const std::string& url, const std::optional<nlohmann::json>& payload,
                 const std::string& key_name, bool use_kid);
// Standard ending: failure unless the answer has one of `ok_statuses`
// (a step that mutates on purpose never fails: rejection is its point).
OpResult finish(const Observation& o, std::vector<int> ok_statuses, const std::string& what);
std::string arg_string(const nlohmann::json& args, const char* name, const std::string& fallback = "");
// A string member of a server-supplied object, or "" (a hostile answer with
// the wrong types must not throw out of an op).
std::string text(const nlohmann::json& obj, const char* name);
// A member of `obj`, or `fallback` when `obj` is no object or lacks it.
nlohmann::json member_or(const nlohmann::json& obj, const char* name, nlohmann::json fallback);
// One POST-as-GET recorded as a side exchange (not the main one): the parsed
// body of a 200 answer, else null.
nlohmann::json fetch(ServerExecutor& ex, const std::string& url, const std::string& key_name);
}  // namespace op

}  // namespace acmespec::server
