#include "responders/dns_message.hpp"

#include <cctype>
#include <cstdio>

namespace acmespec::responders {
namespace {

constexpr std::size_t kHeaderBytes = 12;
constexpr std::size_t kMaxNameWire = 255;
constexpr std::size_t kMaxLabel = 63;

Error at(std::size_t offset, std::string reason) {
  return make_error("offset " + std::to_string(offset), std::move(reason));
}

std::uint16_t get16(std::string_view b, std::size_t at_offset) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at_offset]) << 8) |
                                    static_cast<unsigned char>(b[at_offset + 1]));
}

void put16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xff));
}

void put32(std::string& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v >> 16));
  put16(out, static_cast<std::uint16_t>(v & 0xffff));
}

// Reads a possibly compressed name starting at `pos`.  On success `pos` moves
// past the name as it appears in place (pointer = 2 bytes).  Pointers must
// point strictly before the label that holds them, which alone rules out
// loops; the jump cap bounds the work on long backward chains.
Status read_name(std::string_view b, std::size_t& pos, const DnsLimits& limits,
                 std::vector<std::string>* labels) {
  std::size_t cursor = pos;
  std::size_t after = 0;  // where parsing resumes once the first pointer is taken
  bool jumped = false;
  std::size_t jumps = 0;
  std::size_t wire_len = 1;  // the root label
  for (;;) {
    if (cursor >= b.size()) return at(cursor, "name runs past the end of the message");
    const auto len = static_cast<unsigned char>(b[cursor]);
    if ((len & 0xc0) == 0xc0) {
      if (cursor + 1 >= b.size()) return at(cursor, "truncated compression pointer");
      const std::size_t target = get16(b, cursor) & 0x3fff;
      if (target >= cursor) return at(cursor, "compression pointer does not point backwards");
      if (++jumps > limits.max_pointer_jumps) return at(cursor, "too many compression pointers");
      if (!jumped) after = cursor + 2;
      jumped = true;
      cursor = target;
      continue;
    }
    if ((len & 0xc0) != 0) return at(cursor, "unsupported label type");
    if (len == 0) {
      pos = jumped ? after : cursor + 1;
      return Status{Ok{}};
    }
    if (cursor + 1 + len > b.size()) return at(cursor, "label runs past the end of the message");
    wire_len += 1 + len;
    if (wire_len > kMaxNameWire) return at(cursor, "name longer than 255 bytes");
    if (labels) labels->emplace_back(b.substr(cursor + 1, len));
    cursor += 1 + len;
  }
}

// Skips one resource record, returning its type, TTL and RDATA bounds.
struct RawRecord {
  std::uint16_t type;
  std::uint16_t klass;
  std::uint32_t ttl;
  std::size_t rdata_offset;
  std::uint16_t rdata_length;
  bool root_owner;
};

Result<RawRecord> read_record(std::string_view b, std::size_t& pos, const DnsLimits& limits) {
  std::vector<std::string> owner;
  if (auto st = read_name(b, pos, limits, &owner); !st) return st.error();
  if (pos + 10 > b.size()) return at(pos, "record header runs past the end of the message");
  RawRecord r{};
  r.type = get16(b, pos);
  r.klass = get16(b, pos + 2);
  r.ttl = (static_cast<std::uint32_t>(get16(b, pos + 4)) << 16) | get16(b, pos + 6);
  r.rdata_length = get16(b, pos + 8);
  r.rdata_offset = pos + 10;
  r.root_owner = owner.empty();
  if (r.rdata_offset + r.rdata_length > b.size()) return at(pos + 8, "RDATA runs past the end of the message");
  pos = r.rdata_offset + r.rdata_length;
  return r;
}

}  // namespace

std::string dns_type_name(std::uint16_t type) {
  switch (type) {
    case dns_type::kA: return "A";
    case dns_type::kNs: return "NS";
    case dns_type::kCname: return "CNAME";
    case dns_type::kSoa: return "SOA";
    case dns_type::kTxt: return "TXT";
    case dns_type::kAaaa: return "AAAA";
    case dns_type::kOpt: return "OPT";
    case dns_type::kAny: return "ANY";
    case dns_type::kCaa: return "CAA";
    default: return "TYPE" + std::to_string(type);
  }
}

