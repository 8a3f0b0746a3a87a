#include <catch2/catch.hpp>

#include "responders/dns_message.hpp"
#include "test_support.hpp"

using namespace acmespec::responders;

namespace {

std::string bytes(std::initializer_list<int> v) {
  std::string s;
  for (int b : v) s.push_back(static_cast<char>(b));
  return s;
}

}  // namespace

TEST_CASE("parse_dns_message reads a hand-built query", "[dns][codec]") {
  // id 0xabcd, RD, one question: _acme-challenge.Example.COM TXT IN
  const std::string msg = rsp_test::build_query(0xabcd, "_acme-challenge.Example.COM", 16);
  auto q = parse_dns_message(msg);
  REQUIRE(q.ok());
  CHECK(q->id == 0xabcd);
  CHECK(q->opcode == 0);
  CHECK(q->recursion_desired);
  REQUIRE(q->questions.size() == 1);
  CHECK(q->questions[0].labels == std::vector<std::string>{"_acme-challenge", "Example", "COM"});
  CHECK(q->questions[0].name() == "_acme-challenge.example.com");
  CHECK(q->questions[0].type == dns_type::kTxt);
  CHECK(q->questions[0].klass == kDnsClassIn);
  CHECK_FALSE(q->edns.has_value());
}

TEST_CASE("parse_dns_message reads an EDNS(0) OPT record", "[dns][codec]") {
  auto q = parse_dns_message(rsp_test::build_query(7, "a.example", 1, 1232));
  REQUIRE(q.ok());
  REQUIRE(q->edns.has_value());
  CHECK(q->edns->udp_payload_size == 1232);
  CHECK(q->edns->version == 0);
}

TEST_CASE("parse_dns_message follows a backward compression pointer", "[dns][codec]") {
  // Two questions; the second is "www" + pointer to "example.com" at offset 12.
  std::string m = bytes({0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0});
  m += bytes({7}) + "example" + bytes({3}) + "com" + bytes({0, 0, 1, 0, 1});
  m += bytes({3}) + "www" + bytes({0xc0, 12, 0, 28, 0, 1});
  auto q = parse_dns_message(m);
  REQUIRE(q.ok());
  REQUIRE(q->questions.size() == 2);
  CHECK(q->questions[1].name() == "www.example.com");
  CHECK(q->questions[1].type == dns_type::kAaaa);
}

TEST_CASE("parse_dns_message rejects malformed messages with a reason", "[dns][codec]") {
  const std::string header = bytes({0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0});

  SECTION("a pointer to itself (loop)") {
    auto q = parse_dns_message(header + bytes({0xc0, 12, 0, 1, 0, 1}));
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().path == "offset 12");
    CHECK(q.error().reason.find("backwards") != std::string::npos);
  }
  SECTION("a forward pointer that would form a loop with a backward one") {
    // label "a" then pointer forward to 17, where a pointer goes back to 12.
    auto q = parse_dns_message(header + bytes({1, 'a', 0xc0, 17, 0, 0xc0, 12}));
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().reason.find("compression pointer") != std::string::npos);
  }
  SECTION("a name cut short") {
    auto q = parse_dns_message(header + bytes({7}) + "exam");
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().reason.find("past the end") != std::string::npos);
  }
  SECTION("a header cut short") {
    auto q = parse_dns_message(bytes({0, 1, 0, 0, 0}));
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().reason.find("12-byte header") != std::string::npos);
  }
  SECTION("a question without type and class") {
    auto q = parse_dns_message(header + bytes({1, 'a', 0, 0}));
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().reason.find("question runs past") != std::string::npos);
  }
  SECTION("a response instead of a query") {
    std::string m = rsp_test::build_query(1, "a.example", 1);
    m[2] = static_cast<char>(m[2] | 0x80);
    auto q = parse_dns_message(m);
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().reason.find("QR") != std::string::npos);
  }
  SECTION("trailing bytes") {
    auto q = parse_dns_message(rsp_test::build_query(1, "a.example", 1) + "x");
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().reason.find("trailing") != std::string::npos);
  }
  SECTION("a label type 0x40") {
    auto q = parse_dns_message(header + bytes({0x41, 0, 0, 1, 0, 1}));
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().reason.find("label type") != std::string::npos);
  }
  SECTION("a name over 255 bytes") {
    std::string m = header;
    for (int i = 0; i < 5; ++i) m += bytes({63}) + std::string(63, 'a');
    m += bytes({0, 0, 1, 0, 1});
    auto q = parse_dns_message(m);
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().reason.find("255") != std::string::npos);
  }
  SECTION("additional count larger than the records present") {
    std::string m = rsp_test::build_query(1, "a.example", 1);
    m[11] = 3;
    auto q = parse_dns_message(m);
    REQUIRE_FALSE(q.ok());
  }
}

