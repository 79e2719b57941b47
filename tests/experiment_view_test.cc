// Tests for hp::build_experiment_view over event streams built from the golden
// summaries, compared with what the real TensorBoard server returned.
#include "hparams/experiment_view.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "event_decoder.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "internal/scalar_event.h"
#include "view_proto.h"

namespace hp {
namespace {

namespace hpb = proto::hparams;
using ::google::protobuf::util::MessageDifferencer;

std::string ReadGolden(const std::string& relative) {
  std::ifstream in(std::string(HPARAMS_GOLDEN_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << relative;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

proto::Summary GoldenSummary(const std::string& name) {
  proto::Summary summary;
  EXPECT_TRUE(summary.ParseFromString(ReadGolden("summaries/" + name + ".pb"))) << name;
  return summary;
}

template <typename Message>
Message GoldenJson(const std::string& relative) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(ReadGolden(relative), &message);
  EXPECT_TRUE(status.ok()) << relative << ": " << status.ToString();
  return message;
}

proto::Event SummaryEvent(const proto::Summary& summary, int64_t step, double wall_time) {
  proto::Event event;
  event.set_wall_time(wall_time);
  event.set_step(step);
  *event.mutable_summary() = summary;
  return event;
}

proto::Event FileVersionEvent() {
  proto::Event event;
  event.set_wall_time(1600000000.0);
  event.set_file_version("brain.Event:2");
  return event;
}

// The golden scalar summary (float_val layout) with another tag and value.
proto::Summary FloatValScalar(const std::string& tag, float value) {
  proto::Summary summary = GoldenSummary("scalar_accuracy_float_val");
  summary.mutable_value(0)->set_tag(tag);
  summary.mutable_value(0)->mutable_tensor()->set_float_val(0, value);
  return summary;
}

// The golden scalar summary in TF2's tensor_content layout, another tag/value.
proto::Summary TensorContentScalar(const std::string& tag, float value) {
  proto::Summary summary = GoldenSummary("scalar_accuracy_tensor_content");
  summary.mutable_value(0)->set_tag(tag);
  std::string bytes(4, '\0');
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>((bits >> (8 * i)) & 0xff);
  summary.mutable_value(0)->mutable_tensor()->set_tensor_content(bytes);
  return summary;
}

RunData MakeRun(const std::string& name, const std::vector<proto::Event>& events,
                std::vector<Diagnostic>* diagnostics = nullptr) {
  RunData run;
  run.name = name;
  for (const proto::Event& event : events) testing::accumulate_event(event, &run, diagnostics);
  return run;
}

float Round2(double x) { return static_cast<float>(std::round(x * 100) / 100); }

// tests/golden/logdir, event by event, as README.md describes it.
std::vector<RunData> GoldenLogdirRuns() {
  std::vector<RunData> runs;
  runs.push_back(
      MakeRun(".", {FileVersionEvent(), SummaryEvent(GoldenSummary("hparams_config"), 0, 1600000000.0)}));
  for (int i = 0; i < 8; ++i) {
    runs.push_back(
        MakeRun("run-" + std::to_string(i),
                {FileVersionEvent(),
                 SummaryEvent(GoldenSummary("hparams_trial_" + std::to_string(i)), 0, 1600000000.0),
                 SummaryEvent(FloatValScalar("accuracy", Round2(0.80 + 0.01 * i)), 1, 1600000001.0)}));
  }
  return runs;
}

std::vector<RunData> GoldenValidationRuns() {
  std::vector<RunData> runs;
  runs.push_back(MakeRun(
      ".", {FileVersionEvent(), SummaryEvent(GoldenSummary("hparams_config_validation"), 0, 1600000000.0)}));
  for (int i = 0; i < 8; ++i) {
    std::string run = "run-" + std::to_string(i);
    runs.push_back(
        MakeRun(run, {FileVersionEvent(),
                      SummaryEvent(GoldenSummary("hparams_trial_" + std::to_string(i)), 0, 1600000000.0)}));
    runs.push_back(MakeRun(
        run + "/validation",
        {FileVersionEvent(),
         SummaryEvent(TensorContentScalar("epoch_accuracy", Round2(0.70 + 0.01 * i)), 1, 1600000001.0)}));
    runs.push_back(MakeRun(
        run + "/train",
        {FileVersionEvent(),
         SummaryEvent(TensorContentScalar("epoch_accuracy", Round2(0.90 + 0.01 * i)), 1, 1600000001.0)}));
  }
  return runs;
}

void ExpectEqualProto(const google::protobuf::Message& actual, const google::protobuf::Message& expected) {
  MessageDifferencer differencer;
  std::string report;
  differencer.ReportDifferencesToString(&report);
  EXPECT_TRUE(differencer.Compare(actual, expected)) << report;
}

TEST(ExperimentView, GoldenLogdirEqualsWhatTensorBoardServes) {
  ExperimentView view = build_experiment_view(GoldenLogdirRuns());
  EXPECT_EQ(view.source, ExperimentSource::kConfig);
  EXPECT_EQ(view.config_run, ".");
  EXPECT_THAT(view.diagnostics, ::testing::IsEmpty());
  ExpectEqualProto(testing::to_proto(view.experiment),
                   GoldenJson<hpb::Experiment>("expected/experiment.json"));
  ExpectEqualProto(testing::to_proto(view.session_groups),
                   GoldenJson<hpb::ListSessionGroupsResponse>("expected/session_groups.json"));
}

TEST(ExperimentView, ValidationGroupMetricsComeFromTheSubdirectoryNotTheDecoy) {
  ExperimentView view = build_experiment_view(GoldenValidationRuns());
  ExpectEqualProto(testing::to_proto(view.experiment),
                   GoldenJson<hpb::Experiment>("expected_validation/experiment.json"));
  ExpectEqualProto(testing::to_proto(view.session_groups),
                   GoldenJson<hpb::ListSessionGroupsResponse>("expected_validation/session_groups.json"));
}

TEST(ExperimentView, RunOrderDoesNotChangeTheResult) {
  std::vector<RunData> runs = GoldenLogdirRuns();
  std::reverse(runs.begin(), runs.end());
  ExperimentView view = build_experiment_view(std::move(runs));
  ExpectEqualProto(testing::to_proto(view.session_groups),
                   GoldenJson<hpb::ListSessionGroupsResponse>("expected/session_groups.json"));
  EXPECT_EQ(view.runs.front().name, ".");
}

TEST(ExperimentView, WithoutConfigTheExperimentIsInferred) {
  std::vector<RunData> runs = GoldenValidationRuns();
  runs.erase(runs.begin());  // drop the config
  ExperimentView view = build_experiment_view(std::move(runs));
  EXPECT_EQ(view.source, ExperimentSource::kInferred);
  const Experiment& experiment = view.experiment;
  // All three differ, so they are sorted by name.
  ASSERT_EQ(experiment.hparam_infos.size(), 3u);
  const HParamInfo& dropout = experiment.hparam_infos[0];
  EXPECT_EQ(dropout.name, "dropout");
  EXPECT_EQ(dropout.type, DATA_TYPE_FLOAT64);
  EXPECT_TRUE(dropout.differs);
  ASSERT_TRUE(dropout.domain_interval.has_value());
  EXPECT_FALSE(dropout.domain_discrete.has_value());
  EXPECT_EQ(dropout.domain_interval->min_value, 0.1);
  EXPECT_EQ(dropout.domain_interval->max_value, 0.2);
  const HParamInfo& num_units = experiment.hparam_infos[1];
  EXPECT_EQ(num_units.name, "num_units");
  ASSERT_TRUE(num_units.domain_interval.has_value());
  EXPECT_EQ(num_units.domain_interval->min_value, 16);
  EXPECT_EQ(num_units.domain_interval->max_value, 32);
  const HParamInfo& optimizer = experiment.hparam_infos[2];
  EXPECT_EQ(optimizer.type, DATA_TYPE_STRING);
  ASSERT_TRUE(optimizer.domain_discrete.has_value());
  EXPECT_EQ(*optimizer.domain_discrete, (std::vector<Value>{"adam", "sgd"}));
  // Metrics: every scalar below a session run, group = the subdirectory,
  // sorted by (tag, group).
  ASSERT_EQ(experiment.metric_infos.size(), 2u);
  EXPECT_EQ(experiment.metric_infos[0].name.tag, "epoch_accuracy");
  EXPECT_EQ(experiment.metric_infos[0].name.group, "train");
  EXPECT_EQ(experiment.metric_infos[1].name.group, "validation");
  // Each session then reports both.
  ASSERT_EQ(view.session_groups.size(), 8u);
  EXPECT_EQ(view.session_groups[0].sessions[0].metric_values.size(), 2u);
}

TEST(ExperimentView, InferredHParamThatIsTheSameEverywhereDoesNotDifferAndSortsLast) {
  proto::Summary a = GoldenSummary("hparams_trial_0");  // (16, 0.1, adam)
  proto::Summary b = GoldenSummary("hparams_trial_1");  // (16, 0.1, sgd)
  ExperimentView view =
      build_experiment_view({MakeRun("a", {SummaryEvent(a, 0, 1)}), MakeRun("b", {SummaryEvent(b, 0, 1)})});
  ASSERT_EQ(view.experiment.hparam_infos.size(), 3u);
  EXPECT_EQ(view.experiment.hparam_infos[0].name, "optimizer");
  EXPECT_TRUE(view.experiment.hparam_infos[0].differs);
  EXPECT_EQ(view.experiment.hparam_infos[1].name, "dropout");
  EXPECT_FALSE(view.experiment.hparam_infos[1].differs);
  EXPECT_EQ(view.experiment.hparam_infos[2].name, "num_units");
}

TEST(ExperimentView, InferredBoolsAreDiscreteAndMixedTypesBecomeStrings) {
  ExperimentView view =
      build_experiment_view({MakeRun("a", {SummaryEvent(GoldenSummary("edge_bool"), 0, 1)}),
                             MakeRun("b", {SummaryEvent(GoldenSummary("edge_bool_false"), 0, 1)})});
  ASSERT_EQ(view.experiment.hparam_infos.size(), 1u);
  const HParamInfo& info = view.experiment.hparam_infos[0];
  EXPECT_EQ(info.type, DATA_TYPE_BOOL);
  ASSERT_TRUE(info.domain_discrete.has_value());
  EXPECT_EQ(*info.domain_discrete, (std::vector<Value>{false, true}));

  // A number and a string for the same name: the plugin falls back to strings.
  proto::Summary number = GoldenSummary("hparams_trial_0");
  hpb::HParamsPluginData data;
  ASSERT_TRUE(data.ParseFromString(number.value(0).metadata().plugin_data().content()));
  (*data.mutable_session_start_info()->mutable_hparams())["num_units"].set_string_value("big");
  proto::Summary text = number;
  text.mutable_value(0)->mutable_metadata()->mutable_plugin_data()->set_content(data.SerializeAsString());
  view = build_experiment_view(
      {MakeRun("a", {SummaryEvent(number, 0, 1)}), MakeRun("b", {SummaryEvent(text, 0, 1)})});
  const HParamInfo* num_units = nullptr;
  for (const auto& i : view.experiment.hparam_infos) {
    if (i.name == "num_units") num_units = &i;
  }
  ASSERT_NE(num_units, nullptr);
  EXPECT_EQ(num_units->type, DATA_TYPE_STRING);
  ASSERT_TRUE(num_units->domain_discrete.has_value());
  EXPECT_EQ(*num_units->domain_discrete, (std::vector<Value>{"16.0", "big"}));
}

TEST(ExperimentView, NothingLoggedGivesAnEmptyExperiment) {
  ExperimentView view =
      build_experiment_view({MakeRun("a", {SummaryEvent(FloatValScalar("loss", 1), 1, 1)})});
  EXPECT_EQ(view.source, ExperimentSource::kEmpty);
  EXPECT_TRUE(view.experiment.hparam_infos.empty());
  EXPECT_TRUE(view.experiment.metric_infos.empty());
  EXPECT_TRUE(view.session_groups.empty());
}

TEST(ExperimentView, LastScalarEventWinsWithItsStepAndWallTime) {
  std::vector<RunData> runs = GoldenLogdirRuns();
  RunData& run0 = runs[1];
  testing::accumulate_event(SummaryEvent(FloatValScalar("accuracy", 0.25f), 9, 1600000009.0), &run0, nullptr);
  testing::accumulate_event(SummaryEvent(FloatValScalar("accuracy", 0.5f), 4, 1600000004.0), &run0, nullptr);
  ExperimentView view = build_experiment_view(std::move(runs));
  const Session* session = nullptr;
  for (const auto& group : view.session_groups) {
    if (group.sessions[0].name == "run-0") session = &group.sessions[0];
  }
  ASSERT_NE(session, nullptr);
  ASSERT_EQ(session->metric_values.size(), 1u);
  EXPECT_EQ(session->metric_values[0].value, 0.5);
  EXPECT_EQ(session->metric_values[0].training_step, 4);
  EXPECT_EQ(session->metric_values[0].wall_time_secs, 1600000004.0);
}

TEST(ExperimentView, ScalarLayoutsAllDecode) {
  proto::Summary simple;
  auto* value = simple.add_value();
  value->set_tag("simple");
  value->set_simple_value(0.81f);
  proto::Summary dbl = FloatValScalar("double", 0);
  auto* tensor = dbl.mutable_value(0)->mutable_tensor();
  tensor->clear_float_val();
  tensor->set_dtype(proto::DT_DOUBLE);
  tensor->add_double_val(0.81);
  proto::Summary dbl_content = FloatValScalar("double_content", 0);
  tensor = dbl_content.mutable_value(0)->mutable_tensor();
  tensor->clear_float_val();
  tensor->set_dtype(proto::DT_DOUBLE);
  double d = 0.25;
  tensor->set_tensor_content(std::string(reinterpret_cast<const char*>(&d), sizeof d));
  RunData run =
      MakeRun("r", {SummaryEvent(simple, 1, 1), SummaryEvent(dbl, 2, 2), SummaryEvent(dbl_content, 3, 3),
                    SummaryEvent(TensorContentScalar("content", 0.81f), 4, 4),
                    SummaryEvent(FloatValScalar("float_val", 0.81f), 5, 5)});
  ASSERT_EQ(run.scalars.size(), 5u);
  EXPECT_EQ(run.scalars.at("simple").value, static_cast<double>(0.81f));
  EXPECT_EQ(run.scalars.at("double").value, 0.81);
  EXPECT_EQ(run.scalars.at("double_content").value, 0.25);
  EXPECT_EQ(run.scalars.at("content").value, static_cast<double>(0.81f));
  EXPECT_EQ(run.scalars.at("float_val").value, static_cast<double>(0.81f));
  EXPECT_EQ(run.scalars.at("float_val").step, 5);
}

TEST(ExperimentView, TagWhoseFirstMetadataIsNotScalarsIsNotAMetric) {
  proto::Summary other = FloatValScalar("x", 1);
  other.mutable_value(0)->mutable_metadata()->mutable_plugin_data()->set_plugin_name("histograms");
  proto::Summary later = FloatValScalar("x", 2);
  RunData run = MakeRun("r", {SummaryEvent(other, 1, 1), SummaryEvent(later, 2, 2)});
  EXPECT_TRUE(run.scalars.empty());
}

TEST(ExperimentView, MetadataOnTheFirstEventOnlyStillMakesLaterEventsScalars) {
  proto::Summary later = FloatValScalar("x", 2);
  later.mutable_value(0)->clear_metadata();
  RunData run = MakeRun("r", {SummaryEvent(FloatValScalar("x", 1), 1, 1), SummaryEvent(later, 2, 2)});
  ASSERT_EQ(run.scalars.count("x"), 1u);
  EXPECT_EQ(run.scalars.at("x").value, 2);
}

TEST(ExperimentView, SessionEndSetsStatusAndEndTime) {
  std::vector<RunData> runs = GoldenLogdirRuns();
  testing::accumulate_event(SummaryEvent(GoldenSummary("session_end_success"), 2, 1600000100.0), &runs[1],
                            nullptr);
  ExperimentView view = build_experiment_view(std::move(runs));
  int seen = 0;
  for (const auto& group : view.session_groups) {
    const Session& s = group.sessions[0];
    if (s.name == "run-0") {
      EXPECT_EQ(s.status, STATUS_SUCCESS);
      EXPECT_EQ(s.end_time_secs, 1600000100.0);
      ++seen;
    } else {
      EXPECT_EQ(s.status, STATUS_UNKNOWN);
    }
  }
  EXPECT_EQ(seen, 1);
}

TEST(ExperimentView, FirstSessionStartWinsAndTheDuplicateIsReported) {
  std::vector<Diagnostic> diagnostics;
  RunData run = MakeRun("run-0",
                        {SummaryEvent(GoldenSummary("hparams_trial_0"), 0, 1),
                         SummaryEvent(GoldenSummary("hparams_trial_7"), 0, 2)},
                        &diagnostics);
  EXPECT_EQ(run.session_start_count, 2);
  EXPECT_EQ(run.session_start->hparams.at("optimizer"), Value("adam"));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].kind, DiagnosticKind::kDuplicateSessionStart);
  EXPECT_THAT(diagnostics[0].message, ::testing::HasSubstr("run-0"));
}

TEST(ExperimentView, SharedTrialIdMergesSessionsAndAveragesOnlyPresentMetrics) {
  // trial_id "trial-7" in three runs; one of them has no metric.
  proto::Summary start = GoldenSummary("hparams_trial_id");
  std::vector<RunData> runs;
  runs.push_back(MakeRun("b", {SummaryEvent(start, 0, 1), SummaryEvent(FloatValScalar("m", 0.5f), 3, 10)}));
  runs.push_back(MakeRun("a", {SummaryEvent(start, 0, 1), SummaryEvent(FloatValScalar("m", 0.25f), 4, 20)}));
  runs.push_back(MakeRun("c", {SummaryEvent(start, 0, 1), SummaryEvent(FloatValScalar("other", 1), 1, 1)}));
  ExperimentView view = build_experiment_view(std::move(runs));
  ASSERT_EQ(view.session_groups.size(), 1u);
  const SessionGroup& group = view.session_groups[0];
  EXPECT_EQ(group.name, "trial-7");
  ASSERT_EQ(group.sessions.size(), 3u);
  EXPECT_EQ(group.sessions[0].name, "a");
  EXPECT_EQ(group.sessions[2].name, "c");
  const MetricValue* m = nullptr;
  for (const auto& v : group.metric_values) {
    if (v.name.tag == "m") m = &v;
  }
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->value, (0.5 + 0.25) / 2);
  EXPECT_EQ(m->training_step, 3);  // (3 + 4) // 2
  EXPECT_EQ(m->wall_time_secs, 15);
}

TEST(ExperimentView, EmptyGroupNameGroupsByRunName) {
  ExperimentView view =
      build_experiment_view({MakeRun("x", {SummaryEvent(GoldenSummary("session_start_v1"), 0, 1)})});
  ASSERT_EQ(view.session_groups.size(), 1u);
  EXPECT_EQ(view.session_groups[0].name, "x");
}

TEST(ExperimentView, NaNHParamIsDroppedFromTheGroup) {
  ExperimentView view =
      build_experiment_view({MakeRun("x", {SummaryEvent(GoldenSummary("edge_nan"), 0, 1)})});
  ASSERT_EQ(view.session_groups.size(), 1u);
  const auto& start = *view.runs[0].session_start;
  ASSERT_FALSE(start.hparams.empty());
  int nans = 0;
  for (const auto& [name, value] : start.hparams) {
    if (value.is_number() && std::isnan(value.as_double())) {
      ++nans;
      EXPECT_EQ(view.session_groups[0].hparams.count(name), 0u) << name;
    }
  }
  EXPECT_GT(nans, 0);
}

TEST(ExperimentView, ConfigWithWrongGroupFindsNoMetricAndDoesNotFallBack) {
  std::vector<RunData> runs = GoldenValidationRuns();
  runs[0] = MakeRun(".", {SummaryEvent(GoldenSummary("hparams_config"), 0, 1)});  // group "" tag accuracy
  ExperimentView view = build_experiment_view(std::move(runs));
  ASSERT_EQ(view.session_groups.size(), 8u);
  for (const auto& group : view.session_groups) {
    EXPECT_TRUE(group.metric_values.empty());
    EXPECT_TRUE(group.sessions[0].metric_values.empty());
  }
}

TEST(ExperimentView, ConfigsInSeveralRunsUseTheRootAndAreReported) {
  std::vector<RunData> runs = GoldenValidationRuns();
  testing::accumulate_event(SummaryEvent(GoldenSummary("hparams_config"), 0, 1), &runs[1], nullptr);
  ExperimentView view = build_experiment_view(std::move(runs));
  EXPECT_EQ(view.config_run, ".");
  ExpectEqualProto(testing::to_proto(view.experiment),
                   GoldenJson<hpb::Experiment>("expected_validation/experiment.json"));
  ASSERT_EQ(view.diagnostics.size(), 1u);
  EXPECT_EQ(view.diagnostics[0].kind, DiagnosticKind::kMultipleConfigs);
}

// Running a config script again appends a second config to the same run;
// TensorBoard keeps the first, so the correction silently never shows.
TEST(ExperimentView, SecondConfigInOneRunIsIgnoredAndReported) {
  std::vector<Diagnostic> diagnostics;
  RunData run = MakeRun(".",
                        {SummaryEvent(GoldenSummary("hparams_config"), 0, 1),
                         SummaryEvent(GoldenSummary("hparams_config_validation"), 0, 2)},
                        &diagnostics);
  EXPECT_EQ(run.experiment_count, 2);
  ASSERT_TRUE(run.experiment.has_value());
  EXPECT_EQ(run.experiment->metric_infos[0].name.tag, "accuracy");
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].kind, DiagnosticKind::kMultipleConfigs);
  EXPECT_THAT(diagnostics[0].message, ::testing::HasSubstr("more than one experiment config"));
}

