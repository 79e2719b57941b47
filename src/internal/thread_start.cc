// start_thread(): std::thread with the exception turned into a Status.
#include "internal/thread_start.h"

#include <atomic>
#include <cerrno>
#include <new>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hp::internal {
namespace {

std::atomic<int> g_fail_thread_start{0};

absl::Status refused(std::string_view what, std::string_view reason) {
  return absl::ResourceExhaustedError(
      absl::StrCat("cannot start ", absl::string_view(what.data(), what.size()), ": ",
                   absl::string_view(reason.data(), reason.size()),
                   " (the process is at its thread limit, `ulimit -u`, or out of memory for a thread stack:"
                   " close writers you no longer need, or raise the limit)"));
}

}  // namespace

absl::StatusOr<std::thread> start_thread(std::string_view what, std::function<void()> body) {
  try {
    // The seam throws what std::thread throws, so tests exercise this handler.
    if (g_fail_thread_start.load(std::memory_order_relaxed) > 0) {
      throw std::system_error(EAGAIN, std::generic_category(), "simulated thread start failure");
    }
    return std::thread(std::move(body));
  } catch (const std::system_error& e) {
    return refused(what, e.what());
  } catch (const std::bad_alloc&) {
    return refused(what, "out of memory");
  }
}

ScopedThreadStartFailureForTesting::ScopedThreadStartFailureForTesting() {
  g_fail_thread_start.fetch_add(1, std::memory_order_relaxed);
}

ScopedThreadStartFailureForTesting::~ScopedThreadStartFailureForTesting() {
  g_fail_thread_start.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace hp::internal
