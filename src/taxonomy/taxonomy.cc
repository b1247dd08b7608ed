#include "taxonomy/taxonomy.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.h"

namespace ngbench::taxonomy {

namespace {

using nlohmann::json;

std::vector<std::string> string_list(const json& rule, const char* key, const std::string& where) {
  std::vector<std::string> out;
  if (!rule.contains(key)) return out;
  const json& v = rule.at(key);
  if (!v.is_array()) throw Error(fmt::format("{}: '{}' must be an array of strings", where, key));
  for (const auto& s : v) {
    if (!s.is_string()) throw Error(fmt::format("{}: '{}' must be an array of strings", where, key));
    out.push_back(s.get<std::string>());
  }
  return out;
}

std::string required_string(const json& obj, const char* key, const std::string& where) {
  if (!obj.is_object() || !obj.contains(key)) throw Error(fmt::format("{}: missing string field '{}'", where, key));
  const json& v = obj.at(key);
  if (!v.is_string()) {
    throw Error(fmt::format("{}: field '{}' must be a string, not {} ({})", where, key, v.type_name(),
                            v.dump().substr(0, 40)));
  }
  return v.get<std::string>();
}

// An optional string field: `fallback` when absent, an error naming the field when it is not a string.
std::string optional_string(const json& obj, const char* key, const std::string& where, const std::string& fallback) {
  return obj.contains(key) ? required_string(obj, key, where) : fallback;
}

}  // namespace

Taxonomy Taxonomy::parse(const std::string& json_text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    throw Error(fmt::format("taxonomy {}: malformed JSON at byte {}: {}", source, e.byte,
                            std::string(e.what()).substr(0, 120)));
  } catch (const json::exception& e) {  // a number beyond double's range (out_of_range)
    throw Error(fmt::format("taxonomy {}: malformed JSON: {}", source, std::string(e.what()).substr(0, 120)));
  }
  const std::string where = "taxonomy " + source;
  if (!doc.is_object()) throw Error(where + ": top level must be an object");
  if (!doc.contains("schema_version") || !doc.at("schema_version").is_number_integer() ||
      doc.at("schema_version").get<int>() != kRulesSchemaVersion) {
    throw Error(fmt::format("{}: schema_version must be {}", where, kRulesSchemaVersion));
  }
  Taxonomy t;
  t.source_ = source;
  t.flow_ = required_string(doc, "flow", where);
  t.version_ = required_string(doc, "version", where);

  if (!doc.contains("groups") || !doc.at("groups").is_array() || doc.at("groups").empty()) {
    throw Error(where + ": 'groups' must be a non-empty array");
  }
  for (const auto& g : doc.at("groups")) {
    Group group;
    group.name = required_string(g, "name", where + " group");
    if (group.name == kUnclassified) {
      throw Error(fmt::format("{}: group '{}' is built in and may not be defined", where, kUnclassified));
    }
    if (t.find_group(group.name)) throw Error(fmt::format("{}: group '{}' defined twice", where, group.name));
    group.side = parse_side(required_string(g, "side", where + " group '" + group.name + "'"));
    group.color = optional_string(g, "color", where + " group '" + group.name + "'", "#7f7f7f");
    t.groups_.push_back(group);
  }
  t.groups_.push_back({kUnclassified, Side::kNonGemm, "#000000"});

  if (!doc.contains("rules") || !doc.at("rules").is_array()) throw Error(where + ": 'rules' must be an array");
  std::string group_names;
  for (size_t i = 0; i + 1 < t.groups_.size(); ++i) group_names += (i ? ", " : "") + t.groups_[i].name;
  size_t index = 0;
  for (const auto& r : doc.at("rules")) {
    const std::string rwhere = fmt::format("{} rule {}", where, index++);
    Rule rule;
    const std::string group = required_string(r, "group", rwhere);
    const auto g = t.find_group(group);
    if (!g || *g == t.unclassified()) {
      throw Error(fmt::format("{}: unknown group '{}'; valid: {}", rwhere, group, group_names));
    }
    rule.group = *g;
    const auto scopes = string_list(r, "scopes", rwhere);
    const auto ops = string_list(r, "ops", rwhere);
    rule.pattern_text = string_list(r, "op_patterns", rwhere);
    if (!scopes.empty() && (!ops.empty() || !rule.pattern_text.empty())) {
      throw Error(rwhere + ": a rule matches either 'scopes' or 'ops'/'op_patterns', not both");
    }
    if (scopes.empty() && ops.empty() && rule.pattern_text.empty()) {
      throw Error(rwhere + ": needs 'scopes', 'ops' or 'op_patterns'");
    }
    rule.kind = scopes.empty() ? Rule::Kind::kOp : Rule::Kind::kScope;
    rule.names = scopes.empty() ? ops : scopes;
    for (const auto& p : rule.pattern_text) {
      try {
        rule.patterns.emplace_back(p, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error& e) {
        throw Error(fmt::format("{}: bad op pattern '{}': {}", rwhere, p, e.what()));
      }
    }
    rule.why = optional_string(r, "why", rwhere, "");
    t.rules_.push_back(std::move(rule));
  }
  return t;
}

Taxonomy Taxonomy::load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(fmt::format("cannot read taxonomy file '{}'", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

Taxonomy Taxonomy::builtin(const std::string& flow) {
  const auto& files = builtin_rule_files();
  const auto it = files.find(flow);
  if (it == files.end()) {
    throw Error(fmt::format("no built-in taxonomy for flow '{}'; flows with rules: {}", flow,
                            fmt::join(builtin_flows(), ", ")));
  }
  return parse(it->second, "built-in " + flow);
}

std::vector<std::string> Taxonomy::builtin_flows() {
  std::vector<std::string> out;
  for (const auto& [flow, text] : builtin_rule_files()) out.push_back(flow);
  return out;
}

std::optional<size_t> Taxonomy::find_group(const std::string& name) const {
  for (size_t i = 0; i < groups_.size(); ++i) {
    if (groups_[i].name == name) return i;
  }
  return std::nullopt;
}

std::optional<size_t> Taxonomy::scope_group(const std::string& scope) const {
  for (const auto& rule : rules_) {
    if (rule.kind != Rule::Kind::kScope) continue;
    for (const auto& n : rule.names) {
      if (n == scope) return rule.group;
    }
  }
  return std::nullopt;
}

size_t Taxonomy::op_group(const std::string& op) const {
  if (const auto it = op_cache_.find(op); it != op_cache_.end()) return it->second;
  size_t group = unclassified();
  for (const auto& rule : rules_) {
    if (rule.kind != Rule::Kind::kOp) continue;
    bool hit = false;
    for (const auto& n : rule.names) hit = hit || n == op;
    for (const auto& p : rule.patterns) hit = hit || std::regex_match(op, p);
    if (hit) {
      group = rule.group;
      break;
    }
  }
  op_cache_.emplace(op, group);
  return group;
}

}  // namespace ngbench::taxonomy
