#include "cli/progress.h"

#include <fmt/format.h>

namespace ngbench::cli {

void ProgressPrinter::line(const std::string& text) {
  fmt::print(out_, "{}: {}\n", prefix_, text);
  std::fflush(out_);
}

void ProgressPrinter::on_start(const RunConfig& c, int index, int total) {
  prefix_ = fmt::format("[{}/{}] {} {} {} b{}{}", index + 1, total, c.model, c.flow, c.device, c.batch,
                        c.seq_len > 0 ? fmt::format(" s{}", c.seq_len) : "");
  last_line_s_ = -1;
  line("preparing the model");
}

void ProgressPrinter::on_progress(const std::string& phase, int done, int total, double elapsed_s,
                                  double remaining_s) {
  if (last_line_s_ >= 0 && elapsed_s - last_line_s_ < 1.0) return;  // at most a line a second
  last_line_s_ = elapsed_s;
  const std::string count = total > 0 ? fmt::format("{}/{}", done, total) : fmt::format("{}", done);
  const std::string left = remaining_s >= 0 ? fmt::format(", about {:.0f} s left", remaining_s) : "";
  line(fmt::format("{} {} passes, {:.1f} s elapsed{}", phase, count, elapsed_s, left));
}

void ProgressPrinter::on_done(const RunResult& r) {
  if (r.status != "ok") {
    line("failed: " + r.error);
    return;
  }
  const Stability& s = r.stability;
  line(fmt::format("done: median {:.3f} ms (95% interval +-{:.1f}%, {} passes), {}", r.latency_ms.median,
                   100 * s.median_ci_rel, r.latency_ms.samples.size(), s.verdict));
}

}  // namespace ngbench::cli
