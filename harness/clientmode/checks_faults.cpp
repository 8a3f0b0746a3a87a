// Client checks driven by protocol-level faults of the mock CA that a
// correct client must see through: an invalid Replay-Nonce (RFC 8555
// §6.5.1), an order whose lists come back in another order than requested
// (§7.4) and a certificate download holding a PEM block that is not a
// certificate (§11.4).
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "clientmode/checks.hpp"
#include "jose/base64url.hpp"

namespace acmespec::clientmode {
namespace {

using engine::Judgement;
using mockca::Observation;

std::string exit_text(const ClientRun& run) {
  if (run.timed_out) return "timed out";
  if (!run.exit_code) return "died from a signal";
  return "exited with status " + std::to_string(*run.exit_code);
}

std::optional<std::string> needs_invalid_nonce(const ClientScenario& sc) {
  if (sc.faults.invalid_nonce) return std::nullopt;
  return "the fault plan hands out no invalid Replay-Nonce (invalid_nonce)";
}

// What a lenient base64 decoder (one that takes both alphabets and skips
// padding and other characters) makes of an invalid nonce once it encodes
// the bytes again as base64url.
std::string reencoded(const std::string& nonce) {
  std::string bytes;
  unsigned bits = 0;
  int count = 0;
  for (char ch : nonce) {
    int v = -1;
    if (ch >= 'A' && ch <= 'Z') v = ch - 'A';
    else if (ch >= 'a' && ch <= 'z') v = ch - 'a' + 26;
    else if (ch >= '0' && ch <= '9') v = ch - '0' + 52;
    else if (ch == '+' || ch == '-') v = 62;
    else if (ch == '/' || ch == '_') v = 63;
    if (v < 0) continue;
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return jose::base64url_encode(bytes);
}

Judgement ignores_invalid_nonce(const ClientRun& run) {
  std::map<std::string, std::string> invalid;  // exact value -> itself, re-encoded form -> the value it came from
  std::set<std::string> values;
  std::string first;
  for (const auto& o : run.observations) {
    if (auto it = invalid.find(o.nonce); is_signed(o) && it != invalid.end()) {
      const bool exact = it->second == o.nonce;
      return Judgement::fail("signed request " + evidence_id(o) + " (" + std::string(mockca::endpoint_name(o.endpoint)) +
                                 ") carries the invalid Replay-Nonce \"" + it->second + "\"" +
                                 (exact ? " as its nonce" : " decoded and re-encoded as \"" + o.nonce + "\""),
                             {evidence_id(o)});
    }
    if (!o.replay_nonce.empty() && !jose::is_base64url_alphabet(o.replay_nonce)) {
      values.insert(o.replay_nonce);
      invalid.emplace(o.replay_nonce, o.replay_nonce);
      invalid.emplace(reencoded(o.replay_nonce), o.replay_nonce);
      if (first.empty()) first = evidence_id(o);
    }
  }
  if (values.empty()) return Judgement::skip("the mock CA handed out no invalid Replay-Nonce in this run");
  const std::string count = std::to_string(values.size()) + " invalid Replay-Nonce value" + (values.size() == 1 ? "" : "s");
  if (run.exit_code != 0 || !certificate_downloaded(run))
    return Judgement::fail("the client did not use the " + count + " (first in " + first +
                               ") but did not carry on without them either: it " + exit_text(run) +
                               (certificate_downloaded(run) ? "" : " without downloading a certificate"),
                           {first});
  return Judgement::pass("the client never sent the " + count + " (first in " + first +
                             ") and completed issuance with valid nonces",
                         {first});
}

std::optional<std::string> needs_reorder(const ClientScenario& sc) {
  if (sc.faults.order_reorder.empty()) return "the fault plan keeps the order's lists in request order (order_reorder)";
  if (sc.identifiers.size() < 2) return "the scenario's orders name one identifier, which no reordering changes";
  return std::nullopt;
}

Judgement no_order_sort_assumption(const ClientRun& run) {
  if (run.identifiers.size() < 2) return Judgement::skip("the order named one identifier");
  int answered = 0;
  const Observation* finalize = nullptr;
  for (const auto& o : run.observations) {
    const bool authz_or_chall = o.endpoint == mockca::Endpoint::kAuthorization || o.endpoint == mockca::Endpoint::kChallenge;
    if (authz_or_chall && o.resource_status == "invalid")
      return Judgement::fail(std::string(mockca::endpoint_name(o.endpoint)) + " " + evidence_id(o) +
                                 " went invalid: the response the client provisioned did not match that authorization's identifier",
                             {evidence_id(o)});
    if (o.endpoint == mockca::Endpoint::kChallenge && is_signed(o) && !o.payload_empty) ++answered;
    if (o.endpoint == mockca::Endpoint::kFinalize && is_signed(o) && !o.csr_names.empty()) finalize = &o;
  }
  if (finalize) {
    const std::set<std::string> want(run.identifiers.begin(), run.identifiers.end());
    const std::set<std::string> got(finalize->csr_names.begin(), finalize->csr_names.end());
    if (want != got) {
      std::string names;
      for (const auto& n : finalize->csr_names) names += (names.empty() ? "" : ", ") + n;
      return Judgement::fail("the CSR of " + evidence_id(*finalize) + " names " + names + ", not the " +
                                 std::to_string(want.size()) + " names of the order",
                             {evidence_id(*finalize)});
    }
  }
  if (run.exit_code != 0 || !certificate_downloaded(run))
    return Judgement::fail("with the order's identifiers and authorizations in another order than requested, the client " +
                           exit_text(run) + (certificate_downloaded(run) ? "" : " without downloading a certificate") +
                           " after answering " + std::to_string(answered) + " challenges");
  std::vector<std::string> ev;
  if (finalize) ev.push_back(evidence_id(*finalize));
  return Judgement::pass("the client answered " + std::to_string(answered) + " challenges, none went invalid, and finalized the " +
                             std::to_string(run.identifiers.size()) + " names of an order listed in another order than requested",
                         ev);
}

std::optional<std::string> needs_extra_pem(const ClientScenario& sc) {
  if (!sc.faults.certificate_extra_pem.empty()) return std::nullopt;
  return "the fault plan adds no PEM block to the certificate download (certificate_extra_pem)";
}

Judgement rejects_non_certificate_pem(const ClientRun& run) {
  const std::string block = mockca::certificate_extra_pem_block(run.faults.certificate_extra_pem);
  if (block.empty()) return Judgement::skip("the certificate downloads held only CERTIFICATE blocks");
  const Observation* download = nullptr;
  for (const auto& o : run.observations)
    if (o.endpoint == mockca::Endpoint::kCertificate && o.status == 200) download = &o;
  if (!download) return Judgement::skip("the client never downloaded the certificate");
  // The block's type, from its first line "-----BEGIN <type>-----".
  const std::string what = "the download " + evidence_id(*download) + " ended with an extra " +
                           block.substr(11, block.find('\n') - 16) + " block";
  if (run.timed_out || !run.exit_code)
    return Judgement::fail(what + ", and the client did not end with an error status (it " + exit_text(run) + ")",
                           {evidence_id(*download)});
  if (*run.exit_code != 0)
    return Judgement::pass(what + " and the client refused it: it " + exit_text(run), {evidence_id(*download)});
  if (!run.saved_extra_pem.empty()) {
    std::string files;
    for (const auto& f : run.saved_extra_pem) files += (files.empty() ? "" : ", ") + f;
    return Judgement::fail(what + ", yet the client exited with status 0 and saved it in " + files,
                           {evidence_id(*download), "client-process"});
  }
  return Judgement::pass(what + "; the client exited with status 0 but no PEM file it saved holds that block",
                         {evidence_id(*download), "client-process"});
}

}  // namespace

std::vector<std::string> pem_files_containing(const std::string& dir, const std::string& text) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  std::size_t visited = 0;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end && ++visited < 50000 && out.size() < 20;
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::string head(1 << 20, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const auto start = head.find_first_not_of(" \t\r\n");
    if (start == std::string::npos || head.compare(start, 10, "-----BEGIN") != 0) continue;
    if (head.find(text) != std::string::npos) out.push_back(fs::relative(it->path(), dir, ec).generic_string());
  }
  return out;
}

std::vector<ClientCheckDef> checks_faults() {
  return {
      {"RFC8555-6.5.1-client-ignores-invalid-nonce", ignores_invalid_nonce, needs_invalid_nonce},
      {"RFC8555-7.4-client-no-order-sort-assumption", no_order_sort_assumption, needs_reorder},
      {"RFC8555-11.4-client-rejects-non-certificate-pem", rejects_non_certificate_pem, needs_extra_pem},
  };
}

}  // namespace acmespec::clientmode
