// A mutex whose locking discipline clang's -Wthread-safety can check and
// ThreadSanitizer can see.
//
// Why not absl::Mutex: Debian's abseil is built without TSan's annotations,
// so TSan does not see an absl::Mutex order memory accesses and reports
// races that are not there (or, worse, a suppression hides real ones). Why
// not a bare std::mutex: libstdc++'s is not annotated, so ABSL_GUARDED_BY
// members guarded by one are never checked. hp::internal::Mutex is a
// std::mutex (pthread underneath: TSan intercepts it) with the annotations.
//
// Usage:
//   Mutex mu_;
//   CondVar cv_;
//   int count_ ABSL_GUARDED_BY(mu_) = 0;
//
//   void add() {
//     MutexLock lock(&mu_);
//     ++count_;
//     cv_.notify_all();
//   }
//   void wait_for_one() {
//     MutexLock lock(&mu_);
//     while (count_ == 0) cv_.wait(&mu_);  // a loop: the analysis sees the reads
//   }
//
// A predicate passed to CondVar::wait(mu, pred) reads guarded members from a
// lambda, which the analysis checks as a separate function: annotate it,
// `[&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return count_ > 0; }`.
//
// Thread safety: Mutex and CondVar are for concurrent use (that is their
// point); a MutexLock belongs to the thread that made it.
#ifndef HPARAMS_INTERNAL_MUTEX_H_
#define HPARAMS_INTERNAL_MUTEX_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "absl/base/thread_annotations.h"

namespace hp::internal {

class CondVar;

// Non-recursive and not fair, exactly as std::mutex. lock()/unlock()/
// try_lock() make it a Lockable, so std::scoped_lock and
// std::condition_variable_any accept it too (without the analysis).
class ABSL_LOCKABLE Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mu_.lock(); }
  void unlock() ABSL_UNLOCK_FUNCTION() { mu_.unlock(); }
  bool try_lock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) { return mu_.try_lock(); }

  // Tells the analysis the calling thread holds this mutex where it cannot
  // prove it (a callback called under the lock). Checks nothing at run time.
  void assert_held() const ABSL_ASSERT_EXCLUSIVE_LOCK() {}

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds `mu` for the enclosing scope. To let go of the lock for a while
// inside the scope (a system call the lock must not cover), call
// mu->unlock() and mu->lock() in pairs; the analysis follows both.
class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) { mu_->lock(); }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_->unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

// A std::condition_variable on a Mutex. Every wait releases `mu` while it
// sleeps and holds it again when it returns; wake-ups may be spurious, so
// callers wait in a loop or pass a predicate. The timed waits return false
// when the time ran out (with the predicate: its last value).
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  void notify_one() noexcept { cv_.notify_one(); }
  void notify_all() noexcept { cv_.notify_all(); }

  void wait(Mutex* mu) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    Adopted adopted(mu);
    cv_.wait(adopted.lock);
  }

  template <typename Predicate>
  void wait(Mutex* mu, Predicate pred) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    Adopted adopted(mu);
    cv_.wait(adopted.lock, std::move(pred));
  }

  template <typename Clock, typename Duration>
  bool wait_until(Mutex* mu, const std::chrono::time_point<Clock, Duration>& deadline)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    Adopted adopted(mu);
    return cv_.wait_until(adopted.lock, deadline) == std::cv_status::no_timeout;
  }

  template <typename Clock, typename Duration, typename Predicate>
  bool wait_until(Mutex* mu, const std::chrono::time_point<Clock, Duration>& deadline, Predicate pred)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    Adopted adopted(mu);
    return cv_.wait_until(adopted.lock, deadline, std::move(pred));
  }

  template <typename Rep, typename Period>
  bool wait_for(Mutex* mu, const std::chrono::duration<Rep, Period>& timeout)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    Adopted adopted(mu);
    return cv_.wait_for(adopted.lock, timeout) == std::cv_status::no_timeout;
  }

  template <typename Rep, typename Period, typename Predicate>
  bool wait_for(Mutex* mu, const std::chrono::duration<Rep, Period>& timeout, Predicate pred)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    Adopted adopted(mu);
    return cv_.wait_for(adopted.lock, timeout, std::move(pred));
  }

 private:
  // Lends the caller's locked std::mutex to std::condition_variable for one
  // wait and gives it back, locked, even if a predicate throws: the
  // caller's MutexLock stays its owner.
  struct Adopted {
    explicit Adopted(Mutex* mu) : lock(mu->mu_, std::adopt_lock) {}
    ~Adopted() { lock.release(); }
    Adopted(const Adopted&) = delete;
    Adopted& operator=(const Adopted&) = delete;
    std::unique_lock<std::mutex> lock;
  };

  std::condition_variable cv_;
};

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_MUTEX_H_
