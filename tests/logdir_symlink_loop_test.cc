// Loops made of two symlinks in a logdir (a -> b, b -> a; two runs linking
// to each other; two links named like event files). One self-link was
// already covered (logdir_hostile_test.cc); these must end as quickly, with
// the runs of the clean logdir and, for links named like event files, a
// diagnostic instead of a read. A walk that never ends fails the test: an Env
// caps the listings, and a watchdog ends the process if a call never returns.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/env.h"
#include "hparams/reader.h"
#include "view_proto.h"

namespace hp {
namespace {

namespace fs = std::filesystem;

const std::string kGolden = HPARAMS_GOLDEN_DIR;

// Fails every listing past a cap: an endless walk becomes an error.
class ListingCapEnv : public EnvWrapper {
 public:
  ListingCapEnv() : EnvWrapper(Env::default_env()) {}
  absl::StatusOr<std::vector<DirEntry>> list_dir(const std::string& path) override {
    if (++listings_ > kMaxListings) return absl::ResourceExhaustedError("listing cap reached: " + path);
    return EnvWrapper::list_dir(path);
  }
  int listings() const { return listings_; }

 private:
  static constexpr int kMaxListings = 1000;
  std::atomic<int> listings_{0};
};

// Runs `call` on another thread; if it has not returned after a minute the
// walk is taken to hang, and the process ends with a message (a thread stuck
// in a system call cannot be stopped, and ctest's timeout is 10 minutes).
void FinishesWithinAMinute(const std::function<void()>& call) {
  std::packaged_task<void()> task(call);
  std::future<void> done = task.get_future();
  std::thread thread(std::move(task));
  if (done.wait_for(std::chrono::minutes(1)) != std::future_status::ready) {
    std::fprintf(stderr,
                 "FATAL: the logdir walk has not returned after a minute: it hangs on a symlink loop\n");
    std::fflush(stderr);
    std::_Exit(1);
  }
  thread.join();
}

class LogdirSymlinkLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    logdir_ = ::testing::TempDir() + "/logdir_symlink_loop_" + info->name();
    fs::remove_all(logdir_);
    fs::copy(kGolden + "/logdir", logdir_, fs::copy_options::recursive);
    clean_ = load_experiment(logdir_);
    ASSERT_TRUE(clean_.ok()) << clean_.status();
    clean_runs_ = list_runs(logdir_);
    ASSERT_TRUE(clean_runs_.ok()) << clean_runs_.status();
  }
  void TearDown() override { fs::remove_all(logdir_); }

  // LoadExperiment and ListRuns (the two walks) on the logdir as it is now.
  void load() {
    LoadOptions options;
    options.env = &env_;
    FinishesWithinAMinute([&] {
      view_ = load_experiment(logdir_, options);
      runs_ = list_runs(logdir_, options, &list_diagnostics_);
    });
    ASSERT_TRUE(view_.ok()) << view_.status();
    ASSERT_TRUE(runs_.ok()) << runs_.status();
    EXPECT_LT(env_.listings(), 100);
  }

  static std::vector<std::string> RunNames(const ExperimentView& view) {
    std::vector<std::string> names;
    for (const RunData& run : view.runs) names.push_back(run.name);
    return names;
  }
  static std::vector<std::string> RunNames(const std::vector<RunFiles>& runs) {
    std::vector<std::string> names;
    for (const RunFiles& run : runs) names.push_back(run.name);
    return names;
  }

  // The clean logdir's runs and sessions, nothing more.
  void ExpectTheCleanExperiment() {
    EXPECT_EQ(RunNames(*view_), RunNames(*clean_));
    EXPECT_EQ(RunNames(*runs_), RunNames(*clean_runs_));
    EXPECT_EQ(testing::to_proto(view_->session_groups).DebugString(),
              testing::to_proto(clean_->session_groups).DebugString());
  }

