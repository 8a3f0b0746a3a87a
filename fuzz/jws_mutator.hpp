// Structure-aware mutation of flattened JWS messages.
//
// Byte-level mutation of a JWS almost never survives base64url decoding, and
// anything that does fails signature verification, so a plain engine stays
// in the parser.  This mutator decodes the protected header and the payload,
// mutates them as JSON (members deleted, added, retyped, numbers at limits,
// unicode, duplicates spliced into the text), re-encodes them and re-signs
// about half of the results with the fixed test key, putting that key's JWK
// or kid into the header, so the targets also run the code behind
// verification.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace acmespec::fuzz {

// The engine's byte mutator (LLVMFuzzerMutate's shape): mutates data[0..size)
// in place within max_size bytes and returns the new size.
using ByteMutator = std::function<std::size_t(std::uint8_t* data, std::size_t size, std::size_t max_size)>;

// Mutates the JWS in data[0..size) in place; inputs that are not a JWS get
// byte mutation or, now and then, a fresh signed JWS to start from.
// Deterministic for a given (input, seed, byte mutator).
std::size_t mutate_jws(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed,
                       const ByteMutator& bytes);

}  // namespace acmespec::fuzz

#ifdef ACMESPEC_FUZZ_ENGINE_LINKED
// Installs mutate_jws as the libFuzzer custom mutator of the including target.
#define ACMESPEC_JWS_CUSTOM_MUTATOR()                                                                 \
  extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size); \
  extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,                 \
                                                 std::size_t max_size, unsigned seed) {                \
    return acmespec::fuzz::mutate_jws(data, size, max_size, seed, LLVMFuzzerMutate);                   \
  }
#else
#define ACMESPEC_JWS_CUSTOM_MUTATOR()
#endif
