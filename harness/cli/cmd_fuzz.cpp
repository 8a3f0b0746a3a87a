// acmespec fuzz: the network protocol fuzzer against a live ACME server, and
// the replay of a finding it wrote.
#include <charconv>
#include <csignal>

#include "cli/commands.hpp"
#include "netfuzz/netfuzz.hpp"

namespace acmespec::cli {
namespace {

bool parse_count(const std::string& text, std::uint64_t& out) {
  const auto* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && p == end;
}

int run_fuzz(Context& ctx, const ParsedOptions& opts) {
  netfuzz::NetFuzzConfig config;
  config.directory_url = opts.get("directory").value_or("");
  config.ca_bundle = opts.get("ca-bundle").value_or("");
  config.insecure = opts.has("insecure");
  config.out_dir = opts.get("out").value_or("acmespec-fuzz");
  struct Number {
    const char* option;
    std::uint64_t min, max;
    std::uint64_t* target;
  };
  std::uint64_t duration = 60, max_requests = config.max_requests, seed = config.seed;
  const Number numbers[] = {{"duration", 1, 86400, &duration},
                            {"max-requests", 1, 100'000'000, &max_requests},
                            {"seed", 0, UINT64_MAX, &seed}};
  for (const auto& n : numbers) {
    auto v = opts.get(n.option);
    if (!v) continue;
    if (!parse_count(*v, *n.target) || *n.target < n.min || *n.target > n.max) {
      ctx.err << "acmespec fuzz: --" << n.option << ": expected an integer in " << n.min << ".." << n.max << "\n";
      return kExitHarnessError;
    }
  }
  config.duration = std::chrono::seconds(duration);
  config.max_requests = max_requests;
  config.seed = seed;
  if (config.directory_url.empty()) {
    ctx.err << "acmespec fuzz: --directory URL is required\n";
    return kExitHarnessError;
  }

  // A server that closes the connection while a request is being written
  // must cost one finding (hang-or-reset), not the whole process.
  std::signal(SIGPIPE, SIG_IGN);
  const auto replay = opts.get("replay");
  auto result = replay ? netfuzz::replay_finding(*replay, config, ctx.err) : netfuzz::run_netfuzz(config, ctx.err);
  if (!result) {
    ctx.err << "acmespec fuzz: " << result.error().to_string() << "\n";
    return kExitHarnessError;
  }
  const double rate = result->seconds > 0 ? static_cast<double>(result->requests) / result->seconds : 0;
  ctx.out << (replay ? "replayed " : "fuzzed ") << config.directory_url << ": " << result->iterations
          << " mutated requests, " << result->requests << " requests in " << result->seconds << " s ("
          << static_cast<long>(rate) << " requests/s), " << result->findings.size() << " distinct findings ("
          << result->duplicates << " duplicates)\n";
  for (const auto& f : result->findings) ctx.out << "  " << f.oracle << " [" << f.op << "] " << f.detail << "\n";
  for (const auto& file : result->files) ctx.out << "  wrote " << file << "\n";
  return result->findings.empty() ? kExitOk : kExitFailures;
}

}  // namespace

Command fuzz_command() {
  return Command{"fuzz",
                 "mutate ACME requests against a live server and report what its answers reveal",
                 "",
                 {{"directory", "URL", "the server's directory URL"},
                  {"ca-bundle", "PEM", "trust this CA for the server's HTTPS"},
                  {"insecure", "", "turn TLS verification off"},
                  {"duration", "S", "stop after S seconds (default 60)"},
                  {"max-requests", "N", "stop after N requests (default 100000)"},
                  {"seed", "N", "seed of the mutations (default 1); a finding names its seed and iteration"},
                  {"out", "DIR", "where findings are written (default acmespec-fuzz/)"},
                  {"replay", "FILE", "send the iteration a finding file names again"}},
                 0,
                 run_fuzz};
}

}  // namespace acmespec::cli
