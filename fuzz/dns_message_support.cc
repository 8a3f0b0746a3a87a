// Helper of dns_message_fuzzer: the DNS query parser and answer builder.
#include <string>

#include "fuzz_support.hpp"
#include "responders/dns_message.hpp"

namespace acmespec::fuzz {

void exercise_dns_message(std::string_view bytes) {
  auto query = responders::parse_dns_message(bytes);
  if (!query) {
    const std::string err = responders::build_dns_error_response(bytes, responders::dns_rcode::kFormErr);
    require(err.size() == 12 || bytes.size() < 2, "error response is not a bare header");
    return;
  }
  responders::DnsAnswers answers;
  answers.answers.push_back(responders::make_a_record(std::string("\x7f\x00\x00\x01", 4), 60));
  answers.answers.push_back(responders::make_txt_record(std::string(300, 'x'), 60));
  answers.answers.push_back(responders::make_caa_record(0, "issue", "acmespec.test", 60));
  for (std::size_t cap : {std::size_t{512}, std::size_t{65535}}) {
    responders::DnsResponseOptions options;
    options.max_bytes = cap;
    const std::string response = responders::build_dns_response(*query, answers, options);
    require(response.size() >= 12, "response shorter than a header");
    require(response.size() <= cap || cap < 512, "response above the size cap");
    require(static_cast<unsigned char>(response[0]) == (query->id >> 8) &&
                static_cast<unsigned char>(response[1]) == (query->id & 0xff),
            "response id differs from the query id");
  }
  for (const auto& q : query->questions) {
    (void)q.name();
    auto wire = responders::encode_dns_name(q.labels);
    (void)wire;
  }
}

}  // namespace acmespec::fuzz
