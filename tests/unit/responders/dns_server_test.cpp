#include <catch2/catch.hpp>

#include <algorithm>

#include "responders/dns_server.hpp"
#include "test_support.hpp"

using namespace acmespec::responders;

namespace {

struct DnsFixture {
  DnsZone zone;
  HistoryLog<DnsHistoryEntry> history;
  DnsServer server{zone, history, {}};
  DnsFixture() {
    DnsServerOptions o;
    o.port = 0;
    o.tcp_idle_timeout = std::chrono::milliseconds(500);
    const auto st = server.start(o);
    REQUIRE(st.ok());
    REQUIRE(server.port() != 0);
  }
  rsp_test::DecodedResponse udp(const std::string& name, unsigned type,
                                std::optional<unsigned> edns = std::nullopt) {
    auto raw = rsp_test::udp_exchange(server.port(), rsp_test::build_query(0x4242, name, type, edns));
    REQUIRE(raw.has_value());
    auto decoded = rsp_test::decode_response(*raw);
    REQUIRE(decoded.has_value());
    CHECK(decoded->id == 0x4242);
    return *decoded;
  }
  rsp_test::DecodedResponse tcp(const std::string& name, unsigned type) {
    auto raw = rsp_test::tcp_exchange(server.port(), {rsp_test::build_query(0x5151, name, type)});
    REQUIRE(raw.size() == 1);
    auto decoded = rsp_test::decode_response(raw[0]);
    REQUIRE(decoded.has_value());
    return *decoded;
  }
};

std::vector<std::string> txt_values(const rsp_test::DecodedResponse& r) {
  std::vector<std::string> out;
  for (const auto& a : r.answers) {
    if (a.type == 16) out.push_back(rsp_test::txt_value(a.rdata));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("DNS server answers A for any name with the default address", "[dns][server]") {
  DnsFixture f;
  for (const auto& name : {"test.example", "anything.Else.org"}) {
    const auto r = f.udp(name, 1);
    CHECK(r.aa());
    CHECK(r.rcode() == 0);
    REQUIRE(r.answers.size() == 1);
    CHECK(r.answers[0].type == 1);
    CHECK(rsp_test::ip_text(r.answers[0].rdata) == "127.0.0.1");
  }
  // AAAA: none unless configured.
  const auto none = f.udp("test.example", 28);
  CHECK(none.rcode() == 0);
  CHECK(none.answers.empty());
}

TEST_CASE("DNS server honours per-name A/AAAA overrides, case-insensitively", "[dns][server]") {
  DnsFixture f;
  REQUIRE(f.zone.set_a("Multi.Example", {"10.0.0.1", "10.0.0.2"}).ok());
  REQUIRE(f.zone.set_aaaa("multi.example.", {"::1"}).ok());
  REQUIRE(f.zone.set_default_aaaa({"fe80::1"}).ok());
  CHECK_FALSE(f.zone.set_a("bad.example", {"not-an-ip"}).ok());

  const auto a = f.udp("MULTI.example", 1);
  REQUIRE(a.answers.size() == 2);
  CHECK(rsp_test::ip_text(a.answers[0].rdata) == "10.0.0.1");
  CHECK(rsp_test::ip_text(a.answers[1].rdata) == "10.0.0.2");
  CHECK(a.questions[0] == "MULTI.example");  // question echoed as sent

  const auto aaaa = f.tcp("multi.example", 28);
  REQUIRE(aaaa.answers.size() == 1);
  CHECK(rsp_test::ip_text(aaaa.answers[0].rdata) == "::1");
  const auto other = f.udp("other.example", 28);
  REQUIRE(other.answers.size() == 1);
  CHECK(rsp_test::ip_text(other.answers[0].rdata) == "fe80::1");

  f.zone.clear_a("multi.example");
  const auto back = f.udp("multi.example", 1);
  REQUIRE(back.answers.size() == 1);
  CHECK(rsp_test::ip_text(back.answers[0].rdata) == "127.0.0.1");
}

TEST_CASE("DNS server serves several TXT values over UDP and TCP", "[dns][server]") {
  DnsFixture f;
  f.zone.add_txt("_acme-challenge.example.com", "value-one");
  f.zone.add_txt("_ACME-challenge.Example.com.", "value-two");
  const std::vector<std::string> expected{"value-one", "value-two"};

  CHECK(txt_values(f.udp("_acme-challenge.example.com", 16)) == expected);
  CHECK(txt_values(f.tcp("_acme-challenge.EXAMPLE.com", 16)) == expected);

  const auto empty = f.udp("_acme-challenge.other.com", 16);
  CHECK(empty.rcode() == 0);  // NOERROR, not NXDOMAIN
  CHECK(empty.aa());
  CHECK(empty.answers.empty());

  f.zone.clear_txt("_acme-challenge.example.com");
  CHECK(f.udp("_acme-challenge.example.com", 16).answers.empty());
}

TEST_CASE("DNS server serves CAA records", "[dns][server]") {
  DnsFixture f;
  f.zone.add_caa("example.org", CaaRecord{0, "issue", "ca.example"});
  f.zone.add_caa("example.org", CaaRecord{128, "tbs", "unknown"});
  const auto r = f.tcp("example.org", 257);
  REQUIRE(r.answers.size() == 2);
  CHECK(r.answers[0].rdata == std::string("\x00\x05issueca.example", 17));
  CHECK(r.answers[1].rdata == std::string("\x80\x03tbsunknown", 12));
  CHECK(f.udp("sub.example.org", 257).answers.empty());
}

TEST_CASE("DNS server truncates large UDP answers unless EDNS allows them", "[dns][server]") {
  DnsFixture f;
  for (int i = 0; i < 8; ++i) f.zone.add_txt("big.example", std::string(100, 'a' + i));

  const auto plain = f.udp("big.example", 16);
  CHECK(plain.tc());
  CHECK(plain.answers.empty());

  const auto edns = f.udp("big.example", 16, 4096);
  CHECK_FALSE(edns.tc());
  CHECK(edns.answers.size() == 8);
  REQUIRE(edns.additional.size() == 1);
  CHECK(edns.additional[0].type == 41);

  const auto over_tcp = f.tcp("big.example", 16);
  CHECK_FALSE(over_tcp.tc());
  CHECK(over_tcp.answers.size() == 8);
}

TEST_CASE("DNS server answers odd queries with the right rcode", "[dns][server]") {
  DnsFixture f;
  CHECK(f.udp("x.example", 99).answers.empty());  // unsupported type: NOERROR, empty

  std::string notify = rsp_test::build_query(3, "x.example", 1);
  notify[2] = static_cast<char>(4 << 3);  // opcode NOTIFY
  auto raw = rsp_test::udp_exchange(f.server.port(), notify);
  REQUIRE(raw.has_value());
  CHECK(rsp_test::decode_response(*raw)->rcode() == dns_rcode::kNotImp);

  std::string garbage = rsp_test::build_query(0x0777, "x.example", 1);
  garbage[12] = static_cast<char>(0xc0);  // pointer at offset 12 to itself
  garbage[13] = 12;
  raw = rsp_test::udp_exchange(f.server.port(), garbage);
  REQUIRE(raw.has_value());
  const auto formerr = rsp_test::decode_response(*raw);
  CHECK(formerr->id == 0x0777);
  CHECK(formerr->rcode() == dns_rcode::kFormErr);
}

TEST_CASE("DNS server answers pipelined TCP queries on one connection", "[dns][server]") {
  DnsFixture f;
  f.zone.add_txt("t.example", "v");
  const auto answers = rsp_test::tcp_exchange(
      f.server.port(), {rsp_test::build_query(1, "a.example", 1), rsp_test::build_query(2, "t.example", 16)});
  REQUIRE(answers.size() == 2);
  CHECK(rsp_test::decode_response(answers[0])->id == 1);
  CHECK(rsp_test::decode_response(answers[1])->answers.size() == 1);
}

TEST_CASE("DNS server records every query in the history", "[dns][server]") {
  DnsFixture f;
  f.udp("Hist.Example", 1);
  f.tcp("_acme-challenge.hist.example", 16);
  const auto h = f.history.snapshot();
  REQUIRE(h.size() == 2);
  CHECK(h[0].protocol == "udp");
  CHECK(h[0].name == "hist.example");
  CHECK(h[0].type == "A");
  CHECK(h[0].rcode == "NOERROR");
  CHECK(h[0].source.rfind("127.0.0.1:", 0) == 0);
  CHECK(h[1].protocol == "tcp");
  CHECK(h[1].type == "TXT");
  CHECK(to_json(h[1])["name"] == "_acme-challenge.hist.example");
}

TEST_CASE("DNS server closes idle TCP connections and caps their number", "[dns][server]") {
  DnsZone zone;
  HistoryLog<DnsHistoryEntry> history;
  DnsServer server(zone, history, {});
  DnsServerOptions o;
  o.port = 0;
  o.max_tcp_connections = 2;
  o.tcp_idle_timeout = std::chrono::milliseconds(300);
  REQUIRE(server.start(o).ok());

  auto idle1 = rsp_test::connect_loopback(server.port(), SOCK_STREAM);
  auto idle2 = rsp_test::connect_loopback(server.port(), SOCK_STREAM);
  REQUIRE(idle1.valid());
  REQUIRE(idle2.valid());
  // The idle connections are closed by the server after the timeout.
  std::string buf;
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(rsp_test::recv_exact(idle1.get(), buf, 1));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(1400));
  // A third client is served once slots free up.
  const auto answers = rsp_test::tcp_exchange(server.port(), {rsp_test::build_query(9, "c.example", 1)});
  CHECK(answers.size() == 1);
  server.stop();
}

TEST_CASE("DNS server starts and stops repeatedly without hanging", "[dns][server]") {
  DnsZone zone;
  HistoryLog<DnsHistoryEntry> history;
  DnsServer server(zone, history, {});
  DnsServerOptions o;
  o.port = 0;
  for (int i = 0; i < 20; ++i) {
    REQUIRE(server.start(o).ok());
    CHECK(server.running());
    if (i % 5 == 0) CHECK(rsp_test::udp_exchange(server.port(), rsp_test::build_query(1, "x", 1)));
    const auto t0 = std::chrono::steady_clock::now();
    server.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(500));
    CHECK_FALSE(server.running());
  }
  // A fixed port that is taken makes start() fail with a reason.
  REQUIRE(server.start(o).ok());
  DnsServer second(zone, history, {});
  DnsServerOptions same = o;
  same.port = server.port();
  const auto st = second.start(same);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().reason.find("bind") != std::string::npos);
}

