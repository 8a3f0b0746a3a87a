#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include "http/client.hpp"
#include "support.hpp"

using namespace acmespec::http;
using namespace acmespec::http::test;
using namespace std::chrono_literals;

namespace {

ClientOptions fast_options() {
  ClientOptions o;
  o.connect_timeout = 500ms;
  o.read_timeout = 300ms;
  o.write_timeout = 300ms;
  o.total_timeout = 1500ms;
  o.version = "9.9";
  return o;
}

Request get(const std::string& url) {
  Request r;
  r.url = url;
  return r;
}

// Reads what the client sent (one recv is enough for these small requests).
void drain_request(int fd) {
  char buf[4096];
  timeval tv{0, 200000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  (void)::recv(fd, buf, sizeof buf, 0);
}

// Sends `data` one byte per 100 ms until it runs out, the peer goes away or
// the server stops.
void drip(int fd, const std::string& data, const std::atomic<bool>& stopping) {
  for (char c : data) {
    if (stopping || ::send(fd, &c, 1, MSG_NOSIGNAL) != 1) return;
    sleep_unless_stopping(100ms, stopping);
  }
}

long long ms(std::chrono::microseconds d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

}  // namespace

TEST_CASE("a plain request and response are recorded in the transcript", "[http][client]") {
  HttpServer server([](httplib::Server& s) {
    s.Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Test", "1");
      res.set_header("Link", "<https://ca.test/a>;rel=up");
      res.set_header("Link", "<https://ca.test/b>;rel=index");
      res.set_content("hi " + req.get_header_value("User-Agent") + " " + req.target, "text/plain");
    });
    s.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.status = 201;
      res.set_content(req.body, req.get_header_value("Content-Type"));
    });
  });
  Transcript transcript;
  Client client(fast_options(), transcript);

  Exchange ex = client.send(get(server.url("/hello?x=%2F")));
  INFO(ex.error);
  REQUIRE(ex.ok());
  CHECK(ex.id == "x0001");
  CHECK(ex.response->status == 200);
  CHECK(ex.response->version == "HTTP/1.1");
  CHECK(ex.response->body == "hi acmespec/9.9 /hello?x=%2F");  // target sent verbatim
  CHECK(ex.response->get("x-test") == "1");
  CHECK(ex.response->get_all("LINK") ==
        std::vector<std::string>{"<https://ca.test/a>;rel=up", "<https://ca.test/b>;rel=index"});
  CHECK(ex.request.get("User-Agent") == "acmespec/9.9");
  CHECK(ex.request.get("Host") == "127.0.0.1:" + std::to_string(server.port()));
  CHECK(ex.duration > 0us);

  Request post;
  post.method = "POST";
  post.url = server.url("/echo");
  post.headers = {{"Content-Type", "application/jose+json"}};
  post.body = R"({"payload":""})";
  Exchange created = client.send(post);
  REQUIRE(created.ok());
  CHECK(created.id == "x0002");
  CHECK(created.response->status == 201);
  CHECK(created.response->body == post.body);
  CHECK(created.request.get("Content-Length") == std::to_string(post.body.size()));

  REQUIRE(transcript.size() == 2);
  const auto doc = transcript.to_json();
  CHECK(doc["exchanges"][0]["response"]["status"] == 200);
  CHECK(doc["exchanges"][1]["request"]["body"] == post.body);
}

TEST_CASE("a closed port fails fast with a clear error", "[http][client]") {
  Transcript transcript;
  Client client(fast_options(), transcript);
  const int port = closed_port();
  Exchange ex = client.send(get("http://127.0.0.1:" + std::to_string(port) + "/"));
  CHECK_FALSE(ex.ok());
  CHECK_FALSE(ex.response);
  CHECK(ex.error == "could not connect to 127.0.0.1:" + std::to_string(port) +
                        " (connection refused or host unreachable)");
  CHECK(ms(ex.duration) < 400);
  CHECK(transcript.size() == 1);
}

