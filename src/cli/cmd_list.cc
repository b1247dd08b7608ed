#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>

#include "backends/backend.h"
#include "cli/command.h"
#include "models/registry.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::cli {

namespace {

void list_models() {
  // attention: the default first, then the alternative --attention offers; "-": one fixed implementation.
  fmt::print("{:<26} {:<5} {:<50} {:>14} {:>7} {:>8}  {:<10}\n", "model", "task", "reference", "parameters", "layers",
             "seq_len", "attention");
  for (const auto& m : models::model_registry()) {
    const std::string attention =
        m.default_attention.empty() ? "-" : m.default_attention + (m.default_attention == "sdpa" ? ",eager" : ",sdpa");
    fmt::print("{:<26} {:<5} {:<50} {:>14} {:>7} {:>8}  {:<10}{}\n", m.name, m.task, m.reference, m.parameters,
               m.layers, m.takes_seq_len ? std::to_string(m.default_seq_len) : "-", attention,
               m.for_tests ? "  (test config)" : "");
  }
}

void list_groups(const std::string& flow) {
  const auto t = taxonomy::Taxonomy::builtin(flow);
  fmt::print("taxonomy {} version {}\n{:<26} {:<9} {:>6}\n", t.flow(), t.version(), "group", "side", "rules");
  for (size_t g = 0; g < t.groups().size(); ++g) {
    int rules = 0;
    for (const auto& r : t.rules()) rules += r.group == g ? 1 : 0;
    fmt::print("{:<26} {:<9} {:>6}\n", t.groups()[g].name, side_name(t.groups()[g].side), rules);
  }
}

// One row per registered backend (a flow on a device), with the flow's own options.
void list_flows() {
  fmt::print("{:<10} {:<8} {:<10} {}\n", "flow", "device", "taxonomy", "description");
  const auto& registry = backends::backend_registry();
  for (const auto& b : registry) {
    fmt::print("{:<10} {:<8} {:<10} {}{}\n", b.flow, b.device, b.taxonomy, b.description,
               &b == &registry.front() ? " (default)" : "");
  }
  for (const auto& f : backends::backend_options()) {
    fmt::print("{:<10} option --{}{}: {}\n", f.flow, f.option.name, f.option.hint.empty() ? "" : " " + f.option.hint,
               f.option.help);
  }
}

}  // namespace

Command list_command() {
  return {"list", "list models, operator groups or flows",
          [](CLI::App& app, const std::string&) -> Action {
            auto what = std::make_shared<std::string>();
            auto flow = std::make_shared<std::string>(backends::default_flow());
            app.add_option("what", *what, "models, groups or flows")
                ->required()
                ->check(CLI::IsMember({"models", "groups", "flows"}));
            app.add_option("--flow", *flow, "flow whose groups to list")->capture_default_str();
            return [what, flow] {
              if (*what == "models") list_models();
              if (*what == "groups") list_groups(*flow);
              if (*what == "flows") list_flows();
              return kExitOk;
            };
          }};
}

}  // namespace ngbench::cli
