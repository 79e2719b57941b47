// Smoke test of examples/libtorch: the real binary on a slice of
// Fashion-MNIST, read back as TensorBoard's HParams dashboard would.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/reader.h"
#include "io_test_util.h"

namespace hp {
namespace {

namespace fs = std::filesystem;

#ifdef HPARAMS_LIBTORCH_PATH

constexpr char kDatasetFile[] = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

using RunResult = test_util::ProgramRun;

RunResult run_libtorch(const std::string& args) {
  return test_util::run_program(HPARAMS_LIBTORCH_PATH, args);
}

std::string fresh_dir(const std::string& name) {
  // Under the test's own temporary directory, removed when the test program
  // exits: a fixed name in /tmp is shared with any other run of this test.
  const fs::path dir = fs::path(test_util::make_temp_dir()) / name;
  return dir.string();
}

// Session name -> its one metric value; checks what every session shares.
std::map<std::string, double> succeeded_sessions(const ExperimentView& view) {
  std::map<std::string, double> out;
  for (const auto& group : view.session_groups) {
    for (const auto& session : group.sessions) {
      EXPECT_EQ(session.status, STATUS_SUCCESS) << session.name;
      EXPECT_EQ(session.metric_values.size(), 1u) << session.name;
      if (session.metric_values.size() == 1) out[session.name] = session.metric_values[0].value;
    }
  }
  return out;
}

TEST(HParamsLibTorchSmoke, ASeededGridLogsEightCleanSessionsAndRepeatsExactly) {
  if (!fs::exists(kDatasetFile)) {
    GTEST_SKIP() << kDatasetFile << " absent: apt-get install dataset-fashion-mnist";
  }
  std::vector<std::map<std::string, double>> results;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const std::string logdir = fresh_dir("seeded" + std::to_string(attempt));
    const RunResult run = run_libtorch("--seed 5 --train-limit 1000 --logdir '" + logdir + "'");
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("run-7 done: val_accuracy"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("rank"), std::string::npos) << run.output;

    absl::StatusOr<ExperimentView> view = load_experiment(logdir);
    ASSERT_TRUE(view.ok()) << view.status();
    EXPECT_TRUE(view->diagnostics.empty()) << view->diagnostics.front().message;
    ASSERT_EQ(view->source, ExperimentSource::kConfig);
    ASSERT_EQ(view->experiment.metric_infos.size(), 1u);
    EXPECT_EQ(view->experiment.metric_infos[0].name.group, "validation");
    EXPECT_EQ(view->experiment.metric_infos[0].name.tag, "epoch_accuracy");
    EXPECT_EQ(view->session_groups.size(), 8u);
    results.push_back(succeeded_sessions(*view));
    ASSERT_EQ(results.back().size(), 8u);
    for (const auto& [run_name, accuracy] : results.back()) {
      EXPECT_GT(accuracy, 0.2) << run_name << " learned nothing (chance is 0.1)";
    }
    EXPECT_NE(view->find_run("run-0/train"), nullptr);
    EXPECT_NE(view->find_run("run-0/validation"), nullptr);
    fs::remove_all(logdir);
  }
  EXPECT_EQ(results[0], results[1]) << "the same seed gave different results";
}

TEST(HParamsLibTorchSmoke, HelpExitsZeroBadFlagsTwoMissingDataThree) {
  const RunResult help = run_libtorch("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("--train-limit"), std::string::npos) << help.output;
  for (const char* bad : {"--bogus 1", "--seed", "--train-limit 0", "--epochs x"}) {
    const RunResult run = run_libtorch(bad);
    EXPECT_EQ(run.exit_code, 2) << bad << "\n" << run.output;
  }
  const std::string logdir = fresh_dir("no_data");
  const std::string empty = fresh_dir("empty_data_dir");
  fs::create_directories(empty);
  const RunResult run = run_libtorch("--data-dir '" + empty + "' --logdir '" + logdir + "'");
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("apt-get install dataset-fashion-mnist"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(logdir)) << "nothing is logged without data";
  fs::remove_all(empty);
}

#else

TEST(HParamsLibTorchSmoke, NeedsTheExampleBinary) {
  GTEST_SKIP() << "examples/libtorch is not built (no LibTorch, a sanitizer build, or "
                  "HPARAMS_BUILD_EXAMPLES=OFF)";
}

#endif  // HPARAMS_LIBTORCH_PATH

}  // namespace
}  // namespace hp
