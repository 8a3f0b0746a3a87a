// acmespec::responders — the ACME challenge responders.
//
// What a CA under test validates against: an HTTP-01 server, a TLS-ALPN-01
// server (RFC 8737/8738 certificates made per handshake) and an
// authoritative DNS server (A/AAAA for every name, TXT and CAA where added,
// UDP and TCP).  `Responders` starts them together from one config; the
// management API lets other processes drive them over HTTP.  Each responder
// records a request history, and can be told to misbehave per token or
// identifier (Http01Faults, TlsAlpnFaults) to test a CA's validator.
//
//   dns_message.hpp     pure DNS codec (parse a query, build a response)
//   dns_zone.hpp        the records served and the answer rules
//   dns_server.hpp      UDP + TCP server
//   http01_server.hpp   HTTP-01 server and its faults
//   tls_alpn_cert.hpp   challenge certificates, SNI -> identifier mapping
//   tls_alpn_server.hpp TLS-ALPN-01 server
//   history.hpp         request history records
//   facade.hpp          Responders: all of the above as one unit
//   management_api.hpp  HTTP management API (routes documented there)
#pragma once

#include "responders/dns_message.hpp"
#include "responders/dns_server.hpp"
#include "responders/dns_zone.hpp"
#include "responders/facade.hpp"
#include "responders/history.hpp"
#include "responders/http01_server.hpp"
#include "responders/management_api.hpp"
#include "responders/tls_alpn_cert.hpp"
#include "responders/tls_alpn_server.hpp"
