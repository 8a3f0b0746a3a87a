// Drives the structure-aware JWS mutator with a stand-in byte mutator and
// checks what the engine relies on: outputs stay within max_size, many still
// parse as JWS, a good share verify under the test key (so fuzzing gets past
// verification), and every output survives the jws target's invariants.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "jose/jws.hpp"
#include "jws_mutator.hpp"

namespace {

using namespace acmespec;

bool verifies(const std::string& text) {
  auto jws = jose::parse_flattened(text);
  if (!jws || !jws->protected_header.is_object()) return false;
  const auto& h = jws->protected_header;
  if (h.contains("jwk")) {
    auto key = jose::Jwk::parse(h["jwk"]);
    return key && jose::verify_flattened(*jws, *key).ok();
  }
  return jose::verify_flattened(*jws, fuzz::test_key().public_jwk()).ok();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  std::vector<std::string> seeds;
  for (const auto& e : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(e.path(), std::ios::binary);
    seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::sort(seeds.begin(), seeds.end());
  if (seeds.empty()) {
    std::fprintf(stderr, "no seeds in %s\n", argv[1]);
    return 1;
  }
  std::mt19937 rng(1);
  // A stand-in for LLVMFuzzerMutate: flip, insert or erase one byte.
  const fuzz::ByteMutator bytes = [&rng](std::uint8_t* data, std::size_t size, std::size_t max_size) {
    std::uniform_int_distribution<int> op(0, 2);
    const std::size_t at = size == 0 ? 0 : rng() % size;
    switch (op(rng)) {
      case 0:
        if (size > 0) data[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
        return size;
      case 1:
        if (size >= max_size) return size;
        std::copy_backward(data + at, data + size, data + size + 1);
        data[at] = static_cast<std::uint8_t>(rng());
        return size + 1;
      default:
        if (size == 0) return size;
        std::copy(data + at + 1, data + size, data + at);
        return size - 1;
    }
  };

  constexpr int kRounds = 3000;
  constexpr std::size_t kMaxSize = 4096;
  int parsed = 0, verified = 0;
  std::string current = seeds.front();
  std::vector<std::uint8_t> buf(kMaxSize);
  for (int i = 0; i < kRounds; ++i) {
    if (i % 20 == 0) current = seeds[static_cast<std::size_t>(i / 20) % seeds.size()];
    const std::size_t n = std::min(current.size(), kMaxSize);
    std::copy(current.begin(), current.begin() + static_cast<long>(n), buf.begin());
    const std::size_t out = fuzz::mutate_jws(buf.data(), n, kMaxSize, static_cast<unsigned>(i), bytes);
    if (out > kMaxSize) {
      std::fprintf(stderr, "mutator wrote %zu bytes, above max_size %zu\n", out, kMaxSize);
      return 1;
    }
    current.assign(reinterpret_cast<const char*>(buf.data()), out);
    fuzz::exercise_jws(current);
    if (jose::parse_flattened(current)) ++parsed;
    if (verifies(current)) ++verified;
  }
  std::printf("%d mutations: %d parse as JWS, %d verify\n", kRounds, parsed, verified);
  if (parsed < kRounds / 2 || verified < kRounds / 5) {
    std::fprintf(stderr, "the mutator loses JWS structure or signatures too often\n");
    return 1;
  }
  return 0;
}
