#include "common/json.hpp"

#include <set>
#include <vector>

namespace acmespec {
namespace {

using json = nlohmann::json;

// A DOM builder behind nlohmann's SAX interface that stops the parse (by
// returning false) the moment a limit is crossed, recording why.
class BoundedBuilder {
 public:
  explicit BoundedBuilder(const JsonLimits& limits) : limits_(limits) {}

  bool null() { return put(json(nullptr)); }
  bool boolean(bool v) { return put(json(v)); }
  bool number_integer(json::number_integer_t v) { return put(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return put(json(v)); }
  bool number_float(json::number_float_t v, const std::string&) { return put(json(v)); }
  bool string(std::string& v) { return put(json(std::move(v))); }
  bool binary(json::binary_t&) { return fail("binary values are not JSON"); }

  bool start_object(std::size_t) { return open(json::object()); }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_array() { return close(); }

  bool key(std::string& k) {
    Frame& top = stack_.back();
    if (limits_.reject_duplicate_keys && !top.keys.insert(k).second)
      return fail("duplicate member name \"" + k + "\"");
    top.pending_key = std::move(k);
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    if (reason_.empty()) {
      std::string what = ex.what();
      // nlohmann prefixes "[json.exception.parse_error.101] "; keep the words.
      auto cut = what.find("] ");
      reason_ = "invalid JSON at byte " + std::to_string(position) + ": " +
                (cut == std::string::npos ? what : what.substr(cut + 2));
    }
    return false;
  }

  json take() { return std::move(root_); }
  const std::string& reason() const { return reason_; }

 private:
  struct Frame {
    json* value;
    std::set<std::string> keys;
    std::string pending_key;
  };

  bool fail(std::string why) {
    if (reason_.empty()) reason_ = std::move(why);
    return false;
  }

  json* slot() {
    if (stack_.empty()) return &root_;
    Frame& top = stack_.back();
    if (top.value->is_array()) {
      top.value->push_back(nullptr);
      return &top.value->back();
    }
    return &(*top.value)[top.pending_key];
  }

  bool put(json v) {
    *slot() = std::move(v);
    return true;
  }

  bool open(json container) {
    if (stack_.size() >= limits_.max_depth)
      return fail("JSON nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    json* s = slot();
    *s = std::move(container);
    stack_.push_back(Frame{s, {}, {}});
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  const JsonLimits& limits_;
  json root_;
  std::vector<Frame> stack_;
  std::string reason_;
};

}  // namespace

Result<nlohmann::json> parse_json(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes)
    return make_error("", "JSON document of " + std::to_string(text.size()) +
                              " bytes exceeds the limit of " + std::to_string(limits.max_bytes));
  BoundedBuilder builder(limits);
  bool ok = json::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json,
                            /*strict=*/true);
  if (!ok) {
    std::string reason = builder.reason().empty() ? "invalid JSON" : builder.reason();
    return make_error("", reason);
  }
  return builder.take();
}

}  // namespace acmespec
