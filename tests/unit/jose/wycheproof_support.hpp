// Helpers for running the JOSE layer over the Wycheproof vectors.
//
// The vectors are read in place from ACMESPEC_WYCHEPROOF_DIR; a missing
// folder or file fails the test (it never passes silently).  Every test case
// of a file ends in one tally, so a summary line can say how much of the file
// was really exercised and nothing is skipped unnoticed.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace wycheproof_test {

// Loads `<ACMESPEC_WYCHEPROOF_DIR>/<file>`; REQUIREs that it exists, parses
// and has test groups, and that numberOfTests matches the tests it holds.
nlohmann::json load(const std::string& file);

// Hex from the vector files; REQUIREs well-formed input.
std::string hex_decode(std::string_view hex);

enum class Verdict { Accepted, Rejected, NotApplicable };

// What acmespec did with one test case, and where it decided.
struct Outcome {
  Verdict verdict = Verdict::Rejected;
  std::string stage;  // which acmespec step refused it, or why not applicable
  // Refused only because acmespec lacks the feature by design (PS256, ...):
  // a valid case refused this way is not applicable rather than a mismatch.
  bool unsupported = false;
};

struct Tally {
  int total = 0;
  int valid = 0, valid_verified = 0;
  int invalid = 0, invalid_rejected = 0;
  int acceptable = 0;
  std::set<int> acceptable_accepted;
  // tcId -> reason, for cases acmespec cannot judge (unsupported algorithm, ...).
  std::map<int, std::string> not_applicable;
  // tcId -> what went wrong: a valid case refused or an invalid one accepted.
  std::map<int, std::string> mismatches;

  // Files one result of one test case in.
  void add(const nlohmann::json& test, const Outcome& outcome);
  std::set<int> mismatch_ids() const;
  std::set<int> not_applicable_ids() const;
  // "valid N verified, invalid M rejected, acceptable K of which J accepted".
  std::string summary(const std::string& file) const;
  // Every mismatch and not-applicable case, one per line, for failure messages.
  std::string details() const;
};

// Disagreements with Wycheproof that are understood, tcId -> why.  Tests pin
// the exact set, so a fix in acmespec and a new disagreement both show.
using Known = std::map<int, std::string>;

// WARNs the file's summary (with `extra` appended) and every known
// disagreement, then CHECKs that the mismatches are exactly `known`.
void report(const std::string& file, const Tally& tally, const Known& known,
            const std::string& extra = {});

// Runs one test of json_web_{signature,key,crypto}_test.json through the path
// acmespec offers: parse_flattened, Jwk::parse of the group's key and
// verify_flattened (verify_flattened_mac for a symmetric group: the External
// Account Binding path).  A compact JWS is re-serialized member for member
// as flattened JSON (RFC 7515 §7.2.2 carries the same three texts), so the
// verifier still sees every signature; a JWS that cannot be re-serialized is
// judged by parse_flattened alone.
Outcome run_jws_case(const nlohmann::json& group, const nlohmann::json& test);

// The literal form only: whether parse_flattened accepts the JWS text as given.
bool literal_form_accepted(const nlohmann::json& test);

}  // namespace wycheproof_test
