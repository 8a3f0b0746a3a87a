// Helper of csr_fuzzer: mock-CA CSR parsing and the identifier match.
#include <algorithm>
#include <string>
#include <variant>

#include "acme/problem.hpp"
#include "fuzz_support.hpp"
#include "mock-ca/csr.hpp"

namespace acmespec::fuzz {

void exercise_csr(std::string_view der) {
  auto parsed = mockca::detail::parse_csr(std::string(der));
  if (auto* problem = std::get_if<acme::Problem>(&parsed)) {
    require(problem->is("badCSR"), "a refused CSR is not badCSR", problem->effective_type());
    return;
  }
  const auto& csr = std::get<mockca::detail::CsrInfo>(parsed);
  require(csr.key != nullptr, "an accepted CSR without a key");
  // The names a CSR carries must match themselves, whatever their order.
  require(!mockca::detail::csr_matches(csr, csr.names).has_value(), "a CSR does not match its own names");
  auto reversed = csr.names;
  std::reverse(reversed.begin(), reversed.end());
  require(!mockca::detail::csr_matches(csr, reversed).has_value(), "the name match depends on order");
  const std::vector<acme::Identifier> other{{"dns", "not-in-the-csr.fuzz.invalid"}};
  auto mismatch = mockca::detail::csr_matches(csr, other);
  require(!mismatch || mismatch->is("badCSR"), "a name mismatch is not badCSR");
}

}  // namespace acmespec::fuzz
