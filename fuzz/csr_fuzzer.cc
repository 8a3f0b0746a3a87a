// The mock CA's finalize CSR checks over arbitrary DER.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  acmespec::fuzz::exercise_csr(acmespec::fuzz::as_text(data, size));
  return 0;
}