TEST(ExperimentView, NonZeroPluginVersionIsSkippedAndReported) {
  proto::Summary start = GoldenSummary("hparams_trial_0");
  hpb::HParamsPluginData data;
  ASSERT_TRUE(data.ParseFromString(start.value(0).metadata().plugin_data().content()));
  data.set_version(1);
  start.mutable_value(0)->mutable_metadata()->mutable_plugin_data()->set_content(data.SerializeAsString());
  std::vector<Diagnostic> diagnostics;
  RunData run = MakeRun("r", {SummaryEvent(start, 0, 1)}, &diagnostics);
  EXPECT_FALSE(run.session_start.has_value());
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].kind, DiagnosticKind::kBadPluginVersion);
}

TEST(ExperimentView, UndecodablePluginContentIsReported) {
  proto::Summary start = GoldenSummary("hparams_trial_0");
  start.mutable_value(0)->mutable_metadata()->mutable_plugin_data()->set_content("\xff\xff\xff");
  std::vector<Diagnostic> diagnostics;
  RunData run = MakeRun("r", {SummaryEvent(start, 0, 1)}, &diagnostics);
  EXPECT_FALSE(run.session_start.has_value());
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].kind, DiagnosticKind::kBadPluginData);
}

TEST(ExperimentView, MetricRunJoinsLikeTensorBoard) {
  EXPECT_EQ(metric_run("run-0", ""), "run-0");
  EXPECT_EQ(metric_run("run-0", "validation"), "run-0/validation");
  EXPECT_EQ(metric_run(".", "validation"), "./validation");
  EXPECT_EQ(metric_run(".", ""), ".");
  EXPECT_EQ(metric_run("a", "/abs"), "/abs");
}

