#!/usr/bin/env python3
"""Harvests fuzz seeds from acmespec run records (run.json).

Usage: harvest_seeds.py [--corpus DIR] [--max-new N] RUN_JSON_OR_REPORT_DIR...

A run record written by `acmespec server --report-dir DIR` holds every HTTP
exchange of the run.  This script turns what real servers and acmespec's
client sent into seeds, each in its target's input format:

  jws_fuzzer             request bodies that are flattened JWS, and the JWS
                         nested in them (keyChange inner JWS, EAB)
  jwk_fuzzer             the "jwk" members of those protected headers, and
                         the account keys an EAB or keyChange payload carries
  resource_fuzzer        JSON response bodies: directory, account, order,
                         authorization, challenge resources, problem documents
  http_headers_fuzzer    per response: all Link field values (one per line),
                         Retry-After, Date
  mockca_request_fuzzer  "METHOD PATH\\n" followed by the request body
  csr_fuzzer             DER of the CSRs sent to finalize
  tls_alpn_cert_fuzzer   DER of the certificates servers issued

Seeds are named by the SHA-1 of their content, so running again over the same
records writes nothing new.  Inputs above a target's max_len (from
fuzz/<target>.options) are skipped, and at most --max-new seeds (default 40)
are added per target and run, picked so that distinct shapes (URL path,
member names, status) come first and no shape gets more than three.  Run records are redacted; nothing that
looks like private key material (a JWK with "d" or "k", a PEM private key) is
ever written.
"""
import argparse
import base64
import binascii
import configparser
import hashlib
import json
import pathlib
import re
import sys
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[1]
TARGETS = ("jws_fuzzer", "jwk_fuzzer", "resource_fuzzer", "http_headers_fuzzer", "mockca_request_fuzzer",
           "csr_fuzzer", "tls_alpn_cert_fuzzer")
PRIVATE_JWK_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----\s*(.+?)\s*-----END CERTIFICATE-----", re.S)
PER_SHAPE = 3  # seeds of one shape at most: the rest differ in ids, nonces, keys
MAX_EXCHANGES = 100_000  # bound on the exchanges read from one record


class HarvestError(Exception):
    pass


