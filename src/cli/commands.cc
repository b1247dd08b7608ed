// main(): builds the parser from the command table, parses, runs the chosen
// command; bad input becomes one line on stderr and exit status 2.
#include "cli/commands.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <iostream>
#include <vector>

#include "cli/command.h"
#include "core/build_info.h"
#include "core/error.h"

namespace ngbench::cli {

namespace {

// The one list of subcommands, in help order.
std::vector<Command> commands() {
  return {run_command(),     report_command(), figures_command(), html_command(),
          compare_command(), trace_command(),  export_command(),
          fusion_command(),  quant_command(),  list_command()};
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

std::string join_args(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ngbench: where ML inference time goes once matrix multiplication is fast"};
  app.require_subcommand(1);
  const BuildInfo& build = build_info();
  app.set_version_flag("--version", fmt::format("ngbench {} ({}{}), libtorch {}", build.version, build.git_commit,
                                                build.git_dirty ? ", modified" : "", build.torch_version));
  const std::string command_line = join_args(argc, argv);
  std::vector<std::pair<CLI::App*, Action>> actions;
  for (const auto& c : commands()) {
    CLI::App* sub = app.add_subcommand(c.name, c.help);
    actions.emplace_back(sub, c.setup(*sub, command_line));
  }

  // CLI11 would only say "a subcommand is required"; name the bad one instead.
  if (argc > 1 && argv[1][0] != '-') {
    std::string valid;
    bool known = false;
    for (const auto& [sub, action] : actions) {
      known = known || sub->get_name() == argv[1];
      valid += (valid.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      fmt::print(std::cerr, "ngbench: error: unknown command '{}'; valid: {}\n", argv[1], valid);
      return kExitBadInput;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string sub;
    for (const auto& [s, action] : actions) sub = s->parsed() ? s->get_name() + " " : sub;
    fmt::print(std::cerr, "ngbench: error: {} (see ngbench {}--help)\n", first_line(e.what()), sub);
    return kExitBadInput;
  }

  try {
    for (const auto& [sub, action] : actions) {
      if (sub->parsed()) return action();
    }
    return kExitBadInput;  // unreachable: require_subcommand(1)
  } catch (const Error& e) {
    fmt::print(std::cerr, "ngbench: error: {}\n", first_line(e.what()));
    return kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(std::cerr, "ngbench: internal error: {}\n", first_line(e.what()));
    return kExitFailed;
  }
}

}  // namespace ngbench::cli
