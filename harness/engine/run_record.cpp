#include "engine/run_record.hpp"

#include <ctime>

#include "reports/atomic_file.hpp"
#include "reports/run_record.hpp"

namespace acmespec::engine {

using nlohmann::json;

std::string format_utc(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

RunRecordWriter::RunRecordWriter(std::filesystem::path path, std::string mode, json target, json options,
                                 std::string version, int scenarios_total)
    : path_(std::move(path)), started_(std::chrono::steady_clock::now()) {
  record_ = {{"format", "acmespec-run/1"},
             {"tool", {{"name", "acmespec"}, {"version", std::move(version)}}},
             {"mode", std::move(mode)},
             {"target", std::move(target)},
             {"started_at", format_utc(std::chrono::system_clock::now())},
             {"finished_at", nullptr},
             {"duration_ms", 0},
             {"complete", false},
             {"options", std::move(options)},
             {"summary", json::object()},
             {"verdict", "pass"},
             {"scenarios_total", scenarios_total},
             {"scenarios", json::array()}};
  refresh();
}

void RunRecordWriter::refresh() {
  const reports::Summary s = reports::summarize(record_);
  record_["summary"] = {{"pass", s.pass},   {"fail", s.fail},  {"warn", s.warn},
                        {"info", s.info},   {"skip", s.skip},  {"error", s.error},
                        {"scenarios_total", record_["scenarios_total"]}, {"scenarios_run", s.scenarios}};
  record_["verdict"] = reports::to_string(reports::verdict(s));
  record_["duration_ms"] =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count();
}

Status RunRecordWriter::write() {
  if (path_.empty()) return Ok{};
  return reports::write_file_atomic(path_, record_.dump(2) + "\n");
}

Status RunRecordWriter::add_scenario(json entry) {
  record_["scenarios"].push_back(std::move(entry));
  refresh();
  return write();
}

Status RunRecordWriter::finish() {
  record_["complete"] = true;
  record_["finished_at"] = format_utc(std::chrono::system_clock::now());
  refresh();
  return write();
}

int RunRecordWriter::exit_code() const { return reports::exit_code(reports::verdict(reports::summarize(record_))); }

}  // namespace acmespec::engine
