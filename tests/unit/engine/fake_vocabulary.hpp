// A small vocabulary for exercising the generic engine without any ACME
// semantics: ops "emit" (result = args) and "broken" (a failed operation),
// checks over the result.
#pragma once

#include <set>
#include <string>

#include "engine/runner.hpp"
#include "engine/scenario.hpp"

namespace engine_test {

using namespace acmespec::engine;
using nlohmann::json;

inline Catalogue test_catalogue() {
  Catalogue c;
  auto add = [&](std::string slug, Level level) {
    Requirement r;
    r.id = "RFC8555-6.5-" + slug;
    r.spec = "RFC8555";
    r.section = "6.5";
    r.level = level;
    r.statement = slug;
    c.requirements.push_back(r);
  };
  add("value-is-ok", Level::must);
  add("value-is-nice", Level::should);
  add("value-is-fancy", Level::may);
  add("rejects-bad-nonce", Level::must);
  add("uncoded", Level::must);
  return c;
}

class FakeVocabulary : public Vocabulary {
 public:
  acmespec::Status validate_step(const Step& step) const override {
    if (step.op != "emit" && step.op != "broken" && step.op != "explode")
      return acmespec::make_error("op", "unknown operation \"" + step.op + "\"");
    for (const auto& m : step.mutate.items())
      if (m.key() != "protected.nonce") return acmespec::make_error("mutate." + m.key(), "unknown mutation");
    return acmespec::Ok{};
  }
  bool has_check(const std::string& id) const override { return id != "RFC8555-6.5-uncoded"; }
  std::vector<std::string> mutations_required_by(const std::string& id) const override {
    if (id == "RFC8555-6.5-rejects-bad-nonce") return {"protected.nonce"};
    return {};
  }
};

class FakeExecutor : public Executor {
 public:
  std::set<std::string> skip_ids;
  int steps_run = 0;
  json last_mutate;

  std::optional<std::string> begin(const Scenario& sc, Variables& vars) override {
    vars["greeting"] = "hello";
    if (skip_ids.count(sc.id)) return "target lacks the feature";
    return std::nullopt;
  }
  StepRun run(const Step& step, const json& args, Variables&) override {
    ++steps_run;
    last_mutate = step.mutate;
    StepRun r;
    r.exchanges = {"x" + std::to_string(steps_run)};
    if (step.op == "broken") r.failure = "the target answered 500";
    if (step.op == "explode") r.harness_error = "responder could not bind";
    r.result = {{"args", args}};
    return r;
  }
  Judgement judge(const std::string& id, const Step&, const StepRun& run) override {
    const json& value = run.result["args"].value("value", json());
    if (id == "RFC8555-6.5-value-is-ok")
      return value == "ok" ? Judgement::pass("ok") : Judgement::fail("expected ok, got " + value.dump());
    if (id == "RFC8555-6.5-value-is-nice") return value == "nice" ? Judgement::pass("nice") : Judgement::fail("not nice");
    if (id == "RFC8555-6.5-value-is-fancy") return Judgement::fail("not fancy");
    return Judgement::skip("no such feature");
  }
  json end(const Scenario&) override { return json::array(); }
};

}  // namespace engine_test
