// acmespec client: run a real ACME client against the mock CA, scenario by
// scenario, and judge what it did.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <limits>

#include "cli/commands.hpp"
#include "clientmode/client_mode.hpp"
#include "clientmode/scenario.hpp"
#include "engine/catalogue.hpp"
#include "engine/run_record.hpp"
#include "reports/terminal.hpp"

namespace acmespec::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int client_usage(Context& ctx, const std::string& why) {
  ctx.err << "acmespec client: " << why << "\n";
  return kExitHarnessError;
}

Result<long> whole(const ParsedOptions& opts, const char* name, long fallback, long min, long max) {
  auto v = opts.get(name);
  if (!v) return fallback;
  try {
    std::size_t used = 0;
    const long n = std::stol(*v, &used);
    if (used == v->size() && n >= min && n <= max) return n;
  } catch (const std::exception&) {
  }
  return make_error(std::string("--") + name,
                    "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ", got \"" + *v + "\"");
}

std::string self_path() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("acmespec") : p.string();
}

// Marks the failures (and warnings) the profile expects.
void mark_expected(json& entry, const clientmode::Profile* profile, std::vector<std::string>& notes) {
  for (auto& check : entry["checks"]) {
    const std::string outcome = check.value("outcome", "");
    const auto* finding = profile ? profile->finding(entry["id"].get<std::string>(), check.value("id", "")) : nullptr;
    if (finding && (outcome == "fail" || outcome == "warn")) check["expected_finding"] = finding->reason;
    if (finding && finding->scenario != "*" && (outcome == "pass"))
      notes.push_back(entry["id"].get<std::string>() + ": " + check.value("id", "") +
                      " passed, but the profile lists it as an expected finding");
  }
}

