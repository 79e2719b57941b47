// The issue's example, verbatim against the umbrella header: the seed
// tutorial ports line for line, and what it writes is what TensorBoard's
// Python API writes for the same calls.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/hparams.h"
#include "hparams/proto/hparams_plugin_data.pb.h"
#include "hparams_test_support.h"
#include "io_test_util.h"

namespace {

const hp::HParam HP_NUM_UNITS("num_units", hp::Discrete({16, 32}));
const hp::HParam HP_DROPOUT("dropout", hp::RealInterval(0.1, 0.2));
const hp::HParam HP_OPTIMIZER("optimizer", hp::Discrete({"adam", "sgd"}));
const std::vector<hp::Metric> METRICS = {hp::Metric("accuracy").display_name("Accuracy")};

TEST(HParamsApiExample, IssueSpellingCompilesAndWritesPythonsSummaries) {
  const std::string logdir = hp::test_util::make_temp_dir() + "/hparam_tuning";
  const double accuracy = 0.81;
  auto writer = hp::SummaryWriter::create(logdir);  // absl::StatusOr
  ASSERT_TRUE(writer.ok()) << writer.status();
  {
    auto scope = (*writer)->as_default();
    ASSERT_TRUE(hp::hparams_config({HP_NUM_UNITS, HP_DROPOUT, HP_OPTIMIZER}, METRICS).ok());
  }
  {
    auto scope = (*writer)->as_default();
    hp::HParams trial = {{HP_NUM_UNITS, 16}, {HP_DROPOUT, 0.1}, {HP_OPTIMIZER, "adam"}};
    ASSERT_TRUE(hp::hparams(trial).ok());  // session start; also accepts string keys
    ASSERT_TRUE(hp::scalar("accuracy", accuracy, /*step=*/1).ok());
    hp::HParams v = {{"lr", 1e-3}, {"layers", 3}, {"use_bn", true}, {"opt", "adam"}};
    EXPECT_TRUE(v.find("opt")->is_string());
    EXPECT_TRUE(v.find("layers")->is_int());
    EXPECT_TRUE(v.find("lr")->is_float());
  }
  ASSERT_TRUE((*writer)->close().ok());

  // The hparams events carry the config and trial 0 exactly as Python's
  // summary_v2 builds them (only the times differ: the writer's clock).
  const std::vector<hp::proto::Event> events = hp::test_util::read_events((*writer)->path());
  ASSERT_EQ(events.size(), 4u);
  hp::proto::hparams::HParamsPluginData config, start, golden_config, golden_start;
  ASSERT_TRUE(config.ParseFromString(events[1].summary().value(0).metadata().plugin_data().content()));
  ASSERT_TRUE(start.ParseFromString(events[2].summary().value(0).metadata().plugin_data().content()));
  hp::proto::Summary golden;
  ASSERT_TRUE(golden.ParseFromString(
      hp::test_util::read_bytes(hp::testing::golden_path("summaries/hparams_config.pb"))));
  ASSERT_TRUE(golden_config.ParseFromString(golden.value(0).metadata().plugin_data().content()));
  ASSERT_TRUE(golden.ParseFromString(
      hp::test_util::read_bytes(hp::testing::golden_path("summaries/hparams_trial_0.pb"))));
  ASSERT_TRUE(golden_start.ParseFromString(golden.value(0).metadata().plugin_data().content()));
  config.mutable_experiment()->set_time_created_secs(golden_config.experiment().time_created_secs());
  start.mutable_session_start_info()->set_start_time_secs(
      golden_start.session_start_info().start_time_secs());
  std::string diff;
  EXPECT_TRUE(hp::testing::proto_equal(config, golden_config, &diff)) << diff;
  EXPECT_TRUE(hp::testing::proto_equal(start, golden_start, &diff)) << diff;
  EXPECT_EQ(events[1].step(), 0);
  EXPECT_EQ(events[2].step(), 0);
  EXPECT_EQ(events[3].step(), 1);
  EXPECT_EQ(events[3].summary().value(0).tag(), "accuracy");
}

}  // namespace
