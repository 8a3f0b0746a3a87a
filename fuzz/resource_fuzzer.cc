// Every ACME resource parser and the problem parser, with round trips.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  acmespec::fuzz::exercise_resources(acmespec::fuzz::as_text(data, size));
  return 0;
}
