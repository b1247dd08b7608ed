#include <fmt/format.h>

#include <memory>

#include "cli/command.h"
#include "report/output_guard.h"
#include "report/result_files.h"
#include "report/trace_export.h"

namespace ngbench::cli {

Command trace_command() {
  return {"trace", "export a result's profiled iteration as Chrome / Perfetto trace JSON",
          [](CLI::App& app, const std::string&) -> Action {
            auto in = std::make_shared<std::string>();
            auto out = std::make_shared<std::string>("trace.json");
            app.add_option("result", *in, "result file (*.json)")->required();
            app.add_option("-o,--out", *out, "trace file to write (open in ui.perfetto.dev or chrome://tracing)")
                ->capture_default_str();
            return [in, out] {
              report::check_output_path(*out, {*in}, "--out");
              const RunResult r = report::load_result(*in);
              report::write_chrome_trace(r, *out);
              fmt::print("wrote {} ({} operators)\n", *out, r.breakdown.trace.size());
              return kExitOk;
            };
          }};
}

}  // namespace ngbench::cli
