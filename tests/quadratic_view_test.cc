// Views over very wide experiments: one group with 40k scalar tags, a trial
// with 100k hparams. Each lookup was linear (12 s for `show`, 72 s for
// check_trial); all must now be well under a second of CPU.
#include <sys/resource.h>
#include <sys/time.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/experiment_view.h"
#include "hparams/hparam.h"
#include "hparams/writer.h"

namespace hp {
namespace {

#if defined(HPARAMS_SANITIZER_BUILD)
constexpr int kTags = 10000;
constexpr int kEntries = 20000;
#else
constexpr int kTags = 40000;
constexpr int kEntries = 100000;
#endif

double cpu_seconds_since(std::clock_t start) {
  return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

std::string tag_name(int i) { return "metric_" + std::to_string(i); }

TEST(QuadraticView, OneGroupWithManyScalarTagsBuildsInLinearTime) {
  RunData run;
  run.name = "run-0";
  run.session_start.emplace();
  run.session_start->hparams.emplace("lr", 0.1);
  for (int i = 0; i < kTags; ++i) run.scalars[tag_name(i)] = ScalarValue{static_cast<double>(i), 1, 2.0};
  std::vector<RunData> runs;
  runs.push_back(std::move(run));
  const std::clock_t start = std::clock();
  ExperimentView view = build_experiment_view(std::move(runs));
  const double cpu = cpu_seconds_since(start);
  std::printf("build_experiment_view with %d tags: %.3f s CPU\n", kTags, cpu);
  ASSERT_EQ(view.session_groups.size(), 1u);
  EXPECT_EQ(view.session_groups[0].metric_values.size(), static_cast<size_t>(kTags));
  EXPECT_LT(cpu, 1.0);
}

TEST(QuadraticView, CheckTrialWithManyEntriesIsFast) {
  std::vector<HParam> config;
  HParams trial;
  for (int i = 0; i < kEntries; ++i) {
    config.emplace_back("hp_" + std::to_string(i));
    trial.add("hp_" + std::to_string(kEntries - 1 - i), Value(static_cast<int64_t>(i)));
  }
  const std::clock_t start = std::clock();
  absl::Status s = check_trial(config, trial);
  const double cpu = cpu_seconds_since(start);
  std::printf("check_trial with %d entries: %.3f s CPU\n", kEntries, cpu);
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_LT(cpu, 1.0);
  ASSERT_NE(trial.find("hp_0"), nullptr);
  EXPECT_EQ(*trial.find("hp_0"), Value(static_cast<int64_t>(kEntries - 1)));
  EXPECT_EQ(trial.find("nope"), nullptr);
}

TEST(QuadraticView, FindReturnsTheFirstOfARepeatedNameAtAnySize) {
  for (int n : {3, 15, 16, 17, 100}) {
    HParams trial;
    for (int i = 0; i < n; ++i) trial.add("x" + std::to_string(i), Value(static_cast<int64_t>(i)));
    trial.add("x0", Value(static_cast<int64_t>(-1)));
    ASSERT_NE(trial.find("x0"), nullptr) << n;
    EXPECT_EQ(*trial.find("x0"), Value(static_cast<int64_t>(0))) << n;
    HParams copy = trial;
    EXPECT_EQ(*copy.find("x" + std::to_string(n - 1)), Value(static_cast<int64_t>(n - 1))) << n;
  }
}

#ifdef HPARAMS_CLI_PATH
// `hparams show` on one group with 40k scalar tags took 12 s (a linear
// metric lookup per column, and per-pair header comparison).
TEST(QuadraticView, ShowOfOneGroupWithManyTagsIsFast) {
  namespace fs = std::filesystem;
  const std::string logdir = ::testing::TempDir() + "/quadratic_view_show";
  fs::remove_all(logdir);
  {
    auto writer = SummaryWriter::create(logdir + "/run-0");
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->hparams(HParams{{"lr", 0.1}}).ok());
    for (int i = 0; i < kTags; ++i) ASSERT_TRUE((*writer)->scalar(tag_name(i), i, 1).ok());
    ASSERT_TRUE((*writer)->close().ok());
  }
  struct rusage before, after;
  ::getrusage(RUSAGE_CHILDREN, &before);
  const std::string command = std::string("'") + HPARAMS_CLI_PATH + "' show '" + logdir + "' > /dev/null";
  const int rc = std::system(command.c_str());
  ::getrusage(RUSAGE_CHILDREN, &after);
  fs::remove_all(logdir);
  EXPECT_EQ(rc, 0);
  auto seconds = [](const struct rusage& r) {
    return r.ru_utime.tv_sec + r.ru_stime.tv_sec + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1e-6;
  };
  const double cpu = seconds(after) - seconds(before);
  std::printf("hparams show with %d tags: %.3f s CPU\n", kTags, cpu);
  EXPECT_LT(cpu, 1.0);
}
#endif

}  // namespace
}  // namespace hp
