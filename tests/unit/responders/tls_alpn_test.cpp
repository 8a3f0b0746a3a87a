#include <catch2/catch.hpp>

#include "responders/tls_alpn_server.hpp"
#include "test_support.hpp"

using namespace acmespec::responders;

namespace {

struct TlsFixture {
  HistoryLog<TlsHistoryEntry> history;
  TlsAlpnServer server{history, {}};
  TlsFixture() {
    TlsAlpnOptions o;
    o.port = 0;
    o.handshake_timeout = std::chrono::milliseconds(1000);
    REQUIRE(server.start(o).ok());
    REQUIRE(server.port() != 0);
  }
  rsp_test::TlsOutcome connect(const std::string& sni, std::vector<std::string> alpn = {"acme-tls/1"},
                               bool tls11 = false) {
    return rsp_test::tls_connect(server.port(), sni, alpn, tls11);
  }
};

const std::string kKeyAuth = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

}  // namespace

TEST_CASE("acmeIdentifier value is the DER OCTET STRING of SHA-256(key authorization)", "[tls]") {
  const std::string v = acme_identifier_extension_value("abc");
  REQUIRE(v.size() == 34);
  CHECK(v.substr(0, 2) == std::string("\x04\x20", 2));
  // SHA-256("abc") from FIPS 180-2.
  const unsigned char expected[] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea};
  CHECK(v.substr(2, 8) == std::string(reinterpret_cast<const char*>(expected), 8));
}

TEST_CASE("SNI names map to identifiers, reverse names to IPs", "[tls]") {
  CHECK(identifier_from_sni("Example.COM") == TlsIdentifier{TlsIdentifier::Kind::kDns, "example.com"});
  CHECK(identifier_from_sni("1.0.0.127.in-addr.arpa") == TlsIdentifier{TlsIdentifier::Kind::kIp, "127.0.0.1"});
  CHECK(identifier_from_sni("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa") ==
        TlsIdentifier{TlsIdentifier::Kind::kIp, "::1"});
  CHECK(identifier_from_sni("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.IP6.ARPA") ==
        TlsIdentifier{TlsIdentifier::Kind::kIp, "4321:0:1:2:3:4:567:89ab"});
  // Malformed reverse names stay DNS names.
  CHECK(identifier_from_sni("1.0.127.in-addr.arpa").kind == TlsIdentifier::Kind::kDns);
  CHECK(identifier_from_sni("300.0.0.127.in-addr.arpa").kind == TlsIdentifier::Kind::kDns);
  CHECK(canonical_identifier("0:0::1") == TlsIdentifier{TlsIdentifier::Kind::kIp, "::1"});
}

TEST_CASE("TLS-ALPN-01 presents the challenge certificate for acme-tls/1 + SNI", "[tls]") {
  TlsFixture f;
  f.server.add_key_authorization("Test.Example", kKeyAuth);
  const auto out = f.connect("test.example");
  REQUIRE(out.handshake_ok);
  CHECK(out.alpn == "acme-tls/1");
  REQUIRE(out.peer);
  const auto san = rsp_test::sans_of(out.peer.get());
  CHECK(san.dns == std::vector<std::string>{"test.example"});
  CHECK(san.ips.empty());
  const auto ext = rsp_test::extension_of(out.peer.get(), "1.3.6.1.5.5.7.1.31");
  REQUIRE(ext.present);
  CHECK(ext.critical);
  CHECK(ext.value == acme_identifier_extension_value(kKeyAuth));
  CHECK(X509_check_issued(out.peer.get(), out.peer.get()) == X509_V_OK);  // self-signed

  REQUIRE(rsp_test::eventually([&] { return f.history.snapshot().size() == 1; }));
  const auto h = f.history.snapshot();
  CHECK(h[0].sni == "test.example");
  CHECK(h[0].alpn_offered == std::vector<std::string>{"acme-tls/1"});
  CHECK(h[0].alpn_selected == "acme-tls/1");
  CHECK(h[0].version == out.version);
  CHECK(h[0].outcome == "challenge certificate");
}

TEST_CASE("TLS-ALPN-01 uses an iPAddress SAN for reverse-name SNI (RFC 8738)", "[tls]") {
  TlsFixture f;
  f.server.add_key_authorization("127.0.0.1", kKeyAuth);
  const auto out = f.connect("1.0.0.127.in-addr.arpa");
  REQUIRE(out.handshake_ok);
  REQUIRE(out.peer);
  const auto san = rsp_test::sans_of(out.peer.get());
  CHECK(san.dns.empty());
  CHECK(san.ips == std::vector<std::string>{"127.0.0.1"});
  CHECK(rsp_test::extension_of(out.peer.get(), "1.3.6.1.5.5.7.1.31").value ==
        acme_identifier_extension_value(kKeyAuth));
}