  std::string logdir_;
  absl::StatusOr<ExperimentView> clean_;
  absl::StatusOr<std::vector<RunFiles>> clean_runs_;
  ListingCapEnv env_;
  absl::StatusOr<ExperimentView> view_;
  absl::StatusOr<std::vector<RunFiles>> runs_;
  std::vector<Diagnostic> list_diagnostics_;
};

// a -> b and b -> a: neither resolves (ELOOP), in the root and in a run.
TEST_F(LogdirSymlinkLoopTest, TwoLinksToEachOtherAreSkipped) {
  for (const std::string& dir : {logdir_, logdir_ + "/run-0"}) {
    fs::create_symlink("b", dir + "/a");
    fs::create_symlink("a", dir + "/b");
  }
  load();
  ExpectTheCleanExperiment();
  EXPECT_EQ(view_->diagnostics.size(), clean_->diagnostics.size());
}

// run-0/to-1 -> run-1 and run-1/to-0 -> run-0: a cycle through two runs,
// both links resolving to directories.
TEST_F(LogdirSymlinkLoopTest, TwoRunsLinkingToEachOtherAreNotDescended) {
  fs::create_directory_symlink("../run-1", logdir_ + "/run-0/to-1");
  fs::create_directory_symlink("../run-0", logdir_ + "/run-1/to-0");
  load();
  ExpectTheCleanExperiment();
  EXPECT_EQ(view_->diagnostics.size(), clean_->diagnostics.size());
}

// The same cycle with absolute targets, one level deeper.
TEST_F(LogdirSymlinkLoopTest, TwoNestedDirectoriesLinkingToEachOtherAreNotDescended) {
  fs::create_directories(logdir_ + "/run-2/x");
  fs::create_directories(logdir_ + "/run-3/y");
  fs::create_directory_symlink(logdir_ + "/run-3", logdir_ + "/run-2/x/up");
  fs::create_directory_symlink(logdir_ + "/run-2", logdir_ + "/run-3/y/up");
  load();
  ExpectTheCleanExperiment();
}

bool HasUnreadable(const std::vector<Diagnostic>& diagnostics, const std::string& path) {
  for (const Diagnostic& d : diagnostics) {
    if (d.kind == DiagnosticKind::kUnreadableFile && d.path == path) return true;
  }
  return false;
}

// Two looping links named like event files: each is an unreadable file,
// reported by name, never a read that waits or a walk that loops.
TEST_F(LogdirSymlinkLoopTest, TwoLoopingLinksNamedLikeEventFilesAreUnreadableFiles) {
  const std::string a = logdir_ + "/run-4/events.out.tfevents.1700000000.loop.1.0";
  const std::string b = logdir_ + "/run-4/events.out.tfevents.1700000000.loop.1.1";
  fs::create_symlink(b, a);
  fs::create_symlink(a, b);
  load();
  EXPECT_EQ(RunNames(*view_), RunNames(*clean_));
  EXPECT_EQ(testing::to_proto(view_->session_groups).DebugString(),
            testing::to_proto(clean_->session_groups).DebugString());
  EXPECT_TRUE(HasUnreadable(view_->diagnostics, a));
  EXPECT_TRUE(HasUnreadable(view_->diagnostics, b));
}

// A logdir that is itself one of the two links: an error, at once.
TEST(LogdirSymlinkLoop, LogdirThatIsALoopingLinkIsAnError) {
  const std::string dir = ::testing::TempDir() + "/logdir_symlink_loop_root";
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::create_symlink(dir + "/b", dir + "/a");
  fs::create_symlink(dir + "/a", dir + "/b");
  absl::StatusOr<ExperimentView> view;
  absl::StatusOr<std::vector<RunFiles>> runs;
  FinishesWithinAMinute([&] {
    view = load_experiment(dir + "/a");
    runs = list_runs(dir + "/a");
  });
  EXPECT_FALSE(view.ok());
  EXPECT_FALSE(runs.ok());
  EXPECT_NE(view.status().message().find(dir + "/a"), std::string::npos) << view.status();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hp
