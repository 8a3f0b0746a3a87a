// What one scenario step did, as the server-conformance checks see it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/mutations.hpp"
#include "engine/runner.hpp"
#include "http/message.hpp"

namespace acmespec::server {

struct Observation {
  std::string op;
  client::Mutations mutations;
  nlohmann::json args;
  // Every exchange of the step in order (nonce fetches, retries, polls).
  std::vector<http::Exchange> exchanges;
  // The exchange the operation is about: the signed request (or the GET)
  // whose answer the checks judge.  Null when nothing was sent.
  std::optional<http::Exchange> main;
  nlohmann::json body;   // the main answer's JSON body, or null
  // Operation-specific facts: "identifiers" ordered, "csr" variant,
  // "chain" PEM, "resource" kind, "previous" resource state, ...
  nlohmann::json facts = nlohmann::json::object();

  int status() const { return main && main->response ? main->response->status : 0; }
  std::optional<std::string> header(const std::string& name) const {
    return main && main->response ? main->response->get(name) : std::nullopt;
  }
  // The ids of the exchanges to cite as evidence.
  std::vector<std::string> evidence() const;
};

// The short ACME error type of a problem body ("badNonce"), or empty.
std::string problem_type(const nlohmann::json& body);

}  // namespace acmespec::server
