// The §6 and §7.1/§7.2 checks judged on hand-made observations, without a
// server: each passes on a conforming answer and fails on a deviating one.
#include <catch2/catch.hpp>

#include <set>

#include "jose/base64url.hpp"
#include "server/check.hpp"
#include "fixture.hpp"

using namespace acmespec;
using engine::Judgement;
using nlohmann::json;
using server::Observation;

namespace {

http::Exchange exchange(const std::string& id, const std::string& method, int status, const std::string& body,
                        http::Headers headers = {}) {
  http::Exchange ex;
  ex.id = id;
  ex.request.method = method;
  ex.request.url = "https://ca.example/acme/thing";
  http::Response response;
  response.status = status;
  response.headers = std::move(headers);
  response.body = body;
  ex.response = response;
  return ex;
}

// An observation whose main (and only) exchange answered `status` with `body`.
Observation answer(int status, const json& body = nullptr, http::Headers headers = {}, const std::string& method = "POST") {
  http::Exchange ex = exchange("x0001", method, status, body.is_null() ? "" : body.dump(), std::move(headers));
  Observation o;
  o.main = ex;
  o.exchanges = {ex};
  o.body = body;
  return o;
}

using server_test::problem;
http::Headers problem_headers() { return {{"Content-Type", "application/problem+json"}, {"Replay-Nonce", "bm9uY2U"}}; }

Judgement::Kind judge(const std::string& id, const Observation& o) {
  static const auto checks = [] {
    auto v = server::checks_transport();
    auto r = server::checks_resources();
    v.insert(v.end(), r.begin(), r.end());
    return v;
  }();
  return server_test::judge_in(checks, id, o);
}

}  // namespace

TEST_CASE("transport and resource checks are registered once each", "[transport]") {
  std::set<std::string> ids;
  for (const auto& list : {server::checks_transport(), server::checks_resources()})
    for (const auto& c : list) {
      INFO(c.id);
      CHECK(ids.insert(c.id).second);
      CHECK(server::find_check(c.id) != nullptr);
    }
}

TEST_CASE("rejection checks need a 4xx with the right type", "[transport]") {
  const std::string padded = "RFC8555-6.1-padded-base64url-rejected";
  CHECK(judge(padded, answer(400, problem("malformed"), problem_headers())) == Judgement::held);
  CHECK(judge(padded, answer(201, json::object())) == Judgement::violated);
  CHECK(judge(padded, answer(400, problem("badNonce"), problem_headers())) == Judgement::violated);

  // Any refusal will do for the serialization check; acceptance fails.
  const std::string flattened = "RFC8555-6.2-jws-flattened-single-signature";
  CHECK(judge(flattened, answer(400, problem("malformed"))) == Judgement::held);
  CHECK(judge(flattened, answer(201, json::object())) == Judgement::violated);

  const std::string weak = "RFC8555-6.2-bad-public-key-error";
  CHECK(judge(weak, answer(400, problem("badPublicKey"))) == Judgement::held);
  CHECK(judge(weak, answer(400, problem("malformed"))) == Judgement::violated);
  CHECK(judge("RFC7518-3.3-rsa-key-at-least-2048", answer(201, json::object())) == Judgement::violated);

  // No answer at all is a failure of the server, not a pass.
  Observation lost = answer(400);
  lost.main->response.reset();
  lost.main->error = "connection reset";
  CHECK(judge(padded, lost) == Judgement::violated);
}

TEST_CASE("badSignatureAlgorithm must list the supported algorithms", "[transport]") {
  const std::string id = "RFC8555-6.2-bad-signature-algorithm-error";
  json with = problem("badSignatureAlgorithm");
  with["algorithms"] = {"ES256", "RS256"};
  CHECK(judge(id, answer(400, with)) == Judgement::held);
  CHECK(judge(id, answer(400, problem("badSignatureAlgorithm"))) == Judgement::violated);
  json bad = with;
  bad["algorithms"] = {"ES256", 7};
  CHECK(judge(id, answer(400, bad)) == Judgement::violated);
  CHECK(judge(id, answer(400, problem("malformed"))) == Judgement::violated);
}

TEST_CASE("plain GET of a protected resource needs 405 malformed", "[transport]") {
  const std::string id = "RFC8555-6.3-get-on-protected-resource-405";
  CHECK(judge(id, answer(405, problem("malformed"), {}, "GET")) == Judgement::held);
  CHECK(judge(id, answer(405, problem("unauthorized"), {}, "GET")) == Judgement::violated);
  CHECK(judge(id, answer(200, json::object(), {}, "GET")) == Judgement::violated);
  CHECK(judge(id, answer(404, problem("malformed"), {}, "GET")) == Judgement::violated);
}

TEST_CASE("another account's POST-as-GET must be refused", "[transport]") {
  const std::string id = "RFC8555-6.3-post-as-get-enforces-access";
  CHECK(judge(id, answer(403, problem("unauthorized"))) == Judgement::held);
  CHECK(judge(id, answer(200, json{{"status", "pending"}})) == Judgement::violated);
}

