#include "core/allocator.h"

#include <sys/resource.h>

#include <algorithm>
#include <climits>

#include "core/error.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ngbench {

namespace {

std::string& applied_mode() {
  static std::string mode;  // "" until apply_allocator
  return mode;
}

}  // namespace

const std::vector<std::string>& allocator_modes() {
  static const std::vector<std::string> modes = {"retain", "system"};
  return modes;
}

void check_allocator_mode(const std::string& mode) {
  const auto& modes = allocator_modes();
  if (std::find(modes.begin(), modes.end(), mode) == modes.end()) {
    throw Error("unknown allocator mode '" + mode + "'; valid: retain, system");
  }
}

void apply_allocator(const std::string& mode) {
  check_allocator_mode(mode);
  std::string& applied = applied_mode();
  if (applied == mode) return;
  if (applied == "retain") {
    throw Error("allocator mode '" + mode + "' asked after 'retain' in the same process; run it in a process of its own");
  }
  if (mode == "retain") {
#if defined(__GLIBC__)
    // Fixed values also switch off glibc's dynamic thresholds.
    if (mallopt(M_MMAP_MAX, 0) != 1 || mallopt(M_TRIM_THRESHOLD, INT_MAX) != 1) {
      throw Error("mallopt refused the 'retain' allocator settings; use --allocator system");
    }
#endif
  }
  applied = mode;
}

std::string describe_allocator(const std::string& mode) {
#if defined(__GLIBC__)
  if (mode == "retain") return "retain (glibc: M_MMAP_MAX=0, M_TRIM_THRESHOLD=INT_MAX)";
  return "system (glibc defaults)";
#else
  return mode + " (not glibc: the C library's defaults)";
#endif
}

int64_t minor_page_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<int64_t>(u.ru_minflt);
}

}  // namespace ngbench