std::string DnsQuestion::name() const {
  std::string out;
  for (const auto& label : labels) {
    if (!out.empty()) out.push_back('.');
    for (const char c : label) {
      const auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u >= 0x7f || c == '.' || c == '\\') {
        char buf[5];
        std::snprintf(buf, sizeof buf, "\\%03u", static_cast<unsigned>(u));
        out += buf;
      } else {
        out.push_back(static_cast<char>(std::tolower(u)));
      }
    }
  }
  return out;
}

Result<DnsQuery> parse_dns_message(std::string_view b, const DnsLimits& limits) {
  if (b.size() < kHeaderBytes) return at(b.size(), "message shorter than the 12-byte header");
  DnsQuery q;
  q.id = get16(b, 0);
  const std::uint16_t flags = get16(b, 2);
  if (flags & 0x8000) return at(2, "QR bit set: message is a response, not a query");
  q.opcode = static_cast<std::uint8_t>((flags >> 11) & 0x0f);
  q.recursion_desired = (flags & 0x0100) != 0;
  q.checking_disabled = (flags & 0x0010) != 0;
  const std::uint16_t qdcount = get16(b, 4);
  const std::size_t rrcount = std::size_t{get16(b, 6)} + get16(b, 8) + get16(b, 10);
  if (qdcount > limits.max_questions) return at(4, "too many questions");

  std::size_t pos = kHeaderBytes;
  for (std::uint16_t i = 0; i < qdcount; ++i) {
    DnsQuestion question;
    if (auto st = read_name(b, pos, limits, &question.labels); !st) return st.error();
    if (pos + 4 > b.size()) return at(pos, "question runs past the end of the message");
    question.type = get16(b, pos);
    question.klass = get16(b, pos + 2);
    pos += 4;
    q.questions.push_back(std::move(question));
  }
  // Every record takes at least 11 bytes, so this loop is bounded by the size.
  const std::size_t additional_start = std::size_t{get16(b, 6)} + get16(b, 8);
  for (std::size_t i = 0; i < rrcount; ++i) {
    const std::size_t start = pos;
    auto rec = read_record(b, pos, limits);
    if (!rec) return rec.error();
    if (rec->type != dns_type::kOpt) continue;
    if (i < additional_start) return at(start, "OPT record outside the additional section");
    if (q.edns) return at(start, "more than one OPT record");
    if (!rec->root_owner) return at(start, "OPT record owner is not the root");
    DnsEdns e;
    e.udp_payload_size = rec->klass;
    e.version = static_cast<std::uint8_t>((rec->ttl >> 16) & 0xff);
    e.dnssec_ok = (rec->ttl & 0x8000) != 0;
    q.edns = e;
  }
  if (pos != b.size()) return at(pos, "trailing bytes after the last record");
  return q;
}

DnsRecord make_a_record(const std::string& ipv4_bytes, std::uint32_t ttl) {
  return DnsRecord{dns_type::kA, ttl, ipv4_bytes};
}

DnsRecord make_aaaa_record(const std::string& ipv6_bytes, std::uint32_t ttl) {
  return DnsRecord{dns_type::kAaaa, ttl, ipv6_bytes};
}

DnsRecord make_txt_record(std::string_view value, std::uint32_t ttl) {
  std::string rdata;
  do {
    const std::size_t n = value.size() < 255 ? value.size() : 255;
    rdata.push_back(static_cast<char>(n));
    rdata.append(value.substr(0, n));
    value.remove_prefix(n);
  } while (!value.empty());
  return DnsRecord{dns_type::kTxt, ttl, std::move(rdata)};
}

