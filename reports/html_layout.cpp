// The page: header, counts, charts, filters, matrix and details, in that
// order, around the pieces built in the other html_*.cpp files.
#include <set>

#include "reports/fields.hpp"
#include "reports/html.hpp"
#include "reports/html_parts.hpp"
#include "reports/redact.hpp"

namespace acmespec::reports {
namespace {

using json = nlohmann::json;
using html::esc;

std::string options_list(const std::set<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += "<option value=\"" + esc(v) + "\">" + esc(v) + "</option>";
  return out;
}

std::string header(const json& record, const Summary& summary, Verdict v) {
  const json tool = record.is_object() && record.contains("tool") ? record["tool"] : json::object();
  std::string out = "<header><h1>acmespec " + esc(get_string(record, "mode", "run")) + " report</h1><dl>";
  out += "<dt>target</dt><dd id=\"target\">" + esc(target_label(record)) + "</dd>";
  out += "<dt>tool</dt><dd>" + esc(get_string(tool, "name", "acmespec")) + " " + esc(get_string(tool, "version", "?")) +
         "</dd>";
  out += "<dt>date</dt><dd>" + esc(get_string(record, "started_at", "unknown")) + "</dd>";
  const auto ms = get_millis(record, "duration_ms");
  out += "<dt>duration</dt><dd>" + (ms < 0 ? std::string("unknown") : format_seconds(ms) + " s") + "</dd>";
  out += "<dt>scenarios</dt><dd>" + std::to_string(summary.scenarios) + "</dd>";
  out += "<dt>checks</dt><dd id=\"total\" data-count=\"total\">" + std::to_string(summary.checks()) + "</dd>";
  out += "<dt>verdict</dt><dd><span class=\"verdict " + std::string(to_string(v)) + "\" id=\"verdict\">" +
         std::string(to_string(v)) + "</span></dd>";
  if (const ExpectedFindings f = count_expected_findings(record); f.expected > 0) {
    const bool pass = f.gate(exit_code(v)) == 0;
    out += "<dt>gate</dt><dd><span class=\"verdict " + std::string(pass ? "pass" : "fail") + "\" id=\"gate\">" +
           (pass ? "pass" : "fail") + "</span> " + std::to_string(f.expected) + " failed " +
           (f.expected == 1 ? "check is an expected finding" : "checks are expected findings") + ", " +
           std::to_string(f.unexpected) + " not</dd>";
  }
  out += "</dl>";
  if (is_incomplete(record))
    out += "<p class=\"incomplete\">This run did not complete: scenarios after the last one shown are missing.</p>";
  out += "<div class=\"counts\">";
  for (Outcome o : kAllOutcomes)
    out += "<span class=\"count " + html::outcome_class(o) + "\">" + std::string(to_string(o)) +
           " <b data-count=\"" + std::string(to_string(o)) + "\">" + std::to_string(summary.count(o)) + "</b></span>";
  return out + "</div></header>";
}

std::string filters(const std::vector<CheckEntry>& entries) {
  std::set<std::string> levels, sections;
  for (const auto& e : entries) {
    levels.insert(e.level.empty() ? "-" : e.level);
    sections.insert(e.scenario_error ? "scenario errors" : section_group(e.spec, e.section));
  }
  std::string outcomes;
  for (Outcome o : kAllOutcomes) outcomes += "<option>" + std::string(to_string(o)) + "</option>";
  return "<div class=\"filters\"><label>outcome <select id=\"f-outcome\"><option value=\"\">all</option>" + outcomes +
         "</select></label><label>level <select id=\"f-level\"><option value=\"\">all</option>" +
         options_list(levels) + "</select></label><label>section <select id=\"f-section\"><option value=\"\">all</option>" +
         options_list(sections) + "</select></label><label>check id <input id=\"f-search\" type=\"search\" "
         "placeholder=\"RFC8555-7.4\"></label><span>showing <b id=\"shown\">" + std::to_string(entries.size()) +
         "</b> of <b id=\"js-total\">0</b></span></div>";
}

std::string js_counts() {
  std::string out = "<p class=\"note\" id=\"js-counts\">entries in this page:";
  for (Outcome o : kAllOutcomes)
    out += " " + std::string(to_string(o)) + " <span data-js-count=\"" + std::string(to_string(o)) + "\">0</span>";
  return out + "</p>";
}

}  // namespace

std::string render_html(const json& input) {
  const json record = redact_record(input);
  const auto entries = collect_entries(record);
  const Summary summary = summarize(record);
  const Verdict v = verdict(summary);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
                    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>acmespec: " +
                    esc(target_label(record)) + " \u2014 " + std::string(to_string(v)) + "</title><style>" +
                    html::kCss + "</style></head><body>\n";
  out += header(record, summary, v);
  out += "<section id=\"charts\"><h2>Outcomes</h2>" + html::overall_chart(summary) + "<h2>Per RFC section</h2>" +
         html::section_chart(html::count_by_section(entries)) + "</section>\n";
  out += "<section id=\"matrix-section\"><h2>Scenarios \u00d7 checks</h2>" + filters(entries) + js_counts() +
         html::matrix(entries) + "</section>\n";
  out += "<section><h2>Checks</h2>" + html::details(entries) + "</section>\n";
  out += "<script>" + std::string(html::kScript) + "</script></body></html>\n";
  return out;
}

}  // namespace acmespec::reports
