// JWK parsing, RFC 7638 thumbprints and the serialize/parse round trip.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  acmespec::fuzz::exercise_jwk(acmespec::fuzz::as_text(data, size));
  return 0;
}