int run_client(Context& ctx, const ParsedOptions& opts) {
  clientmode::ClientModeConfig config;
  std::optional<clientmode::Profile> profile;
  if (auto file = opts.get("profile")) {
    auto p = clientmode::load_profile(*file);
    if (!p) return client_usage(ctx, "bad profile: " + p.error().to_string());
    profile = std::move(*p);
  }
  if (!opts.after_dashes.empty()) config.command = opts.after_dashes;
  else if (profile) config.command = profile->command;
  else return client_usage(ctx, "give the client command after -- (or a --profile)");
  config.profile = profile;
  auto timeout = whole(opts, "timeout", 120, 1, 3600);
  auto seed = whole(opts, "seed", static_cast<long>(std::chrono::system_clock::now().time_since_epoch().count() % 1000000007), 0,
                    std::numeric_limits<long>::max());
  for (const auto* r : {&timeout, &seed})
    if (!*r) return client_usage(ctx, r->error().to_string());
  config.timeout = std::chrono::seconds(*timeout);
  config.seed = static_cast<std::uint64_t>(*seed);
  config.acmespec_path = self_path();
  if (auto suffix = opts.get("domain-suffix")) config.domain_suffix = *suffix;

  const fs::path root = data_dir(ctx, opts);
  auto cat = engine::load_catalogue(root / "scenarios" / "requirements.json");
  if (!cat) return client_usage(ctx, "bad catalogue: " + cat.error().to_string());
  auto scenarios = clientmode::load_client_scenarios(root / "scenarios" / "client", *cat);
  if (!scenarios) return client_usage(ctx, "bad scenario: " + scenarios.error().to_string());
  for (const auto& id : opts.all("scenario")) {
    bool known = false;
    for (const auto& sc : *scenarios) known = known || sc.id == id;
    if (!known) return client_usage(ctx, "--scenario " + id + ": no such client scenario (see scenarios/client/)");
  }
  auto selected = clientmode::select(*scenarios, opts.all("scenario"), opts.all("suite"));
  if (selected.empty()) return client_usage(ctx, "the selection matches no client scenario");

  // A malformed baseline is refused before any client runs.
  auto baseline = load_baseline_option(opts);
  if (!baseline) return client_usage(ctx, baseline.error().to_string());

  const fs::path report_dir = opts.get("report-dir").value_or("acmespec-report");
  std::error_code ec;
  fs::create_directories(report_dir, ec);
  if (ec) return client_usage(ctx, "--report-dir " + report_dir.string() + ": " + ec.message());
  config.work_root = fs::absolute(report_dir / "work");

  std::vector<engine::Scenario> engine_scenarios;
  for (const auto* sc : selected) engine_scenarios.push_back(clientmode::as_engine_scenario(*sc));
  std::vector<const engine::Scenario*> order;
  for (const auto& sc : engine_scenarios) order.push_back(&sc);

  json selection = json::array();
  for (const auto& id : opts.all("scenario")) selection.push_back("scenario:" + id);
  for (const auto& s : opts.all("suite")) selection.push_back("suite:" + s);
  json target = {{"command", config.command}};
  if (profile) target["profile"] = profile->name, target["client"] = profile->client;
  engine::RunRecordWriter writer(report_dir / "run.json", "client", target,
                                 {{"strict", opts.has("strict")}, {"seed", config.seed}, {"selection", selection},
                                  {"timeout_s", *timeout}},
                                 version(), static_cast<int>(order.size()));
  clientmode::ClientExecutor executor(config);
  executor.set_scenarios(&*scenarios);
  engine::RunOptions run_options;
  run_options.strict = opts.has("strict");
  const bool quiet = opts.has("quiet");
  std::vector<std::string> notes;
  std::size_t done = 0;
  run_options.on_scenario = [&](const json& finished) {
    json entry = finished;
    mark_expected(entry, profile ? &*profile : nullptr, notes);
    if (*baseline) reports::mark_baseline_failures(entry, **baseline);
    if (auto s = writer.add_scenario(entry); !s) ctx.err << "acmespec client: cannot write the run record: " << s.error().to_string() << "\n";
    ++done;
    if (quiet) return;
    int failures = 0;
    for (const auto& c : entry["checks"]) failures += c["outcome"] == "fail" || c["outcome"] == "error";
    ctx.out << "[" << done << "/" << order.size() << "] " << entry["id"].get<std::string>() << ": " << entry["checks"].size()
            << " checks, " << failures << " failing" << (entry["skipped"].is_null() ? "" : " (skipped)") << "\n" << std::flush;
  };
  engine::run_all(order, executor, *cat, run_options);
  if (auto s = writer.finish(); !s) ctx.err << "acmespec client: cannot write the run record: " << s.error().to_string() << "\n";
  write_report_files(ctx, writer.record(), report_dir, "client");
  // The summary, --html/--markdown, and the gate: a baseline when given, else
  // the profile's expected findings (known findings, not regressions).
  const int code = finish_reports(ctx, writer.record(), opts, *baseline, writer.exit_code(), isatty(STDOUT_FILENO) == 1);
  for (const auto& n : notes) ctx.out << "note: " << n << "\n";
  ctx.out << report_files_line(report_dir);
  return code;
}

}  // namespace

Command client_command() {
  return Command{
      "client",
      "run an ACME client against the mock CA and judge its behaviour",
      "-- <client command with {directory} {ca_bundle} {domain} {http_port} ... placeholders>",
      {{"scenario", "ID", "run this client scenario", true},
       {"suite", "NAME", "run the client scenarios of this suite (happy, faults, ...)", true},
       {"profile", "FILE", "target profile: command template, disabled checks, expected findings"},
       {"report-dir", "DIR", "where run.json, junit.xml and the working folders go (default: acmespec-report)"},
       {"timeout", "S", "kill the client after this many seconds per scenario (default 120)"},
       {"strict", "", "SHOULD-level violations fail instead of warn"},
       {"seed", "N", "seed for generated names (reproduces a run)"},
       {"domain-suffix", "NAME", "parent of the generated names (default acmespec.test)"},
       {"html", "F", "also write the HTML report to F (report.html in the report dir is always written)"},
       {"markdown", "F", "write a Markdown summary to F (fits $GITHUB_STEP_SUMMARY)"},
       {"expect-failures", "F", "baseline of known failures: exit non-zero only on regressions (instead of the profile's expected findings)"},
       {"quiet", "", "no progress lines; a passing run prints one summary line"},
       {"verbose", "", "show the evidence of failing checks"},
       kDataDirOption},
      0,
      run_client};
}

}  // namespace acmespec::cli
