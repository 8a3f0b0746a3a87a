// RFC 8555 §7.1 (resources and their fields) and §7.2 (newNonce).
#include <algorithm>

#include "acme/acme.hpp"
#include "http/link.hpp"
#include "server/check.hpp"

namespace acmespec::server {

using engine::Judgement;
using nlohmann::json;

namespace {

template <class T>
Judgement parses_as(const Observation& o, const char* what, int status = 0) {
  if (auto j = judge::no_answer(o)) return *j;
  if (status && o.status() != status) return Judgement::skip(std::string(what) + " was not returned (HTTP " + std::to_string(o.status()) + ")");
  if (o.status() >= 400) return Judgement::skip(std::string("no ") + what + " in an error answer");
  auto parsed = T::parse(o.body, what);
  if (!parsed) return Judgement::fail(parsed.error().to_string());
  return Judgement::pass(std::string(what) + " object has the required fields with the right types");
}

Judgement link_index(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  auto links = http::parse_link_headers(o.main->response->get_all("Link"));
  if (!links) return Judgement::fail("Link header does not parse: " + links.error().to_string());
  if (http::find_links(*links, "index").empty())
    return Judgement::fail("no Link header with rel=\"index\" on the " + std::to_string(o.status()) + " answer to " +
                           o.main->request.url);
  return Judgement::pass("Link rel=\"index\" present");
}

Judgement directory_core(const Observation& o) {
  auto j = parses_as<acme::Directory>(o, "directory", 200);
  if (j.kind != Judgement::held) return j;
  auto dir = acme::Directory::parse(o.body);
  auto missing = dir->missing_resources();
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return Judgement::fail("the directory lacks " + list);
  }
  return Judgement::pass("directory lists newNonce, newAccount, newOrder, revokeCert and keyChange");
}

Judgement meta_types(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (!o.body.is_object() || !o.body.contains("meta")) return Judgement::skip("the directory has no meta object");
  auto meta = acme::DirectoryMeta::parse(o.body["meta"], "directory.meta");
  if (!meta) return Judgement::fail(meta.error().to_string());
  return Judgement::pass("meta fields have the right types");
}

Judgement head_nonce(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  auto nonce = o.header("Replay-Nonce");
  if (!nonce || nonce->empty()) return Judgement::fail("newNonce answer has no Replay-Nonce header");
  return Judgement::pass("newNonce answered with a nonce");
}

Judgement get_nonce_204(const Observation& o) {
  Judgement j = judge::status_is(o, {204}, "GET newNonce");
  if (j.kind != Judgement::held) return j;
  if (!o.main->response->body.empty())
    return Judgement::fail("GET newNonce answered 204 with a " + std::to_string(o.main->response->body.size()) + "-byte body");
  auto nonce = o.header("Replay-Nonce");
  if (!nonce || nonce->empty()) return Judgement::fail("GET newNonce answered 204 without a Replay-Nonce header");
  return Judgement::pass("GET newNonce: 204, empty body, Replay-Nonce present");
}

Judgement no_store(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  auto cc = o.header("Cache-Control").value_or("");
  if (cc.find("no-store") == std::string::npos)
    return Judgement::fail("newNonce answer has Cache-Control \"" + cc + "\", expected no-store");
  return Judgement::pass("Cache-Control: " + cc);
}

Judgement order_ready(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (!o.body.is_object()) return Judgement::fail("the order is not a JSON object");
  const std::string status = o.body.value("status", "");
  if (status == "ready" || status == "processing" || status == "valid")
    return Judgement::pass("order is " + status + " once its authorizations are valid");
  return Judgement::fail("order is \"" + status + "\" although all its authorizations are valid");
}

Judgement authz_follows_challenge(const Observation& o) {
  if (!o.facts.contains("authorizations")) return Judgement::skip("no challenge was answered");
  int judged = 0;
  for (const auto& a : o.facts["authorizations"]) {
    if (!a.contains("after") || !a["after"].is_object()) continue;
    ++judged;
    const std::string status = a["after"].value("status", "");
    std::string challenge_status;
    for (const auto& ch : a["after"].value("challenges", json::array()))
      if (ch.is_object() && ch.value("url", "") == a["challenge"].value("url", "")) challenge_status = ch.value("status", "");
    if (challenge_status == "valid" && status != "valid")
      return Judgement::fail(a["url"].get<std::string>() + ": challenge valid but authorization " + status);
    if (challenge_status == "invalid" && status != "invalid")
      return Judgement::fail(a["url"].get<std::string>() + ": challenge invalid but authorization " + status);
    if (status == "valid" && challenge_status != "valid")
      return Judgement::fail(a["url"].get<std::string>() + ": authorization valid but its challenge is " + challenge_status);
  }
  if (judged == 0) return Judgement::skip("no authorization reached a final state");
  return Judgement::pass(std::to_string(judged) + " authorizations follow their challenge's outcome");
}

Judgement order_invalid_on_failure(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  const std::string status = o.body.is_object() ? o.body.value("status", "") : "";
  if (status == "invalid") return Judgement::pass("order invalid after an authorization failed");
  return Judgement::fail("order is \"" + status + "\" after one of its authorizations failed");
}

// On the directory step: not listed is a pass (no claim of support); on a
// new-authz step: a listed newAuthz must not answer as if absent.
Judgement new_authz_only_if_supported(const Observation& o) {
  if (o.op == "directory") {
    if (auto j = judge::no_answer(o)) return *j;
    if (!o.body.is_object()) return Judgement::fail("the directory is not a JSON object");
    if (!o.body.contains("newAuthz")) return Judgement::pass("newAuthz is not listed, so no pre-authorization is claimed");
    return Judgement::skip("newAuthz is listed; a new-authz step judges whether it works");
  }
  if (o.main && o.main->request.url.empty()) return Judgement::pass("newAuthz is not listed, so no pre-authorization is claimed");
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() == 404 || o.status() == 405)
    return Judgement::fail("the directory lists newAuthz but a POST to it answered HTTP " + std::to_string(o.status()));
  return Judgement::pass("listed newAuthz answered HTTP " + std::to_string(o.status()));
}

