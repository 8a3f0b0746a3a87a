#include "jose/digest.hpp"

#include <cstdlib>

#include <openssl/evp.h>

namespace acmespec::jose {

std::string sha256(std::string_view bytes) {
  std::string out(32, '\0');
  unsigned int len = 0;
  // EVP_Digest with SHA-256 from the default provider cannot fail for valid
  // pointers; if the library is broken there is nothing sensible to return.
  if (EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(out.data()),
                 &len, EVP_sha256(), nullptr) != 1 ||
      len != 32) {
    std::abort();
  }
  return out;
}

}  // namespace acmespec::jose
