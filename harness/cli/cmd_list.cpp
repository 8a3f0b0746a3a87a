// acmespec list: the catalogue of checks and the scenarios, with sections.
#include <iomanip>

#include "cli/commands.hpp"
#include "engine/catalogue.hpp"
#include "engine/scenario.hpp"
#include "http/transcript.hpp"
#include "client/mutations.hpp"
#include "clientmode/scenario.hpp"
#include "mock-ca/fault_plan.hpp"
#include "server/challenge_faults.hpp"
#include "server/ops.hpp"
#include "server/server_mode.hpp"

namespace acmespec::cli {
namespace {

int run_list(Context& ctx, const ParsedOptions& opts) {
  const auto root = data_dir(ctx, opts);
  auto cat = engine::load_catalogue(root / "scenarios" / "requirements.json");
  if (!cat) {
    ctx.err << "acmespec: bad catalogue: " << cat.error().to_string() << "\n";
    return kExitHarnessError;
  }
  // Loading validates every scenario against the catalogue and the server
  // vocabulary, so `list` doubles as a lint of the scenario files.
  http::Transcript unused;
  server::ServerExecutor vocabulary(server::ServerConfig{}, unused);
  auto scenarios = engine::load_scenarios(root / "scenarios" / "server", *cat, vocabulary);
  if (!scenarios) {
    ctx.err << "acmespec: bad scenario: " << scenarios.error().to_string() << "\n";
    return kExitHarnessError;
  }
  auto client_scenarios = clientmode::load_client_scenarios(root / "scenarios" / "client", *cat);
  if (!client_scenarios) {
    ctx.err << "acmespec: bad client scenario: " << client_scenarios.error().to_string() << "\n";
    return kExitHarnessError;
  }
  if (opts.has("ops")) {
    ctx.out << "Operations (server scenarios):\n";
    for (const auto& op : server::all_ops()) {
      std::string args;
      for (const auto& a : op.args) args += (args.empty() ? "" : ", ") + a;
      ctx.out << "  " << std::left << std::setw(26) << op.name << op.summary << "\n      args: "
              << (args.empty() ? "(none)" : args) << (op.signed_request ? "" : "; sends no JWS") << "\n";
    }
    ctx.out << "\nMutations (\"mutate\" members):\n";
    for (const auto& m : client::Mutations::names()) ctx.out << "  " << m << "\n";
    ctx.out << "\nChallenge faults (\"fault\" argument of authorize; refuse: a correct validator fails the challenge):\n";
    for (const auto& f : server::challenge_faults())
      ctx.out << "  " << std::left << std::setw(26) << f.name << std::setw(12) << f.challenge_type
              << (f.must_fail ? "refuse  " : "accept  ") << f.summary << "\n";
    return kExitOk;
  }
  const bool only_scenarios = opts.has("scenarios");
  if (!only_scenarios) {
    ctx.out << "Checks (" << cat->requirements.size() << "):\n";
    for (const auto& req : cat->requirements) {
      ctx.out << "  " << std::left << std::setw(56) << req.id << " " << std::setw(6) << engine::to_string(req.level)
              << " " << std::setw(6) << engine::to_string(req.role) << " " << req.spec << " §" << req.section
              << "\n      " << req.statement << "\n";
    }
  }
  if (!opts.has("checks")) {
    ctx.out << (only_scenarios ? "" : "\n") << "Scenarios (" << scenarios->size() << "):\n";
    for (const auto& sc : *scenarios) {
      std::string suites, sections;
      for (const auto& s : sc.suites) suites += (suites.empty() ? "" : ",") + s;
      for (const auto& s : sc.sections) sections += (sections.empty() ? "§" : " §") + s;
      ctx.out << "  " << std::left << std::setw(44) << sc.id << " " << std::setw(22) << suites << " " << sections
              << "\n      " << sc.title << " (" << sc.steps.size() << " steps, " << sc.cited_checks().size()
              << " checks)\n";
    }
    ctx.out << "\nClient scenarios (" << client_scenarios->size() << "; acmespec client --scenario ID):\n";
    for (const auto& sc : *client_scenarios) {
      std::string suites, faults;
      for (const auto& s : sc.suites) suites += (suites.empty() ? "" : ",") + s;
      const nlohmann::json plan = mockca::to_json(sc.faults);
      for (const auto& [knob, value] : plan.items()) faults += (faults.empty() ? "" : ", ") + knob;
      ctx.out << "  " << std::left << std::setw(44) << sc.id << " " << std::setw(22) << suites << " " << sc.challenge
              << ", " << sc.identifiers.size() << (sc.identifiers.size() == 1 ? " name" : " names") << ", the client should "
              << (sc.client_should == clientmode::Expectation::succeed ? "succeed" : "fail") << "\n      " << sc.title
              << " (" << sc.expect.size() << " checks; faults: " << (faults.empty() ? "none" : faults) << ")\n";
    }
  }
  return kExitOk;
}

}  // namespace

Command list_command() {
  return Command{"list",
                 "print the catalogue of checks and the server and client scenarios with their RFC sections",
                 "",
                 {{"checks", "", "only the checks"},
                  {"scenarios", "", "only the scenarios"},
                  {"ops", "", "the operations and mutations scenario steps can use"},
                  kDataDirOption},
                 0,
                 run_list};
}

}  // namespace acmespec::cli
