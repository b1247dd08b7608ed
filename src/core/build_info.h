#pragma once
// What was built: filled in by cmake/WriteBuildInfo.cmake at build time.
#include <string>

namespace ngbench {

struct BuildInfo {
  std::string version;        // ngbench's own version
  std::string git_commit;     // commit of the source tree, "unknown" outside git
  bool git_dirty;             // uncommitted changes to tracked files at build time
  std::string build_type;     // CMake build type (Release, Debug, ...)
  std::string torch_version;  // libtorch the binary was built against
};

const BuildInfo& build_info();

}  // namespace ngbench
