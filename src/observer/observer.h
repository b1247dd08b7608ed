#pragma once
// The operator observer: at::RecordFunction callbacks that record every
// dispatcher op and every module scope on every thread.
//
// Hot path: the callbacks append plain records (name pointer, timestamps,
// parent index, depth) and, when shapes are on, a few integers per input to
// preallocated per-thread buffers. Names are interned, shapes decoded and
// records converted to ngbench::OpRecord only in collect(), after the run.
//
// One Observer may be installed at a time (the callbacks are process-global).
#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/op_record.h"

namespace ngbench::observer {

struct ObserverOptions {
  bool record_shapes = true;           // ask the dispatcher for inputs (boxing costs time)
  size_t reserve_records = 1 << 20;    // per-thread buffer capacity reserved up front
};

class Observer {
 public:
  explicit Observer(ObserverOptions options = {});
  ~Observer();  // removes the callbacks if still installed

  Observer(const Observer&) = delete;
  Observer& operator=(const Observer&) = delete;

  // Installs the callbacks. The calling thread becomes thread 0 (the model's thread).
  void start();
  // Removes the callbacks. Records stay until collect() or clear().
  void stop();
  // Between start() and stop(): removes the callbacks and installs them again,
  // keeping every record and the thread numbering (nothing is recorded while
  // paused). Call between forward passes.
  void pause();
  void resume();

  // Marks the span of one forward pass (call on the model's thread).
  void begin_iteration();
  void end_iteration();

  // Converts everything recorded so far into plain records. Call after stop().
  ProfiledTrace collect() const;
  // Drops all records and iteration marks.
  void clear();

  // Current steady-clock time in ns, the clock the records use.
  static int64_t now_ns();

 private:
  void install_callbacks();

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ngbench::observer
