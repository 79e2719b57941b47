#include "internal/asymmetric_fence.h"

#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace hp::internal {
namespace {

#if defined(__SANITIZE_THREAD__)
constexpr bool kSanitizingThreads = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool kSanitizingThreads = true;
#else
constexpr bool kSanitizingThreads = false;
#endif
#else
constexpr bool kSanitizingThreads = false;
#endif

#if defined(__linux__)
long membarrier(int cmd) { return ::syscall(__NR_membarrier, cmd, 0U, 0); }
#endif

}  // namespace

bool enable_asymmetric_fences() {
  bool ok = false;
#if defined(__linux__)
  if (!kSanitizingThreads) {
    const long supported = membarrier(MEMBARRIER_CMD_QUERY);
    ok = supported > 0 && (supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0 &&
         membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
  }
#endif
  g_asymmetric_fences_enabled.store(ok, std::memory_order_relaxed);
  return ok;
}

void heavy_fence() {
#if defined(__linux__)
  if (light_fence_is_enough() && membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return;
#endif
  std::atomic_thread_fence(std::memory_order_seq_cst);
}

}  // namespace hp::internal
