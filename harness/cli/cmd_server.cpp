// acmespec server: drive a real ACME server through the server scenarios.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <filesystem>
#include <iostream>
#include <random>

#include "cli/commands.hpp"
#include "engine/catalogue.hpp"
#include "engine/run_record.hpp"
#include "engine/runner.hpp"
#include "engine/scenario.hpp"
#include "http/transcript.hpp"
#include "jose/base64url.hpp"
#include "mock-ca/mock_ca.hpp"
#include "reports/terminal.hpp"
#include "server/server_mode.hpp"

namespace acmespec::cli {
namespace {

namespace fs = std::filesystem;

int server_usage(Context& ctx, const std::string& why) {
  ctx.err << "acmespec server: " << why << "\n";
  return kExitHarnessError;
}

Result<long> number(const ParsedOptions& opts, const char* name, long fallback, long min, long max) {
  auto v = opts.get(name);
  if (!v) return fallback;
  try {
    std::size_t used = 0;
    long n = std::stol(*v, &used);
    if (used != v->size() || n < min || n > max) throw std::out_of_range(*v);
    return n;
  } catch (const std::exception&) {
    return make_error(std::string("--") + name, "expected a whole number from " + std::to_string(min) + " to " +
                                                    std::to_string(max) + ", got \"" + *v + "\"");
  }
}

int run_server(Context& ctx, const ParsedOptions& opts) {
  server::ServerConfig config;
  auto directory = opts.get("directory");
  config.directory_url = directory.value_or("");
  config.ca_bundle = opts.get("ca-bundle").value_or("");
  config.insecure = opts.has("insecure");
  if (!config.ca_bundle.empty() && !fs::is_regular_file(config.ca_bundle))
    return server_usage(ctx, "--ca-bundle " + config.ca_bundle + ": no such file");
  auto timeout = number(opts, "timeout", 15, 1, 3600);
  auto poll = number(opts, "poll-timeout", 30, 1, 3600);
  auto seed = number(opts, "seed", static_cast<long>(std::chrono::system_clock::now().time_since_epoch().count() % 1000000007), 0,
                     std::numeric_limits<long>::max());
  for (const auto* r : {&timeout, &poll, &seed})
    if (!*r) return server_usage(ctx, r->error().to_string());
  config.timeout = std::chrono::seconds(*timeout);
  config.poll_timeout = std::chrono::seconds(*poll);
  config.seed = static_cast<std::uint64_t>(*seed);
  config.version = version();
  config.eab_kid = opts.get("eab-kid").value_or("");
  config.eab_hmac_key = opts.get("eab-hmac-key").value_or("");
  if (config.eab_kid.empty() != config.eab_hmac_key.empty())
    return server_usage(ctx, "--eab-kid and --eab-hmac-key go together");
  if (auto suffix = opts.get("domain-suffix")) config.domain_suffix = *suffix;
  config.start_responders = !opts.has("no-responders");
  for (auto [name, host, port] :
       {std::tuple{"http01", &config.responders.http01.host, &config.responders.http01.port},
        std::tuple{"tls-alpn", &config.responders.tls_alpn.host, &config.responders.tls_alpn.port},
        std::tuple{"dns", &config.responders.dns.host, &config.responders.dns.port}}) {
    if (auto v = opts.get(name)) {
      auto hp = parse_host_port(*v);
      if (!hp) return server_usage(ctx, std::string("--") + name + ": " + hp.error().to_string());
      *host = hp->host;
      *port = hp->port;
    }
  }

  // Without --directory the suite runs against the embedded mock CA, the
  // reference implementation, validating through this run's responders.
  std::unique_ptr<mockca::MockCaServer> embedded;
  std::string embedded_bundle;
  if (!directory) {
    if (opts.has("ca-bundle") || opts.has("insecure"))
      return server_usage(ctx, "--ca-bundle and --insecure need --directory (the embedded mock CA brings its own)");
    embedded_bundle = (fs::temp_directory_path() / ("acmespec-mock-ca-" + std::to_string(getpid()) + ".pem")).string();
    mockca::MockCaServerConfig mc;
    mc.port = 0;
    mc.ca_bundle_path = embedded_bundle;
    mc.ca.va.http_port = config.responders.http01.port;
    mc.ca.va.tls_port = config.responders.tls_alpn.port;
    const bool v6 = config.responders.dns.host.find(':') != std::string::npos;
    mc.ca.va.dns_server = (v6 ? "[" + config.responders.dns.host + "]" : config.responders.dns.host) + ":" +
                          std::to_string(config.responders.dns.port);
    mc.ca.va.timeout = std::chrono::milliseconds(5000);
    // One alternate chain, so the §7.4.2 alternate-chain checks have something to judge.
    mc.ca.faults.alternate_chains = 1;
    if (config.eab_kid.empty()) {
      // A fresh binding key per run, so the EAB scenarios run too.
      std::random_device rd;
      std::string mac(32, '\0');
      for (auto& ch : mac) ch = static_cast<char>(rd() & 0xff);
      config.eab_kid = "acmespec-embedded";
      config.eab_hmac_key = jose::base64url_encode(mac);
    }
    mc.ca.eab_keys[config.eab_kid] = config.eab_hmac_key;
    auto started_ca = mockca::MockCaServer::start(mc);
    if (!started_ca) return server_usage(ctx, "cannot start the embedded mock CA: " + started_ca.error().to_string());
    embedded = std::move(*started_ca);
    config.directory_url = embedded->directory_url();
    config.ca_bundle = embedded_bundle;
    ctx.out << "No --directory: running against the embedded mock CA at " << config.directory_url << "\n";
  }
  struct BundleCleanup {
    std::string path;
    ~BundleCleanup() {
      std::error_code ignored;
      if (!path.empty()) fs::remove(path, ignored);
    }
  } bundle_cleanup{embedded_bundle};

  const fs::path root = data_dir(ctx, opts);
  auto cat = engine::load_catalogue(root / "scenarios" / "requirements.json");
  if (!cat) return server_usage(ctx, "bad catalogue: " + cat.error().to_string());
  http::Transcript transcript;
  server::ServerExecutor executor(config, transcript);
  auto scenarios = engine::load_scenarios(root / "scenarios" / "server", *cat, executor);
  if (!scenarios) return server_usage(ctx, "bad scenario: " + scenarios.error().to_string());
  engine::Selection selection{opts.all("scenario"), opts.all("suite"), opts.all("section")};
  for (const auto& id : selection.ids) {
    bool known = false;
    for (const auto& sc : *scenarios) known = known || sc.id == id;
    if (!known) return server_usage(ctx, "--scenario " + id + ": no such scenario (see acmespec list --scenarios)");
  }
  auto selected = engine::select(*scenarios, selection);
  if (selected.empty()) return server_usage(ctx, "the selection matches no scenario");
  // Sanity first and last: a happy-path issuance before the suite shows the
  // target works at all, and after it that the suite did not break it.
  std::vector<const engine::Scenario*> sanity;
  if (!opts.has("no-sanity") && selected.size() > 1)
    for (const auto& sc : *scenarios)
      if (std::find(sc.suites.begin(), sc.suites.end(), "sanity") != sc.suites.end()) sanity.push_back(&sc);
  if (!sanity.empty()) {
    std::vector<const engine::Scenario*> ordered = sanity;
    for (const auto* sc : selected)
      if (std::find(sanity.begin(), sanity.end(), sc) == sanity.end()) ordered.push_back(sc);
    ordered.insert(ordered.end(), sanity.begin(), sanity.end());
    selected = std::move(ordered);
  }
  std::set<std::string> seen_ids;
  // A malformed baseline is refused before the target sees a request.
  auto baseline = load_baseline_option(opts);
  if (!baseline) return server_usage(ctx, baseline.error().to_string());

  const fs::path report_dir = opts.get("report-dir").value_or("acmespec-report");
  std::error_code ec;
  fs::create_directories(report_dir, ec);
  if (ec) return server_usage(ctx, "--report-dir " + report_dir.string() + ": " + ec.message());

  if (auto s = executor.start(); !s) {
    ctx.err << "acmespec server: cannot start: " << s.error().to_string() << "\n";
    return kExitHarnessError;
  }

  nlohmann::json selection_json = nlohmann::json::array();
  for (const auto& id : selection.ids) selection_json.push_back("scenario:" + id);
  for (const auto& s : selection.suites) selection_json.push_back("suite:" + s);
  for (const auto& s : selection.sections) selection_json.push_back("section:" + s);
  engine::RunRecordWriter writer(report_dir / "run.json", "server", {{"directory", config.directory_url}},
                                 {{"strict", opts.has("strict")}, {"seed", config.seed}, {"selection", selection_json}},
                                 version(), static_cast<int>(selected.size()));
  const bool quiet = opts.has("quiet");
  const bool tty = isatty(STDOUT_FILENO) == 1;
  engine::RunOptions run_options;
  run_options.strict = opts.has("strict");
  std::size_t done = 0;
  int failures_so_far = 0;
  const auto started = std::chrono::steady_clock::now();
  run_options.on_scenario = [&](const nlohmann::json& finished) {
    nlohmann::json entry = finished;
    if (!seen_ids.insert(entry["id"].get<std::string>()).second) {
      // The closing sanity run: its own id, so reports keep both.
      entry["id"] = entry["id"].get<std::string>() + "-after-suite";
      entry["title"] = entry["title"].get<std::string>() + " (sanity check after the suite)";
    }
    if (*baseline) reports::mark_baseline_failures(entry, **baseline);
    if (auto s = writer.add_scenario(entry); !s) ctx.err << "acmespec server: cannot write the run record: " << s.error().to_string() << "\n";
    ++done;
    if (quiet) return;
    int failures = 0;
    for (const auto& c : entry["checks"]) failures += c["outcome"] == "fail" || c["outcome"] == "error";
    failures += entry.contains("error") && !entry["error"].is_null();
    failures_so_far += failures;
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
    // On a terminal one line is rewritten in place (red once anything failed);
    // in a CI log each scenario gets a plain line of its own.
    const char* red = tty && failures_so_far > 0 ? "\033[31m" : "";
    ctx.out << (tty ? "\r\033[K" : "") << "[" << done << "/" << selected.size() << "] " << entry["id"].get<std::string>()
            << ": " << entry["checks"].size() << " checks, " << failures << " failing; " << red << failures_so_far
            << " failing so far" << (*red ? "\033[0m" : "") << ", " << secs << " s elapsed" << (tty ? "" : "\n")
            << std::flush;
  };
  engine::run_all(selected, executor, *cat, run_options);
  if (tty && !quiet) ctx.out << "\n";
  if (auto s = writer.finish(); !s) ctx.err << "acmespec server: cannot write the run record: " << s.error().to_string() << "\n";
  write_report_files(ctx, writer.record(), report_dir, "server");
  const int code = finish_reports(ctx, writer.record(), opts, *baseline, writer.exit_code(), tty);
  ctx.out << report_files_line(report_dir);
  return code;
}

}  // namespace

Command server_command() {
  return Command{
      "server",
      "run the server conformance suite against an ACME server",
      "",
      {{"directory", "URL", "the ACME directory URL of the server under test (default: an embedded mock CA)"},
       {"ca-bundle", "PEM", "trust this CA bundle for the server's HTTPS (default: the system store)"},
       {"insecure", "", "do not verify the server's TLS certificate"},
       {"scenario", "ID", "run this scenario", true},
       {"suite", "NAME", "run the scenarios of this suite (core, negative, challenges, ...)", true},
       {"section", "S", "run the scenarios for this RFC section and its subsections", true},
       {"report-dir", "DIR", "where run.json and junit.xml go (default: acmespec-report)"},
       {"strict", "", "SHOULD-level violations fail instead of warn"},
       {"no-sanity", "", "do not run the sanity scenarios before and after the suite"},
       {"seed", "N", "seed for generated names (reproduces a run)"},
       {"timeout", "S", "per-request timeout in seconds (default 15)"},
       {"poll-timeout", "S", "how long to wait for a status change (default 30)"},
       {"http01", "ADDR", "HTTP-01 responder address (default 127.0.0.1:5002)"},
       {"tls-alpn", "ADDR", "TLS-ALPN-01 responder address (default 127.0.0.1:5001)"},
       {"dns", "ADDR", "DNS responder address, UDP and TCP (default 127.0.0.1:8053)"},
       {"no-responders", "", "do not start the challenge responders"},
       {"eab-kid", "KID", "external account binding key id"},
       {"eab-hmac-key", "KEY", "external account binding MAC key (base64url)"},
       {"domain-suffix", "NAME", "parent of the generated names (default acmespec.test)"},
       {"html", "F", "also write the HTML report to F (report.html in the report dir is always written)"},
       {"markdown", "F", "write a Markdown summary to F (fits $GITHUB_STEP_SUMMARY)"},
       {"expect-failures", "F", "baseline of known failures: exit non-zero only on regressions"},
       {"quiet", "", "no progress lines; a passing run prints one summary line"},
       {"verbose", "", "show the transcripts of failing checks"},
       kDataDirOption},
      0,
      run_server};
}

}  // namespace acmespec::cli
