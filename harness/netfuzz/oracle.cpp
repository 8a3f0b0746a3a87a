#include "netfuzz/oracle.hpp"

#include "acme/problem.hpp"
#include "common/json.hpp"

namespace acmespec::netfuzz {
namespace {

bool is_problem_media_type(const std::string& content_type) {
  const std::string base = content_type.substr(0, content_type.find(';'));
  return http::iequals(base, "application/problem+json");
}

}  // namespace

std::vector<Verdict> judge(const Plan& plan, const std::optional<http::Response>& response,
                           const std::string& transport_error) {
  std::vector<Verdict> out;
  if (!response) {
    out.push_back({"hang-or-reset", transport_error.empty() ? "no response" : transport_error});
    return out;
  }
  const int status = response->status;
  if (status >= 500) out.push_back({"server-error-5xx", "HTTP " + std::to_string(status)});
  if (status >= 400 && status < 500) {
    const std::string type = response->get("Content-Type").value_or("");
    auto doc = parse_json(response->body);
    std::string why;
    if (!is_problem_media_type(type)) {
      why = "Content-Type is \"" + type + "\"";
    } else if (!doc) {
      why = "body is not JSON: " + doc.error().reason;
    } else if (auto problem = acme::Problem::parse(*doc); !problem) {
      why = problem.error().to_string();
    } else if (!problem->type) {
      why = "problem has no type";
    }
    if (!why.empty()) out.push_back({"error-not-problem-document", "HTTP " + std::to_string(status) + ": " + why});
  }
  if (status >= 200 && status < 300) {
    if (plan.replay_nonce) {
      out.push_back({"replayed-nonce-accepted", "HTTP " + std::to_string(status) + " to a request with a spent nonce"});
    } else if (plan.corrupt_signature) {
      out.push_back({"bad-signature-accepted", "HTTP " + std::to_string(status) + " to a request whose signature does not verify"});
    } else if (plan.foreign_kid) {
      out.push_back({"foreign-kid-accepted", "HTTP " + std::to_string(status) + " to a request naming another account's kid"});
    } else if (!plan.must_refuse.empty()) {
      out.push_back({"invalid-request-accepted", "HTTP " + std::to_string(status) + ": " + plan.must_refuse});
    } else if (plan.op == BaseOp::finalize_pending && plan.method == "POST") {
      out.push_back({"finalize-accepted-while-pending", "HTTP " + std::to_string(status) + " to finalize of a pending order"});
    }
  }
  return out;
}

}  // namespace acmespec::netfuzz
