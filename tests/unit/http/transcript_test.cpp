#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "http/base64.hpp"
#include "http/redact.hpp"
#include "http/transcript.hpp"

using namespace acmespec::http;

namespace {

std::string b64url(const std::string& s) {
  std::string out = base64_encode(s);
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

const char* kPem =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIPRIVATEPRIVATEPRIVATEPRIVATEPRIVATEoAoGCCqGSM49AwEHoUQDQgAE\n"
    "-----END EC PRIVATE KEY-----\n";

}  // namespace

TEST_CASE("base64 helpers", "[http][base64]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(is_valid_utf8("h\xc3\xa9llo"));
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xff"));
}

TEST_CASE("redact_json replaces private JWK members at any depth", "[http][redact]") {
  auto doc = nlohmann::json::parse(R"({
    "account": {"key": {"kty": "EC", "crv": "P-256", "x": "XX", "y": "YY", "d": "SECRET-D"}},
    "rsa": [{"kty": "RSA", "n": "NN", "e": "AQAB", "d": "S1", "p": "S2", "q": "S3", "dp": "S4", "dq": "S5",
             "qi": "S6", "oth": [{"r": "S7"}]}],
    "mac": {"kty": "oct", "k": "SECRET-K"},
    "notakey": {"k": "keep-me", "d": "keep-me-too"},
    "nokty": {"crv": "P-256", "x": "XX", "d": "SECRET-NOKTY"}
  })");
  REQUIRE(redact_json(doc));
  const std::string out = doc.dump();
  for (const char* secret : {"SECRET", "S1", "S2", "S3", "S4", "S5", "S6", "S7"}) {
    INFO(secret);
    CHECK(out.find(secret) == std::string::npos);
  }
  CHECK(doc["account"]["key"]["d"] == "<redacted>");
  CHECK(doc["account"]["key"]["x"] == "XX");  // public parts stay
  CHECK(doc["mac"]["k"] == "<redacted>");
  CHECK(doc["notakey"]["k"] == "keep-me");
  CHECK(doc["notakey"]["d"] == "keep-me-too");

  auto clean = nlohmann::json::parse(R"({"status":"valid","key":{"kty":"EC","x":"a","y":"b"}})");
  CHECK_FALSE(redact_json(clean));
}

TEST_CASE("redact_json unpacks JSON in strings and JWS payloads", "[http][redact]") {
  nlohmann::json doc = {{"note", R"({"kty":"EC","d":"SECRET-IN-STRING"})"}, {"pem", std::string("x\n") + kPem}};
  REQUIRE(redact_json(doc));
  CHECK(doc.dump().find("SECRET") == std::string::npos);
  CHECK(doc.dump().find("PRIVATEPRIVATE") == std::string::npos);

  nlohmann::json jws = {{"protected", b64url(R"({"alg":"ES256"})")},
                        {"payload", b64url(R"({"oldKey":{"kty":"EC","crv":"P-256","x":"a","d":"SECRET-P"}})")},
                        {"signature", "c2ln"}};
  REQUIRE(redact_json(jws));
  CHECK(jws["payload"] == "<redacted>");
  CHECK(jws["protected"] == b64url(R"({"alg":"ES256"})"));
}

TEST_CASE("redact_text and redact_pem", "[http][redact]") {
  auto pem = redact_text(std::string("before\n") + kPem + "after");
  CHECK(pem.changed);
  CHECK(pem.text == "before\n<redacted EC PRIVATE KEY>\nafter");

  auto cut = redact_text("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg");
  CHECK(cut.changed);
  CHECK(cut.text == "<redacted PRIVATE KEY>");

  auto cert = redact_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  CHECK_FALSE(cert.changed);

  auto broken = redact_text(R"({"kty":"EC","d":"SECRET", )");
  CHECK(broken.changed);
  CHECK(broken.text.find("SECRET") == std::string::npos);

  auto dup = redact_text(R"({"key":{"kty":"EC","d":"SECRET1","d":"SECRET2"}})");
  CHECK(dup.changed);
  CHECK(dup.text.find("SECRET") == std::string::npos);

  const std::string plain = R"({"status": "pending"})";
  auto untouched = redact_text(plain);
  CHECK_FALSE(untouched.changed);
  CHECK(untouched.text == plain);  // formatting kept when nothing was secret
}

