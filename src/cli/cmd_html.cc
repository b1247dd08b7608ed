#include <fmt/format.h>

#include <memory>

#include "cli/command.h"
#include "report/html_report.h"
#include "report/result_files.h"

namespace ngbench::cli {

Command html_command() {
  return {"html", "write one self-contained, offline HTML report of a results directory",
          [](CLI::App& app, const std::string&) -> Action {
            auto dir = std::make_shared<std::string>();
            auto out = std::make_shared<std::string>("report.html");
            app.add_option("dir", *dir, "results directory")->required();
            app.add_option("-o,--out", *out, "HTML file to write")->capture_default_str();
            return [dir, out] {
              auto results = report::load_results(*dir);
              const size_t n = results.size();
              report::write_html_report(std::move(results), *dir, *out);
              fmt::print("wrote {} ({} result file(s))\n", *out, n);
              return kExitOk;
            };
          }};
}

}  // namespace ngbench::cli