TEST_CASE("the nonce a badNonce error offers must work on the retry", "[transport]") {
  const std::string id = "RFC8555-6.5-bad-nonce-supplies-usable-nonce";
  Observation o = answer(400, problem("badNonce"), problem_headers());
  o.facts["nonce_retry"] = {{"nonce", "bm9uY2U"}, {"exchange", "x0002"}, {"status", 200}, {"type", ""}};
  CHECK(judge(id, o) == Judgement::held);
  o.facts["nonce_retry"]["status"] = 400;
  o.facts["nonce_retry"]["type"] = "badNonce";
  CHECK(judge(id, o) == Judgement::violated);
  Observation bare = answer(400, problem("badNonce"), {{"Content-Type", "application/problem+json"}});
  CHECK(judge(id, bare) == Judgement::violated);
  CHECK(judge(id, answer(400, problem("malformed"))) == Judgement::not_applicable);
}

TEST_CASE("nonces must be unique and not count", "[transport]") {
  const std::string id = "RFC8555-6.5.1-nonces-unique";
  auto with_nonces = [](const std::vector<std::string>& nonces) {
    Observation o;
    int n = 0;
    for (const auto& nonce : nonces)
      o.exchanges.push_back(exchange("x" + std::to_string(++n), "HEAD", 200, "", {{"Replay-Nonce", nonce}}));
    o.main = o.exchanges.back();
    return o;
  };
  const std::vector<std::string> random = {"Xk3c9_QpL2a8vB1nM0zR7w", "a9Jd0-LqPz3XcV7bN2mK4g", "Q1w2E3r4T5y6U7i8O9p0Aw",
                                           "zZyYxXwWvVuUtTsSrRqQpA", "m8N7b6V5c4X3z2L1k0J9hg"};
  CHECK(judge(id, with_nonces(random)) == Judgement::held);
  std::vector<std::string> repeated = random;
  repeated.push_back(random[2]);
  CHECK(judge(id, with_nonces(repeated)) == Judgement::violated);
  // Sixteen random-looking leading bytes and a big-endian counter at the end.
  std::vector<std::string> counter;
  for (int i = 0; i < 6; ++i) {
    std::string bytes = "\x91\x22\xf3\x04\x55\xa6\x17\x08\x99\x1a\xbb\x0c\x3d\x4e\x5f\x60";
    bytes += std::string(7, '\0') + static_cast<char>(10 + i);
    counter.push_back(jose::base64url_encode(bytes));
  }
  CHECK(judge(id, with_nonces(counter)) == Judgement::violated);
  CHECK(judge(id, with_nonces({random[0]})) == Judgement::not_applicable);
}

TEST_CASE("rate-limited answers use rateLimited and Retry-After", "[transport]") {
  Observation o;
  o.exchanges.push_back(exchange("x0001", "POST", 201, "{}"));
  o.exchanges.push_back(exchange("x0002", "POST", 429, problem("rateLimited").dump(), {{"Retry-After", "120"}}));
  o.main = o.exchanges.back();
  o.body = problem("rateLimited");
  CHECK(judge("RFC8555-6.6-rate-limited-error-type", o) == Judgement::held);
  CHECK(judge("RFC8555-6.6-rate-limited-retry-after", o) == Judgement::held);

  o.exchanges[1] = exchange("x0002", "POST", 429, problem("malformed").dump(), {{"Retry-After", "soon"}});
  CHECK(judge("RFC8555-6.6-rate-limited-error-type", o) == Judgement::violated);
  o.exchanges[1] = exchange("x0002", "POST", 429, problem("rateLimited").dump(), {{"Retry-After", "soon"}});
  CHECK(judge("RFC8555-6.6-rate-limited-retry-after", o) == Judgement::violated);
  o.exchanges[1] = exchange("x0002", "POST", 429, problem("rateLimited").dump());
  CHECK(judge("RFC8555-6.6-rate-limited-retry-after", o) == Judgement::violated);

  o.exchanges.pop_back();
  CHECK(judge("RFC8555-6.6-rate-limited-error-type", o) == Judgement::not_applicable);
}

TEST_CASE("identifiers belong in subproblems only", "[transport]") {
  const std::string id = "RFC8555-6.7.1-identifier-only-in-subproblems";
  json p = problem("compound");
  p["subproblems"] = {{{"type", "urn:ietf:params:acme:error:rejectedIdentifier"},
                       {"identifier", {{"type", "dns"}, {"value", "a.example"}}}}};
  CHECK(judge(id, answer(400, p)) == Judgement::held);
  json top = p;
  top["identifier"] = {{"type", "dns"}, {"value", "a.example"}};
  CHECK(judge(id, answer(400, top)) == Judgement::violated);
  json bad = p;
  bad["subproblems"][0]["identifier"] = "a.example";
  CHECK(judge(id, answer(400, bad)) == Judgement::violated);
}

