#include "core/error.h"

#include <cstdio>
#include <cstdlib>

namespace ngbench {

void check_failed(const char* expr, const char* file, int line, const std::string& msg) {
  std::fprintf(stderr, "ngbench: internal error: %s (%s) at %s:%d\n", msg.c_str(), expr, file, line);
  std::abort();
}

}  // namespace ngbench