TEST_CASE("invalid URLs and header injection never reach the network", "[http][client]") {
  Transcript transcript;
  Client client(fast_options(), transcript);
  Exchange ftp = client.send(get("ftp://127.0.0.1/"));
  CHECK(ftp.error.find("unsupported scheme 'ftp'") != std::string::npos);
  Request injected = get("http://127.0.0.1:1/");
  injected.headers = {{"X-A", "b\r\nX-Evil: 1"}};
  Exchange inj = client.send(injected);
  CHECK(inj.error.find("CR, LF or NUL") != std::string::npos);
  CHECK(transcript.size() == 2);
}

TEST_CASE("a server that never answers hits the read timeout", "[http][client]") {
  RawServer server([](int fd, const std::atomic<bool>& stopping) {
    drain_request(fd);
    sleep_unless_stopping(3s, stopping);
  });
  Transcript transcript;
  Client client(fast_options(), transcript);
  Exchange ex = client.send(get(server.url("/")));
  CHECK_FALSE(ex.response);
  CHECK(ex.error == "timed out after 300ms waiting for the response status line and headers from 127.0.0.1:" +
                        std::to_string(server.port()));
  CHECK(ms(ex.duration) >= 250);
  CHECK(ms(ex.duration) < 1000);
}

TEST_CASE("a server that closes without answering is reported as such", "[http][client]") {
  RawServer server([](int fd, const std::atomic<bool>&) { drain_request(fd); });
  Transcript transcript;
  Client client(fast_options(), transcript);
  Exchange ex = client.send(get(server.url("/")));
  CHECK_FALSE(ex.response);
  CHECK(ex.error.find("connection closed or reset by 127.0.0.1:") != std::string::npos);
}

TEST_CASE("a body over the cap is cut with a clear error", "[http][client]") {
  HttpServer server([](httplib::Server& s) {
    s.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(100000, 'a'), "text/plain");
    });
    s.Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [](std::size_t offset, httplib::DataSink& sink) {
        if (offset >= 200000) {
          sink.done();
          return true;
        }
        const std::string chunk(1000, 'b');
        return sink.write(chunk.data(), chunk.size());
      });
    });
  });
  Transcript transcript;
  ClientOptions options = fast_options();
  options.max_response_body = 1024;
  Client client(options, transcript);
  for (const char* path : {"/big", "/chunked"}) {
    INFO(path);
    Exchange ex = client.send(get(server.url(path)));
    REQUIRE(ex.response);
    CHECK(ex.response->status == 200);
    CHECK(ex.response->body.size() == 1024);
    CHECK(ex.body_truncated);
    CHECK(ex.error == "response body exceeds the cap of 1024 bytes; read stopped there");
    CHECK_FALSE(ex.ok());
  }
  CHECK(transcript.to_json()["exchanges"][0]["response"]["body_truncated"] == true);
}

TEST_CASE("too many response header fields abort the exchange", "[http][client]") {
  HttpServer server([](httplib::Server& s) {
    s.Get("/", [](const httplib::Request&, httplib::Response& res) {
      for (int i = 0; i < 40; ++i) res.set_header("X-H" + std::to_string(i), "v");
      res.set_content("x", "text/plain");
    });
  });
  Transcript transcript;
  ClientOptions options = fast_options();
  options.max_response_headers = 10;
  Client client(options, transcript);
  Exchange ex = client.send(get(server.url("/")));
  CHECK(ex.headers_truncated);
  CHECK(ex.error.find("over the cap of 10") != std::string::npos);
  CHECK_FALSE(ex.ok());

  options.max_response_headers = 100;
  options.max_response_header_bytes = 64;
  Client small(options, transcript);
  Exchange bytes = small.send(get(server.url("/")));
  CHECK(bytes.error.find("bytes, over the cap of 64") != std::string::npos);
}

