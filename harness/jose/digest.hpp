// Message digests the JOSE and ACME layers need (thumbprints, dns-01 values,
// acmeIdentifier extension values).
#pragma once

#include <string>
#include <string_view>

namespace acmespec::jose {

// SHA-256 of `bytes`, 32 raw bytes.
std::string sha256(std::string_view bytes);

}  // namespace acmespec::jose
