// hp::internal::Mutex, MutexLock and CondVar: waits give the lock back to
// the caller (with and without a predicate, timed or not), a timed wait
// reports a timeout, and a notify from another thread ends a wait. Whether
// the annotations are checked is the thread-safety CI build's job.
#include "internal/mutex.h"

#include <chrono>
#include <thread>

#include "gtest/gtest.h"

namespace hp::internal {
namespace {

class Counter {
 public:
  void add() {
    MutexLock lock(&mu_);
    ++count_;
    cv_.notify_all();
  }
  int wait_for_at_least(int n) {
    MutexLock lock(&mu_);
    while (count_ < n) cv_.wait(&mu_);
    return count_;
  }
  int wait_with_predicate(int n) {
    MutexLock lock(&mu_);
    cv_.wait(&mu_, [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return count_ >= n; });
    return count_;
  }
  bool wait_for_briefly(int n) {
    MutexLock lock(&mu_);
    return cv_.wait_for(&mu_, std::chrono::milliseconds(20),
                        [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return count_ >= n; });
  }
  // True once the deadline has passed; a spurious wake-up only goes round again.
  bool wait_until_deadline() {
    MutexLock lock(&mu_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(5);
    while (cv_.wait_until(&mu_, deadline)) {
    }
    return std::chrono::steady_clock::now() >= deadline;
  }
  // The lock is held again after every kind of wait: try_lock from another
  // thread must fail.
  bool held_after_timed_wait() {
    MutexLock lock(&mu_);
    cv_.wait_for(&mu_, std::chrono::milliseconds(1));
    bool other_got_it = false;
    std::thread([&] {
      // The result tested right in the `if`: what the thread-safety analysis follows.
      if (mu_.try_lock()) {
        other_got_it = true;
        mu_.unlock();
      }
    }).join();
    return !other_got_it;
  }
  // Lets go of the lock inside a MutexLock's scope and takes it back.
  int add_twice_with_a_gap() {
    MutexLock lock(&mu_);
    ++count_;
    mu_.unlock();
    std::thread([this] { add(); }).join();
    mu_.lock();
    return ++count_;
  }

 private:
  Mutex mu_;
  CondVar cv_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
};

TEST(Mutex, AWaitEndsWhenAnotherThreadNotifies) {
  Counter counter;
  std::thread producer([&] {
    for (int i = 0; i < 1000; ++i) counter.add();
  });
  EXPECT_GE(counter.wait_for_at_least(1000), 1000);
  producer.join();
}

TEST(Mutex, APredicateWaitReturnsOnceThePredicateHolds) {
  Counter counter;
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) counter.add();
  });
  EXPECT_EQ(counter.wait_with_predicate(100), 100);
  producer.join();
}

TEST(Mutex, TimedWaitsReportTheTimeout) {
  Counter counter;
  EXPECT_FALSE(counter.wait_for_briefly(1));
  EXPECT_TRUE(counter.wait_until_deadline());
  counter.add();
  EXPECT_TRUE(counter.wait_for_briefly(1));
}

TEST(Mutex, TheCallerHoldsTheLockAgainAfterAWait) {
  Counter counter;
  EXPECT_TRUE(counter.held_after_timed_wait());
}

TEST(Mutex, UnlockAndLockInsideAScopedLockPair) {
  Counter counter;
  EXPECT_EQ(counter.add_twice_with_a_gap(), 3);
}

}  // namespace
}  // namespace hp::internal
