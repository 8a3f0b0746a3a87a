// The mock CA's TLS-ALPN-01 certificate checks (acmeIdentifier, SAN) over arbitrary DER.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  acmespec::fuzz::exercise_tls_alpn_cert(acmespec::fuzz::as_text(data, size));
  return 0;
}
