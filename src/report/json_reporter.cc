#include "report/json_reporter.h"

#include <filesystem>

#include "core/atomic_file.h"
#include "report/result_files.h"
#include "report/result_json.h"

namespace ngbench::report {

void JsonReporter::report(const RunResult& result) {
  // A failed configuration gets its own file, so it never replaces an earlier
  // good result of the same configuration; a later success clears it.
  const auto stem = std::filesystem::path(dir_) / result_stem(result.config);
  const std::string ok_path = stem.string() + ".json";
  const std::string failed_path = stem.string() + ".failed.json";
  const bool ok = result.status == "ok";
  write_file_atomically(ok ? ok_path : failed_path, to_json(result).dump(1) + "\n");
  if (ok) std::filesystem::remove(failed_path);
}

}  // namespace ngbench::report
