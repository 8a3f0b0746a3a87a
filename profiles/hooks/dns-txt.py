#!/usr/bin/python3
"""Publishes or removes a DNS-01 TXT record through acmespec's DNS management API.

Two calling conventions, so one hook serves both clients:
  lego's exec provider:   dns-txt.py present|cleanup <fqdn> <value>
  certbot's manual hooks: dns-txt.py auth|cleanup   (CERTBOT_DOMAIN, CERTBOT_VALIDATION in the environment)
The API address comes from ACMESPEC_DNS_API (http://127.0.0.1:PORT, loopback only).
"""
import json
import os
import sys
import urllib.request


def post(api, path, body):
    req = urllib.request.Request(api + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        if resp.status // 100 != 2:
            raise SystemExit(f"{path}: HTTP {resp.status}")


def main(argv):
    api = os.environ.get("ACMESPEC_DNS_API", "")
    if not api.startswith("http://127.0.0.1:"):
        raise SystemExit("ACMESPEC_DNS_API must be http://127.0.0.1:PORT")
    if len(argv) == 4:  # lego: mode fqdn value
        mode, fqdn, value = argv[1], argv[2], argv[3]
    elif len(argv) == 2 and "CERTBOT_DOMAIN" in os.environ:
        mode = "present" if argv[1] == "auth" else argv[1]
        fqdn = "_acme-challenge." + os.environ["CERTBOT_DOMAIN"].removeprefix("*.")
        value = os.environ.get("CERTBOT_VALIDATION", "")
    else:
        raise SystemExit("usage: dns-txt.py present|cleanup FQDN VALUE, or auth|cleanup under certbot")
    if mode == "present":
        post(api, "/set-txt", {"host": fqdn, "value": value})
    elif mode == "cleanup":
        post(api, "/clear-txt", {"host": fqdn})
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv)
