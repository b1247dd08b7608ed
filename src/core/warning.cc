#include "core/warning.h"

#include <cstdio>
#include <mutex>
#include <set>

namespace ngbench {

void warn_once(const std::string& message) {
  static std::mutex mutex;
  static std::set<std::string> said;
  const std::lock_guard<std::mutex> lock(mutex);
  if (!said.insert(message).second) return;
  std::fprintf(stderr, "ngbench: warning: %s\n", message.c_str());
  std::fflush(stderr);
}

}  // namespace ngbench
