// Certificate signing requests at finalize (RFC 8555 §7.4, §11.1): the
// signature verifies, the key meets the CA's policy, and the names are
// exactly the order's identifiers.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "acme/identifier.hpp"
#include "acme/problem.hpp"
#include "jose/jwk.hpp"

namespace acmespec::mockca::detail {

struct CsrInfo {
  std::vector<acme::Identifier> names;  // SANs (and a CN not among them), lower-cased DNS names
  std::shared_ptr<EVP_PKEY> key;
  std::optional<jose::Jwk> jwk;         // the key in JWK form, for comparisons
};

// A badCSR problem naming the broken rule, or what the CSR holds.
std::variant<CsrInfo, acme::Problem> parse_csr(const std::string& der);

// badCSR when the names differ from `identifiers` (as sets), else nullopt.
std::optional<acme::Problem> csr_matches(const CsrInfo& csr, const std::vector<acme::Identifier>& identifiers);

}  // namespace acmespec::mockca::detail
