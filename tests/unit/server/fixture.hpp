// Shared helpers for the server-check unit tests: hand-made observations
// and a lookup that runs one check and insists it explains itself.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "server/check.hpp"

namespace server_test {

using acmespec::engine::Judgement;
using acmespec::server::Observation;
using nlohmann::json;

// An ACME problem document of `type` (without the urn prefix).
inline json problem(const std::string& type, const std::string& detail = "why") {
  return {{"type", "urn:ietf:params:acme:error:" + type}, {"detail", detail}};
}

// An observation whose main (and only) exchange answered `status` with `body`.
inline Observation answer(int status, const json& body = nullptr, acmespec::http::Headers headers = {},
                          const std::string& url = "https://ca.example/acme/x") {
  acmespec::http::Exchange ex;
  ex.id = "x0001";
  ex.request.method = "POST";
  ex.request.url = url;
  acmespec::http::Response response;
  response.status = status;
  response.headers = std::move(headers);
  if (!body.is_null()) response.body = body.dump();
  ex.response = response;
  Observation o;
  o.main = ex;
  o.exchanges = {ex};
  o.body = body;
  return o;
}

// Runs check `id` from `checks` on `o`; every judgement must carry a message.
inline Judgement::Kind judge_in(const std::vector<acmespec::server::CheckDef>& checks, const std::string& id,
                                const Observation& o) {
  for (const auto& c : checks)
    if (c.id == id) {
      Judgement j = c.judge(o);
      INFO(id << ": " << j.message);
      CHECK_FALSE(j.message.empty());
      return j.kind;
    }
  FAIL("no check " << id);
  return Judgement::broken;
}

}  // namespace server_test
