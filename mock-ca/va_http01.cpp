// HTTP-01 (RFC 8555 §8.3): GET the token path from the identifier's address
// on the configured port with Host set to the name; follow a bounded number
// of redirects to http URLs on the configured port (or 80), never a loop;
// cap the answer; compare the key authorization ignoring trailing whitespace.
#include <cctype>
#include <set>

#include "mock-ca/va.hpp"
#include "mock-ca/va_net.hpp"

namespace acmespec::mockca::detail {
namespace {

using acme::Problem;

constexpr std::size_t kMaxResponse = 16 * 1024;
constexpr int kMaxRedirects = 10;

struct Target {
  std::string host;  // name or IP literal (no brackets)
  std::uint16_t port = 0;
  std::string path;
};

std::string http_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Result<HttpAnswer> parse_http(const std::string& raw) {
  const auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return make_error("http", "no complete header block");
  HttpAnswer a;
  const auto line_end = raw.find("\r\n");
  const std::string status_line = raw.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) return make_error("http", "bad status line");
  try {
    a.status = std::stoi(status_line.substr(9, 3));
  } catch (const std::exception&) {
    return make_error("http", "bad status code");
  }
  for (std::size_t at = line_end + 2; at < end;) {
    const auto nl = raw.find("\r\n", at);
    const std::string line = raw.substr(at, nl - at);
    at = nl + 2;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string name = http_lower(line.substr(0, colon));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
    if (name == "location") a.location = value;
    if (name == "transfer-encoding" && http_lower(value).find("chunked") != std::string::npos) a.chunked = true;
  }
  a.body = raw.substr(end + 4);
  if (a.chunked) {
    std::string decoded;
    std::size_t at = 0;
    while (true) {
      const auto nl = a.body.find("\r\n", at);
      if (nl == std::string::npos) return make_error("http", "truncated chunked body");
      std::size_t size = 0;
      try {
        size = std::stoul(a.body.substr(at, nl - at), nullptr, 16);
      } catch (const std::exception&) {
        return make_error("http", "bad chunk size");
      }
      if (size == 0) break;
      if (nl + 2 + size > a.body.size()) return make_error("http", "truncated chunk");
      decoded += a.body.substr(nl + 2, size);
      at = nl + 2 + size + 2;
    }
    a.body = decoded;
  }
  return a;
}

namespace {

Result<Target> parse_location(const std::string& location, const Target& from) {
  if (!location.empty() && location.front() == '/') return Target{from.host, from.port, location};
  const std::string l = http_lower(location.substr(0, 8));
  if (l.rfind("https://", 0) == 0)
    return make_error("redirect", "redirect to an https URL, which this validator does not follow: " + location);
  if (l.rfind("http://", 0) != 0) return make_error("redirect", "redirect to a URL that is not http: " + location);
  const std::string rest = location.substr(7);
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  Target t;
  t.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (auto hp = split_host_port(authority)) {
    t.host = hp->first;
    t.port = hp->second;
  } else {
    t.host = authority;
    t.port = 80;
  }
  if (t.host.empty()) return make_error("redirect", "redirect without a host: " + location);
  return t;
}

}  // namespace

std::optional<Problem> validate_http01(const VaConfig& config, const VaJob& job) {
  const Deadline deadline = std::chrono::steady_clock::now() + config.timeout;
  Target target{job.identifier.value, config.http_port, "/.well-known/acme-challenge/" + job.token};
  std::set<std::string> seen;
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    const std::string key = target.host + "|" + std::to_string(target.port) + "|" + target.path;
    if (!seen.insert(key).second) return Problem::connection("redirect loop at http://" + target.host + target.path);
    // §8.3 allows redirects to ports 80 and 443 only; here the configured port stands in for 80.
    if (target.port != config.http_port && target.port != 80)
      return Problem::connection("redirect to port " + std::to_string(target.port) + ", which is not the HTTP-01 port");
    std::vector<std::string> addresses;
    if (acme::is_ip_address(target.host)) {
      addresses = {target.host};
    } else {
      auto resolved = resolve_addresses(config, target.host);
      if (!resolved) return Problem::dns("cannot resolve " + target.host + ": " + resolved.error().to_string());
      addresses = *resolved;
    }
    Result<responders::UniqueFd> fd = make_error("connect", "no address");
    for (const auto& addr : addresses) {
      fd = connect_tcp(addr, target.port, deadline);
      if (fd) break;
    }
    if (!fd) return Problem::connection("cannot connect to " + target.host + ": " + fd.error().to_string());
    const bool v6 = target.host.find(':') != std::string::npos;
    const std::string host_header = (v6 ? "[" + target.host + "]" : target.host) +
                                    (target.port == 80 ? "" : ":" + std::to_string(target.port));
    const std::string request = "GET " + target.path + " HTTP/1.1\r\nHost: " + host_header +
                                "\r\nUser-Agent: acmespec-mock-ca-va\r\nAccept: */*\r\nConnection: close\r\n\r\n";
    if (auto s = send_all(fd->get(), request, deadline); !s)
      return Problem::connection("sending the HTTP-01 request failed: " + s.error().to_string());
    bool truncated = false;
    auto raw = read_until_eof(fd->get(), kMaxResponse, deadline, &truncated);
    if (!raw) return Problem::connection("reading the HTTP-01 answer failed: " + raw.error().to_string());
    if (truncated)
      return Problem::unauthorized("the HTTP-01 answer is larger than " + std::to_string(kMaxResponse) + " bytes");
    auto answer = parse_http(*raw);
    if (!answer) return Problem::connection("the HTTP-01 answer is not HTTP: " + answer.error().to_string());
    if (answer->status >= 300 && answer->status < 400 && answer->status != 304) {
      auto next = parse_location(answer->location, target);
      if (!next) return Problem::connection(next.error().to_string());
      target = *next;
      continue;
    }
    if (answer->status != 200)
      return Problem::unauthorized("GET http://" + host_header + target.path + " answered " + std::to_string(answer->status));
    std::string body = answer->body;
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.pop_back();
    if (body != job.key_authorization)
      return Problem::incorrect_response("the HTTP-01 body is not the key authorization (got \"" + body.substr(0, 120) + "\")");
    return std::nullopt;
  }
  return Problem::connection("more than " + std::to_string(kMaxRedirects) + " redirects");
}

}  // namespace acmespec::mockca::detail
