#pragma once
// The option table of `ngbench run`: one row per option, from which CLI11
// builds the parser and `--help`. Defaults come from RunConfig / SweepConfig.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "core/run_config.h"

namespace ngbench::cli {

struct OptionRow {
  const char* flags;  // CLI11 flag spec, e.g. "-b,--batch"
  const char* hint;   // value placeholder shown in help
  const char* help;   // what it does; the default is appended from the struct
  using Bind = std::function<CLI::Option*(CLI::App&, const char* flags, const std::string& help, SweepConfig&)>;
  Bind bind;
};

// The rows of `ngbench run`, in help order.
const std::vector<OptionRow>& run_options();

// Adds every row of the table to `app`, bound to `sweep`.
void add_run_options(CLI::App& app, SweepConfig& sweep);

}  // namespace ngbench::cli
