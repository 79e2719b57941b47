// Proof that the thread-safety build really checks hp::internal::Mutex:
// `.ci/dev.sh thread-safety` compiles this file with the preset's flags and
// fails unless the unlocked write below is rejected, and unless the same file
// compiles once the lock is held (-DHPARAMS_PROBE_HOLDS_LOCK), so the error
// is the analysis's and not a broken command line. Not part of any build.
#include "internal/mutex.h"

namespace {

class Counter {
 public:
  void add() {
#ifdef HPARAMS_PROBE_HOLDS_LOCK
    hp::internal::MutexLock lock(&mu_);
#endif
    ++count_;  // without the lock: "writing variable 'count_' requires holding mutex 'mu_'"
  }

 private:
  hp::internal::Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace

int main() {
  Counter counter;
  counter.add();
  return 0;
}