TEST_CASE("a server dripping its headers hits the total deadline", "[http][client]") {
  RawServer server([](int fd, const std::atomic<bool>& stopping) {
    drain_request(fd);
    drip(fd, "HTTP/1.1 200 OK\r\nX-Slow: " + std::string(100, 'a') + "\r\n\r\n", stopping);
  });
  Transcript transcript;
  ClientOptions options = fast_options();
  options.total_timeout = 700ms;
  Client client(options, transcript);
  Exchange ex = client.send(get(server.url("/")));
  CHECK_FALSE(ex.ok());
  CHECK(ex.error == "exceeded the total deadline of 700ms while reading the response status line and headers "
                    "from 127.0.0.1:" + std::to_string(server.port()));
  CHECK(ms(ex.duration) >= 650);
  CHECK(ms(ex.duration) < 1200);
}

TEST_CASE("a server dripping its body hits the total deadline", "[http][client]") {
  RawServer server([](int fd, const std::atomic<bool>& stopping) {
    drain_request(fd);
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";
    (void)::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    drip(fd, std::string(100, 'z'), stopping);
  });
  Transcript transcript;
  ClientOptions options = fast_options();
  options.total_timeout = 700ms;
  Client client(options, transcript);
  Exchange ex = client.send(get(server.url("/")));
  REQUIRE(ex.response);
  CHECK(ex.response->status == 200);
  CHECK(ex.response->body.size() < 100);
  CHECK(ex.error.find("exceeded the total deadline of 700ms while reading the response body") != std::string::npos);
  CHECK(ms(ex.duration) < 1200);
}

TEST_CASE("redirects: not followed by default, followed and bounded when asked", "[http][client]") {
  HttpServer server([](httplib::Server& s) {
    s.Get("/r1", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/r2", 302); });
    s.Get("/r2", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("r3", 301); });
    s.Get("/r3", [](const httplib::Request&, httplib::Response& res) { res.set_content("done", "text/plain"); });
    s.Get("/loop", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop", 307); });
    s.Post("/post", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/seen", 303); });
    s.Get("/seen", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.method + " " + std::to_string(req.body.size()), "text/plain");
    });
  });

  Transcript plain;
  Client no_follow(fast_options(), plain);
  Exchange first = no_follow.send(get(server.url("/r1")));
  REQUIRE(first.ok());
  CHECK(first.response->status == 302);
  CHECK(first.response->get("Location") == "/r2");
  CHECK(plain.size() == 1);

  Transcript followed;
  ClientOptions options = fast_options();
  options.follow_redirects = true;
  options.max_redirects = 3;
  Client follow(options, followed);
  Exchange last = follow.send(get(server.url("/r1")));
  REQUIRE(last.ok());
  CHECK(last.response->body == "done");
  REQUIRE(followed.size() == 3);
  const auto hops = followed.exchanges();
  CHECK(hops[0].redirected_from.empty());
  CHECK(hops[1].redirected_from == hops[0].id);
  CHECK(hops[2].redirected_from == hops[1].id);
  CHECK(hops[2].request.url == server.url("/r3"));
  CHECK(last.id == hops[2].id);

  Transcript looped;
  Client loop(options, looped);
  Exchange stuck = loop.send(get(server.url("/loop")));
  CHECK(looped.size() == 4);  // the request plus three redirects followed
  CHECK(stuck.response->status == 307);
  CHECK(stuck.error == "stopped after 3 redirects; this response redirects again to '/loop'");

  Transcript see_other;
  Client post_client(options, see_other);
  Request post;
  post.method = "POST";
  post.url = server.url("/post");
  post.headers = {{"Content-Type", "application/jose+json"}};
  post.body = "{}";
  Exchange seen = post_client.send(post);
  REQUIRE(seen.ok());
  CHECK(seen.response->body == "GET 0");
  CHECK_FALSE(seen.request.get("Content-Type"));
}
