#include <catch2/catch.hpp>

#include <httplib.h>

#include "responders/http01_server.hpp"

using namespace acmespec::responders;

namespace {

struct HttpFixture {
  HistoryLog<HttpHistoryEntry> history;
  Http01Server server{history, {}};
  HttpFixture() {
    Http01Options o;
    o.port = 0;
    REQUIRE(server.start(o).ok());
    REQUIRE(server.port() != 0);
  }
  httplib::Client client(const std::string& host_header = "") {
    httplib::Client c("127.0.0.1", server.port());
    c.set_connection_timeout(std::chrono::seconds(2));
    c.set_read_timeout(std::chrono::seconds(2));
    if (!host_header.empty()) c.set_default_headers({{"Host", host_header}});
    return c;
  }
};

}  // namespace

TEST_CASE("HTTP-01 serves registered tokens and 404 otherwise", "[http01]") {
  HttpFixture f;
  REQUIRE(f.server.add_token("tok-1", "tok-1.thumbprint").ok());
  auto c = f.client();

  auto ok = c.Get("/.well-known/acme-challenge/tok-1");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(ok->body == "tok-1.thumbprint");
  CHECK(ok->get_header_value("Content-Type") == "application/octet-stream");

  auto missing = c.Get("/.well-known/acme-challenge/other");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  auto root = c.Get("/");
  REQUIRE(root);
  CHECK(root->status == 404);
  auto post = c.Post("/.well-known/acme-challenge/tok-1", "", "text/plain");
  REQUIRE(post);
  CHECK(post->status == 404);

  CHECK(f.server.remove_token("tok-1"));
  CHECK_FALSE(f.server.remove_token("tok-1"));
  auto gone = c.Get("/.well-known/acme-challenge/tok-1");
  REQUIRE(gone);
  CHECK(gone->status == 404);

  CHECK_FALSE(f.server.add_token("", "x").ok());
  CHECK_FALSE(f.server.add_token("a/b", "x").ok());
}

TEST_CASE("HTTP-01 history records each Host header separately", "[http01]") {
  HttpFixture f;
  REQUIRE(f.server.add_token("t", "t.k").ok());
  for (const auto* host : {"a.example", "b.example:5002"}) {
    auto c = f.client(host);
    c.set_default_headers({{"Host", host}, {"User-Agent", "validator/1"}});
    auto r = c.Get("/.well-known/acme-challenge/t");
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  const auto h = f.history.snapshot();
  REQUIRE(h.size() == 2);
  CHECK(h[0].host == "a.example");
  CHECK(h[1].host == "b.example:5002");
  CHECK(h[0].path == "/.well-known/acme-challenge/t");
  CHECK(h[0].user_agent == "validator/1");
  CHECK(h[0].status == 200);
  CHECK(h[0].source.rfind("127.0.0.1:", 0) == 0);
  CHECK(to_json(h[1])["host"] == "b.example:5002");
  CHECK(h[0].port == f.server.port());
  CHECK(to_json(h[1])["port"] == f.server.port());
}

TEST_CASE("HTTP-01 faults: wrong key authorization, redirect, oversized body, delay", "[http01]") {
  HttpFixture f;
  auto c = f.client();

  Http01Faults wrong;
  wrong.wrong_key_authorization = "not-it";
  REQUIRE(f.server.add_token("w", "w.k", wrong).ok());
  CHECK(c.Get("/.well-known/acme-challenge/w")->body == "not-it");

  Http01Faults redirect;
  redirect.redirect = HttpRedirect{307, "http://elsewhere.example/.well-known/acme-challenge/r"};
  REQUIRE(f.server.add_token("r", "r.k", redirect).ok());
  auto rr = c.Get("/.well-known/acme-challenge/r");
  REQUIRE(rr);
  CHECK(rr->status == 307);
  CHECK(rr->get_header_value("Location") == "http://elsewhere.example/.well-known/acme-challenge/r");

  Http01Faults big;
  big.oversized_body_bytes = 200000;
  REQUIRE(f.server.add_token("big", "big.k", big).ok());
  auto rb = c.Get("/.well-known/acme-challenge/big");
  REQUIRE(rb);
  CHECK(rb->body.size() == 200000);
  CHECK(rb->body.rfind("big.k", 0) == 0);
  CHECK(rb->body.back() == 'A');

  Http01Faults slow;
  slow.delay = std::chrono::milliseconds(300);
  REQUIRE(f.server.add_token("slow", "slow.k", slow).ok());
  const auto t0 = std::chrono::steady_clock::now();
  auto rs = c.Get("/.well-known/acme-challenge/slow");
  REQUIRE(rs);
  CHECK(rs->body == "slow.k");
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(300));
}

TEST_CASE("HTTP-01 stop() cuts a long delay short", "[http01]") {
  HttpFixture f;
  Http01Faults slow;
  slow.delay = std::chrono::seconds(30);
  REQUIRE(f.server.add_token("slow", "k", slow).ok());
  std::thread requester([port = f.server.port()] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(std::chrono::seconds(3));
    (void)c.Get("/.well-known/acme-challenge/slow");
  });
  // Wait (bounded) until the request is being handled.
  for (int i = 0; i < 200 && f.history.snapshot().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto t0 = std::chrono::steady_clock::now();
  f.server.stop();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
  requester.join();
}

TEST_CASE("HTTP-01 restarts repeatedly and keeps its tokens", "[http01]") {
  HistoryLog<HttpHistoryEntry> history;
  Http01Server server(history, {});
  REQUIRE(server.add_token("keep", "keep.k").ok());
  Http01Options o;
  o.port = 0;
  for (int i = 0; i < 10; ++i) {
    REQUIRE(server.start(o).ok());
    if (i % 3 == 0) {
      httplib::Client c("127.0.0.1", server.port());
      c.set_read_timeout(std::chrono::seconds(2));
      auto r = c.Get("/.well-known/acme-challenge/keep");
      REQUIRE(r);
      CHECK(r->body == "keep.k");
    }
    server.stop();
    CHECK_FALSE(server.running());
  }
}
