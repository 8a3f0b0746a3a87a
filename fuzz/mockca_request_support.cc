// Helper of mockca_request_fuzzer: one request through MockCa::handle.
//
// No fault plan is configured, so no answer may be a 5xx, and every error
// must be an application/problem+json problem with a type (RFC 8555 §6.7).
#include <chrono>
#include <memory>
#include <string>

#include "acme/problem.hpp"
#include "common/json.hpp"
#include "fuzz_support.hpp"
#include "mock-ca/mock_ca.hpp"

namespace acmespec::fuzz {
namespace {

constexpr std::size_t kFuzzNonceLimit = 256;

mockca::MockCa& mock_ca() {
  static const std::unique_ptr<mockca::MockCa> ca = [] {
    mockca::MockCaConfig config;
    config.base_url = "https://fuzz.acmespec.test";
    config.seed = 1;
    config.clock = [] { return std::chrono::system_clock::time_point{std::chrono::seconds{1'700'000'000}}; };
    // Validation targets a port nothing listens on, so a challenge the
    // fuzzer manages to trigger fails fast instead of reaching out.
    config.va.http_port = 9;
    config.va.tls_port = 9;
    config.va.dns_server = "127.0.0.1:9";
    config.va.timeout = std::chrono::milliseconds(200);
    config.state_limit = 10000;
    // The CA keeps what it hands out: the observation log (unused here) and
    // the outstanding nonces.  While either grows, an input allocates more
    // than it frees and libFuzzer runs a full LeakSanitizer scan after it,
    // which took ~95% of the time.  No log, and a nonce store filled to its
    // bound before the first input, keep every input's heap balanced.
    config.observation_limit = 0;
    config.nonce_limit = kFuzzNonceLimit;
    auto made = mockca::MockCa::create(config);
    if (!made) fail("the mock CA does not start", made.error().to_string());
    mockca::Request warm;
    warm.method = "HEAD";
    warm.path = "/nonce";
    for (std::size_t i = 0; i < kFuzzNonceLimit + 16; ++i) (void)(*made)->handle(warm);
    return std::move(made).value();
  }();
  return *ca;
}

}  // namespace

void exercise_mockca_request(std::string_view input) {
  mockca::Request req;
  const auto eol = input.find('\n');
  const std::string_view line = input.substr(0, eol);
  const auto space = line.find(' ');
  req.method = std::string(line.substr(0, space));
  req.path = space == std::string_view::npos ? "/dir" : std::string(line.substr(space + 1));
  if (eol != std::string_view::npos) req.body = std::string(input.substr(eol + 1));
  req.headers.emplace("content-type", "application/jose+json");
  req.remote_addr = "127.0.0.1";

  const mockca::Response res = mock_ca().handle(req);
  require(res.status >= 100 && res.status < 500, "the mock CA answered 5xx with no fault planned",
          std::to_string(res.status) + " " + res.body.substr(0, 300));
  // A HEAD answer carries headers only (RFC 9110 §9.3.2).
  if (res.status >= 400 && req.method != "HEAD") {
    require(res.header("Content-Type").rfind("application/problem+json", 0) == 0, "an error is not problem+json",
            res.header("Content-Type"));
    auto doc = parse_json(res.body);
    require(doc.ok(), "an error body is not JSON", res.body.substr(0, 300));
    auto problem = acme::Problem::parse(*doc);
    require(problem.ok() && problem->type.has_value(), "an error body is not a problem with a type",
            res.body.substr(0, 300));
  }
}

}  // namespace acmespec::fuzz
