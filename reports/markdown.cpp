#include "reports/markdown.hpp"

#include "reports/entries.hpp"
#include "reports/fields.hpp"
#include "reports/redact.hpp"
#include "reports/text.hpp"

namespace acmespec::reports {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxRows = 200;

const char* verdict_badge(std::string_view v) {
  if (v == "pass") return "\u2705 PASS";
  if (v == "fail") return "\u274c FAIL";
  return "\u26a0\ufe0f ERROR";
}

std::string check_link(const CheckEntry& e) {
  const std::string link = rfc_link(e.spec, e.section);
  const std::string id = md_cell(e.id, 200);
  return link.empty() ? id : "[" + id + "](" + link + ")";
}

void problem_table(std::string& out, const char* title, const std::vector<const CheckEntry*>& items) {
  if (items.empty()) return;
  out += "\n### " + std::string(title) + " (" + std::to_string(items.size()) + ")\n\n";
  out += "| check | scenario | level | message |\n|---|---|---|---|\n";
  std::size_t n = 0;
  for (const CheckEntry* e : items) {
    if (++n > kMaxRows) break;
    const std::string reason = e->check ? get_string(*e->check, "expected_finding") : "";
    out += "| " + check_link(*e) + " | " + md_cell(e->scenario, 120) + " | " + md_cell(e->level.empty() ? "-" : e->level, 16) +
           " | " + (reason.empty() ? "" : "_expected finding:_ " + md_cell(reason, 300) + " \u2014 ") + md_cell(e->message) + " |\n";
  }
  if (items.size() > kMaxRows)
    out += "\n_\u2026 and " + std::to_string(items.size() - kMaxRows) + " more, see the HTML report._\n";
}

void baseline_table(std::string& out, const char* title, const std::vector<BaselineItem>& items, bool reason) {
  if (items.empty()) return;
  out += "\n### " + std::string(title) + " (" + std::to_string(items.size()) + ")\n\n";
  out += std::string("| check | scenario | outcome | ") + (reason ? "reason" : "message") + " |\n|---|---|---|---|\n";
  std::size_t n = 0;
  for (const auto& i : items) {
    if (++n > kMaxRows) break;
    out += "| " + md_cell(i.check, 200) + " | " + md_cell(i.scenario.empty() ? "any" : i.scenario, 120) + " | " +
           md_cell(i.outcome.empty() ? "-" : i.outcome, 16) + " | " + md_cell(reason ? i.reason : i.message) + " |\n";
  }
  if (items.size() > kMaxRows) out += "\n_\u2026 and " + std::to_string(items.size() - kMaxRows) + " more._\n";
}

}  // namespace

std::string md_cell(std::string_view text, std::size_t max_bytes) {
  const std::string line = printable(first_line(text, max_bytes), false);
  std::string out;
  out.reserve(line.size());
  for (char c : line) {
    if (std::string_view("\\`*_[]<>|#!~&").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string render_markdown(const json& input, const BaselineResult* baseline) {
  const json record = redact_record(input);
  const Summary s = summarize(record);
  const std::string v(to_string(verdict(s)));
  std::string out = "## acmespec " + md_cell(get_string(record, "mode", "run"), 20) + ": " + verdict_badge(v);
  if (baseline != nullptr) {
    out += std::string(" \u2014 gate ") + (baseline->exit_code() == 0 ? "\u2705 PASS" : "\u274c FAIL") + " (baseline)";
  } else if (const ExpectedFindings f = count_expected_findings(record); f.expected > 0) {
    out += std::string(" \u2014 gate ") + (f.gate(exit_code(verdict(s))) == 0 ? "\u2705 PASS" : "\u274c FAIL") + " (" +
           std::to_string(f.expected) + " expected " + (f.expected == 1 ? "finding" : "findings") + ")";
  }
  out += "\n\n";
  out += "Target " + md_cell(target_label(record), 200) + " \u00b7 acmespec " +
         md_cell(get_string(record.is_object() && record.contains("tool") ? record["tool"] : json(), "version", "?"), 40) + " \u00b7 " +
         md_cell(get_string(record, "started_at", "unknown"), 40) + " \u00b7 " +
         format_seconds(std::max<std::int64_t>(0, get_millis(record, "duration_ms"))) + " s \u00b7 " +
         std::to_string(s.scenarios) + " scenarios, " + std::to_string(s.checks()) + " checks\n";
  if (is_incomplete(record)) out += "\n> **Incomplete run**: scenarios after the last one recorded are missing.\n";
  out += "\n| pass | fail | warn | info | skip | error |\n|---:|---:|---:|---:|---:|---:|\n|";
  for (Outcome o : kAllOutcomes) out += " " + std::to_string(s.count(o)) + " |";
  out += "\n";

  const auto entries = collect_entries(record);
  if (baseline != nullptr) {
    baseline_table(out, "Regressions", baseline->regressions, false);
    baseline_table(out, "Unexpected passes", baseline->unexpected_passes, true);
    baseline_table(out, "Baselined checks that did not run", baseline->not_run, true);
    baseline_table(out, "Known failures (baseline)", baseline->known, true);
  } else {
    std::vector<const CheckEntry*> errors, failures;
    for (const auto& e : entries) {
      if (e.outcome == Outcome::error) errors.push_back(&e);
      if (e.outcome == Outcome::fail) failures.push_back(&e);
    }
    problem_table(out, "Errors", errors);
    problem_table(out, "Failures", failures);
  }
  std::vector<const CheckEntry*> warnings;
  for (const auto& e : entries)
    if (e.outcome == Outcome::warn) warnings.push_back(&e);
  problem_table(out, "Warnings", warnings);
  return out;
}

}  // namespace acmespec::reports
