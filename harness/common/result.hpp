// Value-or-error results used at every API edge of acmespec.
//
// Parsers and verifiers never throw across a component boundary: they return
// a Result<T> whose error names where the input went wrong (a JSON path such
// as `order.authorizations[2]`, a header name, a byte offset) and why.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace acmespec {

struct Error {
  std::string path;    // where: JSON path, header name, field; may be empty
  std::string reason;  // why, in words a user can act on

  std::string to_string() const { return path.empty() ? reason : path + ": " + reason; }
  // Prefix the path with an outer location: nest("order") turns
  // "authorizations[2]" into "order.authorizations[2]".
  Error nested(const std::string& outer) const {
    if (outer.empty()) return *this;
    if (path.empty()) return {outer, reason};
    return {path.front() == '[' ? outer + path : outer + "." + path, reason};
  }
  bool operator==(const Error&) const = default;
};

inline Error make_error(std::string path, std::string reason) {
  return Error{std::move(path), std::move(reason)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(implicit)
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(implicit)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Success carrying nothing; Status{} is success.
struct Ok {
  bool operator==(const Ok&) const = default;
};
using Status = Result<Ok>;

}  // namespace acmespec
