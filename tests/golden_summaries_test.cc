// Every golden summary reproduced by the pure builders: the Summary and its
// decoded plugin content equal TensorBoard's, and so do the bytes.
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "hparams/proto/hparams_plugin_data.pb.h"
#include "hparams/summary.h"
#include "hparams_test_support.h"

namespace hp {
namespace {

using testing::golden_path;
using testing::proto_equal;

constexpr double kStartTime = 1600000000.0;  // time_created_secs and start_time_secs
constexpr double kEndTime = 1600000100.0;

// Compares `ours` with summaries/<name>.pb: decoded Summary, decoded
// HParamsPluginData content (when it is the hparams plugin), then bytes.
void ExpectMatchesGolden(const std::string& name, const absl::StatusOr<proto::Summary>& ours) {
  SCOPED_TRACE(name);
  ASSERT_TRUE(ours.ok()) << ours.status();
  const std::string golden_bytes = test_util::read_bytes(golden_path("summaries/" + name + ".pb"));
  proto::Summary golden;
  ASSERT_TRUE(golden.ParseFromString(golden_bytes));
  ASSERT_EQ(ours->value_size(), 1);
  ASSERT_EQ(golden.value_size(), 1);

  std::string diff;
  if (golden.value(0).metadata().plugin_data().plugin_name() == kHParamsPluginName) {
    proto::hparams::HParamsPluginData golden_data, our_data;
    ASSERT_TRUE(golden_data.ParseFromString(golden.value(0).metadata().plugin_data().content()));
    ASSERT_TRUE(our_data.ParseFromString(ours->value(0).metadata().plugin_data().content()));
    EXPECT_TRUE(proto_equal(our_data, golden_data, &diff)) << diff;
    EXPECT_EQ(our_data.version(), 0);
  }
  EXPECT_TRUE(proto_equal(*ours, golden, &diff)) << diff;
  std::string our_bytes;
  ASSERT_TRUE(ours->SerializeToString(&our_bytes));
  EXPECT_EQ(our_bytes, golden_bytes) << "serialized bytes differ";
}

TEST(GoldenSummaries, ConfigMatches) {
  ExpectMatchesGolden(
      "hparams_config",
      hparams_config_pb(testing::seed_hparams(), {Metric("accuracy").display_name("Accuracy")}, kStartTime));
}

TEST(GoldenSummaries, ValidationConfigMatches) {
  ExpectMatchesGolden("hparams_config_validation",
                      hparams_config_pb(testing::seed_hparams(),
                                        {Metric("epoch_accuracy", "validation", "Accuracy")}, kStartTime));
}

TEST(GoldenSummaries, EveryTrialMatches) {
  for (int i = 0; i < 8; ++i) {
    ExpectMatchesGolden("hparams_trial_" + std::to_string(i),
                        hparams_pb(testing::seed_trial(i), std::nullopt, kStartTime));
  }
}

TEST(GoldenSummaries, TrialIdIsTheGroupNameVerbatim) {
  ExpectMatchesGolden("hparams_trial_id", hparams_pb(testing::seed_trial(7), "trial-7", kStartTime));
}

TEST(GoldenSummaries, SessionEndMatches) {
  ExpectMatchesGolden("session_end_success", session_end_pb(STATUS_SUCCESS, kEndTime));
}

TEST(GoldenSummaries, V1SessionStartKeepsTheGivenOrder) {
  // The v1 API inserts in dict order: num_units, dropout, optimizer.
  ExpectMatchesGolden("session_start_v1", session_start_pb(testing::seed_trial(0), kStartTime));
}

TEST(GoldenSummaries, EveryEdgeCaseMatches) {
  for (const std::string& name : testing::edge_case_names()) {
    const testing::Json sidecar = testing::read_json("summaries/" + name + ".json");
    ExpectMatchesGolden(name, hparams_pb(testing::hparams_from_sidecar(sidecar), std::nullopt, kStartTime));
  }
}

TEST(GoldenSummaries, EdgeCasesMatchWhateverOrderTheKeysComeIn) {
  // Sorted output does not depend on the order entries were given in.
  const testing::Json sidecar = testing::read_json("summaries/edge_key_order.json");
  const HParams sorted = testing::hparams_from_sidecar(sidecar);
  HParams reversed;
  for (auto it = sorted.entries().rbegin(); it != sorted.entries().rend(); ++it) {
    reversed.add(it->name(), it->value());
  }
  ExpectMatchesGolden("edge_key_order", hparams_pb(reversed, std::nullopt, kStartTime));
}

TEST(GoldenSummaries, ScalarMatchesThePurePythonLayout) {
  ExpectMatchesGolden("scalar_accuracy_float_val", scalar_pb("accuracy", 0.80));
}

TEST(GoldenSummaries, ConfigWithEveryFieldRoundTrips) {
  // No golden for these fields; check they land where the spec says.
  const std::vector<HParam> hparams = {
      HParam("layers", IntInterval(1, 8), "Layers", "depth"),
      HParam("use_bn", Discrete({true, false})),
      HParam("free"),
  };
  const std::vector<Metric> metrics = {
      Metric("loss").group("train").description("d").dataset_type(DATASET_TRAINING)};
  absl::StatusOr<proto::Summary> s = hparams_config_pb(hparams, metrics, 5.0);
  ASSERT_TRUE(s.ok()) << s.status();
  proto::hparams::HParamsPluginData data;
  ASSERT_TRUE(data.ParseFromString(s->value(0).metadata().plugin_data().content()));
  const auto& e = data.experiment();
  ASSERT_EQ(e.hparam_infos_size(), 3);
  EXPECT_EQ(e.hparam_infos(0).display_name(), "Layers");
  EXPECT_EQ(e.hparam_infos(0).description(), "depth");
  EXPECT_EQ(e.hparam_infos(0).type(), proto::hparams::DATA_TYPE_FLOAT64);
  EXPECT_EQ(e.hparam_infos(0).domain_interval().min_value(), 1.0);
  EXPECT_EQ(e.hparam_infos(0).domain_interval().max_value(), 8.0);
  EXPECT_EQ(e.hparam_infos(1).type(), proto::hparams::DATA_TYPE_BOOL);
  ASSERT_EQ(e.hparam_infos(1).domain_discrete().values_size(), 2);
  EXPECT_FALSE(e.hparam_infos(1).domain_discrete().values(0).bool_value());  // sorted
  EXPECT_TRUE(e.hparam_infos(1).domain_discrete().values(1).bool_value());
  EXPECT_EQ(e.hparam_infos(2).type(), proto::hparams::DATA_TYPE_UNSET);
  EXPECT_EQ(e.hparam_infos(2).domain_case(), proto::hparams::HParamInfo::DOMAIN_NOT_SET);
  EXPECT_EQ(e.metric_infos(0).name().group(), "train");
  EXPECT_EQ(e.metric_infos(0).description(), "d");
  EXPECT_EQ(e.metric_infos(0).dataset_type(), proto::hparams::DATASET_TRAINING);
  EXPECT_EQ(e.time_created_secs(), 5.0);
}

TEST(GoldenSummaries, MissingTimesDefaultToNow) {
  const double before = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch());
  absl::StatusOr<proto::Summary> s = session_end_pb(STATUS_FAILURE);
  const double after = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch());
  ASSERT_TRUE(s.ok());
  proto::hparams::HParamsPluginData data;
  ASSERT_TRUE(data.ParseFromString(s->value(0).metadata().plugin_data().content()));
  EXPECT_GE(data.session_end_info().end_time_secs(), before);
  EXPECT_LE(data.session_end_info().end_time_secs(), after);
}

TEST(GoldenSummaries, UnknownSessionStatusIsRejected) {
  EXPECT_EQ(session_end_pb(static_cast<SessionStatus>(7), 1.0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace hp
