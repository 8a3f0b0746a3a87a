// The mock CA's request handler with a fixed clock and seed: the input is
// "METHOD PATH\n" followed by the body.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  acmespec::fuzz::exercise_mockca_request(acmespec::fuzz::as_text(data, size));
  return 0;
}
