// acmespec::http — the harness's HTTP(S) side: a bounded client that records
// every exchange, the transcript those exchanges become evidence in, and the
// header parsers ACME needs.
#pragma once

#include "http/base64.hpp"       // base64 for evidence, base64url for JWS parts
#include "http/client.hpp"       // Client, ClientOptions
#include "http/link.hpp"         // parse_link_header, find_links (RFC 8288)
#include "http/message.hpp"      // Request, Response, Exchange, Headers
#include "http/redact.hpp"       // redact_json, redact_text, redact_pem
#include "http/retry_after.hpp"  // parse_retry_after (RFC 9110 §10.2.3)
#include "http/transcript.hpp"   // Transcript, exchange_to_json
#include "http/url.hpp"          // Url, parse_url, resolve_reference
