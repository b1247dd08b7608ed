#include <fmt/format.h>

#include <memory>

#include "cli/command.h"
#include "cli/report_inputs.h"
#include "report/figures.h"

namespace ngbench::cli {

Command figures_command() {
  return {"figures", "draw the paper's figures and Table IV from results (needs gnuplot)",
          [](CLI::App& app, const std::string&) -> Action {
            auto paths = std::make_shared<std::vector<std::string>>();
            auto out = std::make_shared<std::string>("figures");
            app.add_option("paths", *paths, "result files or results directories (read recursively)")->required();
            app.add_option("-o,--out", *out, "figure directory (created if needed)")->capture_default_str();
            return [paths, out] {
              report::ResultScan inputs = read_result_inputs(*paths);
              const int status = inputs_exit_status(inputs);
              const auto written = report::write_figures(std::move(inputs.results), *out, inputs.files);
              fmt::print("wrote {} files to {} from {} successful run(s); see {}/index.md\n", written.files.size(), *out,
                         written.ok_runs, *out);
              for (const auto& f : written.failed) fmt::print("  failed run (hatched, \"failed\"): {}\n", f);
              for (const auto& m : written.missing) fmt::print("  missing configuration (hatched, \"n/a\"): {}\n", m);
              return status;
            };
          }};
}

}  // namespace ngbench::cli