TEST(ExperimentView, RootSessionCannotReachGroupedMetrics) {
  std::vector<RunData> runs;
  runs.push_back(MakeRun(".", {SummaryEvent(GoldenSummary("hparams_config_validation"), 0, 1),
                               SummaryEvent(GoldenSummary("hparams_trial_0"), 0, 1)}));
  runs.push_back(MakeRun("validation", {SummaryEvent(TensorContentScalar("epoch_accuracy", 0.5f), 1, 1)}));
  ExperimentView view = build_experiment_view(std::move(runs));
  ASSERT_EQ(view.session_groups.size(), 1u);
  EXPECT_TRUE(view.session_groups[0].sessions[0].metric_values.empty());
}

// The fast path must either decline or do exactly what the protobuf path
// does.
void ExpectFastPathAgrees(const std::vector<proto::Event>& events, bool expect_fast_for_last) {
  RunData slow;
  RunData fast;
  bool last_fast = false;
  for (const proto::Event& event : events) {
    const std::string record = event.SerializeAsString();
    ASSERT_TRUE(internal::accumulate_event_with_protobuf(record, &slow, nullptr));
    last_fast = internal::accumulate_scalar_event(record, &fast);
    if (!last_fast) ASSERT_TRUE(internal::accumulate_event_with_protobuf(record, &fast, nullptr));
  }
  EXPECT_EQ(last_fast, expect_fast_for_last);
  EXPECT_EQ(fast.tag_plugins, slow.tag_plugins);
  ASSERT_EQ(fast.scalars.size(), slow.scalars.size());
  for (const auto& [tag, v] : slow.scalars) {
    ASSERT_EQ(fast.scalars.count(tag), 1u) << tag;
    EXPECT_EQ(fast.scalars.at(tag).value, v.value) << tag;
    EXPECT_EQ(fast.scalars.at(tag).step, v.step) << tag;
    EXPECT_EQ(fast.scalars.at(tag).wall_time, v.wall_time) << tag;
  }
}

