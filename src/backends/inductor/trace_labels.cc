#include "backends/inductor/trace_labels.h"

#include <algorithm>
#include <unordered_map>

namespace ngbench::inductor {

namespace {

// Index of the iteration whose span holds t, or -1.
int64_t iteration_at(const std::vector<IterationSpan>& its, int64_t t) {
  for (size_t k = 0; k < its.size(); ++k) {
    if (t >= its[k].start_ns && t <= its[k].end_ns) return static_cast<int64_t>(k);
  }
  return -1;
}

class Labeler {
 public:
  Labeler(const ProfiledTrace& trace, const KernelAnalysis& analysis, const std::string& layer_scope)
      : in_(trace.records), its_(trace.iterations), analysis_(analysis), layer_scope_(layer_scope) {
    for (size_t i = 0; i < analysis.calls().size(); ++i) by_kernel_[analysis.calls()[i].call.kernel].push_back(i);
    new_index_.assign(in_.size(), -1);
    extra_depth_.assign(in_.size(), 0);
    visited_.assign(its_.size(), false);
    out_.reserve(in_.size() * 3 + its_.size());
  }

  LabelStats run(std::vector<OpRecord>& out, std::vector<int32_t>& new_index) {
    for (size_t i = 0; i < in_.size(); ++i) {
      const OpRecord& r = in_[i];
      if (r.thread == 0 && r.parent < 0) {
        top_level(i);
      } else {
        nested(i);
      }
    }
    close_iteration();
    for (size_t k = 0; k < its_.size(); ++k) {  // iterations without a single record: all wrapper
      if (!visited_[k]) wrapper(its_[k].start_ns, its_[k].end_ns, false);
    }
    out = std::move(out_);
    new_index = std::move(new_index_);
    return stats_;
  }

 private:
  int32_t push(OpRecord r) {
    out_.push_back(std::move(r));
    return static_cast<int32_t>(out_.size() - 1);
  }

  // A scope record on the model's thread.
  int32_t scope(const std::string& name, int64_t start, int64_t end, int32_t parent, int32_t depth) {
    OpRecord s;
    s.name = name;
    s.kind = RecordKind::kScope;
    s.start_ns = start;
    s.end_ns = end;
    s.parent = parent;
    s.depth = depth;
    return push(std::move(s));
  }

  void wrapper(int64_t from, int64_t to, bool layered) {
    if (to <= from) return;
    int32_t parent = -1, depth = 0;
    if (layered) {
      parent = scope(layer_scope_, from, to, -1, 0);
      depth = 1;
    }
    OpRecord w;
    w.name = analysis_.rules().wrapper;
    w.start_ns = from;
    w.end_ns = to;
    w.parent = parent;
    w.depth = depth;
    push(std::move(w));
    ++stats_.wrapper_records;
  }

  void close_iteration() {
    if (iter_ >= 0) wrapper(cursor_, its_[static_cast<size_t>(iter_)].end_ns, false);
  }

  void nested(size_t i) {
    OpRecord c = in_[i];
    if (c.parent >= 0) {
      const auto p = static_cast<size_t>(c.parent);
      c.parent = new_index_[p];
      c.depth += extra_depth_[p];
      extra_depth_[i] = extra_depth_[p];
    }
    new_index_[i] = push(std::move(c));
  }

  void top_level(size_t i) {
    const OpRecord& r = in_[i];
    const int64_t k = iteration_at(its_, r.start_ns);
    if (k != iter_) {
      close_iteration();
      iter_ = k;
      seen_.clear();
      if (k >= 0) {
        cursor_ = its_[static_cast<size_t>(k)].start_ns;
        visited_[static_cast<size_t>(k)] = true;
      }
    }
    if (k < 0 || r.kind != RecordKind::kOp) {  // outside the iterations, or a scope: as recorded
      new_index_[i] = push(r);
      return;
    }
    ++stats_.ranges;
    const std::string kernel = kernel_of_range(r.name);
    const CallInfo* call = nullptr;
    const size_t occurrence = seen_[kernel]++;
    const auto it = by_kernel_.find(kernel);
    if (it != by_kernel_.end() && occurrence < it->second.size()) call = &analysis_.calls()[it->second[occurrence]];
    const bool layered = !layer_scope_.empty() && call != nullptr && call->in_layer;
    wrapper(cursor_, r.start_ns, layered);
    cursor_ = std::max(cursor_, r.end_ns);
    if (call == nullptr && !is_generated_kernel(kernel)) {  // not a kernel of the provenance: as recorded
      new_index_[i] = push(r);
      return;
    }
    if (call != nullptr) ++stats_.matched;
    int32_t parent = -1, depth = 0;
    if (layered) {
      parent = scope(layer_scope_, r.start_ns, r.end_ns, -1, 0);
      depth = 1;
    }
    const int32_t s = scope(call != nullptr ? call->scope : kernel, r.start_ns, r.end_ns, parent, depth);
    OpRecord op = r;
    op.name = call != nullptr ? call->label : analysis_.rules().label_prefix + taxonomy::kUnclassified;
    op.parent = s;
    op.depth = depth + 1;
    new_index_[i] = push(std::move(op));
    extra_depth_[i] = depth + 1;
  }

  const std::vector<OpRecord>& in_;
  const std::vector<IterationSpan>& its_;
  const KernelAnalysis& analysis_;
  const std::string layer_scope_;
  std::unordered_map<std::string, std::vector<size_t>> by_kernel_;
  std::unordered_map<std::string, size_t> seen_;  // ranges of each kernel so far in the current iteration
  std::vector<OpRecord> out_;
  std::vector<int32_t> new_index_, extra_depth_;
  std::vector<bool> visited_;
  int64_t iter_ = -1;   // iteration of the last top-level record on the model's thread
  int64_t cursor_ = 0;  // where the wrapper time of that iteration resumes
  LabelStats stats_;
};

}  // namespace

LabelStats label_trace(ProfiledTrace& trace, const KernelAnalysis& analysis, const std::string& layer_scope) {
  std::vector<OpRecord> out;
  std::vector<int32_t> new_index;
  const LabelStats stats = Labeler(trace, analysis, layer_scope).run(out, new_index);
  trace.records = std::move(out);
  // Device activity (CUDA) stays linked to the range that launched it: for a kernel range, its op record.
  for (auto& d : trace.device) {
    if (d.launched_by >= 0 && static_cast<size_t>(d.launched_by) < new_index.size()) {
      d.launched_by = new_index[static_cast<size_t>(d.launched_by)];
    }
  }
  return stats;
}

}  // namespace ngbench::inductor
