#include "reports/terminal.hpp"

#include <cstdint>
#include <string_view>

#include "reports/fields.hpp"
#include "reports/run_record.hpp"
#include "reports/text.hpp"

namespace acmespec::reports {
namespace {

constexpr std::size_t kMessageMax = 1000;  // keeps one bad check from flooding the screen
constexpr std::size_t kBodyMax = 300;

constexpr std::string_view kRed = "\x1b[1;31m", kMagenta = "\x1b[1;35m", kYellow = "\x1b[33m",
                           kGreen = "\x1b[1;32m", kDim = "\x1b[2m", kReset = "\x1b[0m";

class Writer {
 public:
  explicit Writer(TerminalStyle style) : style_(style) {}

  std::string paint(std::string_view color, std::string_view text) const {
    if (!style_.color) return std::string(text);
    return std::string(color) + std::string(text) + std::string(kReset);
  }
  // Untrusted text on one line.
  static std::string line(std::string_view text) { return printable(text, false); }
  // Untrusted text over several lines: the first after `lead`, the others
  // indented to line up under it.
  void block(std::string_view lead, std::string_view text) {
    const std::string indent(lead.size(), ' ');
    out += lead;
    for (char c : printable(text, true)) {
      out += c;
      if (c == '\n') out += indent;
    }
    out += '\n';
  }

  bool verbose() const { return style_.verbose; }
  std::string out;

