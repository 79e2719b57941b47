// hp::set_writer_threads: the public setting behind the writer service's
// thread count. Its own executable, because the setting only counts before
// the process's service first starts.
#include <sys/wait.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "hparams/writer.h"
#include "internal/writer_service.h"

namespace hp {
namespace {

TEST(WriterThreads, SetBeforeFirstUseStartsThatManyAndLaterCallsChangeNothing) {
  set_writer_threads(3);
  absl::StatusOr<internal::WriterService*> service = internal::WriterService::get();
  ASSERT_TRUE(service.ok()) << service.status();
  EXPECT_EQ((*service)->threads(), 3);

  set_writer_threads(5);
  absl::StatusOr<internal::WriterService*> again = internal::WriterService::get();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *service);
  EXPECT_EQ((*again)->threads(), 3);
}

// Out-of-range values are clamped, never a crash or a thread storm. A
// fork()ed child starts a fresh service, so each value gets its own child.
int threads_in_child_for(int requested) {
  pid_t pid = ::fork();
  if (pid == 0) {
    set_writer_threads(requested);
    absl::StatusOr<internal::WriterService*> service = internal::WriterService::get();
    ::_exit(service.ok() ? (*service)->threads() : 100);
  }
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

TEST(WriterThreads, OutOfRangeValuesAreClamped) {
  EXPECT_EQ(threads_in_child_for(0), 1);
  EXPECT_EQ(threads_in_child_for(-7), 1);
  EXPECT_EQ(threads_in_child_for(1000), 8);
  EXPECT_EQ(threads_in_child_for(2), 2);
}

}  // namespace
}  // namespace hp
