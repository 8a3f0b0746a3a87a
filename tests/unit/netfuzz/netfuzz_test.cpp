// The network fuzzer's pure parts: deterministic plans and the oracles.
#include <catch2/catch.hpp>

#include "netfuzz/netfuzz.hpp"
#include "netfuzz/oracle.hpp"
#include "netfuzz/plan.hpp"

using namespace acmespec;
using namespace acmespec::netfuzz;

namespace {

Targets targets() {
  Targets t;
  t.new_account = "https://ca.test/new-acct";
  t.new_order = "https://ca.test/new-order";
  t.account = "https://ca.test/acct/1";
  t.other_account = "https://ca.test/acct/2";
  t.order = "https://ca.test/order/1";
  t.finalize = "https://ca.test/order/1/finalize";
  t.csr_b64 = "MIIB";
  t.new_identifier = "x.test";
  t.signer_jwk = {{"kty", "EC"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "AA"}};
  return t;
}

Plan plan_of(std::uint64_t seed, std::uint64_t i) {
  Rng rng = iteration_rng(seed, i);
  Plan p = base_plan(static_cast<BaseOp>(rng() % 5), targets());
  mutate(p, targets(), rng);
  return p;
}

http::Response response(int status, const std::string& type, const std::string& body) {
  http::Response r;
  r.status = status;
  r.headers = {{"Content-Type", type}};
  r.body = body;
  return r;
}

}  // namespace

TEST_CASE("a seed and an iteration fix the plan", "[netfuzz]") {
  for (std::uint64_t i = 0; i < 200; ++i) {
    const Plan a = plan_of(42, i), b = plan_of(42, i);
    CHECK(a.mutations == b.mutations);
    CHECK(a.header == b.header);
    CHECK(a.url == b.url);
    CHECK(!a.mutations.empty());
  }
  std::size_t differ = 0;
  for (std::uint64_t i = 0; i < 50; ++i) differ += plan_of(1, i).mutations != plan_of(2, i).mutations;
  CHECK(differ > 25);
}

TEST_CASE("base plans are valid ACME requests", "[netfuzz]") {
  const Plan order = base_plan(BaseOp::new_order, targets());
  CHECK(order.header["kid"] == "https://ca.test/acct/1");
  CHECK(order.header["url"] == "https://ca.test/new-order");
  CHECK(order.must_refuse.empty());
  const Plan acct = base_plan(BaseOp::new_account, targets());
  CHECK(acct.sign_with_jwk);
  CHECK(acct.header["jwk"] == targets().signer_jwk);
  CHECK_FALSE(acct.header.contains("kid"));
  CHECK_FALSE(base_plan(BaseOp::get_order, targets()).payload.has_value());
}

TEST_CASE("deleting the key reference of a newAccount leaves no key in the header", "[netfuzz]") {
  // The jwk is part of the plan from the start, so the deletion (and the
  // duplicate-member splice, which copies the header text) sees it.
  std::size_t seen = 0;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    const Plan p = plan_of(7, i);
    if (p.op != BaseOp::new_account || p.mutations.size() != 1) continue;
    if (p.mutations[0] == "header-delete.kid") {
      ++seen;
      CHECK_FALSE(p.header.contains("jwk"));
      CHECK_FALSE(p.header.contains("kid"));
      CHECK(p.must_refuse == "RFC8555-6.2 required header member missing");
    }
    if (p.mutations[0].rfind("header-duplicate.", 0) == 0) {
      REQUIRE(p.raw_header);
      CHECK(p.raw_header->find("\"jwk\"") != std::string::npos);
    }
  }
  CHECK(seen > 0);
}

TEST_CASE("every mutation class appears over a run", "[netfuzz]") {
  bool replay = false, sig = false, kid = false, refuse = false;
  for (std::uint64_t i = 0; i < 500; ++i) {
    const Plan p = plan_of(7, i);
    replay |= p.replay_nonce;
    sig |= p.corrupt_signature;
    kid |= p.foreign_kid;
    refuse |= !p.must_refuse.empty();
  }
  CHECK(replay);
  CHECK(sig);
  CHECK(kid);
  CHECK(refuse);
}

TEST_CASE("oracles", "[netfuzz]") {
  Plan p = base_plan(BaseOp::get_order, targets());
  const std::string problem = R"({"type":"urn:ietf:params:acme:error:malformed","detail":"x"})";

  CHECK(judge(p, response(200, "application/json", "{}"), "").empty());
  CHECK(judge(p, response(400, "application/problem+json", problem), "").empty());

  auto v = judge(p, std::nullopt, "read timed out");
  REQUIRE(v.size() == 1);
  CHECK(v[0].oracle == "hang-or-reset");

  v = judge(p, response(500, "application/problem+json", problem), "");
  REQUIRE(v.size() == 1);
  CHECK(v[0].oracle == "server-error-5xx");

  v = judge(p, response(400, "text/html", "<h1>bad</h1>"), "");
  REQUIRE(v.size() == 1);
  CHECK(v[0].oracle == "error-not-problem-document");
  v = judge(p, response(403, "application/problem+json", R"({"detail":"no type"})"), "");
  REQUIRE(v.size() == 1);
  CHECK(v[0].oracle == "error-not-problem-document");

  Plan replayed = p;
  replayed.replay_nonce = true;
  v = judge(replayed, response(200, "application/json", "{}"), "");
  REQUIRE(v.size() == 1);
  CHECK(v[0].oracle == "replayed-nonce-accepted");
  CHECK(judge(replayed, response(400, "application/problem+json", problem), "").empty());

  Plan forged = p;
  forged.corrupt_signature = true;
  CHECK(judge(forged, response(200, "application/json", "{}"), "")[0].oracle == "bad-signature-accepted");
  Plan foreign = p;
  foreign.foreign_kid = true;
  CHECK(judge(foreign, response(200, "application/json", "{}"), "")[0].oracle == "foreign-kid-accepted");
  Plan bad = p;
  bad.must_refuse = "RFC8555-6.2 header member invalid";
  CHECK(judge(bad, response(201, "application/json", "{}"), "")[0].oracle == "invalid-request-accepted");

  const Plan fin = base_plan(BaseOp::finalize_pending, targets());
  CHECK(judge(fin, response(200, "application/json", "{}"), "")[0].oracle == "finalize-accepted-while-pending");
  CHECK(judge(fin, response(403, "application/problem+json", problem), "").empty());
}

TEST_CASE("findings deduplicate on oracle, request kind, first mutation and status", "[netfuzz]") {
  Finding a{"server-error-5xx", "d", "new-order", {"payload.csr=1", "x"}, 1, 3, {}, {{"status", 500}}};
  Finding b = a;
  b.mutations = {"payload.csr=\"\"", "y"};
  b.iteration = 9;
  CHECK(a.key() == b.key());
  b.response = {{"status", 502}};
  CHECK(a.key() != b.key());
  CHECK(a.to_json()["seed"] == 1);
  CHECK(a.to_json()["iteration"] == 3);
}

TEST_CASE("bad configuration is a clear error", "[netfuzz]") {
  std::ostringstream log;
  auto r = run_netfuzz(NetFuzzConfig{}, log);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().path == "--directory");
  NetFuzzConfig c;
  c.directory_url = "https://127.0.0.1:1/dir";
  auto missing = replay_finding("/nonexistent/finding.json", c, log);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().reason == "cannot read");
}
