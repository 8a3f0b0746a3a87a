// HTTP messages as the harness records them: ordered headers, binary-safe
// bodies, and one Exchange per request/response pair (or failed attempt).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace acmespec::http {

using Header = std::pair<std::string, std::string>;  // name, value
using Headers = std::vector<Header>;                   // in wire order

// ASCII case-insensitive comparison, as HTTP field names want.
bool iequals(std::string_view a, std::string_view b);

// First value of a field, or nullopt.
std::optional<std::string> header_value(const Headers& headers, std::string_view name);
// Every value of a field in order (a field may repeat, e.g. Link).
std::vector<std::string> header_values(const Headers& headers, std::string_view name);

struct Request {
  std::string method = "GET";
  std::string url;  // absolute http:// or https:// URL
  Headers headers;
  std::string body;

  std::optional<std::string> get(std::string_view name) const { return header_value(headers, name); }
};

struct Response {
  // The transport (cpp-httplib) keeps fields in a map ordered by name, so
  // `headers` is sorted case-insensitively by name; repeated fields keep
  // their wire order among themselves, which is what Link needs.
  int status = 0;
  std::string version;  // "HTTP/1.1" as the status line said
  std::string reason;
  Headers headers;
  std::string body;

  std::optional<std::string> get(std::string_view name) const { return header_value(headers, name); }
  std::vector<std::string> get_all(std::string_view name) const { return header_values(headers, name); }
};

struct Exchange {
  std::string id;  // "x0001", given by the Transcript
  // As sent: the headers include those the transport added (Host, Accept,
  // User-Agent, Content-Length, ...).  Their order is the transport's, which
  // sorts names case-insensitively.
  Request request;
  // Absent when no status line arrived (refused, reset, timeout, TLS).  May
  // be present together with `error` when the transfer broke off after the
  // headers, e.g. at the body cap or the total deadline.
  std::optional<Response> response;
  std::string error;  // empty on success
  std::chrono::system_clock::time_point started_at{};
  std::chrono::microseconds duration{0};
  bool body_truncated = false;     // the body hit max_response_body
  bool headers_truncated = false;  // the header caps stopped the read
  std::string redirected_from;     // id of the previous hop when following redirects

  bool ok() const { return response.has_value() && error.empty(); }
};

}  // namespace acmespec::http