TEST_CASE("answer_dns_message applies the zone's rcode rules without sockets", "[dns][zone]") {
  DnsZone zone;
  zone.add_txt("any.example", "t");
  zone.add_caa("any.example", CaaRecord{0, "issue", "ca.example"});

  auto rcode_of = [&](const std::string& query) {
    const auto x = answer_dns_message(zone, query, 4096);
    const auto d = rsp_test::decode_response(x.response);
    REQUIRE(d.has_value());
    return d->rcode();
  };
  std::string two = rsp_test::build_query(1, "a.example", 1);
  two[5] = 2;
  two += two.substr(12);  // the same question twice
  CHECK(rcode_of(two) == dns_rcode::kFormErr);

  std::string chaos = rsp_test::build_query(1, "version.bind", 16);
  chaos[chaos.size() - 1] = 3;  // class CH
  CHECK(rcode_of(chaos) == dns_rcode::kRefused);

  std::string edns1 = rsp_test::build_query(1, "a.example", 1, 1232);
  edns1[edns1.size() - 5] = 1;  // EDNS version 1
  const auto x = answer_dns_message(zone, edns1, 4096);
  CHECK(x.rcode == "BADVERS");
  const auto d = rsp_test::decode_response(x.response);
  REQUIRE(d.has_value());
  CHECK(d->rcode() == 0);  // low bits; the high bits live in the OPT TTL
  REQUIRE(d->additional.size() == 1);
  CHECK((d->additional[0].ttl >> 24) == 1);

  const auto any = answer_dns_message(zone, rsp_test::build_query(1, "ANY.example", 255), 4096);
  CHECK(any.name == "any.example");
  CHECK(any.type == "ANY");
  CHECK(rsp_test::decode_response(any.response)->answers.size() == 3);  // A, TXT, CAA

  const auto garbage = answer_dns_message(zone, "\x01\x02\x03", 4096);
  CHECK(garbage.response.empty());
  CHECK(garbage.rcode.rfind("FORMERR", 0) == 0);
}