proto::Event WithoutMetadata(proto::Event event) {
  for (auto& value : *event.mutable_summary()->mutable_value()) value.clear_metadata();
  return event;
}

TEST(ExperimentView, ScalarFastPathAgreesWithTheDecoder) {
  proto::Event first = SummaryEvent(FloatValScalar("acc", 0.5f), 1, 10);
  proto::Event later = WithoutMetadata(SummaryEvent(FloatValScalar("acc", 0.75f), 7, 17));
  proto::Event content = WithoutMetadata(SummaryEvent(TensorContentScalar("acc", 0.25f), -3, 18));
  // Events with metadata and file_version events take the decoder.
  ExpectFastPathAgrees({first}, false);
  ExpectFastPathAgrees({FileVersionEvent()}, false);
  // Plain scalar events after the first take the fast path.
  ExpectFastPathAgrees({first, later}, true);
  ExpectFastPathAgrees({first, later, content}, true);
  // A tag never given metadata is not a scalar, on both paths.
  ExpectFastPathAgrees({later}, true);
  // A legacy simple_value registers the scalars plugin.
  proto::Summary simple;
  simple.add_value()->set_tag("loss");
  simple.mutable_value(0)->set_simple_value(0.125f);
  ExpectFastPathAgrees({SummaryEvent(simple, 2, 3)}, true);
  // Doubles, in both layouts.
  proto::Event dbl = later;
  auto* tensor = dbl.mutable_summary()->mutable_value(0)->mutable_tensor();
  tensor->clear_float_val();
  tensor->set_dtype(proto::DT_DOUBLE);
  tensor->add_double_val(0.1);
  ExpectFastPathAgrees({first, dbl}, true);
  tensor->clear_double_val();
  double d = 0.3;
  tensor->set_tensor_content(std::string(reinterpret_cast<const char*>(&d), 8));
  ExpectFastPathAgrees({first, dbl}, true);
  // Two values in one event.
  proto::Event two = later;
  *two.mutable_summary()->add_value() = simple.value(0);
  ExpectFastPathAgrees({first, two}, true);
  // Non-scalar tensors: two floats, an int, a shape: no value on either path.
  proto::Event many = later;
  many.mutable_summary()->mutable_value(0)->mutable_tensor()->add_float_val(1);
  ExpectFastPathAgrees({first, many}, true);
  proto::Event shaped = later;
  shaped.mutable_summary()->mutable_value(0)->mutable_tensor()->mutable_tensor_shape()->add_dim()->set_size(
      1);
  ExpectFastPathAgrees({first, shaped}, false);
  proto::Event ints = later;
  ints.mutable_summary()->mutable_value(0)->mutable_tensor()->set_dtype(proto::DT_INT32);
  ExpectFastPathAgrees({first, ints}, true);
  // A non-ASCII tag is left to the decoder (it checks UTF-8).
  proto::Event utf8 = SummaryEvent(FloatValScalar("genauigkeit-\xc3\xa4", 0.5f), 1, 1);
  ExpectFastPathAgrees({utf8, WithoutMetadata(utf8)}, false);
}

