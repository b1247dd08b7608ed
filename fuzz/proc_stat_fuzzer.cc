// libFuzzer target: the /proc parsers of the other-load measure
// (parse_proc_stat, parse_process_stat). They report malformed text by
// returning false, never by throwing. Seeds: fuzz/seeds/proc_stat/ and, from
// scripts/fuzz.sh, this machine's /proc/stat and /proc/self/stat.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/cpu_load.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  uint64_t busy = 0, steal = 0, ticks = 0;
  ngbench::parse_proc_stat(text, busy, steal);
  ngbench::parse_process_stat(text, ticks);
  return 0;
}
