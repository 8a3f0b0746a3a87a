// The run record (docs/run-record.md): one JSON document per run, rewritten
// atomically after every scenario so that a killed run leaves a valid record
// of what finished.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace acmespec::engine {

class RunRecordWriter {
 public:
  // `path` empty: keep the record in memory only.
  RunRecordWriter(std::filesystem::path path, std::string mode, nlohmann::json target, nlohmann::json options,
                  std::string version, int scenarios_total);

  // Adds a finished scenario, refreshes summary and verdict, writes the file.
  Status add_scenario(nlohmann::json entry);
  // Marks the run complete and writes the final record.
  Status finish();

  const nlohmann::json& record() const { return record_; }
  int exit_code() const;

 private:
  Status write();
  void refresh();

  std::filesystem::path path_;
  nlohmann::json record_;
  std::chrono::steady_clock::time_point started_;
};

// RFC 3339 UTC with milliseconds, e.g. 2026-11-29T02:30:00.123Z.
std::string format_utc(std::chrono::system_clock::time_point t);

}  // namespace acmespec::engine