TEST_CASE("TLS-ALPN-01 without acme-tls/1 serves the default certificate", "[tls]") {
  TlsFixture f;
  f.server.add_key_authorization("test.example", kKeyAuth);
  for (const auto& alpn : {std::vector<std::string>{}, std::vector<std::string>{"http/1.1"}}) {
    const auto out = f.connect("test.example", alpn);
    REQUIRE(out.handshake_ok);
    CHECK(out.alpn.empty());
    REQUIRE(out.peer);
    CHECK_FALSE(rsp_test::extension_of(out.peer.get(), "1.3.6.1.5.5.7.1.31").present);
    CHECK(rsp_test::sans_of(out.peer.get()).dns == std::vector<std::string>{"acmespec-default.invalid"});
  }
  REQUIRE(rsp_test::eventually([&] { return f.history.snapshot().size() == 2; }));
  CHECK(f.history.snapshot().back().outcome == "default certificate");
}

TEST_CASE("TLS-ALPN-01 refuses unknown identifiers and missing SNI", "[tls]") {
  TlsFixture f;
  const auto unknown = f.connect("unknown.example");
  CHECK_FALSE(unknown.handshake_ok);
  CHECK(unknown.error.find("unrecognized name") != std::string::npos);
  const auto no_sni = f.connect("");
  CHECK_FALSE(no_sni.handshake_ok);
  const auto h = f.history.snapshot();
  REQUIRE(h.size() == 2);
  CHECK(h[0].outcome == "no key authorization registered for unknown.example");
  CHECK(h[1].outcome == "acme-tls/1 offered without SNI");
}

TEST_CASE("TLS-ALPN-01 faults each break one rule", "[tls]") {
  TlsFixture f;
  TlsAlpnFaults legacy;
  legacy.legacy_oid = true;
  f.server.add_key_authorization("legacy.example", kKeyAuth, legacy);
  TlsAlpnFaults noncrit;
  noncrit.non_critical = true;
  f.server.add_key_authorization("noncrit.example", kKeyAuth, noncrit);
  TlsAlpnFaults extra;
  extra.extra_san = "extra.example";
  f.server.add_key_authorization("extra.example.org", kKeyAuth, extra);
  TlsAlpnFaults digest;
  digest.wrong_digest = true;
  f.server.add_key_authorization("digest.example", kKeyAuth, digest);
  TlsAlpnFaults no_alpn;
  no_alpn.no_alpn = true;
  f.server.add_key_authorization("noalpn.example", kKeyAuth, no_alpn);

  auto out = f.connect("legacy.example");
  REQUIRE(out.handshake_ok);
  CHECK_FALSE(rsp_test::extension_of(out.peer.get(), "1.3.6.1.5.5.7.1.31").present);
  CHECK(rsp_test::extension_of(out.peer.get(), "1.3.6.1.5.5.7.1.30.1").value ==
        acme_identifier_extension_value(kKeyAuth));

  out = f.connect("noncrit.example");
  REQUIRE(out.handshake_ok);
  const auto ext = rsp_test::extension_of(out.peer.get(), "1.3.6.1.5.5.7.1.31");
  CHECK(ext.present);
  CHECK_FALSE(ext.critical);

  out = f.connect("extra.example.org");
  REQUIRE(out.handshake_ok);
  CHECK(rsp_test::sans_of(out.peer.get()).dns ==
        std::vector<std::string>{"extra.example.org", "extra.example"});

  out = f.connect("digest.example");
  REQUIRE(out.handshake_ok);
  const auto d = rsp_test::extension_of(out.peer.get(), "1.3.6.1.5.5.7.1.31");
  CHECK(d.value.size() == 34);
  CHECK(d.value != acme_identifier_extension_value(kKeyAuth));

  out = f.connect("noalpn.example");
  REQUIRE(out.handshake_ok);
  CHECK(out.alpn.empty());
  CHECK(rsp_test::extension_of(out.peer.get(), "1.3.6.1.5.5.7.1.31").present);
}

TEST_CASE("TLS-ALPN-01 max_tls_1_1 fault caps the protocol version", "[tls]") {
  TlsFixture f;
  TlsAlpnFaults old;
  old.max_tls_1_1 = true;
  f.server.add_key_authorization("old.example", kKeyAuth, old);
  // A validator at the default security level refuses the handshake.
  const auto strict = f.connect("old.example");
  CHECK_FALSE(strict.handshake_ok);
  // One that allows TLS 1.1 negotiates it.
  const auto lax = f.connect("old.example", {"acme-tls/1"}, true);
  if (lax.handshake_ok) {
    CHECK(lax.version == "TLSv1.1");
  } else {
    WARN("this OpenSSL build cannot negotiate TLS 1.1 at all: " << lax.error);
  }
}

TEST_CASE("TLS-ALPN-01 times out silent connections and stops promptly", "[tls]") {
  HistoryLog<TlsHistoryEntry> history;
  TlsAlpnServer server(history, {});
  TlsAlpnOptions o;
  o.port = 0;
  o.handshake_timeout = std::chrono::milliseconds(200);
  o.max_connections = 2;
  for (int round = 0; round < 5; ++round) {
    REQUIRE(server.start(o).ok());
    auto silent = rsp_test::connect_loopback(server.port(), SOCK_STREAM);
    REQUIRE(silent.valid());
    std::string buf;
    CHECK_FALSE(rsp_test::recv_exact(silent.get(), buf, 1));  // closed by the server
    server.stop();
    CHECK_FALSE(server.running());
  }
  REQUIRE_FALSE(history.snapshot().empty());
  CHECK(history.snapshot().front().outcome == "handshake timed out");
}
