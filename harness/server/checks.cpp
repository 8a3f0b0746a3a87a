#include <algorithm>

#include "server/check.hpp"

namespace acmespec::server {

using engine::Judgement;

const std::vector<CheckDef>& all_checks() {
  static const std::vector<CheckDef> all = [] {
    std::vector<CheckDef> v;
    for (auto part : {checks_transport(), checks_resources(), checks_accounts(), checks_orders(), checks_identifiers(),
                      checks_challenges(), checks_validation(), checks_redirects()})
      v.insert(v.end(), part.begin(), part.end());
    return v;
  }();
  return all;
}

const CheckDef* find_check(const std::string& id) {
  for (const auto& c : all_checks())
    if (c.id == id) return &c;
  return nullptr;
}

namespace judge {

std::optional<Judgement> no_answer(const Observation& o) {
  if (o.facts.contains("harness_error")) return Judgement::error(o.facts["harness_error"].get<std::string>());
  if (!o.main) return Judgement::error("no request was sent");
  if (!o.main->response) return Judgement::fail("no answer: " + o.main->error);
  return std::nullopt;
}

Judgement rejected_with(const Observation& o, const std::vector<std::string>& types, const std::string& what) {
  if (auto j = no_answer(o)) return *j;
  const int status = o.status();
  const std::string type = problem_type(o.body);
  if (status < 400 || status >= 500)
    return Judgement::fail(what + ": expected a 4xx rejection, got HTTP " + std::to_string(status));
  if (types.empty() || std::find(types.begin(), types.end(), type) != types.end())
    return Judgement::pass(what + ": rejected with HTTP " + std::to_string(status) + (type.empty() ? "" : " " + type));
  std::string want;
  for (const auto& t : types) want += (want.empty() ? "" : " or ") + t;
  return Judgement::fail(what + ": rejected with HTTP " + std::to_string(status) + " but error type \"" +
                         (type.empty() ? "(none)" : type) + "\", expected " + want);
}

Judgement status_is(const Observation& o, std::vector<int> statuses, const std::string& what) {
  if (auto j = no_answer(o)) return *j;
  if (std::find(statuses.begin(), statuses.end(), o.status()) != statuses.end())
    return Judgement::pass(what + ": HTTP " + std::to_string(o.status()));
  std::string want;
  for (int s : statuses) want += (want.empty() ? "" : " or ") + std::to_string(s);
  const std::string type = problem_type(o.body);
  return Judgement::fail(what + ": expected HTTP " + want + ", got " + std::to_string(o.status()) +
                         (type.empty() ? "" : " (" + type + ")"));
}

}  // namespace judge
}  // namespace acmespec::server
