// Smoke test of examples/hparams_tuning: runs the real binary on a small
// slice of Fashion-MNIST in both modes and reads the logdir back the way
// TensorBoard's HParams dashboard would.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/reader.h"
#include "hparams/search.h"
#include "hparams_test_support.h"
#include "io_test_util.h"

namespace hp {
namespace {

namespace fs = std::filesystem;

#ifdef HPARAMS_TUNING_PATH

constexpr char kDatasetFile[] = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
// Small enough for sanitizer builds, big enough to learn something.
constexpr char kTrainLimit[] = "2000";

using RunResult = test_util::ProgramRun;

RunResult run_tuning(const std::string& args) { return test_util::run_program(HPARAMS_TUNING_PATH, args); }

std::string fresh_dir(const std::string& name) {
  // Under the test's own temporary directory, removed when the test program exits.
  const fs::path dir = fs::path(test_util::make_temp_dir()) / name;
  return dir.string();
}

#define SKIP_WITHOUT_DATASET()                                                        \
  if (!fs::exists(kDatasetFile)) {                                                    \
    GTEST_SKIP() << kDatasetFile << " absent: apt-get install dataset-fashion-mnist"; \
  }

// Run name -> (group-relative metric tag -> value) from the dashboard view.
std::map<std::string, double> metric_by_run(const ExperimentView& view) {
  std::map<std::string, double> out;
  for (const auto& group : view.session_groups) {
    for (const auto& session : group.sessions) {
      EXPECT_EQ(session.metric_values.size(), 1u) << session.name;
      if (session.metric_values.size() == 1) out[session.name] = session.metric_values[0].value;
    }
  }
  return out;
}

// The checks both modes share: 8 runs of the seed grid, each a session of
// its own group with the tutorial's hparams, a metric better than chance.
void ExpectSeedGrid(const ExperimentView& view, const std::string& metric_group,
                    const std::string& metric_tag) {
  EXPECT_TRUE(view.diagnostics.empty()) << view.diagnostics.front().message;
  ASSERT_EQ(view.source, ExperimentSource::kConfig);
  EXPECT_EQ(view.config_run, ".");
  ASSERT_EQ(view.experiment.metric_infos.size(), 1u);
  EXPECT_EQ(view.experiment.metric_infos[0].name.group, metric_group);
  EXPECT_EQ(view.experiment.metric_infos[0].name.tag, metric_tag);
  ASSERT_EQ(view.experiment.hparam_infos.size(), 3u);

  // Same trials, hence the same group names, as the golden experiment.
  absl::StatusOr<ExperimentView> golden = load_experiment(testing::golden_path("logdir_validation"));
  ASSERT_TRUE(golden.ok()) << golden.status();
  ASSERT_EQ(view.session_groups.size(), 8u);
  ASSERT_EQ(golden->session_groups.size(), 8u);
  for (int g = 0; g < 8; ++g) {
    const auto& ours = view.session_groups[g];
    const auto& theirs = golden->session_groups[g];
    EXPECT_EQ(ours.name, theirs.name);
    ASSERT_EQ(ours.sessions.size(), 1u);
    EXPECT_EQ(ours.sessions[0].name, theirs.sessions[0].name);
    EXPECT_EQ(ours.hparams, theirs.hparams);
  }
  const std::map<std::string, double> metrics = metric_by_run(view);
  ASSERT_EQ(metrics.size(), 8u);
  for (const auto& [run, value] : metrics) {
    EXPECT_GT(value, 0.2) << run << " learned nothing (chance is 0.1)";
    EXPECT_LE(value, 1.0) << run;
  }
}

TEST(HParamsTuningSmoke, CallbacksModeLogsEightSucceededKerasStyleRuns) {
  SKIP_WITHOUT_DATASET();
  const std::string logdir = fresh_dir("callbacks");
  const RunResult run = run_tuning("--logdir '" + logdir + "' --train-limit " + kTrainLimit);
  ASSERT_EQ(run.exit_code, 0) << run.output;

  for (int i = 0; i < 8; ++i) {
    const std::string dir = logdir + "/run-" + std::to_string(i);
    EXPECT_TRUE(fs::is_directory(dir + "/train")) << dir;
    EXPECT_TRUE(fs::is_directory(dir + "/validation")) << dir;
  }
  absl::StatusOr<ExperimentView> view = load_experiment(logdir);
  ASSERT_TRUE(view.ok()) << view.status();
  ExpectSeedGrid(*view, "validation", "epoch_accuracy");
  for (const auto& group : view->session_groups) {
    EXPECT_EQ(group.sessions[0].status, STATUS_SUCCESS) << group.sessions[0].name;
    // Keras numbers the one epoch 0.
    ASSERT_FALSE(group.sessions[0].metric_values.empty());
    EXPECT_EQ(group.sessions[0].metric_values[0].training_step, 0);
  }
  // Training logs land in train/, as Keras's TensorBoard callback writes them.
  const RunData* train = view->find_run("run-0/train");
  ASSERT_NE(train, nullptr);
  EXPECT_EQ(train->scalars.count("epoch_loss"), 1u);
  EXPECT_EQ(train->scalars.count("epoch_accuracy"), 1u);
  const RunData* validation = view->find_run("run-0/validation");
  ASSERT_NE(validation, nullptr);
  EXPECT_EQ(validation->scalars.count("epoch_loss"), 1u);
}

TEST(HParamsTuningSmoke, DirectModeLogsTheTutorialsAccuracyScalarAtStepOne) {
  SKIP_WITHOUT_DATASET();
  const std::string logdir = fresh_dir("direct");
  const RunResult run = run_tuning("--mode direct --logdir '" + logdir + "' --train-limit " + kTrainLimit);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  absl::StatusOr<ExperimentView> view = load_experiment(logdir);
  ASSERT_TRUE(view.ok()) << view.status();
  ExpectSeedGrid(*view, "", "accuracy");
  for (const auto& group : view->session_groups) {
    // hp::Trial::end() records the success the tutorial's hp.hparams() leaves UNKNOWN.
    EXPECT_EQ(group.sessions[0].status, STATUS_SUCCESS);
    ASSERT_FALSE(group.sessions[0].metric_values.empty());
    EXPECT_EQ(group.sessions[0].metric_values[0].training_step, 1);
  }
  EXPECT_EQ(view->runs.size(), 9u) << "the root and run-0..7, no subdirectories";
}

TEST(HParamsTuningSmoke, ASeedGivesTheSameAccuraciesInBothModesAndEveryRun) {
  SKIP_WITHOUT_DATASET();
  std::vector<std::map<std::string, double>> results;
  for (const std::string mode : {"direct", "callbacks", "direct"}) {
    const std::string logdir = fresh_dir("seed_" + mode + std::to_string(results.size()));
    const RunResult run =
        run_tuning("--mode " + mode + " --seed 7 --logdir '" + logdir + "' --train-limit " + kTrainLimit);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    absl::StatusOr<ExperimentView> view = load_experiment(logdir);
    ASSERT_TRUE(view.ok()) << view.status();
    results.push_back(metric_by_run(*view));
    ASSERT_EQ(results.back().size(), 8u);
  }
  EXPECT_EQ(results[0], results[1]) << "direct and callbacks modes disagree";
  EXPECT_EQ(results[0], results[2]) << "the same seed gave different results";
}

// The pattern of examples/slurm: the config once, then each trial in a
// process of its own, in any order, equals one process running the grid.
TEST(HParamsTuningSmoke, ASweepOfSingleTrialsEqualsTheOneProcessRun) {
  SKIP_WITHOUT_DATASET();
  const std::string whole = fresh_dir("sweep_whole");
  const RunResult all =
      run_tuning("--mode direct --seed 3 --logdir '" + whole + "' --train-limit " + kTrainLimit);
  ASSERT_EQ(all.exit_code, 0) << all.output;

  const std::string sweep = fresh_dir("sweep_tasks");
  const RunResult config = run_tuning("--mode direct --config-only --logdir '" + sweep + "'");
  ASSERT_EQ(config.exit_code, 0) << config.output;
  EXPECT_EQ(config.output.find("Fashion-MNIST"), std::string::npos) << "loaded data for nothing";
  EXPECT_FALSE(fs::exists(sweep + "/run-0"));
  for (int trial : {7, 2, 0, 5, 1, 6, 3, 4}) {
    const RunResult task = run_tuning("--mode direct --seed 3 --trial " + std::to_string(trial) +
                                      " --logdir '" + sweep + "' --train-limit " + kTrainLimit);
    ASSERT_EQ(task.exit_code, 0) << task.output;
    EXPECT_NE(task.output.find("--- Starting trial: run-" + std::to_string(trial)), std::string::npos)
        << task.output;
    EXPECT_EQ(task.output.find("--- Starting trial: run-" + std::to_string((trial + 1) % 8)),
              std::string::npos)
        << "trial " << trial << " ran others too";
  }
  absl::StatusOr<ExperimentView> whole_view = load_experiment(whole);
  absl::StatusOr<ExperimentView> sweep_view = load_experiment(sweep);
  ASSERT_TRUE(whole_view.ok()) << whole_view.status();
  ASSERT_TRUE(sweep_view.ok()) << sweep_view.status();
  ExpectSeedGrid(*sweep_view, "", "accuracy");  // also: one config, no diagnostics
  EXPECT_EQ(metric_by_run(*sweep_view), metric_by_run(*whole_view));
}

TEST(HParamsTuningSmoke, ATrialAloneWritesNoConfig) {
  SKIP_WITHOUT_DATASET();
  const std::string logdir = fresh_dir("trial_alone");
  const RunResult run = run_tuning("--trial 5 --logdir '" + logdir + "' --train-limit 500");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::vector<std::string> entries;
  for (const auto& entry : fs::directory_iterator(logdir)) {
    entries.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(entries, std::vector<std::string>{"run-5"}) << "config or other runs at the root";
}

TEST(HParamsTuningSmoke, PrintsPlainLinesAndARankedTableWhenNotOnATerminal) {
  SKIP_WITHOUT_DATASET();
  const std::string logdir = fresh_dir("table");
  const RunResult run = run_tuning("--logdir '" + logdir + "' --train-limit 500");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output.find('\r'), std::string::npos) << "progress bar drawn into a file";
  EXPECT_NE(run.output.find("--- Starting trial: run-7"), std::string::npos) << run.output;
  const size_t table = run.output.find("rank");
  ASSERT_NE(table, std::string::npos) << run.output;
  // Ranks 1..8, each once, after the header.
  for (int rank = 1; rank <= 8; ++rank) {
    EXPECT_NE(run.output.find("\n" + std::to_string(rank) + " ", table), std::string::npos) << rank;
  }
  EXPECT_NE(run.output.find("tensorboard --logdir " + logdir), std::string::npos) << run.output;
}

TEST(HParamsTuningSmoke, HelpExitsZeroAndBadFlagsExitTwo) {
  RunResult help = run_tuning("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("--train-limit"), std::string::npos) << help.output;
  for (const char* bad : {"--mode keras", "--bogus 1", "--seed", "--train-limit 0", "--epochs x", "--trial 8",
                          "--trial -1", "--trial 1 --config-only"}) {
    const RunResult run = run_tuning(bad);
    EXPECT_EQ(run.exit_code, 2) << bad << "\n" << run.output;
    EXPECT_NE(run.output.find("Usage"), std::string::npos) << bad;
  }
}

TEST(HParamsTuningSmoke, AMissingDatasetExitsThreeAndNamesTheDebianPackage) {
  const std::string logdir = fresh_dir("no_data");
  const std::string empty = fresh_dir("empty_data_dir");
  fs::create_directories(empty);
  const RunResult run = run_tuning("--data-dir '" + empty + "' --logdir '" + logdir + "'");
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("apt-get install dataset-fashion-mnist"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(logdir)) << "nothing is logged without data";
}

#else

TEST(HParamsTuningSmoke, NeedsTheExampleBinary) {
  GTEST_SKIP() << "examples/hparams_tuning is not built (HPARAMS_BUILD_EXAMPLES=OFF or no Eigen3)";
}

#endif  // HPARAMS_TUNING_PATH

}  // namespace
}  // namespace hp
