#include <fmt/format.h>

#include <memory>

#include "cli/command.h"
#include "report/figures.h"
#include "report/result_files.h"

namespace ngbench::cli {

Command figures_command() {
  return {"figures", "draw the paper's figures and Table IV from a results directory (needs gnuplot)",
          [](CLI::App& app, const std::string&) -> Action {
            auto dir = std::make_shared<std::string>();
            auto out = std::make_shared<std::string>("figures");
            app.add_option("dir", *dir, "results directory")->required();
            app.add_option("-o,--out", *out, "figure directory (created if needed)")->capture_default_str();
            return [dir, out] {
              const auto written = report::write_figures(report::load_results(*dir), *out);
              fmt::print("wrote {} files to {} from {} successful run(s); see {}/index.md\n", written.files.size(), *out,
                         written.ok_runs, *out);
              for (const auto& f : written.failed) fmt::print("  failed run (hatched, \"failed\"): {}\n", f);
              for (const auto& m : written.missing) fmt::print("  missing configuration (hatched, \"n/a\"): {}\n", m);
              return kExitOk;
            };
          }};
}

}  // namespace ngbench::cli
