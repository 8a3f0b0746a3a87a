// Flattened-JWS parsing, the RFC 8555 §6.2 header rules and signature
// verification, with the structure-aware mutator.
#include "fuzz_support.hpp"
#include "jws_mutator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  acmespec::fuzz::exercise_jws(acmespec::fuzz::as_text(data, size));
  return 0;
}

ACMESPEC_JWS_CUSTOM_MUTATOR()