TEST_CASE("newNonce answers: status, body, nonce, no-store", "[resources]") {
  const http::Headers good = {{"Replay-Nonce", "bm9uY2U"}, {"Cache-Control", "no-store"}};
  CHECK(judge("RFC8555-7.2-get-new-nonce-204", answer(204, nullptr, good, "GET")) == Judgement::held);
  CHECK(judge("RFC8555-7.2-get-new-nonce-204", answer(200, nullptr, good, "GET")) == Judgement::violated);
  CHECK(judge("RFC8555-7.2-get-new-nonce-204", answer(204, nullptr, {{"Cache-Control", "no-store"}}, "GET")) ==
        Judgement::violated);
  CHECK(judge("RFC8555-7.2-new-nonce-no-store", answer(200, nullptr, good, "HEAD")) == Judgement::held);
  CHECK(judge("RFC8555-7.2-new-nonce-no-store",
              answer(200, nullptr, {{"Replay-Nonce", "bm9uY2U"}, {"Cache-Control", "public, max-age=0, no-cache"}}, "HEAD")) ==
        Judgement::violated);
}

TEST_CASE("an order's arrays never change", "[resources]") {
  const std::string id = "RFC8555-7.1.3-order-arrays-immutable";
  const json before = {{"identifiers", {{{"type", "dns"}, {"value", "a.example"}}, {{"type", "dns"}, {"value", "b.example"}}}},
                       {"authorizations", {"https://ca.example/authz/1", "https://ca.example/authz/2"}}};
  json after = before;
  after["status"] = "ready";
  std::swap(after["authorizations"][0], after["authorizations"][1]);  // order is not fixed
  Observation o = answer(200, after);
  o.facts["previous"] = before;
  CHECK(judge(id, o) == Judgement::held);
  after["authorizations"][1] = "https://ca.example/authz/3";
  o = answer(200, after);
  o.facts["previous"] = before;
  CHECK(judge(id, o) == Judgement::violated);
  CHECK(judge(id, answer(200, after)) == Judgement::not_applicable);
}

TEST_CASE("invalid Punycode must be refused; an order must go invalid", "[resources]") {
  CHECK(judge("RFC8555-7.1.4-idn-ace-labels-checked", answer(400, problem("rejectedIdentifier"))) == Judgement::held);
  CHECK(judge("RFC8555-7.1.4-idn-ace-labels-checked", answer(201, json{{"status", "pending"}})) == Judgement::violated);
  CHECK(judge("RFC8555-7.1.6-order-invalid-on-authz-failure", answer(200, json{{"status", "invalid"}})) == Judgement::held);
  CHECK(judge("RFC8555-7.1.6-order-invalid-on-authz-failure", answer(200, json{{"status", "deactivated"}})) ==
        Judgement::violated);
}

TEST_CASE("newAuthz: unlisted passes, listed but absent fails", "[resources]") {
  const std::string id = "RFC8555-7.1.1-new-authz-listed-only-if-supported";
  Observation dir = answer(200, json{{"newNonce", "https://ca.example/nonce"}}, {}, "GET");
  dir.op = "directory";
  CHECK(judge(id, dir) == Judgement::held);
  Observation listed = answer(200, json{{"newAuthz", "https://ca.example/new-authz"}}, {}, "GET");
  listed.op = "directory";
  CHECK(judge(id, listed) == Judgement::not_applicable);
  Observation post = answer(404, problem("malformed"));
  post.op = "new-authz";
  CHECK(judge(id, post) == Judgement::violated);
  post = answer(201, json{{"status", "pending"}});
  post.op = "new-authz";
  CHECK(judge(id, post) == Judgement::held);
}

TEST_CASE("ES256 acceptance and the thumbprint of required members", "[transport]") {
  Observation o = answer(201, json{{"status", "valid"}});
  o.facts["protected"] = {{"alg", "ES256"}};
  CHECK(judge("RFC8555-6.2-es256-supported", o) == Judgement::held);
  Observation refused = answer(400, problem("badSignatureAlgorithm"));
  refused.facts["protected"] = {{"alg", "ES256"}};
  CHECK(judge("RFC8555-6.2-es256-supported", refused) == Judgement::violated);

  const std::string id = "RFC7638-3.2-thumbprint-required-members-only";
  Observation authz;
  authz.facts["authorizations"] = {{{"url", "https://ca.example/authz/1"}, {"after", {{"status", "valid"}}}}};
  CHECK(judge(id, authz) == Judgement::held);
  authz.facts["authorizations"][0]["after"] = {
      {"status", "invalid"},
      {"challenges", {{{"type", "http-01"}, {"error", {{"detail", "key authorization mismatch"}}}}}}};
  CHECK(judge(id, authz) == Judgement::violated);
}