def b64url_decode(text):
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def json_or_none(data):
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def has_private_key(value, depth=0):
    """True when value (parsed JSON, bounded depth) holds a private JWK member."""
    if depth > 64:
        return True  # too deep to judge: refuse
    if isinstance(value, dict):
        if "kty" in value and PRIVATE_JWK_MEMBERS & value.keys():
            return True
        return any(has_private_key(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(has_private_key(v, depth + 1) for v in value)
    return False


def looks_secret(data):
    if b"PRIVATE KEY-----" in data:
        return True
    doc = json_or_none(data)
    return doc is not None and has_private_key(doc)


def shape(value, depth=0):
    """A skeleton of a JSON value (member names and types), for diversity."""
    if depth > 4:
        return "..."
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{shape(v, depth + 1)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, list):
        return "[" + (shape(value[0], depth + 1) if value else "") + f"]{min(len(value), 3)}"
    return type(value).__name__


def jwk_kind(jwk):
    return f"{jwk.get('kty')}|{jwk.get('crv')}|{len(str(jwk.get('n', '')))}|{shape(jwk)}"


def path_shape(url):
    """URL path with its variable segments (ids, tokens) folded."""
    path = urllib.parse.urlsplit(url).path if "://" in url else url
    return "/".join(re.sub(r"^[A-Za-z0-9_-]{8,}$|^\d+$", "*", part) for part in path.split("/"))


def max_len(target):
    parser = configparser.ConfigParser()
    parser.read(ROOT / "fuzz" / f"{target}.options")
    return parser.getint("libfuzzer", "max_len", fallback=4096)


def body_bytes(message):
    body = message.get("body")
    if not isinstance(body, str) or message.get("body_truncated"):
        return None
    if message.get("body_encoding", "utf-8") == "base64":
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return None
    return body.encode("utf-8", "surrogatepass")


def header_values(message, name):
    out = []
    for pair in message.get("headers") or []:
        if isinstance(pair, list) and len(pair) == 2 and str(pair[0]).lower() == name:
            out.append(str(pair[1]))
    return out


class Harvest:
    def __init__(self):
        self.candidates = {t: {} for t in TARGETS}  # target -> {content: shape}

    def add(self, target, data, kind):
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        if data and data not in self.candidates[target]:
            self.candidates[target][data] = kind

    def jws(self, doc, kind, depth=0):
        """A flattened JWS (parsed JSON) and what it carries."""
        if depth > 3 or not isinstance(doc, dict) or not {"protected", "payload", "signature"} <= doc.keys():
            return
        header = json_or_none(b64url_decode(doc["protected"]) or b"")
        payload_bytes = b64url_decode(doc["payload"])
        payload = json_or_none(payload_bytes) if payload_bytes else None
        self.add("jws_fuzzer", json.dumps(doc, separators=(",", ":")),
                 f"{kind}|{shape(header)}|{shape(payload)}")
        if isinstance(header, dict) and isinstance(header.get("jwk"), dict):
            self.add("jwk_fuzzer", json.dumps(header["jwk"], separators=(",", ":")), jwk_kind(header["jwk"]))
        if not isinstance(payload, dict):
            return
        if "kty" in payload:  # an EAB payload is the account key
            self.add("jwk_fuzzer", json.dumps(payload, separators=(",", ":")), jwk_kind(payload))
        if isinstance(payload.get("csr"), str):
            der = b64url_decode(payload["csr"])
            if der:
                self.add("csr_fuzzer", der, f"{kind}|{len(der) // 64}")
        for member in ("externalAccountBinding",):
            self.jws(payload.get(member), f"{kind}.{member}", depth + 1)
        self.jws(payload, f"{kind}.inner", depth + 1)  # keyChange: the payload is a JWS
        for member in ("newKey", "oldKey"):  # RFC 8555 §7.3.5 inner payload
            if isinstance(payload.get(member), dict):
                self.add("jwk_fuzzer", json.dumps(payload[member], separators=(",", ":")), jwk_kind(payload[member]))

    def exchange(self, ex):
        req, res = ex.get("request") or {}, ex.get("response")
        method, url = str(req.get("method", "")), str(req.get("url", ""))
        body = body_bytes(req)
        if method and url and body is not None:
            split = urllib.parse.urlsplit(url)
            target = split.path + (("?" + split.query) if split.query else "")
            if target.startswith("/"):
                self.add("mockca_request_fuzzer", f"{method} {target}\n".encode() + body,
                         f"{method}|{path_shape(target)}|{shape(json_or_none(body))}")
            self.jws(json_or_none(body), path_shape(url))
        if not isinstance(res, dict):
            return
        status = res.get("status")
        links = header_values(res, "link")
        if links:
            self.add("http_headers_fuzzer", "\n".join(links), f"link|{len(links)}|{path_shape(url)}")
        for name in ("retry-after", "date"):
            for value in header_values(res, name):
                self.add("http_headers_fuzzer", value, f"{name}|{re.sub(r'[0-9]', '0', value)}")
        content_type = ";".join(header_values(res, "content-type")).lower()
        data = body_bytes(res)
        if data is None:
            return
        if "json" in content_type:
            doc = json_or_none(data)
            if doc is not None:
                self.add("resource_fuzzer", data, f"{status}|{path_shape(url)}|{shape(doc)}")
        elif "pem-certificate-chain" in content_type:
            for block in PEM_CERT.findall(data):
                try:
                    der = base64.b64decode(b"".join(block.split()), validate=True)
                except (binascii.Error, ValueError):
                    continue
                self.add("tls_alpn_cert_fuzzer", der, f"cert|{len(der) // 256}")

    def record(self, run):
        if not isinstance(run, dict) or not isinstance(run.get("scenarios"), list):
            raise HarvestError('no "scenarios" array: not an acmespec run record')
        seen = 0
        for scenario in run["scenarios"]:
            for ex in (scenario.get("exchanges") or []) if isinstance(scenario, dict) else []:
                seen += 1
                if seen > MAX_EXCHANGES:
                    return
                if isinstance(ex, dict):
                    self.exchange(ex)

    def write(self, corpus, max_new):
        """Writes up to max_new seeds per target; returns {target: (new, candidates)}."""
        summary = {}
        for target, found in self.candidates.items():
            limit = max_len(target)
            usable = [(kind, data) for data, kind in found.items() if len(data) <= limit and not looks_secret(data)]
            # One seed per shape first, then the rest, each group in a stable order.
            by_kind = {}
            for kind, data in sorted(usable, key=lambda kd: (kd[0], hashlib.sha1(kd[1]).hexdigest())):
                by_kind.setdefault(kind, []).append(data)
            ordered = []
            for round_ in range(PER_SHAPE):
                ordered.extend(v[round_] for v in by_kind.values() if round_ < len(v))
            folder = corpus / target
            folder.mkdir(parents=True, exist_ok=True)
            new = 0
            # The first max_new of a fixed order: a second run over the same
            # records picks the same seeds and writes nothing.
            for data in ordered[:max_new]:
                path = folder / hashlib.sha1(data).hexdigest()
                if path.exists():
                    continue
                path.write_bytes(data)
                new += 1
            summary[target] = (new, len(usable))
        return summary


def load(path):
    path = pathlib.Path(path)
    if path.is_dir():
        path = path / "run.json"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise HarvestError(f"{path}: cannot read: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise HarvestError(f"{path}: not UTF-8 at byte {e.start}") from None
    try:
        return path, json.loads(text)
    except ValueError as e:
        raise HarvestError(f"{path}: not JSON: {e}") from None


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", nargs="+", help="run.json files or report folders holding one")
    parser.add_argument("--corpus", type=pathlib.Path, default=ROOT / "corpus", help="corpus root (default: corpus/)")
    parser.add_argument("--max-new", type=int, default=40, help="new seeds per target at most (default 40)")
    args = parser.parse_args(argv)
    if args.max_new < 0:
        parser.error("--max-new must not be negative")
    harvest = Harvest()
    try:
        for record in args.records:
            path, run = load(record)
            try:
                harvest.record(run)
            except HarvestError as e:
                raise HarvestError(f"{path}: {e}") from None
    except HarvestError as e:
        print(f"harvest_seeds: {e}", file=sys.stderr)
        return 2
    for target, (new, usable) in harvest.write(args.corpus, args.max_new).items():
        print(f"{target}: {new} new seeds ({usable} distinct candidates)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
