// Link (RFC 8288) and Retry-After (RFC 9110) field parsing.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  acmespec::fuzz::exercise_http_headers(acmespec::fuzz::as_text(data, size));
  return 0;
}