TEST_CASE("every prefix of a valid query is rejected, never crashes", "[dns][codec]") {
  const std::string full = rsp_test::build_query(9, "_acme-challenge.a.example", 16, 4096);
  for (std::size_t n = 0; n < full.size(); ++n) {
    CHECK_FALSE(parse_dns_message(full.substr(0, n)).ok());
  }
  CHECK(parse_dns_message(full).ok());
}

TEST_CASE("build_dns_response round-trips through an independent decoder", "[dns][codec]") {
  auto q = parse_dns_message(rsp_test::build_query(0x1234, "_acme-challenge.Example.com", 16, 1232));
  REQUIRE(q.ok());
  DnsAnswers a;
  a.answers.push_back(make_txt_record("first", 0));
  a.answers.push_back(make_txt_record(std::string(300, 'z'), 60));
  a.answers.push_back(make_caa_record(128, "issue", "ca.example", 5));
  a.answers.push_back(make_a_record(std::string("\x7f\x00\x00\x01", 4), 0));

  const auto decoded = rsp_test::decode_response(build_dns_response(*q, a));
  REQUIRE(decoded.has_value());
  CHECK(decoded->id == 0x1234);
  CHECK(decoded->qr());
  CHECK(decoded->aa());
  CHECK_FALSE(decoded->tc());
  CHECK((decoded->flags & 0x0100) != 0);  // RD copied
  CHECK(decoded->rcode() == 0);
  REQUIRE(decoded->questions == std::vector<std::string>{"_acme-challenge.Example.com"});
  REQUIRE(decoded->answers.size() == 4);
  for (const auto& rec : decoded->answers) CHECK(rec.owner == "_acme-challenge.Example.com");
  CHECK(rsp_test::txt_value(decoded->answers[0].rdata) == "first");
  CHECK(rsp_test::txt_value(decoded->answers[1].rdata) == std::string(300, 'z'));
  CHECK(decoded->answers[1].ttl == 60);
  CHECK(decoded->answers[2].type == 257);
  CHECK(decoded->answers[2].rdata == bytes({128, 5}) + "issue" + "ca.example");
  CHECK(rsp_test::ip_text(decoded->answers[3].rdata) == "127.0.0.1");
  REQUIRE(decoded->additional.size() == 1);
  CHECK(decoded->additional[0].type == 41);
  CHECK(decoded->additional[0].klass == 1232);
}

TEST_CASE("build_dns_response sets TC and drops answers over the size limit", "[dns][codec]") {
  auto q = parse_dns_message(rsp_test::build_query(5, "big.example", 16));
  REQUIRE(q.ok());
  DnsAnswers a;
  for (int i = 0; i < 10; ++i) a.answers.push_back(make_txt_record(std::string(100, 'a' + i), 0));
  DnsResponseOptions small;
  small.max_bytes = kDnsMaxUdpWithoutEdns;
  const std::string wire = build_dns_response(*q, a, small);
  CHECK(wire.size() <= 512);
  const auto decoded = rsp_test::decode_response(wire);
  REQUIRE(decoded.has_value());
  CHECK(decoded->tc());
  CHECK(decoded->answers.empty());
  CHECK(decoded->questions.size() == 1);

  const auto full = rsp_test::decode_response(build_dns_response(*q, a));
  REQUIRE(full.has_value());
  CHECK_FALSE(full->tc());
  CHECK(full->answers.size() == 10);
}

TEST_CASE("build_dns_error_response keeps the id and opcode", "[dns][codec]") {
  const std::string raw = bytes({0xbe, 0xef, 0x29, 0x00, 0xff});
  const auto decoded = rsp_test::decode_response(build_dns_error_response(raw, dns_rcode::kFormErr));
  REQUIRE(decoded.has_value());
  CHECK(decoded->id == 0xbeef);
  CHECK(decoded->rcode() == dns_rcode::kFormErr);
  CHECK(((decoded->flags >> 11) & 0x0f) == 5);  // opcode UPDATE echoed
  CHECK(decoded->questions.empty());
}

TEST_CASE("encode_dns_name enforces label and name lengths", "[dns][codec]") {
  CHECK(encode_dns_name({"a", "example"}).ok());
  CHECK(*encode_dns_name({}) == std::string(1, '\0'));
  CHECK_FALSE(encode_dns_name({"a", ""}).ok());
  CHECK_FALSE(encode_dns_name({std::string(64, 'x')}).ok());
  CHECK(split_dns_name("a.b.example.") == std::vector<std::string>{"a", "b", "example"});
}
