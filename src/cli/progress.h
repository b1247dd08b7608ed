#pragma once
// Progress of `ngbench run` on stderr: a line when each configuration starts,
// a line per phase (warm-up, each block of timed and profiled passes), and a
// line when it ends, with the stability verdict; at most one progress line a
// second, so that quick configurations stay short. Each line is written and
// flushed whole, so a pipe or a log file gets it at once.
#include <cstdio>
#include <string>

#include "runner/runner.h"

namespace ngbench::cli {

class ProgressPrinter : public runner::RunListener {
 public:
  explicit ProgressPrinter(std::FILE* out) : out_(out) {}
  void on_start(const RunConfig& config, int index, int total) override;
  void on_progress(const std::string& phase, int done, int total, double elapsed_s, double remaining_s) override;
  void on_done(const RunResult& result) override;

 private:
  void line(const std::string& text);

  std::FILE* out_;
  std::string prefix_;      // "[2/4] gpt2 b1 s256"
  double last_line_s_ = -1;  // elapsed time at the last progress line; -1: none yet
};

}  // namespace ngbench::cli
