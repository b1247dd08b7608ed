#pragma once
// Operator taxonomy: which group (GEMM, Normalization, ...) an operator belongs to.
//
// Rules are data: one versioned JSON file per flow (taxonomy/<flow>.json at the
// repository root, compiled in; a user file can replace it). docs/taxonomy.md
// documents the format. Semantics:
//  - A scope rule names module classes. A module that matches becomes ONE
//    operator of the rule's group, and the ops it runs are not classified on
//    their own (the paper's NewGELUActivation -> Activation). Scope rules thus
//    take precedence over op rules.
//  - Op rules match operator names exactly ("ops") or by full-match ECMAScript
//    regex ("op_patterns"). Rules are ordered; the first rule that matches wins.
//  - An operator no rule matches is Unclassified: a group of its own that every
//    report lists, never dropped from a total.
#include <cstddef>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/side.h"

namespace ngbench::taxonomy {

inline constexpr int kRulesSchemaVersion = 1;
inline constexpr const char* kUnclassified = "Unclassified";

struct Group {
  std::string name;
  Side side = Side::kNonGemm;
  std::string color;  // fixed per group across every figure and report
};

struct Rule {
  enum class Kind { kOp, kScope };
  Kind kind = Kind::kOp;
  size_t group = 0;                 // index into Taxonomy::groups()
  std::vector<std::string> names;   // exact names
  std::vector<std::string> pattern_text;
  std::vector<std::regex> patterns;  // full match
  std::string why;                  // optional rationale from the file
};

class Taxonomy {
 public:
  // Parses a rule file. `source` names it in errors (a path, or "built-in eager").
  // Throws ngbench::Error on malformed JSON, a missing field, an unknown group,
  // a bad regex or an unsupported schema version.
  static Taxonomy parse(const std::string& json_text, const std::string& source);
  static Taxonomy load_file(const std::string& path);
  // The compiled-in rules of a flow; throws ngbench::Error naming the flows that have rules.
  static Taxonomy builtin(const std::string& flow);
  static std::vector<std::string> builtin_flows();

  const std::string& flow() const { return flow_; }
  const std::string& version() const { return version_; }
  const std::string& source() const { return source_; }
  // Every group of the file, then Unclassified last.
  const std::vector<Group>& groups() const { return groups_; }
  const std::vector<Rule>& rules() const { return rules_; }
  size_t unclassified() const { return groups_.size() - 1; }
  std::optional<size_t> find_group(const std::string& name) const;

  // Group of a module scope when a scope rule names it; nullopt otherwise.
  std::optional<size_t> scope_group(const std::string& scope) const;
  // Group of an operator by the first matching op rule; unclassified() if none.
  size_t op_group(const std::string& op) const;

 private:
  std::string flow_, version_, source_;
  std::vector<Group> groups_;
  std::vector<Rule> rules_;
  mutable std::unordered_map<std::string, size_t> op_cache_;
};

// The compiled-in rule files, keyed by flow (generated from taxonomy/*.json).
const std::map<std::string, std::string>& builtin_rule_files();

}  // namespace ngbench::taxonomy
