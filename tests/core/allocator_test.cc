#include "core/allocator.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace ngbench {
namespace {

// Minor page faults per round of allocating, touching and freeing a block of
// `bytes`, after one round that faults the block in the first time.
double faults_per_round(size_t bytes, int rounds) {
  volatile char sink = 0;
  auto round = [&] {
    char* p = static_cast<char*>(std::malloc(bytes));
    ASSERT_NE(p, nullptr);
    std::memset(p, 1, bytes);
    sink = sink + p[bytes / 2];
    std::free(p);
  };
  round();
  const int64_t before = minor_page_faults();
  for (int i = 0; i < rounds; ++i) round();
  return static_cast<double>(minor_page_faults() - before) / rounds;
}

TEST(Allocator, UnknownModeNamesTheValidOnes) {
  try {
    check_allocator_mode("jemalloc");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'jemalloc'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("retain, system"), std::string::npos);
  }
  EXPECT_EQ(allocator_modes().front(), "retain");  // the default
  EXPECT_NE(describe_allocator("retain").find("retain"), std::string::npos);
}

// One test, in order: the mode is process-wide and "retain" cannot be undone.
#if defined(__SANITIZE_ADDRESS__)
#define NGBENCH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NGBENCH_ASAN 1
#endif
#endif

TEST(Allocator, RetainKeepsFreedMemoryInTheProcess) {
#ifdef NGBENCH_ASAN
  GTEST_SKIP() << "AddressSanitizer replaces the C library's malloc: mallopt and its fault counts do not apply";
#endif
  constexpr size_t kBlock = 64u << 20;  // above glibc's largest mmap threshold (32 MiB)
  constexpr double kPages = kBlock / 4096.0;
  apply_allocator("system");
#if defined(__GLIBC__)
  // The C library's defaults: a block this large is mmapped, and unmapped on
  // free, so every round faults all of its pages in again.
  EXPECT_GT(faults_per_round(kBlock, 4), 0.9 * kPages);
#endif
  apply_allocator("retain");
  apply_allocator("retain");  // again: no-op
  // Freed memory stays mapped: the next rounds reuse it without faulting.
  EXPECT_LT(faults_per_round(kBlock, 4), 0.01 * kPages);
  EXPECT_THROW(apply_allocator("system"), Error);
}

}  // namespace
}  // namespace ngbench