TEST_CASE("Transcript assigns ids and serialises redacted evidence", "[http][transcript]") {
  Transcript transcript;
  Exchange ex;
  ex.request.method = "POST";
  ex.request.url = "https://ca.test/acme/key-change";
  ex.request.headers = {{"Content-Type", "application/jose+json"}, {"Authorization", "Bearer SECRET-TOKEN"},
                        {"cookie", "s=SECRET-COOKIE"}};
  const nlohmann::json body = {
      {"protected", b64url(R"({"alg":"ES256","nonce":"n1","url":"https://ca.test/acme/key-change"})")},
      {"payload", b64url(R"({"account":"https://ca.test/acct/1","newKey":{"kty":"EC","x":"a","d":"SECRET-NEW"}})")},
      {"signature", "c2ln"}};
  ex.request.body = body.dump();
  Response res;
  res.status = 200;
  res.version = "HTTP/1.1";
  res.headers = {{"Content-Type", "application/pem-certificate-chain"}};
  res.body = std::string("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n") + kPem;
  ex.response = res;
  ex.started_at = std::chrono::system_clock::time_point{} + std::chrono::seconds(1700000000) +
                  std::chrono::milliseconds(250);
  ex.duration = std::chrono::microseconds(12500);

  CHECK(transcript.record(ex) == "x0001");
  CHECK(ex.id == "x0001");
  Exchange second;
  second.request.url = "http://127.0.0.1:1/";
  second.error = "could not connect";
  second.response = Response{};
  second.response->body = std::string("\x00\xff\x01", 3);
  CHECK(transcript.record(second) == "x0002");
  REQUIRE(transcript.size() == 2);
  REQUIRE(transcript.find("x0002"));
  CHECK(transcript.find("x0002")->error == "could not connect");
  CHECK_FALSE(transcript.find("x0003"));

  const nlohmann::json doc = transcript.to_json();
  const std::string text = doc.dump();
  CHECK(text.find("SECRET") == std::string::npos);
  CHECK(text.find("PRIVATEPRIVATE") == std::string::npos);

  const auto& first = doc["exchanges"][0];
  CHECK(first["id"] == "x0001");
  CHECK(first["started_at"] == "2023-11-14T22:13:20.250Z");
  CHECK(first["duration_ms"] == 12.5);
  CHECK(first["request"]["method"] == "POST");
  CHECK(first["request"]["headers"][1] == nlohmann::json::array({"Authorization", "<redacted>"}));
  CHECK(first["request"]["headers"][2] == nlohmann::json::array({"cookie", "<redacted>"}));
  CHECK(first["request"]["body_redacted"] == true);
  CHECK(first["request"]["jws"]["protected"]["nonce"] == "n1");
  CHECK(first["request"]["jws"]["payload"]["account"] == "https://ca.test/acct/1");
  CHECK(first["request"]["jws"]["payload"]["newKey"]["d"] == "<redacted>");
  CHECK(first["request"]["jws"]["payload"]["newKey"]["x"] == "a");
  CHECK(first["response"]["status"] == 200);
  CHECK(first["response"]["body_encoding"] == "utf-8");
  CHECK(first["response"]["body"].get<std::string>().find("BEGIN CERTIFICATE") != std::string::npos);
  CHECK(first["response"]["body"].get<std::string>().find("<redacted EC PRIVATE KEY>") != std::string::npos);
  CHECK_FALSE(first.contains("error"));

  const auto& failed = doc["exchanges"][1];
  CHECK(failed["error"] == "could not connect");
  CHECK(failed["response"]["body_encoding"] == "base64");
  CHECK(failed["response"]["body"] == "AP8B");
}

TEST_CASE("decode_jws_for_evidence handles POST-as-GET and non-JWS bodies", "[http][transcript]") {
  const nlohmann::json pag = {{"protected", b64url(R"({"alg":"ES256"})")}, {"payload", ""}, {"signature", "c2ln"}};
  auto ev = decode_jws_for_evidence(pag.dump());
  REQUIRE(ev);
  CHECK((*ev)["payload"] == "");
  CHECK((*ev)["protected"]["alg"] == "ES256");
  const nlohmann::json badb64 = {{"protected", "!!"}, {"payload", "e30"}, {"signature", "c2ln"}};
  auto bad = decode_jws_for_evidence(badb64.dump());
  REQUIRE(bad);
  CHECK((*bad)["protected"]["error"] == "not valid base64url");
  CHECK((*bad)["payload"] == nlohmann::json::object());
  CHECK_FALSE(decode_jws_for_evidence(R"({"status":"valid"})"));
  CHECK_FALSE(decode_jws_for_evidence("not json"));
}

TEST_CASE("Transcript is safe to record into from several threads", "[http][transcript]") {
  Transcript transcript;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&transcript] {
      for (int i = 0; i < 50; ++i) {
        Exchange ex;
        ex.request.url = "http://127.0.0.1/";
        transcript.record(ex);
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto all = transcript.exchanges();
  REQUIRE(all.size() == 200);
  std::set<std::string> ids;
  for (const auto& e : all) ids.insert(e.id);
  CHECK(ids.size() == 200);
  CHECK(all.front().id == "x0001");
  CHECK(all.back().id == "x0200");
}
