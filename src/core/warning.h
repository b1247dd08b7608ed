#pragma once
// Warnings: one line on stderr, "ngbench: warning: ...", each distinct message
// once per process (a sweep validates the same setting for every configuration).
#include <string>

namespace ngbench {

void warn_once(const std::string& message);

}  // namespace ngbench
