#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "reports/html.hpp"
#include "reports/redact.hpp"
#include "reports/run_record.hpp"

using namespace acmespec::reports;
using nlohmann::json;

namespace {

// A record as a careless or older writer might leave it: the account key's
// private half in a JWS payload and in a body, an EAB MAC key in the options
// and in a payload member, a PEM key in a message, and an Authorization header.
json secret_record() {
  const json jwk = {{"kty", "EC"}, {"crv", "P-256"}, {"x", "PUBX"}, {"y", "PUBY"}, {"d", "SECRET-EC-D-VALUE"}};
  const json oct = {{"kty", "oct"}, {"k", "SECRET-HMAC-K-VALUE"}};
  return {
      {"mode", "server"},
      {"target", {{"directory", "https://ca.test/dir"}}},
      {"options", {{"eab_hmac_key", "SECRET-EAB-OPTION"}, {"strict", false}}},
      {"complete", true},
      {"scenarios",
       {{{"id", "s1"},
         {"checks",
          {{{"id", "RFC8555-7.3.4-eab"}, {"spec", "RFC8555"}, {"section", "7.3.4"}, {"level", "MUST"},
            {"outcome", "fail"},
            {"message", "-----BEGIN PRIVATE KEY-----\nSECRET-PEM-BODY\n-----END PRIVATE KEY-----"},
            {"evidence", {"x1"}}}}},
         {"exchanges",
          {{{"id", "x1"},
            {"request",
             {{"method", "POST"},
              {"url", "https://ca.test/new-acct"},
              {"headers", json::array({json::array({"Authorization", "Bearer SECRET-BEARER"}),
                                       json::array({"Content-Type", "application/jose+json"})})},
              {"body", json({{"jwk", jwk}}).dump()},
              {"jws",
               {{"protected", {{"alg", "ES256"}, {"jwk", jwk}}},
                {"payload", {{"externalAccountBinding", {{"hmacKey", "SECRET-EAB-PAYLOAD"}}}, {"key", oct}}}}}}},
            {"response", {{"status", 400}, {"body", "{\"type\":\"urn:ietf:params:acme:error:malformed\"}"}}}}}}}}}};
}

}  // namespace

TEST_CASE("HTML redacts private keys and MAC keys wherever they sit", "[reports][html][redact]") {
  const std::string page = render_html(secret_record());
  for (const char* secret : {"SECRET-EC-D-VALUE", "SECRET-HMAC-K-VALUE", "SECRET-EAB-OPTION", "SECRET-PEM-BODY",
                             "SECRET-BEARER", "SECRET-EAB-PAYLOAD"}) {
    INFO(secret);
    CHECK(page.find(secret) == std::string::npos);
  }
  CHECK(page.find("PUBX") != std::string::npos);  // public parts stay visible
  CHECK(page.find("&lt;redacted&gt;") != std::string::npos);
}

TEST_CASE("redact_record names secrets by member name and header name", "[reports][redact]") {
  CHECK(is_secret_member("eab_hmac_key"));
  CHECK(is_secret_member("EAB-HMAC-Key"));
  CHECK(is_secret_member("macKey"));
  CHECK(is_secret_member("client_secret"));
  CHECK_FALSE(is_secret_member("token"));  // ACME challenge tokens are public
  CHECK_FALSE(is_secret_member("keyAuthorization"));
  const json r = redact_record(secret_record());
  CHECK(r["options"]["eab_hmac_key"] == "<redacted>");
  CHECK(r["options"]["strict"] == false);
  CHECK(r["scenarios"][0]["exchanges"][0]["request"]["headers"][0][1] == "<redacted>");
  CHECK(r["scenarios"][0]["exchanges"][0]["request"]["headers"][1][1] == "application/jose+json");
}

TEST_CASE("HTML is self-contained: no fetch of any resource", "[reports][html]") {
  const std::string page = render_html(secret_record());
  CHECK(page.find(" src=") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find("@import") == std::string::npos);
  CHECK(page.find("url(") == std::string::npos);
  CHECK(page.find("fetch(") == std::string::npos);
  CHECK(page.find("XMLHttpRequest") == std::string::npos);
  CHECK(page.find("default-src 'none'") != std::string::npos);
}

