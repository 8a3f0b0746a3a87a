#include "acme/status.hpp"

#include <array>

namespace acmespec::acme {
namespace {

using K = ResourceKind;

constexpr std::array<std::string_view, 3> kAccount{"valid", "deactivated", "revoked"};
constexpr std::array<std::string_view, 5> kOrder{"pending", "ready", "processing", "valid", "invalid"};
constexpr std::array<std::string_view, 6> kAuthorization{"pending", "valid",   "invalid",
                                                         "deactivated", "expired", "revoked"};
constexpr std::array<std::string_view, 4> kChallenge{"pending", "processing", "valid", "invalid"};

// RFC 8555 §7.1.6, edge by edge, in our own words.
constexpr std::array kTransitions{
    // Accounts start valid and end by the client's or the server's hand.
    StatusTransition{K::account, "valid", "deactivated", "the client deactivates the account (7.3.6)"},
    StatusTransition{K::account, "valid", "revoked", "the server revokes the account"},

    // Orders advance as authorizations complete and finalization runs; an
    // error or failed authorization before issuance makes them invalid.
    StatusTransition{K::order, "pending", "ready", "every authorization of the order is valid"},
    StatusTransition{K::order, "pending", "invalid", "an authorization failed or an error occurred"},
    StatusTransition{K::order, "ready", "processing", "the server accepted a finalize request"},
    StatusTransition{K::order, "ready", "invalid", "an error occurred or an authorization became unusable"},
    StatusTransition{K::order, "processing", "valid", "the certificate was issued"},
    StatusTransition{K::order, "processing", "invalid", "issuance failed"},

    // Authorizations: a challenge decides pending; deactivation, revocation
    // and expiry apply to both pending and valid ones (the RFC's diagram
    // draws those three edges from pending as well as from valid).
    StatusTransition{K::authorization, "pending", "valid", "one of its challenges became valid"},
    StatusTransition{K::authorization, "pending", "invalid", "a challenge failed or an error occurred"},
    StatusTransition{K::authorization, "pending", "deactivated", "the client deactivated it (7.5.2)"},
    StatusTransition{K::authorization, "pending", "expired", "its expiry time passed"},
    StatusTransition{K::authorization, "pending", "revoked", "the server revoked it"},
    StatusTransition{K::authorization, "valid", "deactivated", "the client deactivated it (7.5.2)"},
    StatusTransition{K::authorization, "valid", "expired", "its expiry time passed"},
    StatusTransition{K::authorization, "valid", "revoked", "the server revoked it"},

    // Challenges: the client's response starts validation; retries stay in
    // processing (not an edge); the outcome is valid or invalid.
    StatusTransition{K::challenge, "pending", "processing", "the client responded and validation began"},
    StatusTransition{K::challenge, "processing", "valid", "validation succeeded"},
    StatusTransition{K::challenge, "processing", "invalid", "validation failed"},
};

template <class E, std::size_t N>
std::optional<E> from_table(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ResourceKind kind) {
  switch (kind) {
    case K::account: return "account";
    case K::order: return "order";
    case K::authorization: return "authorization";
    case K::challenge: return "challenge";
  }
  return "unknown";
}

std::string_view to_string(AccountStatus s) { return kAccount.at(static_cast<std::size_t>(s)); }
std::string_view to_string(OrderStatus s) { return kOrder.at(static_cast<std::size_t>(s)); }
std::string_view to_string(AuthorizationStatus s) { return kAuthorization.at(static_cast<std::size_t>(s)); }
std::string_view to_string(ChallengeStatus s) { return kChallenge.at(static_cast<std::size_t>(s)); }

std::optional<AccountStatus> parse_account_status(std::string_view s) {
  return from_table<AccountStatus>(kAccount, s);
}
std::optional<OrderStatus> parse_order_status(std::string_view s) { return from_table<OrderStatus>(kOrder, s); }
std::optional<AuthorizationStatus> parse_authorization_status(std::string_view s) {
  return from_table<AuthorizationStatus>(kAuthorization, s);
}
std::optional<ChallengeStatus> parse_challenge_status(std::string_view s) {
  return from_table<ChallengeStatus>(kChallenge, s);
}

std::span<const std::string_view> statuses(ResourceKind kind) {
  switch (kind) {
    case K::account: return kAccount;
    case K::order: return kOrder;
    case K::authorization: return kAuthorization;
    case K::challenge: return kChallenge;
  }
  return {};
}

bool is_known_status(ResourceKind kind, std::string_view status) {
  for (auto s : statuses(kind)) {
    if (s == status) return true;
  }
  return false;
}

std::span<const StatusTransition> status_transitions() { return kTransitions; }

bool allowed_transition(ResourceKind kind, std::string_view from, std::string_view to) {
  for (const auto& t : kTransitions) {
    if (t.kind == kind && t.from == from && t.to == to) return true;
  }
  return false;
}

bool may_observe(ResourceKind kind, std::string_view from, std::string_view to) {
  if (!is_known_status(kind, from) || !is_known_status(kind, to)) return false;
  if (from == to) return true;
  // Breadth-first over at most six statuses; the graphs are acyclic and tiny.
  std::array<std::string_view, 8> frontier{};
  std::array<std::string_view, 8> seen{};
  std::size_t head = 0, tail = 0, nseen = 0;
  frontier[tail++] = from;
  seen[nseen++] = from;
  while (head < tail) {
    const auto cur = frontier[head++];
    for (const auto& t : kTransitions) {
      if (t.kind != kind || t.from != cur) continue;
      if (t.to == to) return true;
      bool known = false;
      for (std::size_t i = 0; i < nseen; ++i) known = known || seen[i] == t.to;
      if (!known && tail < frontier.size() && nseen < seen.size()) {
        frontier[tail++] = t.to;
        seen[nseen++] = t.to;
      }
    }
  }
  return false;
}

std::string_view initial_status(ResourceKind kind) { return kind == K::account ? "valid" : "pending"; }

bool is_initial_status(ResourceKind kind, std::string_view status) { return status == initial_status(kind); }

bool is_terminal_status(ResourceKind kind, std::string_view status) {
  if (!is_known_status(kind, status)) return false;
  for (const auto& t : kTransitions) {
    if (t.kind == kind && t.from == status) return false;
  }
  return true;
}

bool allowed_transition(AccountStatus from, AccountStatus to) {
  return allowed_transition(K::account, to_string(from), to_string(to));
}
bool allowed_transition(OrderStatus from, OrderStatus to) {
  return allowed_transition(K::order, to_string(from), to_string(to));
}
bool allowed_transition(AuthorizationStatus from, AuthorizationStatus to) {
  return allowed_transition(K::authorization, to_string(from), to_string(to));
}
bool allowed_transition(ChallengeStatus from, ChallengeStatus to) {
  return allowed_transition(K::challenge, to_string(from), to_string(to));
}

}  // namespace acmespec::acme
