// Bounded state: accounts + orders + authorizations stay under
// MockCaConfig::state_limit.  When a new object would not fit, the oldest
// orders are retired (with their authorizations and certificate) and the
// oldest accounts that own no order any more, so a mock CA that runs for days
// keeps serving recent clients in bounded memory.  Only when nothing can be
// retired (every old order still has a validation in flight) is the request
// refused with rateLimited.
#include "mock-ca/state.hpp"

#include "acme/timestamp.hpp"

namespace acmespec::mockca::detail {

namespace {

// An order can be retired unless one of its authorizations is being validated
// right now (the VA's answer would then find nothing, which on_validated
// tolerates, but the client would see its order vanish mid-validation).
bool busy(const Core& core, const Order& o) {
  for (const auto& zid : o.authz_ids) {
    auto it = core.authzs.find(zid);
    if (it != core.authzs.end() && it->second.validating) return true;
  }
  return false;
}

}  // namespace

std::string stamp(TimePoint t) {
  return acme::Timestamp::from_unix_seconds(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count())
      .to_string();
}

std::size_t Core::state_size() const { return accounts.size() + orders.size() + authzs.size(); }

void Core::retire_order(const std::string& order_id) {
  auto it = orders.find(order_id);
  if (it == orders.end()) return;
  const Order& o = it->second;
  for (const auto& zid : o.authz_ids) {
    auto z = authzs.find(zid);
    if (z == authzs.end()) continue;
    std::erase(z->second.orders, order_id);
    if (!z->second.orders.empty()) continue;
    for (const auto& c : z->second.challenges) authz_by_challenge.erase(c.id);
    authzs.erase(z);
  }
  if (auto c = certs.find(o.cert_id); c != certs.end()) {
    cert_by_der.erase(c->second.der);
    certs.erase(c);
  }
  if (auto acct = accounts.find(o.account_id); acct != accounts.end()) std::erase(acct->second.orders, order_id);
  orders.erase(it);
  ++retired;
}

bool Core::make_room(std::size_t needed, const std::string& keep) {
  if (needed > cfg.state_limit) return false;
  const std::size_t limit = cfg.state_limit - needed;
  // Oldest first.  An order with a validation in flight, an account that
  // still owns orders (they are newer than it, and retire first as the queue
  // reaches them) or the requesting account goes to the back and is looked
  // at again later.
  for (std::size_t tries = created.size(); state_size() > limit && tries > 0; --tries) {
    Created entry = std::move(created.front());
    created.pop_front();
    if (entry.is_order) {
      auto it = orders.find(entry.id);
      if (it == orders.end()) continue;
      if (busy(*this, it->second)) {
        created.push_back(std::move(entry));
        continue;
      }
      retire_order(entry.id);
      continue;
    }
    auto it = accounts.find(entry.id);
    if (it == accounts.end()) continue;
    if (!it->second.orders.empty() || entry.id == keep) {
      created.push_back(std::move(entry));
      continue;
    }
    const std::string thumb = it->second.key.thumbprint();
    if (auto t = account_by_thumbprint.find(thumb); t != account_by_thumbprint.end() && t->second == entry.id)
      account_by_thumbprint.erase(t);
    accounts.erase(it);
    ++retired;
  }
  return state_size() <= limit;
}

}  // namespace acmespec::mockca::detail
