#pragma once
// Errors in three tiers (docs/architecture.md):
//  - ngbench::Error: bad input or an environment problem a user can fix. Its
//    message is one line that names the bad value and the valid choices; it is
//    caught at the top of main (or recorded in a failed run's result).
//  - NGBENCH_CHECK: programmer invariants; a failure is a bug in ngbench.
//  - Status-like results (RunResult::status) across the run loop, so one failed
//    configuration does not lose the others.
#include <stdexcept>
#include <string>

namespace ngbench {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

[[noreturn]] void check_failed(const char* expr, const char* file, int line, const std::string& msg);

}  // namespace ngbench

#define NGBENCH_CHECK(cond, msg)                                         \
  do {                                                                   \
    if (!(cond)) ::ngbench::check_failed(#cond, __FILE__, __LINE__, msg); \
  } while (0)
