// Starting a thread without letting an exception out of the library.
//
// std::thread reports a refused pthread_create (EAGAIN under `ulimit -u`,
// no address space for the stack) by throwing std::system_error. Every
// public function of the library returns absl::Status instead, so threads
// are started through start_thread(), which turns the exception into
// ResourceExhausted.
#ifndef HPARAMS_INTERNAL_THREAD_START_H_
#define HPARAMS_INTERNAL_THREAD_START_H_

#include <functional>
#include <string_view>
#include <thread>

#include "absl/status/statusor.h"

namespace hp::internal {

// Runs `body` on a new thread. ResourceExhausted, naming `what` and the OS
// error with advice, when the thread cannot start; never throws.
absl::StatusOr<std::thread> start_thread(std::string_view what, std::function<void()> body);

// Test seam: while an instance is alive, start_thread() fails as if the OS
// had refused the thread (EAGAIN). Not for concurrent use with threads that
// start writers and must succeed.
class ScopedThreadStartFailureForTesting {
 public:
  ScopedThreadStartFailureForTesting();
  ~ScopedThreadStartFailureForTesting();
  ScopedThreadStartFailureForTesting(const ScopedThreadStartFailureForTesting&) = delete;
  ScopedThreadStartFailureForTesting& operator=(const ScopedThreadStartFailureForTesting&) = delete;
};

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_THREAD_START_H_