// Compares as multisets: the RFC fixes the contents, not an order.
std::vector<std::string> sorted_dumps(const json& array) {
  std::vector<std::string> out;
  if (array.is_array())
    for (const auto& v : array) out.push_back(v.dump());
  std::sort(out.begin(), out.end());
  return out;
}

Judgement order_arrays_immutable(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  const json previous = o.facts.value("previous", json());
  if (!previous.is_object()) return Judgement::skip("no earlier copy of the order to compare with");
  if (!o.body.is_object()) return Judgement::fail("the order fetched is not a JSON object (HTTP " + std::to_string(o.status()) + ")");
  for (const char* member : {"identifiers", "authorizations"}) {
    const json before = previous.value(member, json());
    const json now = o.body.value(member, json());
    if (!before.is_array()) return Judgement::skip(std::string("the earlier copy has no ") + member + " array");
    if (sorted_dumps(before) != sorted_dumps(now))
      return Judgement::fail(std::string("the order's ") + member + " changed: was " + before.dump() + ", now " + now.dump());
  }
  return Judgement::pass("identifiers and authorizations are the same as when the order was created");
}

Judgement idn_labels_checked(const Observation& o) {
  if (auto j = judge::no_answer(o)) return *j;
  if (o.status() >= 200 && o.status() < 300)
    return Judgement::fail("an order for an identifier with an xn-- label that is not valid Punycode was accepted (HTTP " +
                           std::to_string(o.status()) + ")");
  return judge::rejected_with(o, {}, "identifier with an invalid xn-- label");
}

}  // namespace

std::vector<CheckDef> checks_resources() {
  return {
      {"RFC8555-7.1-link-index-on-resources", {}, link_index},
      {"RFC8555-7.1.1-directory-core-urls", {}, directory_core},
      {"RFC8555-7.1.1-meta-object-field-types", {}, meta_types},
      {"RFC8555-7.1.1-new-authz-listed-only-if-supported", {}, new_authz_only_if_supported},
      {"RFC8555-7.1.3-order-arrays-immutable", {}, order_arrays_immutable},
      {"RFC8555-7.1.4-idn-ace-labels-checked", {}, idn_labels_checked},
      {"RFC8555-7.1.2-account-object-fields", {}, [](const Observation& o) { return parses_as<acme::Account>(o, "account"); }},
      {"RFC8555-7.1.3-order-object-fields", {}, [](const Observation& o) { return parses_as<acme::Order>(o, "order"); }},
      {"RFC8555-7.1.4-authz-object-fields", {}, [](const Observation& o) { return parses_as<acme::Authorization>(o, "authorization"); }},
      {"RFC8555-7.1.6-order-ready-when-authzs-valid", {}, order_ready},
      {"RFC8555-7.1.6-authz-follows-challenge-outcome", {}, authz_follows_challenge},
      {"RFC8555-7.1.6-order-invalid-on-authz-failure", {}, order_invalid_on_failure},
      {"RFC8555-7.2-head-new-nonce-returns-nonce", {}, head_nonce},
      {"RFC8555-7.2-head-new-nonce-status-200", {}, [](const Observation& o) { return judge::status_is(o, {200}, "HEAD newNonce"); }},
      {"RFC8555-7.2-get-new-nonce-204", {}, get_nonce_204},
      {"RFC8555-7.2-new-nonce-no-store", {}, no_store},
  };
}

}  // namespace acmespec::server
