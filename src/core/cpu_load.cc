#include "core/cpu_load.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

namespace ngbench {

namespace {

std::string read_text(const char* path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

bool parse_proc_stat(const std::string& text, uint64_t& busy, uint64_t& steal) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("cpu ", 0) != 0) continue;
    std::istringstream f(line.substr(4));
    uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, st = 0;
    if (!(f >> user >> nice >> system >> idle >> iowait >> irq >> softirq)) return false;
    if (!(f >> st)) st = 0;  // kernels before 2.6.11 have no steal column
    busy = user + nice + system + irq + softirq;
    steal = st;
    return true;
  }
  return false;
}

bool parse_process_stat(const std::string& text, uint64_t& ticks) {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream f(text.substr(close + 1));
  std::string field;
  uint64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15; ++i) {
    if (!(f >> field)) return false;
    if (i == 14 || i == 15) {
      if (field.empty() || field.find_first_not_of("0123456789") != std::string::npos || field.size() > 19) {
        return false;
      }
      (i == 14 ? utime : stime) = std::stoull(field);
    }
  }
  ticks = utime + stime;
  return true;
}

CpuSnapshot cpu_snapshot() {
  CpuSnapshot s;
  s.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  s.valid = parse_proc_stat(read_text("/proc/stat"), s.busy_ticks, s.steal_ticks) &&
            parse_process_stat(read_text("/proc/self/stat"), s.own_ticks);
  return s;
}

double other_load(const CpuSnapshot& a, const CpuSnapshot& b) {
  if (!a.valid || !b.valid || b.wall_s <= a.wall_s) return -1;
  const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double busy = static_cast<double>(b.busy_ticks) - static_cast<double>(a.busy_ticks);
  const double steal = static_cast<double>(b.steal_ticks) - static_cast<double>(a.steal_ticks);
  const double own = static_cast<double>(b.own_ticks) - static_cast<double>(a.own_ticks);
  const double other = (busy - own + steal) / hz / (b.wall_s - a.wall_s);
  return other < 0 ? 0 : other;
}

}  // namespace ngbench