DnsRecord make_caa_record(std::uint8_t flags, std::string_view tag, std::string_view value,
                          std::uint32_t ttl) {
  std::string rdata;
  rdata.push_back(static_cast<char>(flags));
  rdata.push_back(static_cast<char>(tag.size() & 0xff));
  rdata.append(tag.substr(0, 255));
  rdata.append(value);
  return DnsRecord{dns_type::kCaa, ttl, std::move(rdata)};
}

Result<std::string> encode_dns_name(const std::vector<std::string>& labels) {
  std::string out;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto& label = labels[i];
    if (label.empty()) return make_error("labels[" + std::to_string(i) + "]", "empty label");
    if (label.size() > kMaxLabel) return make_error("labels[" + std::to_string(i) + "]", "label longer than 63 bytes");
    out.push_back(static_cast<char>(label.size()));
    out += label;
  }
  out.push_back('\0');
  if (out.size() > kMaxNameWire) return make_error("", "name longer than 255 bytes");
  return out;
}

std::vector<std::string> split_dns_name(std::string_view text) {
  std::vector<std::string> labels;
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  while (!text.empty()) {
    const auto dot = text.find('.');
    labels.emplace_back(text.substr(0, dot));
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  return labels;
}

std::string build_dns_response(const DnsQuery& query, const DnsAnswers& answers,
                               const DnsResponseOptions& options) {
  std::string questions;
  std::uint16_t qdcount = 0;
  for (const auto& question : query.questions) {
    auto name = encode_dns_name(question.labels);
    if (!name) continue;  // parsed names always encode; hand-built ones may not
    questions += *name;
    put16(questions, question.type);
    put16(questions, question.klass);
    ++qdcount;
  }
  std::string opt;
  if (query.edns) {
    opt.push_back('\0');
    put16(opt, dns_type::kOpt);
    put16(opt, options.edns_udp_size);
    put32(opt, static_cast<std::uint32_t>((answers.rcode >> 4) & 0xff) << 24);
    put16(opt, 0);
  }
  std::string records;
  std::uint16_t ancount = 0;
  if (qdcount > 0) {
    for (const auto& rec : answers.answers) {
      if (rec.rdata.size() > 0xffff) continue;
      put16(records, 0xc000 | kHeaderBytes);
      put16(records, rec.type);
      put16(records, kDnsClassIn);
      put32(records, rec.ttl);
      put16(records, static_cast<std::uint16_t>(rec.rdata.size()));
      records += rec.rdata;
      ++ancount;
    }
  }
  bool truncated = false;
  if (kHeaderBytes + questions.size() + records.size() + opt.size() > options.max_bytes) {
    truncated = true;
    records.clear();
    ancount = 0;
    // Several long questions can exceed the cap on their own: then the
    // truncated answer is the header (and OPT) alone.
    if (kHeaderBytes + questions.size() + opt.size() > options.max_bytes) {
      questions.clear();
      qdcount = 0;
    }
  }
  std::uint16_t flags = 0x8000;
  flags |= static_cast<std::uint16_t>((query.opcode & 0x0f) << 11);
  if (answers.authoritative) flags |= 0x0400;
  if (truncated) flags |= 0x0200;
  if (query.recursion_desired) flags |= 0x0100;
  if (query.checking_disabled) flags |= 0x0010;
  flags |= answers.rcode & 0x0f;

  std::string out;
  put16(out, query.id);
  put16(out, flags);
  put16(out, qdcount);
  put16(out, ancount);
  put16(out, 0);
  put16(out, query.edns ? 1 : 0);
  out += questions;
  out += records;
  out += opt;
  return out;
}

std::string build_dns_error_response(std::string_view raw_query, std::uint16_t rcode) {
  std::string out;
  put16(out, raw_query.size() >= 2 ? get16(raw_query, 0) : 0);
  std::uint16_t flags = 0x8000 | (rcode & 0x0f);
  if (raw_query.size() >= 4) flags |= get16(raw_query, 2) & 0x7900;  // opcode and RD
  put16(out, flags);
  put16(out, 0);
  put16(out, 0);
  put16(out, 0);
  put16(out, 0);
  return out;
}

}  // namespace acmespec::responders
