#include <fmt/format.h>

#include <fmt/ranges.h>

#include <memory>

#include "cli/command.h"
#include "cli/report_inputs.h"
#include "report/html_report.h"
#include "report/output_guard.h"

namespace ngbench::cli {

Command html_command() {
  return {"html", "write one self-contained, offline HTML report of results",
          [](CLI::App& app, const std::string&) -> Action {
            auto paths = std::make_shared<std::vector<std::string>>();
            auto out = std::make_shared<std::string>("report.html");
            app.add_option("paths", *paths, "result files or results directories (read recursively)")->required();
            app.add_option("-o,--out", *out, "HTML file to write")->capture_default_str();
            return [paths, out] {
              report::ResultScan inputs = read_result_inputs(*paths);
              report::check_output_path(*out, inputs.files, "--out");
              const int status = inputs_exit_status(inputs);
              const size_t n = inputs.results.size();
              report::write_html_report(std::move(inputs.results), fmt::format("{}", fmt::join(*paths, ", ")), *out);
              fmt::print("wrote {} ({} result file(s))\n", *out, n);
              return status;
            };
          }};
}

}  // namespace ngbench::cli
