// The scenario loader and validator, against the real catalogue.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  acmespec::fuzz::exercise_scenario(acmespec::fuzz::as_text(data, size));
  return 0;
}
