#include "observer/observer_session.h"

namespace ngbench::observer {

void ObserverSession::begin(bool record_shapes) {
  ObserverOptions options;
  options.record_shapes = record_shapes;
  observer_ = std::make_unique<Observer>(options);
  observer_->start();
  warming_up_ = true;
}

void ObserverSession::begin_iteration() {
  if (warming_up_) observer_->clear();
  warming_up_ = false;
  observer_->begin_iteration();
}

void ObserverSession::end_iteration() { observer_->end_iteration(); }
void ObserverSession::pause() { observer_->pause(); }
void ObserverSession::resume() { observer_->resume(); }

ProfiledTrace ObserverSession::end() {
  observer_->stop();
  ProfiledTrace trace = observer_->collect();
  observer_.reset();
  return trace;
}

}  // namespace ngbench::observer
