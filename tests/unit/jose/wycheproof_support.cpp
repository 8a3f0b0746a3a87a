#include "wycheproof_support.hpp"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include <catch2/catch.hpp>

#include "jose/jose.hpp"

namespace wycheproof_test {
namespace {

using namespace acmespec::jose;

std::string tc_label(const nlohmann::json& test) {
  return "tcId " + std::to_string(test.at("tcId").get<int>()) + " (" +
         test.value("comment", std::string()) + ")";
}

// A compact JWS carries the same three base64url texts as the flattened
// form; anything but exactly three parts is not a JWS that could be moved.
std::optional<std::string> compact_as_flattened(const std::string& text) {
  if (text.empty() || text.front() == '{') return std::nullopt;
  const auto first = text.find('.');
  if (first == std::string::npos) return std::nullopt;
  const auto second = text.find('.', first + 1);
  if (second == std::string::npos || text.find('.', second + 1) != std::string::npos) {
    return std::nullopt;
  }
  return nlohmann::json{{"protected", text.substr(0, first)},
                        {"payload", text.substr(first + 1, second - first - 1)},
                        {"signature", text.substr(second + 1)}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

std::string literal_text(const nlohmann::json& jws) {
  return jws.is_string() ? jws.get<std::string>() : jws.dump();
}

Outcome verify_with_key(const nlohmann::json& group, const FlattenedJws& jws) {
  const bool has_public = group.contains("public");
  REQUIRE((has_public || group.contains("private")));
  const nlohmann::json& doc = has_public ? group.at("public") : group.at("private");
  std::vector<nlohmann::json> keys;
  if (doc.contains("keys")) {
    for (const auto& k : doc.at("keys")) keys.push_back(k);
  } else {
    keys.push_back(doc);
  }
  if (keys.size() != 1) {
    return {Verdict::NotApplicable, "JWK Set of " + std::to_string(keys.size()) +
                                        " keys: acmespec verifies against exactly one key"};
  }
  const nlohmann::json& key = keys.front();
  const std::string kty = key.value("kty", std::string());

  if (kty == "oct") {
    // acmespec's only symmetric keys are EAB MAC keys: raw bytes, HS256/384/512.
    const std::string key_alg = key.value("alg", std::string());
    if (!mac_alg_from_name(key_alg)) {
      return {Verdict::NotApplicable,
              "symmetric key for " + key_alg + ": acmespec's only symmetric keys are raw "
              "HS256/384/512 MAC keys, which carry no alg of their own"};
    }
    auto k = base64url_decode(key.value("k", std::string()));
    if (!k) return {Verdict::Rejected, "oct key k: " + k.error().to_string()};
    auto mac = verify_flattened_mac(jws, *k);
    if (mac) return {Verdict::Accepted, "verify_flattened_mac"};
    return {Verdict::Rejected, "verify_flattened_mac: " + mac.error().to_string()};
  }
  if (!has_public) {
    return {Verdict::NotApplicable, "group gives no public key for kty " + kty};
  }
  // A signature under an algorithm acmespec deliberately lacks (PS256,
  // RS384, ...) is not a verification failure, whichever stage refuses it:
  // the key (declared for that algorithm) or the verifier.
  std::string unsupported;
  if (jws.protected_header.is_object()) {
    const auto it = jws.protected_header.find("alg");
    if (it != jws.protected_header.end() && it->is_string()) {
      const auto name = it->get<std::string>();
      if (name != "none" && !alg_from_name(name) && !mac_alg_from_name(name))
        unsupported = "unsupported alg " + name + " (acmespec verifies RS256, ES256/384/512, EdDSA)";
    }
  }
  auto refused = [&](std::string stage) {
    Outcome out{Verdict::Rejected, std::move(stage)};
    if (!unsupported.empty()) {
      out.stage = unsupported;
      out.unsupported = true;
    }
    return out;
  };
  auto jwk = Jwk::parse(key, "public");
  if (!jwk) return refused("Jwk::parse: " + jwk.error().to_string());
  auto verified = verify_flattened(jws, *jwk);
  if (verified) return {Verdict::Accepted, "verify_flattened"};
  return refused("verify_flattened: " + verified.error().to_string());
}

}  // namespace

nlohmann::json load(const std::string& file) {
  const std::filesystem::path dir(ACMESPEC_WYCHEPROOF_DIR);
  INFO("Wycheproof folder (ACMESPEC_WYCHEPROOF_DIR): " << dir.string());
  REQUIRE(std::filesystem::is_directory(dir));
  const auto path = dir / file;
  INFO("Wycheproof vector file: " << path.string());
  REQUIRE(std::filesystem::is_regular_file(path));
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  REQUIRE_FALSE(doc.is_discarded());
  REQUIRE(doc.contains("testGroups"));
  REQUIRE(doc.at("testGroups").is_array());
  REQUIRE_FALSE(doc.at("testGroups").empty());
  std::size_t tests = 0;
  for (const auto& group : doc.at("testGroups")) tests += group.at("tests").size();
  REQUIRE(doc.contains("numberOfTests"));
  REQUIRE(doc.at("numberOfTests").get<std::size_t>() == tests);
  return doc;
}

std::string hex_decode(std::string_view hex) {
  INFO("hex: " << hex);
  REQUIRE(hex.size() % 2 == 0);
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  bool well_formed = true;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    well_formed = well_formed && hi >= 0 && lo >= 0;
    out.push_back(static_cast<char>((hi & 0xf) * 16 + (lo & 0xf)));
  }
  REQUIRE(well_formed);
  return out;
}

void Tally::add(const nlohmann::json& test, const Outcome& outcome) {
  const int id = test.at("tcId").get<int>();
  const std::string result = test.at("result").get<std::string>();
  ++total;
  if (result == "valid") {
    ++valid;
  } else if (result == "invalid") {
    ++invalid;
  } else if (result == "acceptable") {
    ++acceptable;
  } else {
    FAIL("unknown result \"" << result << "\" in " << tc_label(test));
  }
  const bool not_applicable_here =
      outcome.verdict == Verdict::NotApplicable ||
      (result == "valid" && outcome.verdict == Verdict::Rejected && outcome.unsupported);
  if (not_applicable_here) {
    not_applicable[id] = result + ": " + outcome.stage;
    return;
  }
  const bool accepted = outcome.verdict == Verdict::Accepted;
  if (result == "valid") {
    if (accepted) {
      ++valid_verified;
    } else {
      mismatches[id] = tc_label(test) + ": valid but refused at " + outcome.stage;
    }
  } else if (result == "invalid") {
    if (!accepted) {
      ++invalid_rejected;
    } else {
      mismatches[id] = tc_label(test) + ": invalid but accepted by " + outcome.stage;
    }
  } else if (accepted) {
    acceptable_accepted.insert(id);
  }
}

std::set<int> Tally::mismatch_ids() const {
  std::set<int> out;
  for (const auto& [id, why] : mismatches) out.insert(id);
  return out;
}

std::set<int> Tally::not_applicable_ids() const {
  std::set<int> out;
  for (const auto& [id, why] : not_applicable) out.insert(id);
  return out;
}

std::string Tally::summary(const std::string& file) const {
  std::ostringstream out;
  out << file << ": " << total << " tests; valid " << valid << " of which " << valid_verified
      << " verified; invalid " << invalid << " of which " << invalid_rejected
      << " rejected; acceptable " << acceptable << " of which " << acceptable_accepted.size()
      << " accepted; not applicable " << not_applicable.size() << "; mismatches "
      << mismatches.size();
  return out.str();
}

std::string Tally::details() const {
  std::ostringstream out;
  for (const auto& [id, why] : mismatches) out << "MISMATCH " << why << "\n";
  for (const auto& [id, why] : not_applicable) out << "n/a tcId " << id << " " << why << "\n";
  return out.str();
}

void report(const std::string& file, const Tally& tally, const Known& known,
            const std::string& extra) {
  std::ostringstream line;
  line << tally.summary(file) << extra;
  for (const auto& [id, why] : known) line << "\n  known: tcId " << id << ": " << why;
  WARN(line.str());
  std::set<int> expected;
  for (const auto& [id, why] : known) expected.insert(id);
  INFO(tally.details());
  CHECK(tally.mismatch_ids() == expected);
}

bool literal_form_accepted(const nlohmann::json& test) {
  REQUIRE(test.contains("jws"));
  return parse_flattened(literal_text(test.at("jws"))).ok();
}

Outcome run_jws_case(const nlohmann::json& group, const nlohmann::json& test) {
  if (test.contains("jwe")) {
    return {Verdict::NotApplicable, "JWE (encryption): acmespec only verifies signatures"};
  }
  INFO(tc_label(test));
  REQUIRE(test.contains("jws"));
  const std::string literal = literal_text(test.at("jws"));
  std::string flattened = literal;
  if (auto as_given = parse_flattened(literal); !as_given) {
    auto moved = compact_as_flattened(literal);
    if (!moved) return {Verdict::Rejected, "parse_flattened: " + as_given.error().to_string()};
    flattened = *moved;
  }
  auto jws = parse_flattened(flattened);
  if (!jws) return {Verdict::Rejected, "parse_flattened: " + jws.error().to_string()};
  return verify_with_key(group, *jws);
}

}  // namespace wycheproof_test
