// Helper of tls_alpn_cert_fuzzer: one certificate judged for a DNS and an IP
// identifier.  The seeds in corpus/tls_alpn_cert_fuzzer/ are made for these
// identifiers and this key authorization (fuzz/make_tls_alpn_seeds.py).
#include <optional>
#include <string>

#include "acme/problem.hpp"
#include "fuzz_support.hpp"
#include "mock-ca/va.hpp"

namespace acmespec::fuzz {

void exercise_tls_alpn_cert(std::string_view der) {
  for (const auto& [type, value] : {std::pair{"dns", "fuzz.example"}, std::pair{"ip", "192.0.2.1"}}) {
    mockca::detail::VaJob job;
    job.type = "tls-alpn-01";
    job.identifier = {type, value};
    job.token = "fuzz-token";
    job.key_authorization = "fuzz-token.fuzz-thumbprint";
    const auto problem = mockca::detail::check_challenge_certificate(der, job);
    // A refusal is always one of the two validation problem types.
    require(!problem || problem->is("unauthorized") || problem->is("incorrectResponse"),
            "a certificate refusal of an unexpected type", problem ? problem->effective_type() : std::string());
  }
}

}  // namespace acmespec::fuzz
