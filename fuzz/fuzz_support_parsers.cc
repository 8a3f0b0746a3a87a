// Helpers for the parser targets: ACME resources, HTTP header fields, DNS
// messages and scenario files.
#include <chrono>
#include <string>
#include <vector>

#include "acme/acme.hpp"
#include "common/json.hpp"
#include "engine/catalogue.hpp"
#include "engine/scenario.hpp"
#include "fuzz_support.hpp"
#include "http/link.hpp"
#include "http/retry_after.hpp"
#include "http/transcript.hpp"
#include "responders/dns_message.hpp"
#include "server/server_mode.hpp"

namespace acmespec::fuzz {
namespace {

template <class T>
void round_trip(const nlohmann::json& doc, const std::string& root) {
  auto x = T::parse(doc, root);
  if (!x) {
    require(x.error().path.rfind(root, 0) == 0, "resource error outside its root", x.error().to_string());
    require(!x.error().reason.empty(), "resource error without a reason");
    return;
  }
  const nlohmann::json once = x->to_json();
  auto y = T::parse(once, root);
  require(y.ok(), "to_json() of a parsed resource does not parse", root + ": " + once.dump());
  require(*y == *x, "resource round trip changed the value", root + ": " + once.dump());
  require(y->to_json() == once, "resource to_json() is not stable", root);
}

// A fixed "now" keeps Retry-After results reproducible.
constexpr std::chrono::sys_seconds kNow{std::chrono::seconds{1'700'000'000}};

}  // namespace

void exercise_resources(std::string_view text) {
  auto doc = parse_json(text);
  if (!doc) return;
  round_trip<acme::Directory>(*doc, "directory");
  round_trip<acme::Account>(*doc, "account");
  round_trip<acme::Order>(*doc, "order");
  round_trip<acme::OrdersList>(*doc, "orders");
  round_trip<acme::Authorization>(*doc, "authorization");
  round_trip<acme::Challenge>(*doc, "challenge");
  round_trip<acme::Problem>(*doc, "problem");
  round_trip<acme::Identifier>(*doc, "identifier");
  if (doc->is_string()) {
    auto t = acme::Timestamp::parse(doc->get<std::string>());
    if (t) {
      auto again = acme::Timestamp::parse(t->to_string());
      require(again.ok() && *again == *t, "timestamp round trip changed the instant", t->to_string());
    }
  }
}

void exercise_http_headers(std::string_view text) {
  auto links = http::parse_link_header(text);
  if (links) {
    for (const auto& link : *links) {
      for (const auto& rel : link.rels) {
        require(!rel.empty(), "empty link relation");
        for (char c : rel) require(!(c >= 'A' && c <= 'Z'), "relation not lower-cased", rel);
      }
    }
    (void)http::find_links(*links, "next");
    (void)http::resolve_links(*links, "https://ca.example/acme/order/1?x=y");
  }
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (start <= text.size() && fields.size() < 64) {
    const std::size_t end = text.find('\n', start);
    fields.emplace_back(text.substr(start, end == std::string_view::npos ? text.size() - start : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  (void)http::parse_link_headers(fields);

  auto wait = http::parse_retry_after(text, std::chrono::system_clock::time_point{kNow});
  if (wait) require(wait->count() >= 0, "negative Retry-After", text);
  (void)http::parse_http_date(text, std::chrono::system_clock::time_point{kNow});
}

void exercise_dns_message(std::string_view bytes) {
  auto query = responders::parse_dns_message(bytes);
  if (!query) {
    const std::string err = responders::build_dns_error_response(bytes, responders::dns_rcode::kFormErr);
    require(err.size() == 12 || bytes.size() < 2, "error response is not a bare header");
    return;
  }
  responders::DnsAnswers answers;
  answers.answers.push_back(responders::make_a_record(std::string("\x7f\x00\x00\x01", 4), 60));
  answers.answers.push_back(responders::make_txt_record(std::string(300, 'x'), 60));
  answers.answers.push_back(responders::make_caa_record(0, "issue", "acmespec.test", 60));
  for (std::size_t cap : {std::size_t{512}, std::size_t{65535}}) {
    responders::DnsResponseOptions options;
    options.max_bytes = cap;
    const std::string response = responders::build_dns_response(*query, answers, options);
    require(response.size() >= 12, "response shorter than a header");
    require(response.size() <= cap || cap < 512, "response above the size cap");
    require(static_cast<unsigned char>(response[0]) == (query->id >> 8) &&
                static_cast<unsigned char>(response[1]) == (query->id & 0xff),
            "response id differs from the query id");
  }
  for (const auto& q : query->questions) {
    (void)q.name();
    auto wire = responders::encode_dns_name(q.labels);
    (void)wire;
  }
}

void exercise_scenario(std::string_view text) {
  static const engine::Catalogue catalogue = [] {
    auto doc = parse_json(embedded_catalogue());
    if (!doc) fail("the embedded catalogue is not JSON", doc.error().to_string());
    auto cat = engine::parse_catalogue(*doc);
    if (!cat) fail("the embedded catalogue does not load", cat.error().to_string());
    return std::move(cat).value();
  }();
  // The server-mode vocabulary validates steps; constructing it opens nothing.
  static http::Transcript transcript;
  static const server::ServerExecutor vocabulary(server::ServerConfig{}, transcript);

  auto doc = parse_json(text);
  if (!doc) return;
  auto scenario = engine::parse_scenario(*doc, "fuzz.json", catalogue, vocabulary);
  if (!scenario) {
    require(scenario.error().path.rfind("fuzz.json", 0) == 0, "scenario error does not name the file",
            scenario.error().to_string());
    return;
  }
  for (const auto& id : scenario->cited_checks()) {
    require(catalogue.find(id) != nullptr, "a loaded scenario cites a check outside the catalogue", id);
  }
}

}  // namespace acmespec::fuzz
