#pragma once
// How much else ran on the machine while ngbench measured: the CPU time the
// kernel accounts to the whole machine (/proc/stat) minus this process's own
// (/proc/self/stat), plus the time the hypervisor took (steal).
#include <cstdint>
#include <string>

namespace ngbench {

struct CpuSnapshot {
  bool valid = false;
  double wall_s = 0;        // steady clock
  uint64_t busy_ticks = 0;  // every CPU: user + nice + system + irq + softirq
  uint64_t steal_ticks = 0;
  uint64_t own_ticks = 0;   // this process, all its threads: utime + stime
};

// Parses the aggregate "cpu" line of /proc/stat text: busy and steal ticks.
// Returns false when the text has no well-formed cpu line.
bool parse_proc_stat(const std::string& text, uint64_t& busy, uint64_t& steal);
// Parses /proc/<pid>/stat text: utime + stime (fields 14 and 15). False when malformed.
bool parse_process_stat(const std::string& text, uint64_t& ticks);

// Now; `valid` false where /proc cannot be read.
CpuSnapshot cpu_snapshot();

// CPUs' worth of other work between two snapshots (1.0: one CPU busy all the
// time with something else); -1 when either snapshot is invalid.
double other_load(const CpuSnapshot& before, const CpuSnapshot& after);

}  // namespace ngbench
