#include "report/output_guard.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/error.h"
#include "report/result_files.h"

namespace ngbench::report {

namespace fs = std::filesystem;

void check_output_path(const std::string& out, const std::vector<std::string>& inputs, const std::string& what) {
  std::error_code ec;
  if (!fs::exists(out, ec)) return;
  for (const auto& in : inputs) {
    std::error_code same_ec;
    if (fs::equivalent(out, in, same_ec)) {
      const std::string as = in == out ? "" : fmt::format(" ('{}')", in);
      throw Error(fmt::format("{} '{}' is an input of this command{}; writing it would lose that file: choose "
                              "another path", what, out, as));
    }
  }
  if (!fs::is_regular_file(out, ec)) return;  // a directory: writing fails on its own, losing nothing
  if (read_result_file(out).kind != FileKind::kOther) {
    throw Error(fmt::format("{} '{}' is an ngbench result file; writing it would lose that result: choose another "
                            "path", what, out));
  }
}

}  // namespace ngbench::report
