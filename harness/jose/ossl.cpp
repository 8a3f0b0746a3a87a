#include "jose/ossl.hpp"

#include <openssl/err.h>

namespace acmespec::jose::detail {

std::string openssl_error() {
  std::string out;
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "OpenSSL reported no detail" : out;
}

void clear_openssl_errors() { ERR_clear_error(); }

BnPtr bn_from_bytes(std::string_view bytes) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr));
}

std::string bn_to_bytes(const BIGNUM* bn) {
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

bool bn_to_fixed(const BIGNUM* bn, std::size_t len, std::string& out) {
  out.assign(len, '\0');
  return BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()),
                      static_cast<int>(len)) == static_cast<int>(len);
}

}  // namespace acmespec::jose::detail
