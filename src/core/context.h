#pragma once
// What a run needs to know about the machine it runs on.
#include <cstdint>
#include <string>

#include "core/run_result.h"

namespace ngbench {

// CPU model, logical CPUs, memory and OS of this machine (from /proc and uname).
MachineContext probe_machine();

// Memory the kernel says is available for new allocations (MemAvailable), in
// bytes; 0 when it cannot be read.
int64_t available_memory_bytes();

// Current time, UTC, ISO 8601 with seconds ("2026-11-23T03:24:34Z").
std::string utc_timestamp();

}  // namespace ngbench
