// acmespec report: re-render a run record, gate it against a baseline, diff
// two runs, or build an interop matrix from several.
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "common/json.hpp"
#include "reports/reports.hpp"

namespace acmespec::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Records hold whole transcripts; this bounds what a report will load.
constexpr std::size_t kMaxRecordBytes = 512u << 20;

Result<std::string> read_text(const std::string& path, std::size_t cap) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return make_error(path, "cannot read: " + ec.message());
  if (size > cap) return make_error(path, "larger than " + std::to_string(cap >> 20) + " MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path, "cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<json> read_record(const std::string& path) {
  auto text = read_text(path, kMaxRecordBytes);
  if (!text) return text.error();
  JsonLimits limits;
  limits.max_bytes = kMaxRecordBytes;
  limits.max_depth = 256;
  auto doc = parse_json(*text, limits);
  if (!doc) return make_error(path, "not a run record: " + doc.error().to_string());
  if (!doc->is_object() || !doc->contains("scenarios"))
    return make_error(path, "not a run record: no \"scenarios\" member (see docs/run-record.md)");
  return std::move(*doc);
}

bool write_output(Context& ctx, const std::string& path, const std::string& content) {
  if (auto s = reports::write_file_atomic(path, content); !s) {
    ctx.err << "acmespec: cannot write " << path << ": " << s.error().to_string() << "\n";
    return false;
  }
  return true;
}

int fail_usage(Context& ctx, const std::string& why) {
  ctx.err << "acmespec report: " << why << "\n";
  return kExitHarnessError;
}

int run_diff(Context& ctx, const ParsedOptions& opts) {
  if (opts.positional.size() != 2) return fail_usage(ctx, "--diff takes two run records: OLD.json NEW.json");
  auto older = read_record(opts.positional[0]);
  if (!older) return fail_usage(ctx, older.error().to_string());
  auto newer = read_record(opts.positional[1]);
  if (!newer) return fail_usage(ctx, newer.error().to_string());
  const auto diff = reports::diff_runs(*older, *newer);
  if (auto md = opts.get("markdown"); md && !write_output(ctx, *md, reports::render_diff_markdown(diff)))
    return kExitHarnessError;
  if (!opts.has("quiet")) ctx.out << reports::render_diff_text(diff);
  return diff.exit_code();
}

int run_matrix(Context& ctx, const ParsedOptions& opts) {
  if (opts.positional.size() < 2) return fail_usage(ctx, "--matrix takes two or more run records");
  std::vector<reports::LabelledRun> runs;
  for (const auto& path : opts.positional) {
    auto record = read_record(path);
    if (!record) return fail_usage(ctx, record.error().to_string());
    runs.push_back({reports::run_label(*record, fs::path(path).stem().string()), std::move(*record)});
  }
  const std::string md = reports::render_interop_markdown(runs);
  if (auto f = opts.get("html"); f && !write_output(ctx, *f, reports::render_interop_html(runs))) return kExitHarnessError;
  if (auto f = opts.get("markdown"); f && !write_output(ctx, *f, md)) return kExitHarnessError;
  if (!opts.has("html") && !opts.has("markdown") && !opts.has("quiet")) ctx.out << md;
  return kExitOk;
}

int run_report(Context& ctx, const ParsedOptions& opts) {
  if (opts.has("diff") && opts.has("matrix")) return fail_usage(ctx, "--diff and --matrix exclude each other");
  if (opts.has("diff")) return run_diff(ctx, opts);
  if (opts.has("matrix")) return run_matrix(ctx, opts);
  if (opts.positional.size() != 1) return fail_usage(ctx, "expected one run record (RUN.json)");
  auto baseline = load_baseline_option(opts);
  if (!baseline) return fail_usage(ctx, baseline.error().to_string());
  auto record = read_record(opts.positional[0]);
  if (!record) return fail_usage(ctx, record.error().to_string());
  if (*baseline && record->contains("scenarios") && (*record)["scenarios"].is_array())
    for (auto& scenario : (*record)["scenarios"]) reports::mark_baseline_failures(scenario, **baseline);
  int code = reports::exit_code(reports::verdict(reports::summarize(*record)));
  if (auto f = opts.get("junit"); f && !write_output(ctx, *f, reports::render_junit(*record))) return kExitHarnessError;
  return finish_reports(ctx, *record, opts, *baseline, code, isatty(STDOUT_FILENO) == 1);
}

}  // namespace

