// The DNS responder's query parser and answer builder.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  acmespec::fuzz::exercise_dns_message(acmespec::fuzz::as_text(data, size));
  return 0;
}