// protobuf's parser keeps the low 32 bits of an enum varint, so a dtype
// written as 2^32 + 1 decodes as DT_FLOAT; the fast path must read it alike.
TEST(ExperimentView, ScalarFastPathReadsAWideDtypeVarintLikeTheDecoder) {
  const auto length = [](const std::string& s) { return std::string(1, static_cast<char>(s.size())); };
  const float three_quarters = 0.75f;
  const std::string tensor = std::string("\x08\x81\x80\x80\x80\x10") +  // dtype = 2^32 + 1
                             std::string("\x12\x00", 2) +               // shape []
                             "\x2a\x04" + std::string(reinterpret_cast<const char*>(&three_quarters), 4);
  const std::string value = std::string("\x0a\x03") + "acc" + "\x42" + length(tensor) + tensor;
  const std::string summary = "\x0a" + length(value) + value;
  const std::string record = "\x10\x07\x2a" + length(summary) + summary;  // step 7

  proto::Event decoded;
  ASSERT_TRUE(decoded.ParseFromString(record));
  ASSERT_EQ(decoded.summary().value(0).tensor().dtype(), proto::DT_FLOAT);
  RunData slow = MakeRun("r", {SummaryEvent(FloatValScalar("acc", 0.5f), 1, 10)});
  RunData fast = slow;
  ASSERT_TRUE(internal::accumulate_event_with_protobuf(record, &slow, nullptr));
  ASSERT_TRUE(internal::accumulate_scalar_event(record, &fast));
  EXPECT_EQ(slow.scalars.at("acc").value, 0.75);
  EXPECT_EQ(fast.scalars.at("acc").value, slow.scalars.at("acc").value);
  EXPECT_EQ(fast.scalars.at("acc").step, 7);
}

