#pragma once
// The C library's heap policy during a run, and the page faults it costs.
//
// libtorch's CPU allocator keeps no cache: every intermediate tensor is one
// malloc and one free. Under glibc's defaults, blocks above a (moving)
// threshold are mmapped and unmapped, and free memory at the top of the heap
// beyond another threshold goes back to the kernel, so the next iteration
// faults the same pages in again, zero-filled. Element-wise operators on large
// activations then spend much of their time in the page-fault handler, and how
// much depends on the heap's history: the model's size, the iteration count.
//
//   "retain"  freed memory stays in the process (no trimming, no mmapped
//             blocks), as with a caching allocator (jemalloc, tcmalloc, or
//             PyTorch's own on CUDA): operators are timed in steady state.
//   "system"  the C library's defaults, as in a stock Python process.
//
// The mode is process-wide and cannot be undone once "retain" is applied.
#include <cstdint>
#include <string>
#include <vector>

namespace ngbench {

// The modes, the default first.
const std::vector<std::string>& allocator_modes();

// Throws ngbench::Error naming `mode` and the valid ones if it is unknown.
void check_allocator_mode(const std::string& mode);

// Puts `mode` in effect for this process. Throws ngbench::Error for an
// unknown mode, or for "system" after "retain" was applied.
void apply_allocator(const std::string& mode);

// One line for a result's context: the mode and what it set.
std::string describe_allocator(const std::string& mode);

// Minor page faults of this process so far (getrusage).
int64_t minor_page_faults();

}  // namespace ngbench
