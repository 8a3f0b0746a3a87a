// Client checks: each catalogue id that client mode can judge is one function
// from what happened in a run (the mock CA's observation log, the client's
// exit status and output) to a Judgement.  Checks are grouped by what they
// look at: checks_nonce.cpp, checks_jws.cpp, checks_flow.cpp.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clientmode/http01_probe.hpp"
#include "clientmode/scenario.hpp"
#include "engine/runner.hpp"
#include "mock-ca/observation.hpp"

namespace acmespec::clientmode {

// Everything a check may judge by.
struct ClientRun {
  std::vector<std::string> identifiers;          // the names the client was told to request
  mockca::FaultPlan faults;                      // the plan the mock CA ran
  std::vector<mockca::Observation> observations;  // in arrival order
  std::optional<int> exit_code;                  // nullopt when killed by a signal or the timeout
  bool timed_out = false;
  std::string output;                            // the client's stdout and stderr (capped)
  std::string challenge;                         // the scenario's challenge type
  int timeout_s = 0;                             // the time limit the client ran under
  double duration_s = 0;                         // how long the client ran
  // http-01-webroot only: paths (relative to the site folder, site.hpp)
  // created or changed while the client ran.
  bool webroot = false;
  std::vector<std::string> site_changes;
  // Files named acmespec-canary* found in the working folder after the run:
  // hostile payloads would create them if anything executed them.
  std::vector<std::string> canaries;
  // directory_decoy, resource_decoy only: connections that reached the decoy listener.
  std::vector<std::string> decoy_hits;
  // certificate_extra_pem only: PEM files (relative paths) the client left in
  // its working folder that hold the extra block (pem_files_containing()).
  std::vector<std::string> saved_extra_pem;
  // The first attempt of each validation the mock CA's VA made (after the
  // scenario's validation_delay), as the VA reported it.
  struct ValidationAttempt {
    std::string type, identifier;
    std::chrono::system_clock::time_point at;
  };
  std::vector<ValidationAttempt> validation_attempts;
  int validation_delay_s = 0;
  // The profile's terms-of-service opt-in ({tos_args}) was left out of the
  // command line (scenario tos_opt_in false).
  bool tos_withheld = false;
  // Scenarios citing RFC8555-8.3-client-deprovisions-resource: the HTTP-01
  // resource fetched again at the accepted finalize (http01_probe.hpp).
  bool deprovision_probed = false;  // the probe was armed for this run
  std::optional<ProbeResult> deprovision;
  // Scenarios citing RFC8555-8.3-client-checks-echoed-token: the path of a
  // never-issued token fetched when the client answered its first challenge.
  bool echo_probed = false;
  std::optional<ProbeResult> echo;
};

struct ClientCheckDef {
  std::string id;
  std::function<engine::Judgement(const ClientRun&)> judge;
  // At load time: why a scenario cannot give this check an occasion (e.g. it
  // judges badNonce retries but the fault plan injects no badNonce); nullopt
  // when it fits.
  std::function<std::optional<std::string>(const ClientScenario&)> unfit = nullptr;
};

const std::vector<ClientCheckDef>& all_client_checks();
const ClientCheckDef* find_client_check(const std::string& id);

std::vector<ClientCheckDef> checks_nonce();
std::vector<ClientCheckDef> checks_jws();
std::vector<ClientCheckDef> checks_flow();
std::vector<ClientCheckDef> checks_hostile();
std::vector<ClientCheckDef> checks_challenges();  // challenge responses and directory URLs
std::vector<ClientCheckDef> checks_faults();      // invalid nonces, reordered orders, non-certificate PEM
// Files under `dir` (relative paths, at most 20) that begin with "-----BEGIN"
// and hold `text` in their first MiB: PEM files, not logs that quote a
// response.  The walk stops after 50,000 entries.
std::vector<std::string> pem_files_containing(const std::string& dir, const std::string& text);
std::vector<ClientCheckDef> checks_lifecycle();   // around the validation and the certificate download

// Shared helpers.
std::string evidence_id(const mockca::Observation& o);  // "obs-<seq>"
bool is_signed(const mockca::Observation& o);           // a POST carrying a JWS
bool certificate_downloaded(const ClientRun& run);       // a 200 answer from a certificate URL
// The plan injects an error of this type somewhere.
bool plan_injects(const mockca::FaultPlan& plan, const std::string& type);
// Seconds between two observations.
double seconds_between(const mockca::Observation& a, const mockca::Observation& b);

}  // namespace acmespec::clientmode