TEST_CASE("HTML shows the counts, verdict and links of the record", "[reports][html]") {
  json record = secret_record();
  record["scenarios"][0]["checks"].push_back({{"id", "a"}, {"outcome", "pass"}});
  record["scenarios"][0]["checks"].push_back({{"id", "b"}, {"outcome", "warn"}, {"level", "SHOULD"}});
  record["scenarios"].push_back({{"id", "dead"}, {"error", "connection refused"}, {"checks", json::array()}});
  const std::string page = render_html(record);
  const Summary s = summarize(record);
  for (Outcome o : kAllOutcomes) {
    INFO(to_string(o));
    CHECK(page.find("data-count=\"" + std::string(to_string(o)) + "\">" + std::to_string(s.count(o)) + "<") !=
          std::string::npos);
  }
  // One detail block per check plus one per scenario error.
  const std::regex block("<details class=\"check ");
  CHECK(std::distance(std::sregex_iterator(page.begin(), page.end(), block), std::sregex_iterator()) == 4);
  CHECK(page.find("id=\"verdict\">error<") != std::string::npos);
  CHECK(page.find("https://datatracker.ietf.org/doc/html/rfc8555#section-7.3.4") != std::string::npos);
  CHECK(page.find("JWS protected header (decoded)") != std::string::npos);
  CHECK(page.find("urn:ietf:params:acme:error:malformed") != std::string::npos);
}

TEST_CASE("HTML escapes record text so a peer cannot inject markup", "[reports][html]") {
  json record = {{"scenarios",
                  {{{"id", "<script>alert(1)</script>"},
                    {"checks", {{{"id", "x\" onmouseover=\"alert(2)"}, {"outcome", "fail"},
                                 {"message", "</pre><img src=x onerror=alert(3)>"}}}}}}}};
  const std::string page = render_html(record);
  CHECK(page.find("<script>alert") == std::string::npos);
  CHECK(page.find("\" onmouseover=") == std::string::npos);
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
}

TEST_CASE("HTML renders records that are not records", "[reports][html]") {
  for (const json& r : {json(), json::array(), json(42), json{{"scenarios", "nope"}},
                        json{{"scenarios", {1, "x", json::object()}}}}) {
    std::string page;
    CHECK_NOTHROW(page = render_html(r));
    CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(page.find("</html>") != std::string::npos);
  }
}

TEST_CASE("HTML tolerates exchanges of the wrong shape", "[reports][html]") {
  const json odd_exchanges = json::array(
      {1, "x", json::object(), json{{"id", "x1"}, {"request", 5}, {"response", {{"body_truncated", "yes"},
                                                                                 {"body", 7}, {"headers", "h"}}}},
       json{{"id", "x2"}, {"request", {{"jws", {{"protected", 1}, {"payload", ""}}}, {"headers", {{1, 2}}}}},
            {"error", {{"code", 1}}}}});
  const json record = {{"scenarios",
                        {{{"id", "s"},
                          {"checks", {{{"id", "c"}, {"outcome", "fail"}, {"evidence", {"x1", "x2", "x3", 4}}}}},
                          {"exchanges", odd_exchanges}}}}};
  std::string page;
  REQUIRE_NOTHROW(page = render_html(record));
  CHECK(page.find("exchange x3 is not in the record") != std::string::npos);
  CHECK(page.find("empty (POST-as-GET)") != std::string::npos);
}

TEST_CASE("HTML shows a check's category when the record has one", "[reports][html]") {
  const json record = {{"scenarios",
                        {{{"id", "s"}, {"checks", {{{"id", "c"}, {"outcome", "pass"}, {"category", "security"}}}}}}}};
  CHECK(render_html(record).find("<dt>category</dt><dd>security</dd>") != std::string::npos);
}
