// JSON form of an observation, for run records and `acmespec mock-ca` logs.
#include "mock-ca/observation.hpp"

#include "acme/timestamp.hpp"

namespace acmespec::mockca {

nlohmann::json to_json(const Observation& o) {
  using namespace std::chrono;
  nlohmann::json j = {
      {"seq", o.seq},
      {"at", acme::Timestamp{time_point_cast<nanoseconds>(o.at)}.to_string()},
      {"method", o.method},
      {"url", o.url},
      {"endpoint", std::string(endpoint_name(o.endpoint))},
      {"content_type", o.content_type},
      {"user_agent", o.user_agent},
      {"accept", o.accept},
      {"body_size", o.body_size},
      {"nonce", o.nonce},
      {"jws_url", o.jws_url},
      {"alg", o.alg},
      {"has_jwk", o.has_jwk},
      {"has_kid", o.has_kid},
      {"account", o.account},
      {"payload_empty", o.payload_empty},
      {"status", o.status},
      {"problem_type", o.problem_type},
      {"resource_status", o.resource_status},
      {"replay_nonce", o.replay_nonce},
      {"fault_injected", o.fault_injected},
  };
  if (o.protected_header) j["protected"] = *o.protected_header;
  if (o.payload) j["payload"] = *o.payload;
  if (!o.csr_names.empty()) j["csr_names"] = o.csr_names;
  if (o.csr_key_is_account_key) j["csr_key_is_account_key"] = *o.csr_key_is_account_key;
  if (o.retry_after) j["retry_after"] = *o.retry_after;
  if (!o.challenge_token.empty()) j["challenge_token"] = o.challenge_token;
  return j;
}

}  // namespace acmespec::mockca