// float_val / double_val written unpacked (one element per tag, as proto2
// writers do) are read the same on both paths.
TEST(ExperimentView, ScalarFastPathReadsUnpackedValuesLikeTheDecoder) {
  const auto length = [](const std::string& s) { return std::string(1, static_cast<char>(s.size())); };
  const auto record_of = [&](const std::string& tensor) {
    const std::string value = std::string("\x0a\x03") + "acc" + "\x42" + length(tensor) + tensor;
    const std::string summary = "\x0a" + length(value) + value;
    return "\x10\x07\x2a" + length(summary) + summary;  // step 7
  };
  const float f = 0.75f;
  const double d = 0.125;
  const std::string one_float = "\x2d" + std::string(reinterpret_cast<const char*>(&f), 4);
  const std::string one_double = "\x31" + std::string(reinterpret_cast<const char*>(&d), 8);
  for (const std::string& tensor : {"\x08\x01" + one_float,              // DT_FLOAT, one float
                                    "\x08\x01" + one_float + one_float,  // two floats: no scalar
                                    "\x08\x02" + one_double,             // DT_DOUBLE, one double
                                    "\x08\x02" + one_double + one_double}) {
    const std::string record = record_of(tensor);
    proto::Event decoded;
    ASSERT_TRUE(decoded.ParseFromString(record));
    RunData slow = MakeRun("r", {SummaryEvent(FloatValScalar("acc", 0.5f), 1, 10)});
    RunData fast = slow;
    ASSERT_TRUE(internal::accumulate_event_with_protobuf(record, &slow, nullptr));
    ASSERT_TRUE(internal::accumulate_scalar_event(record, &fast));
    EXPECT_EQ(fast.scalars.at("acc").value, slow.scalars.at("acc").value);
    EXPECT_EQ(fast.scalars.at("acc").step, slow.scalars.at("acc").step);
  }
}

