#pragma once
// A subcommand of the ngbench CLI. Each lives in its own cmd_<name>.cc and is
// listed once in commands.cc; setup() adds its options to the parser and
// returns the action to run when the subcommand was given.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace ngbench::cli {

// Exit status of every command: 0 success, 1 a run or report failed, 2 bad input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitBadInput = 2;

using Action = std::function<int()>;

struct Command {
  const char* name;
  const char* help;
  // Adds options to `app` (the subcommand); `command_line` is the whole
  // invocation, for the results' context.
  std::function<Action(CLI::App& app, const std::string& command_line)> setup;
};

Command run_command();
Command report_command();
Command list_command();
Command figures_command();
Command html_command();
Command compare_command();
Command trace_command();
Command export_command();
Command fusion_command();
Command quant_command();

}  // namespace ngbench::cli
