// The measurement protocol the runner owns (runner/measure.h), on a fake
// backend that records what it is asked to do: the order of the phases,
// interleaved blocks where profiling can pause, warm-up, the extension of the
// timed phase, the device clock and the energy bracket.
#include "runner/measure.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/op_record.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::runner {
namespace {

class FakeBackend : public backends::Backend {
 public:
  explicit FakeBackend(bool pausable, std::optional<double> device_ms = std::nullopt)
      : pausable_(pausable), device_ms_(device_ms) {}

  void prepare(const RunConfig&, const taxonomy::Taxonomy&) override { log.push_back("prepare"); }
  void start_sequence() override { log.push_back("start"); }
  backends::RuntimeInfo runtime() const override { return {{"fake", "1.0"}, 1, 1}; }
  std::optional<double> run() override {
    log.push_back(!profiling_ ? "timed" : paused_ ? "timed" : marked_ ? "marked" : "profiled-warmup");
    return device_ms_;
  }
  void begin_profiling(const backends::ProfileOptions&) override {
    log.push_back("begin");
    profiling_ = true;
  }
  void begin_iteration() override {
    marked_ = true;
    trace_.iterations.push_back({static_cast<int64_t>(log.size()), 0});
  }
  void end_iteration() override {
    marked_ = false;
    trace_.iterations.back().end_ns = static_cast<int64_t>(log.size());
  }
  ProfiledTrace end_profiling() override {
    log.push_back("end");
    profiling_ = false;
    return trace_;
  }
  bool can_pause_profiling() const override { return pausable_; }
  void pause_profiling() override {
    log.push_back("pause");
    paused_ = true;
  }
  void resume_profiling() override {
    log.push_back("resume");
    paused_ = false;
  }
  std::unique_ptr<backends::EnergyCounter> energy_counter() override {
    if (!with_energy) return nullptr;
    struct Counter : backends::EnergyCounter {
      uint64_t mj = 1000;
      std::optional<uint64_t> read_mj() override { return mj += 500; }
      std::string method() const override { return "fake counter"; }
    };
    return std::make_unique<Counter>();
  }

  std::vector<std::string> log;
  bool with_energy = false;

 private:
  bool pausable_;
  std::optional<double> device_ms_;
  bool profiling_ = false, paused_ = false, marked_ = false;
  ProfiledTrace trace_;
};

RunConfig config() {
  RunConfig c;
  c.warmup = 2;
  c.warmup_max_s = 0;  // exactly the minimum
  c.iters = 8;
  c.profile_iters = 4;
  c.max_time_s = 0;  // exactly `iters`
  return c;
}

int count(const std::vector<std::string>& log, const std::string& what) {
  return static_cast<int>(std::count(log.begin(), log.end(), what));
}

TEST(Measure, InterleavesTimedAndProfiledBlocksWhereProfilingCanPause) {
  FakeBackend b(/*pausable=*/true);
  const auto taxonomy = taxonomy::Taxonomy::builtin("eager");
  const Measured m = measure(b, config(), taxonomy);
  EXPECT_EQ(m.timed_ms.size(), 8u);
  EXPECT_EQ(m.trace.iterations.size(), 4u);
  EXPECT_EQ(m.timed_blocks, 4);
  EXPECT_EQ(count(b.log, "marked"), 4);
  EXPECT_EQ(count(b.log, "profiled-warmup"), 2);
  EXPECT_EQ(count(b.log, "timed"), 2 + 8);  // warm-up, then the timed passes
  // prepare, warm-up, begin, profiled warm-up, then blocks: pause, 2 timed, resume, 1 marked; end.
  const std::vector<std::string> head = {"prepare", "timed", "timed", "begin", "profiled-warmup", "profiled-warmup",
                                         "pause",   "timed", "timed", "resume", "marked"};
  ASSERT_GE(b.log.size(), head.size());
  EXPECT_EQ(std::vector<std::string>(b.log.begin(), b.log.begin() + static_cast<std::ptrdiff_t>(head.size())), head);
  EXPECT_EQ(b.log.back(), "end");
  EXPECT_EQ(m.runtime.runtime.name, "fake");
  EXPECT_EQ(m.warmup.timed.iterations, 2);
  EXPECT_EQ(m.warmup.profiled.iterations, 2);
}

TEST(Measure, RunsThePhasesInTurnWhereProfilingCannotPause) {
  FakeBackend b(/*pausable=*/false, /*device_ms=*/2.5);
  b.with_energy = true;
  const auto taxonomy = taxonomy::Taxonomy::builtin("eager");
  const Measured m = measure(b, config(), taxonomy);
  EXPECT_EQ(m.timed_blocks, 1);
  EXPECT_EQ(count(b.log, "pause"), 0);
  // The device's clock is the measure where the backend has one.
  for (double t : m.timed_ms) EXPECT_EQ(t, 2.5);
  // The energy bracket: at least `iters` passes and 2 s; two reads 500 mJ apart.
  ASSERT_TRUE(m.energy.measured);
  EXPECT_GE(m.energy.iterations, 8);
  EXPECT_DOUBLE_EQ(m.energy.joules, 0.5);
  EXPECT_NE(m.energy.method.find("fake counter"), std::string::npos);
  const auto begin = std::find(b.log.begin(), b.log.end(), "begin");
  EXPECT_EQ(std::count(b.log.begin(), begin, "marked"), 0);  // nothing profiled before profiling began
}

TEST(Measure, TheTimedPhaseGoesOnForMinTime) {
  FakeBackend b(/*pausable=*/true);
  RunConfig c = config();
  c.min_time_s = 0.05;
  c.max_time_s = 0.05;
  const auto taxonomy = taxonomy::Taxonomy::builtin("eager");
  const Measured m = measure(b, c, taxonomy);
  EXPECT_GT(m.timed_ms.size(), 8u);  // fake passes take microseconds: 50 ms is thousands of them
  EXPECT_EQ(m.trace.iterations.size(), 4u);  // the profiled count stays as asked
}


TEST(Measure, DecodeRunsWholeSequencesEachBegunOutsideTheTimedPasses) {
  FakeBackend b(/*pausable=*/true);
  b.with_energy = true;
  RunConfig c = config();
  c.phase = "decode";
  c.gen_tokens = 3;
  c.iters = 2;          // sequences
  c.profile_iters = 2;  // sequences
  const auto taxonomy = taxonomy::Taxonomy::builtin("eager");
  const Measured m = measure(b, c, taxonomy);
  // One sample per generated token, each with its step; one trace iteration per profiled token.
  EXPECT_EQ(m.timed_ms.size(), 6u);
  EXPECT_EQ(m.timed_steps, (std::vector<int>{0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(m.profiled_steps, (std::vector<int>{0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(m.trace.iterations.size(), 6u);
  // A sequence never runs more than gen_tokens passes: a "start" before every 3 runs at most, and the timed and
  // marked passes of a sequence follow its start without a pass of another phase between.
  int since_start = -1;
  for (const auto& e : b.log) {
    if (e == "start") {
      since_start = 0;
    } else if (e == "timed" || e == "marked" || e == "profiled-warmup") {
      ASSERT_GE(since_start, 0) << "a pass before the first sequence began";
      ++since_start;
      EXPECT_LE(since_start, 3);
    }
  }
  EXPECT_GE(count(b.log, "start"), 4);  // 2 timed and 2 profiled sequences at least
  // No energy window in decode: it would charge the untimed prefills to the tokens.
  EXPECT_FALSE(m.energy.measured);
}

}  // namespace
}  // namespace ngbench::runner