TEST(ExperimentView, ScalarFastPathDeclinesMalformedRecordsAndChangesNothing) {
  std::string record = WithoutMetadata(SummaryEvent(FloatValScalar("acc", 0.75f), 7, 17)).SerializeAsString();
  RunData run = MakeRun("r", {SummaryEvent(FloatValScalar("acc", 0.5f), 1, 10)});
  for (size_t cut = 0; cut < record.size(); ++cut) {
    EXPECT_FALSE(internal::accumulate_scalar_event(std::string_view(record).substr(0, cut), &run)) << cut;
  }
  EXPECT_EQ(run.scalars.at("acc").value, 0.5);
  EXPECT_TRUE(internal::accumulate_scalar_event(record, &run));
  EXPECT_EQ(run.scalars.at("acc").value, 0.75);
}

TEST(ExperimentView, DiagnosticKindsHaveNames) {
  EXPECT_EQ(diagnostic_kind_name(DiagnosticKind::kCorruptRecord), "corrupt_record");
  EXPECT_EQ(diagnostic_kind_name(DiagnosticKind::kBadPluginVersion), "bad_plugin_version");
  EXPECT_EQ(diagnostic_kind_name(DiagnosticKind::kUnsupportedHParamValue), "unsupported_hparam_value");
}

// A protobuf Value may be null, a list or a struct; hp::Value holds none of
// them. The view leaves such a value out, says so, and keeps the rest.
TEST(ExperimentView, HParamValuesThePlainModelCannotHoldAreReportedNotDropped) {
  proto::Summary start = GoldenSummary("hparams_trial_0");  // (16, 0.1, adam)
  hpb::HParamsPluginData data;
  ASSERT_TRUE(data.ParseFromString(start.value(0).metadata().plugin_data().content()));
  auto& hparams = *data.mutable_session_start_info()->mutable_hparams();
  hparams["empty"].set_null_value(google::protobuf::NULL_VALUE);
  hparams["layers"].mutable_list_value()->add_values()->set_number_value(3);
  (*hparams["nested"].mutable_struct_value()->mutable_fields())["a"].set_bool_value(true);
  start.mutable_value(0)->mutable_metadata()->mutable_plugin_data()->set_content(data.SerializeAsString());
  std::vector<Diagnostic> diagnostics;
  RunData run = MakeRun("r", {SummaryEvent(start, 0, 1)}, &diagnostics);
  ASSERT_TRUE(run.session_start.has_value());
  std::vector<std::string> names;
  for (const auto& [name, unused] : run.session_start->hparams) names.push_back(name);
  EXPECT_THAT(names, ::testing::ElementsAre("dropout", "num_units", "optimizer"));
  ASSERT_EQ(diagnostics.size(), 3u);
  const char* expected[][2] = {{"'empty'", "null"}, {"'layers'", "list"}, {"'nested'", "struct"}};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(diagnostics[i].kind, DiagnosticKind::kUnsupportedHParamValue);
    EXPECT_EQ(diagnostics[i].run, "r");
    EXPECT_THAT(diagnostics[i].message, ::testing::HasSubstr(expected[i][0]));
    EXPECT_THAT(diagnostics[i].message,
                ::testing::HasSubstr(std::string("is a ") + expected[i][1] + " value"));
  }

  // The same for a value of a configured Discrete domain.
  proto::Summary config = GoldenSummary("hparams_config");
  ASSERT_TRUE(data.ParseFromString(config.value(0).metadata().plugin_data().content()));
  hpb::HParamInfo* info = data.mutable_experiment()->mutable_hparam_infos(0);
  ASSERT_TRUE(info->has_domain_discrete());
  const int kept = info->domain_discrete().values_size();
  info->mutable_domain_discrete()->add_values()->set_null_value(google::protobuf::NULL_VALUE);
  config.mutable_value(0)->mutable_metadata()->mutable_plugin_data()->set_content(data.SerializeAsString());
  diagnostics.clear();
  RunData root = MakeRun(".", {SummaryEvent(config, 0, 1)}, &diagnostics);
  ASSERT_TRUE(root.experiment.has_value());
  ASSERT_TRUE(root.experiment->hparam_infos[0].domain_discrete.has_value());
  EXPECT_EQ(root.experiment->hparam_infos[0].domain_discrete->size(), static_cast<size_t>(kept));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].kind, DiagnosticKind::kUnsupportedHParamValue);
  EXPECT_THAT(diagnostics[0].message, ::testing::HasSubstr("domain value of hparam '" + info->name() + "'"));
}

TEST(ExperimentView, AnEventThatDoesNotDecodeIsRejectedAndChangesNothing) {
  RunData run = MakeRun("r", {SummaryEvent(FloatValScalar("acc", 0.5f), 1, 10)});
  std::vector<Diagnostic> diagnostics;
  EXPECT_FALSE(accumulate_event(std::string("\xff\xff\xff", 3), &run, &diagnostics));
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_EQ(run.scalars.size(), 1u);
  EXPECT_EQ(run.scalars.at("acc").value, 0.5);
}

TEST(ExperimentView, DataTypeOfAValueIsThePluginsType) {
  EXPECT_EQ(data_type_of(Value(16)), DATA_TYPE_FLOAT64);
  EXPECT_EQ(data_type_of(Value(0.5)), DATA_TYPE_FLOAT64);
  EXPECT_EQ(data_type_of(Value("adam")), DATA_TYPE_STRING);
  EXPECT_EQ(data_type_of(Value(true)), DATA_TYPE_BOOL);
}

}  // namespace
}  // namespace hp
