// The JOSE layer of acmespec: everything needed to sign, parse and verify
// ACME requests, and the values challenges are built from.
//
//   base64url.hpp    base64url_encode / base64url_decode (strict, canonical)
//   algorithm.hpp    Alg, MacAlg, KeyFamily, KeyType and their names
//   jwk.hpp          Jwk: public keys, RFC 7638 thumbprints
//   private_key.hpp  PrivateKey: generate, PEM, private JWK, 0600 key files
//   signature.hpp    sign / verify (raw bytes), ECDSA R||S, HMAC for EAB
//   jws.hpp          FlattenedJws, parse/sign/verify, JwsBuilder for tampering
//   acme_header.hpp  RFC 8555 §6.2 protected-header rules with stable ids
//   challenge.hpp    key authorization, dns-01, tls-alpn-01, token checks
//   digest.hpp       sha256
#pragma once

#include "jose/acme_header.hpp"
#include "jose/algorithm.hpp"
#include "jose/base64url.hpp"
#include "jose/challenge.hpp"
#include "jose/digest.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "jose/private_key.hpp"
#include "jose/signature.hpp"
