// Per-check details with their evidence: the HTTP exchanges the check cites,
// JWS requests decoded, JSON bodies pretty printed, long bodies cut.
#include <algorithm>
#include <map>

#include "common/json.hpp"
#include "reports/fields.hpp"
#include "reports/html_parts.hpp"
#include "reports/text.hpp"

namespace acmespec::reports::html {
namespace {

using json = nlohmann::json;

// Bodies in the page are cut here: the run record keeps them whole.
constexpr std::size_t kMaxBodyBytes = 32 * 1024;

std::string headers_table(const json& message) {
  const json& headers = get_array(message, "headers");
  if (headers.empty()) return "";
  std::string out = "<table class=\"headers\">";
  for (const json& h : headers) {
    if (!h.is_array() || h.size() != 2 || !h[0].is_string() || !h[1].is_string()) continue;
    out += "<tr><th>" + esc(h[0].get<std::string>()) + "</th><td>" +
           esc(truncate_utf8(h[1].get<std::string>(), 2048)) + "</td></tr>";
  }
  return out + "</table>";
}

std::string body_block(const json& message) {
  if (!message.is_object() || !message.contains("body")) return "";
  const json& body = message["body"];
  if (body.is_null()) return "";
  if (!body.is_string()) return "<pre class=\"json\">" + pretty(body) + "</pre>";
  const std::string& text = body.get_ref<const std::string&>();
  if (text.empty()) return "";
  const std::string encoding = get_string(message, "body_encoding", "utf-8");
  std::string note = encoding == "base64" ? "<p class=\"note\">binary body, shown base64-encoded</p>" : "";
  if (message.contains("body_truncated") && message["body_truncated"] == true) note += "<p class=\"note\">body truncated by the recorder</p>";
  if (encoding != "base64" && text.size() <= kMaxBodyBytes) {
    JsonLimits limits;
    limits.reject_duplicate_keys = false;
    if (auto doc = parse_json(text, limits); doc && (doc->is_object() || doc->is_array()))
      return note + "<pre class=\"json\">" + pretty(*doc) + "</pre>";
  }
  return note + "<pre>" + esc(truncate_utf8(text, kMaxBodyBytes)) + "</pre>";
}

std::string jws_block(const json& request) {
  if (!request.is_object() || !request.contains("jws") || !request["jws"].is_object()) return "";
  const json& jws = request["jws"];
  std::string out = "<div class=\"jws\">";
  for (const char* part : {"protected", "payload"}) {
    if (!jws.contains(part)) continue;
    const json& v = jws[part];
    out += std::string("<h5>JWS ") + (std::string(part) == "protected" ? "protected header" : "payload") +
           " (decoded)</h5>";
    if (v.is_string())
      out += v.get_ref<const std::string&>().empty() ? "<p class=\"note\">empty (POST-as-GET)</p>"
                                                     : "<pre>" + esc(truncate_utf8(v.get<std::string>(), kMaxBodyBytes)) + "</pre>";
    else
      out += "<pre class=\"json\">" + pretty(v) + "</pre>";
  }
  return out + "</div>";
}

std::string exchange_block(const json& x, bool open) {
  const json empty = json::object();
  const json& req = x.contains("request") && x["request"].is_object() ? x["request"] : empty;
  const json& resp = x.contains("response") && x["response"].is_object() ? x["response"] : empty;
  std::string status = resp.contains("status") ? dump_json(resp["status"]) : "no response";
  std::string out = "<div class=\"exchange\"><div class=\"xline\"><span class=\"xid\">" + esc(get_string(x, "id")) +
                    "</span> <b>" + esc(get_string(req, "method", "?")) + "</b> " + esc(get_string(req, "url")) +
                    " \u2192 <b>" + esc(status) + "</b>";
  if (const auto ms = get_millis(x, "duration_ms"); ms >= 0) out += " (" + std::to_string(ms) + " ms)";
  out += "</div>";
  if (x.contains("error") && !x["error"].is_null())
    out += "<p class=\"xerror\">" + esc(x["error"].is_string() ? x["error"].get<std::string>() : dump_json(x["error"])) + "</p>";
  const std::string open_attr = open ? " open" : "";
  out += "<details class=\"req\"" + open_attr + "><summary>request</summary>" + headers_table(req) + jws_block(req);
  if (!req.contains("jws")) out += body_block(req);
  out += "</details>";
  if (!resp.empty())
    out += "<details class=\"resp\"" + open_attr + "><summary>response</summary>" + headers_table(resp) + body_block(resp) + "</details>";
  return out + "</div>";
}

std::string evidence(const CheckEntry& e) {
  if (e.check == nullptr || e.scenario_json == nullptr) return "";
  const auto ids = get_strings(*e.check, "evidence");
  if (ids.empty()) return "";
  std::map<std::string, const json*> by_id;
  for (const json& x : get_array(*e.scenario_json, "exchanges"))
    if (x.is_object()) by_id[get_string(x, "id")] = &x;
  std::string out = "<div class=\"evidence\"><h4>Evidence</h4>";
  for (const auto& id : ids) {
    const auto it = by_id.find(id);
    out += it == by_id.end() ? "<p class=\"note\">exchange " + esc(id) + " is not in the record</p>"
                             : exchange_block(*it->second, is_problem(e.outcome));
  }
  return out + "</div>";
}

}  // namespace

std::string details(const std::vector<CheckEntry>& entries) {
  // Problems first (errors, failures, warnings...), record order within an
  // outcome; anchors keep the record index so matrix links stay valid.
  std::vector<std::size_t> order(entries.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return severity(entries[a].outcome) > severity(entries[b].outcome);
  });
  std::string out = "<div id=\"checks\">";
  for (const std::size_t i : order) {
    const CheckEntry& e = entries[i];
    const std::string outcome(to_string(e.outcome));
    out += "<details class=\"check " + outcome_class(e.outcome) + "\" id=\"e" + std::to_string(i) + "\"" +
           filter_attributes(e) + " data-scenario=\"" + esc(e.scenario) + "\"" +
           (is_problem(e.outcome) ? " open" : "") + "><summary><span class=\"badge " + outcome_class(e.outcome) +
           "\">" + outcome + "</span> <code>" + esc(e.id) + "</code> <span class=\"scn\">" + esc(e.scenario) +
           "</span> <span class=\"msg\">" + esc(first_line(e.message, 200)) + "</span></summary><div class=\"body\">";
    if (e.scenario_error) {
      out += "<p class=\"statement\">The scenario <b>" + esc(e.statement) + "</b> stopped with an error.</p>";
    } else {
      out += "<p class=\"statement\">" + esc(e.statement) + "</p><dl>";
      out += "<dt>level</dt><dd>" + esc(e.level.empty() ? "-" : e.level) + "</dd>";
      if (const std::string category = get_string(*e.check, "category"); !category.empty())
        out += "<dt>category</dt><dd>" + esc(category) + "</dd>";
      if (const std::string reason = get_string(*e.check, "expected_finding"); !reason.empty())
        out += "<dt>expected finding</dt><dd class=\"expected\">" + esc(reason) + "</dd>";
      const std::string link = rfc_link(e.spec, e.section);
      const std::string where = e.spec + (e.section.empty() ? "" : " \u00a7" + e.section);
      out += "<dt>requirement</dt><dd>" +
             (link.empty() ? esc(where) : "<a href=\"" + esc(link) + "\">" + esc(where) + "</a>") + "</dd>";
      if (e.check != nullptr && e.check->contains("step"))
        out += "<dt>step</dt><dd>" + esc(dump_json((*e.check)["step"])) +
               (e.step_name.empty() ? "" : " (" + esc(e.step_name) + ")") + "</dd>";
      out += "</dl>";
    }
    if (!e.message.empty()) out += "<pre class=\"message\">" + esc(truncate_utf8(e.message, kMaxBodyBytes)) + "</pre>";
    out += evidence(e) + "</div></details>";
  }
  return out + "</div>";
}

}  // namespace acmespec::reports::html