 private:
  TerminalStyle style_;
};

std::string body_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.is_null() ? "" : dump_json(value);
}

std::string target_text(const json& record) {
  const json target = record.is_object() ? record.value("target", json()) : json();
  for (const char* key : {"directory", "command", "name"}) {
    if (!target.is_object() || !target.contains(key)) continue;
    const json& v = target[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_array()) {
      std::string joined;
      for (const json& part : v) joined += (joined.empty() ? "" : " ") + body_text(part);
      return joined;
    }
  }
  return target.is_null() ? "(unknown target)" : dump_json(target);
}

const json* find_exchange(const json& scenario, const std::string& id) {
  for (const json& x : get_array(scenario, "exchanges"))
    if (get_string(x, "id") == id) return &x;
  return nullptr;
}

void write_exchange(Writer& w, const json& scenario, const std::string& id) {
  const json* x = find_exchange(scenario, id);
  if (x == nullptr || !x->is_object()) {
    w.out += "        " + Writer::line(id) + " (not in the record)\n";
    return;
  }
  const json request = x->value("request", json::object());
  const json response = x->value("response", json());
  std::string head = "        " + Writer::line(id) + "  " + Writer::line(get_string(request, "method", "?")) + " " +
                     Writer::line(get_string(request, "url", "?")) + " -> ";
  if (response.is_object() && response.contains("status") && response["status"].is_number_integer())
    head += std::to_string(response["status"].get<std::int64_t>());
  else
    head += "no response";
  const std::int64_t millis = get_millis(*x, "duration_ms");
  if (millis >= 0) head += " (" + std::to_string(millis) + " ms)";
  w.out += w.paint(kDim, head) + "\n";

  const json jws = request.is_object() ? request.value("jws", json()) : json();
  if (jws.is_object()) {
    if (jws.contains("protected")) w.block("          protected: ", truncate_utf8(body_text(jws["protected"]), kBodyMax));
    if (jws.contains("payload")) w.block("          payload: ", truncate_utf8(body_text(jws["payload"]), kBodyMax));
  } else if (request.is_object() && request.contains("body") && !body_text(request["body"]).empty()) {
    w.block("          request body: ", truncate_utf8(body_text(request["body"]), kBodyMax));
  }
  if (response.is_object() && response.contains("body") && !body_text(response["body"]).empty())
    w.block("          response body: ", truncate_utf8(body_text(response["body"]), kBodyMax));
  if (x->contains("error") && !(*x)["error"].is_null())
    w.block("          error: ", truncate_utf8(body_text((*x)["error"]), kBodyMax));
}

void write_check(Writer& w, const json& scenario, const std::string& scenario_id, const json& check,
                 std::size_t index) {
  const auto outcome = parse_outcome(get_string(check, "outcome"));
  if (outcome == Outcome::pass || outcome == Outcome::info || outcome == Outcome::skip) return;
  std::string_view label = "ERROR", color = kMagenta;
  if (outcome == Outcome::fail) label = "FAIL ", color = kRed;
  if (outcome == Outcome::warn) label = "WARN ", color = kYellow;

  const std::string level = get_string(check, "level");
  w.out += w.paint(color, label) + " " + Writer::line(scenario_id) + " / " +
           Writer::line(get_string(check, "id", "check[" + std::to_string(index) + "]")) +
           (level.empty() ? "" : " [" + Writer::line(level) + "]") + "\n";
  std::string where;
  if (check.contains("step") && check["step"].is_number_integer()) {
    where = "step " + std::to_string(check["step"].get<std::int64_t>());
    const std::string name = get_string(check, "step_name");
    if (!name.empty()) where += " (" + name + ")";
    where += ": ";
  }
  std::string message = get_string(check, "message");
  if (!outcome) message = outcome_problem(check) + (message.empty() ? "" : ": " + message);
  w.block("      ", where + truncate_utf8(message.empty() ? "(no message)" : message, kMessageMax));
  if (const std::string reason = get_string(check, "expected_finding"); !reason.empty())
    w.block("      ", "expected finding: " + truncate_utf8(reason, kMessageMax));
  const auto evidence = get_strings(check, "evidence");
  if (evidence.empty()) return;
  std::string ids;
  for (const std::string& id : evidence) ids += (ids.empty() ? "" : ", ") + Writer::line(id);
  w.out += "      evidence: " + ids + "\n";
  if (w.verbose())
    for (const std::string& id : evidence) write_exchange(w, scenario, id);
}

std::string plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string render_summary(const json& record, TerminalStyle style) {
  Writer w(style);
  const Summary s = summarize(record);
  const std::string mode = get_string(record, "mode");
  w.out += "acmespec " + (mode.empty() ? std::string("run") : Writer::line(mode) + " run") + " against " +
           Writer::line(target_text(record)) + "\n";
  const std::string started = get_string(record, "started_at"), finished = get_string(record, "finished_at");
  const std::int64_t millis = get_millis(record, "duration_ms");
  std::string when = started.empty() ? "start time unknown" : "started " + Writer::line(started);
  if (!finished.empty()) when += ", finished " + Writer::line(finished);
  when += millis >= 0 ? ", duration " + format_seconds(millis) + " s" : ", duration unknown";
  w.out += when + "\n";
  w.out += "scenarios: " + std::to_string(s.scenarios) + " run, " +
           std::to_string(s.scenario_errors) + " stopped by an error\n";
  w.out += "checks: " + std::to_string(s.pass) + " pass, " + std::to_string(s.fail) + " fail, " +
           std::to_string(s.warn) + " warn, " + std::to_string(s.info) + " info, " + std::to_string(s.skip) +
           " skip, " + std::to_string(s.error - s.scenario_errors) + " error\n";
  if (is_incomplete(record))
    w.out += w.paint(kYellow, "incomplete record: the run stopped before every scenario finished") + "\n";

  const std::size_t problems_at = w.out.size();
  std::size_t index = 0;
  for (const json& scenario : get_array(record, "scenarios")) {
    const std::string id = get_string(scenario, "id", "scenario[" + std::to_string(index++) + "]");
    if (!scenario.is_object()) continue;
    std::size_t check_index = 0;
    for (const json& check : get_array(scenario, "checks")) {
      if (check.is_object()) write_check(w, scenario, id, check, check_index);
      ++check_index;
    }
    if (has_scenario_error(scenario)) {
      w.out += w.paint(kMagenta, "ERROR") + " " + Writer::line(id) + " (scenario stopped)\n";
      w.block("      ", truncate_utf8(scenario_error_text(scenario), kMessageMax));
    }
  }
  if (w.out.size() > problems_at) w.out.insert(problems_at, "\n");

  const Verdict v = verdict(s);
  const std::string_view verdict_color = v == Verdict::pass ? kGreen : v == Verdict::fail ? kRed : kMagenta;
  std::string upper(to_string(v));
  for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
  const auto count = [&](int n, std::string_view text, std::string_view color) {
    return n > 0 ? w.paint(color, text) : std::string(text);
  };
  w.out += "\nacmespec: " + std::to_string(s.pass) + " passed" + ", " +
           count(s.fail, std::to_string(s.fail) + " failed", kRed) + ", " +
           count(s.warn, std::to_string(s.warn) + " warned", kYellow) + ", " + std::to_string(s.info) + " info, " +
           std::to_string(s.skip) + " skipped, " + count(s.error, plural(s.error, "error", "errors"), kMagenta) +
           " \xE2\x80\x94 verdict " + w.paint(verdict_color, upper) + "\n";
  return w.out;
}

}  // namespace acmespec::reports
