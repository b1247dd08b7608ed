#pragma once
// One profiled phase of a CPU flow through the observer (observer.h), as the
// runner drives it (backends/backend.h: begin_profiling .. end_profiling): the
// profiled warm-up passes are dropped, pauses between passes are cheap, and the
// observer exists only while the phase runs. Flows whose operators reach
// RecordFunction (eager, inductor) forward their profiling methods to it.
#include <memory>

#include "core/op_record.h"
#include "observer/observer.h"

namespace ngbench::observer {

class ObserverSession {
 public:
  // Starts recording; the passes until the first begin_iteration() are warm-up.
  void begin(bool record_shapes);
  // The first call drops what the warm-up passes recorded (they also faulted in
  // the observer's buffers).
  void begin_iteration();
  void end_iteration();
  void pause();
  void resume();
  // Stops and returns what was recorded; the observer is gone afterwards.
  ProfiledTrace end();

 private:
  std::unique_ptr<Observer> observer_;
  bool warming_up_ = false;
};

}  // namespace ngbench::observer
