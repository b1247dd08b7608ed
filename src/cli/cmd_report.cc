#include <iostream>
#include <memory>

#include "cli/command.h"
#include "report/console_reporter.h"
#include "report/result_files.h"

namespace ngbench::cli {

Command report_command() {
  return {"report", "print the breakdowns of finished runs",
          [](CLI::App& app, const std::string&) -> Action {
            auto dir = std::make_shared<std::string>();
            auto top = std::make_shared<int>(10);
            app.add_option("dir", *dir, "results directory")->required();
            app.add_option("--top", *top, "operators to show per run")->capture_default_str();
            return [dir, top] {
              report::ConsoleReporter console(std::cout, *top);
              for (const auto& loaded : report::load_results(*dir)) console.report(loaded.result);
              return kExitOk;
            };
          }};
}

}  // namespace ngbench::cli
