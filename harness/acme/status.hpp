// Resource status values and the life cycles of RFC 8555 §7.1.6.
//
// The transitions are a table of data (status_transitions()) so that checks,
// the mock CA and reports all read the same rules and can cite the cause the
// RFC gives for each edge.  Statuses are handled as strings at this level so
// that a status a peer invented can still be asked about (it is simply not
// part of any transition); the typed enums below convert to and from them.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace acmespec::acme {

enum class ResourceKind { account, order, authorization, challenge };
std::string_view to_string(ResourceKind kind);

enum class AccountStatus { valid, deactivated, revoked };
enum class OrderStatus { pending, ready, processing, valid, invalid };
enum class AuthorizationStatus { pending, valid, invalid, deactivated, expired, revoked };
enum class ChallengeStatus { pending, processing, valid, invalid };

std::string_view to_string(AccountStatus s);
std::string_view to_string(OrderStatus s);
std::string_view to_string(AuthorizationStatus s);
std::string_view to_string(ChallengeStatus s);

std::optional<AccountStatus> parse_account_status(std::string_view s);
std::optional<OrderStatus> parse_order_status(std::string_view s);
std::optional<AuthorizationStatus> parse_authorization_status(std::string_view s);
std::optional<ChallengeStatus> parse_challenge_status(std::string_view s);

// Every status RFC 8555 defines for `kind`, in the order of §7.1.x.
std::span<const std::string_view> statuses(ResourceKind kind);
bool is_known_status(ResourceKind kind, std::string_view status);

struct StatusTransition {
  ResourceKind kind;
  std::string_view from;
  std::string_view to;
  std::string_view cause;  // what moves the resource along this edge
};

std::span<const StatusTransition> status_transitions();

// True when §7.1.6 lets `kind` move directly from `from` to `to`.  Staying in
// the same status is not a transition and answers false; see may_observe().
bool allowed_transition(ResourceKind kind, std::string_view from, std::string_view to);

// True when a client that saw `from` may later see `to`: the same status, or
// one reachable through a chain of transitions.  Polling can miss
// intermediate statuses (pending -> valid for a challenge whose "processing"
// was never observed), so this is the test a judge of successive responses
// wants; allowed_transition() is for a server's own state changes.
bool may_observe(ResourceKind kind, std::string_view from, std::string_view to);

// The status a new resource of `kind` starts in (account: "valid",
// the others: "pending").
std::string_view initial_status(ResourceKind kind);
bool is_initial_status(ResourceKind kind, std::string_view status);
// Statuses no transition leaves.  Note an authorization's "valid" is not
// terminal (it can expire, be deactivated or revoked).
bool is_terminal_status(ResourceKind kind, std::string_view status);

// Typed conveniences over the same table.
bool allowed_transition(AccountStatus from, AccountStatus to);
bool allowed_transition(OrderStatus from, OrderStatus to);
bool allowed_transition(AuthorizationStatus from, AuthorizationStatus to);
bool allowed_transition(ChallengeStatus from, ChallengeStatus to);

}  // namespace acmespec::acme
