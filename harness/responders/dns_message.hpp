// DNS wire-format codec (RFC 1035 §4, EDNS(0) per RFC 6891, CAA per RFC 8659).
//
// Pure functions from bytes to values and back, so that the authoritative
// server, the unit tests and the fuzz target all exercise the same code.  The
// parser reads queries only; it rejects anything malformed with the byte
// offset and the rule broken, and it follows compression pointers only
// backwards, so a hostile message cannot make it loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace acmespec::responders {

namespace dns_type {
inline constexpr std::uint16_t kA = 1;
inline constexpr std::uint16_t kNs = 2;
inline constexpr std::uint16_t kCname = 5;
inline constexpr std::uint16_t kSoa = 6;
inline constexpr std::uint16_t kTxt = 16;
inline constexpr std::uint16_t kAaaa = 28;
inline constexpr std::uint16_t kOpt = 41;
inline constexpr std::uint16_t kAny = 255;
inline constexpr std::uint16_t kCaa = 257;
}  // namespace dns_type

namespace dns_rcode {
inline constexpr std::uint16_t kNoError = 0;
inline constexpr std::uint16_t kFormErr = 1;
inline constexpr std::uint16_t kServFail = 2;
inline constexpr std::uint16_t kNxDomain = 3;
inline constexpr std::uint16_t kNotImp = 4;
inline constexpr std::uint16_t kRefused = 5;
inline constexpr std::uint16_t kBadVers = 16;  // extended; needs an OPT record
}  // namespace dns_rcode

inline constexpr std::uint16_t kDnsClassIn = 1;
inline constexpr std::uint16_t kDnsClassAny = 255;
inline constexpr std::size_t kDnsMaxUdpWithoutEdns = 512;

// "A", "TXT", ... or "TYPE<n>" (RFC 3597 style) for the history.
std::string dns_type_name(std::uint16_t type);

struct DnsQuestion {
  // Labels exactly as received (case preserved, since the response must echo
  // the question byte for byte for resolvers that randomise case).
  std::vector<std::string> labels;
  std::uint16_t type = 0;
  std::uint16_t klass = kDnsClassIn;

  // Presentation form, lower-cased, without the trailing dot; bytes outside
  // printable ASCII and the characters '.' and '\' are written as \DDD.
  std::string name() const;
  bool operator==(const DnsQuestion&) const = default;
};

struct DnsEdns {
  std::uint16_t udp_payload_size = 512;
  std::uint8_t version = 0;
  bool dnssec_ok = false;
  bool operator==(const DnsEdns&) const = default;
};

struct DnsQuery {
  std::uint16_t id = 0;
  std::uint8_t opcode = 0;  // 0 = QUERY
  bool recursion_desired = false;
  bool checking_disabled = false;
  std::vector<DnsQuestion> questions;
  std::optional<DnsEdns> edns;  // present when the additional section had an OPT
  bool operator==(const DnsQuery&) const = default;
};

struct DnsLimits {
  std::size_t max_questions = 8;
  std::size_t max_pointer_jumps = 32;
};

// Parses one DNS query message.  Errors name the offset ("offset 17") and
// why; a message that is a response (QR=1) is refused as well.
Result<DnsQuery> parse_dns_message(std::string_view bytes, const DnsLimits& limits = {});

// One resource record whose owner is the (first) question's name.
struct DnsRecord {
  std::uint16_t type = 0;
  std::uint32_t ttl = 0;
  std::string rdata;  // wire-format RDATA
  bool operator==(const DnsRecord&) const = default;
};

DnsRecord make_a_record(const std::string& ipv4_bytes, std::uint32_t ttl);    // 4 bytes
DnsRecord make_aaaa_record(const std::string& ipv6_bytes, std::uint32_t ttl); // 16 bytes
// TXT values longer than 255 bytes are split into several character-strings,
// which a reader concatenates (RFC 7208 §3.3 practice; ACME digests are 43).
DnsRecord make_txt_record(std::string_view value, std::uint32_t ttl);
DnsRecord make_caa_record(std::uint8_t flags, std::string_view tag, std::string_view value,
                          std::uint32_t ttl);

struct DnsAnswers {
  std::uint16_t rcode = dns_rcode::kNoError;  // >15 only with EDNS
  bool authoritative = true;
  std::vector<DnsRecord> answers;
};

struct DnsResponseOptions {
  // Largest message to produce; above it the answers are dropped and TC set.
  std::size_t max_bytes = 65535;
  // UDP payload size advertised in our OPT record when the query had one.
  std::uint16_t edns_udp_size = 1232;
};

// Builds the response to `query`: same id and opcode, RD copied, QR and AA set,
// the question echoed, the answers owned by the question name (compressed to
// a pointer at offset 12).  An OPT record is added when the query had EDNS.
std::string build_dns_response(const DnsQuery& query, const DnsAnswers& answers,
                               const DnsResponseOptions& options = {});

// A header-only answer to bytes that could not be parsed: the query id (when
// at least two bytes arrived) with the given rcode and no sections.
std::string build_dns_error_response(std::string_view raw_query, std::uint16_t rcode);

// Wire encoding of a name given as labels; fails on an empty or >63-byte
// label or a name over 255 bytes.
Result<std::string> encode_dns_name(const std::vector<std::string>& labels);
// Splits "a.example.com" (trailing dot allowed, no escapes) into labels.
std::vector<std::string> split_dns_name(std::string_view text);

}  // namespace acmespec::responders
