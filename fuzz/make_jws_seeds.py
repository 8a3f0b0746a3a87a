#!/usr/bin/python3
"""Writes the hand-written seeds of corpus/jws_fuzzer/, signed with the fuzz
test key of fuzz/fuzz_support.cc, so that the seeds that should verify do.

Usage: fuzz/make_jws_seeds.py [CORPUS_DIR]   (default: corpus/jws_fuzzer)
ECDSA signatures are randomised, so rerunning changes the bytes, not the
behaviour each seed is named after."""
import base64
import json
import os
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


KEY = ec.derive_private_key(int.from_bytes(unb64("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X5fcLjQhl70"), "big"),
                            ec.SECP256R1())
_nums = KEY.public_key().public_numbers()
JWK = {"crv": "P-256", "kty": "EC", "x": b64(_nums.x.to_bytes(32, "big")), "y": b64(_nums.y.to_bytes(32, "big"))}
BASE = "https://127.0.0.1:14000"
KID = "https://fuzz.acmespec.test/acct/1"


def sign(header, payload):
    protected = b64(json.dumps(header, separators=(",", ":")).encode())
    body = b64(payload.encode()) if payload else ""
    r, s = utils.decode_dss_signature(KEY.sign(f"{protected}.{body}".encode(), ec.ECDSA(hashes.SHA256())))
    return json.dumps({"protected": protected, "payload": body,
                       "signature": b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))})


def unsigned(header, payload, signature=""):
    return json.dumps({"protected": b64(json.dumps(header).encode()), "payload": b64(payload.encode()),
                       "signature": signature})


def kid_header(path, **extra):
    return dict({"alg": "ES256", "kid": KID, "nonce": "bm9uY2U", "url": BASE + path}, **extra)


SEEDS = {
    "new-account-jwk": sign({"alg": "ES256", "jwk": JWK, "nonce": "bm9uY2UtMQ", "url": BASE + "/sign-me-up"},
                            json.dumps({"termsOfServiceAgreed": True, "contact": ["mailto:admin@example.org"]})),
    "new-order-kid": sign(kid_header("/order-plz"), json.dumps(
        {"identifiers": [{"type": "dns", "value": "www.example.org"}, {"type": "ip", "value": "127.0.0.1"}]})),
    "post-as-get-kid": sign(kid_header("/my-account/1"), ""),
    "finalize-kid": sign(kid_header("/finalize-order/1"), json.dumps({"csr": "MIIBPTCBxAIBADBFMQswCQYDVQQGEwJBVTET"})),
    "challenge-respond-empty-object": sign(kid_header("/chalZ/1"), "{}"),
    "revoke-cert-reason": sign(kid_header("/revoke-cert"), json.dumps({"certificate": "MIIB", "reason": 4})),
    "alg-none-unsigned": unsigned(kid_header("/x", alg="none"), "{}"),
    "unprotected-header-present": json.dumps({"protected": b64(json.dumps(kid_header("/x")).encode()),
                                              "header": {"kid": "x"}, "payload": "", "signature": "AAAA"}),
    "hs256-eab-inner": unsigned({"alg": "HS256", "kid": "eab-kid-1", "url": BASE + "/sign-me-up"}, json.dumps(JWK),
                                b64(b"\0" * 32)),
    "both-jwk-and-kid": sign(kid_header("/x", jwk=JWK), "{}"),
    "crit-extension": sign(kid_header("/x", crit=["exp"], exp=1), "{}"),
    "b64-false-rfc7797": sign(kid_header("/x", b64=False, crit=["b64"]), "{}"),
    "key-change-nested-jws": sign(kid_header("/rollover-account-key"), sign(
        {"alg": "ES256", "jwk": JWK, "url": BASE + "/rollover-account-key"}, json.dumps({"account": KID, "oldKey": JWK}))),
    # RFC 7515 Appendix A.3 (ES256), in the flattened serialization.
    "rfc7515-a3-es256-example": json.dumps({
        "protected": "eyJhbGciOiJFUzI1NiJ9",
        "payload": "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ",
        "signature": "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"}),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "corpus", "jws_fuzzer")
    os.makedirs(out, exist_ok=True)
    for name, text in SEEDS.items():
        with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(out, "..", "jwk_fuzzer", "ec-p256-fuzz-test-key.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(JWK))


if __name__ == "__main__":
    main()