Result<std::optional<reports::Baseline>> load_baseline_option(const ParsedOptions& opts) {
  const auto path = opts.get("expect-failures");
  if (!path) return std::optional<reports::Baseline>();
  auto text = read_text(*path, 16u << 20);
  if (!text) return make_error("--expect-failures", text.error().to_string());
  auto baseline = reports::parse_baseline(*text, *path);
  if (!baseline) return make_error("--expect-failures", "malformed baseline: " + baseline.error().to_string());
  return std::optional<reports::Baseline>(std::move(*baseline));
}

int finish_reports(Context& ctx, const json& record, const ParsedOptions& opts,
                   const std::optional<reports::Baseline>& baseline, int exit_code, bool tty) {
  std::optional<reports::BaselineResult> gate;
  if (baseline) gate = reports::apply_baseline(record, *baseline);
  bool ok = true;
  if (auto f = opts.get("html")) ok = write_output(ctx, *f, reports::render_html(record)) && ok;
  if (auto f = opts.get("markdown")) ok = write_output(ctx, *f, reports::render_markdown(record, gate ? &*gate : nullptr)) && ok;
  const auto summary = reports::summarize(record);
  if (opts.has("quiet") && reports::verdict(summary) == reports::Verdict::pass) {
    // Quiet keeps a passing run to one line; a failing one still lists its
    // problems, so the CI log says why the step failed.
    ctx.out << "acmespec: " << summary.checks() << " checks, " << summary.pass << " passed, " << summary.warn
            << " warned \u2014 verdict pass\n";
  } else {
    ctx.out << reports::render_summary(record, {.color = tty, .verbose = opts.has("verbose")});
  }
  if (gate) {
    ctx.out << reports::render_baseline_text(*gate);
    exit_code = gate->exit_code();
  } else {
    // A client-mode record keeps the profile's expected findings: same gate as the run.
    ctx.out << reports::render_expected_findings_gate(record, exit_code);
    exit_code = reports::count_expected_findings(record).gate(exit_code);
  }
  if (!ok) return kExitHarnessError;
  return exit_code;
}

void write_report_files(Context& ctx, const json& record, const std::filesystem::path& dir, const std::string& command) {
  if (auto s = reports::write_file_atomic(dir / "junit.xml", reports::render_junit(record)); !s)
    ctx.err << "acmespec " << command << ": cannot write junit.xml: " << s.error().to_string() << "\n";
  if (auto s = reports::write_file_atomic(dir / "report.html", reports::render_html(record)); !s)
    ctx.err << "acmespec " << command << ": cannot write report.html: " << s.error().to_string() << "\n";
}

std::string report_files_line(const std::filesystem::path& dir) {
  return "Reports: " + (dir / "run.json").string() + ", " + (dir / "junit.xml").string() + ", " +
         (dir / "report.html").string() + "\n";
}

Command report_command() {
  return Command{
      "report",
      "render, gate, diff or compare run records",
      "RUN.json | --diff OLD.json NEW.json | --matrix A.json B.json...",
      {{"junit", "F", "write JUnit XML to F"},
       {"html", "F", "write the self-contained HTML report (or, with --matrix, the matrix) to F"},
       {"markdown", "F", "write a Markdown summary to F (fits $GITHUB_STEP_SUMMARY)"},
       {"expect-failures", "F", "baseline of known failures: exit non-zero only on regressions"},
       {"diff", "", "compare two runs; exit 1 when the newer has regressions"},
       {"matrix", "", "one table of implementations × checks from several runs"},
       {"quiet", "", "a passing run prints one line; problems are still listed"},
       {"verbose", "", "show the transcripts of failing checks"}},
      256,
      run_report};
}

}  // namespace acmespec::cli
