#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "report/compare.h"

namespace ngbench::cli {

Command compare_command() {
  return {"compare", "compare two runs (files) or two results directories, with significance tests",
          [](CLI::App& app, const std::string&) -> Action {
            auto a = std::make_shared<std::string>();
            auto b = std::make_shared<std::string>();
            auto json_out = std::make_shared<std::string>();
            auto alpha = std::make_shared<double>(0.05);
            auto top = std::make_shared<int>(15);
            app.add_option("a", *a, "baseline: a result file or a results directory")->required();
            app.add_option("b", *b, "candidate: a result file or a results directory")->required();
            app.add_option("--json", *json_out, "also write the comparison as JSON to this file");
            app.add_option("--alpha", *alpha, "significance level (CIs are at 1 - alpha)")
                ->capture_default_str()
                ->check(CLI::Range(1e-6, 0.5));
            app.add_option("--top", *top, "operators to show per pair")->capture_default_str();
            return [=] {
              report::CompareOptions options;
              options.alpha = *alpha;
              const auto c =
                  report::compare_results(report::load_result_path(*a), report::load_result_path(*b), options);
              fmt::print("{}", report::comparison_text(c, *top));
              if (!json_out->empty()) write_file_atomically(*json_out, report::comparison_json(c).dump(1) + "\n");
              if (c.pairs.empty()) throw Error(fmt::format("no configuration of '{}' matches one of '{}'", *a, *b));
              return kExitOk;
            };
          }};
}

}  // namespace ngbench::cli
