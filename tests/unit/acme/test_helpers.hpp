// Helpers shared by the acme resource tests.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "common/json.hpp"

namespace acme_test {

using nlohmann::json;

inline json parsed(const char* text) {
  auto j = acmespec::parse_json(text);
  REQUIRE(j.ok());
  return *j;
}

// parse(to_json(x)) == x, also through serialized text, and stable after.
template <class T>
inline void check_round_trip(const T& x) {
  const json once = x.to_json();
  auto back = T::parse(once);
  REQUIRE(back.ok());
  CHECK(*back == x);
  CHECK(back->to_json() == once);
  auto from_text = T::parse_body(once.dump());
  REQUIRE(from_text.ok());
  CHECK(*from_text == x);
}

template <class T>
inline void check_error(const json& j, const std::string& path, const std::string& reason) {
  INFO(j.dump());
  auto r = T::parse(j);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().path == path);
  CHECK(r.error().reason == reason);
}

inline json with(const char* base, const json& patch) {
  json j = parsed(base);
  j.merge_patch(patch);
  return j;
}

}  // namespace acme_test
