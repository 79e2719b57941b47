// Tests for the Keras-style callbacks: Logs, CallbackList, KerasCallback and
// TensorBoardCallback, checked against the golden Keras-style logdir
// (tests/golden/logdir_validation) and TensorBoard's view of it.
#include "hparams/callbacks.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "fault_injection_env.h"
#include "gtest/gtest.h"
#include "hparams/proto/hparams_plugin_data.pb.h"
#include "hparams/reader.h"
#include "hparams/record_reader.h"
#include "hparams/summary.h"
#include "hparams/writer.h"
#include "hparams_test_support.h"
#include "io_test_util.h"
#include "view_proto.h"

namespace hp {
namespace {

namespace fs = std::filesystem;
using testing::PinnedClock;
using testing::read_logdir_events;

constexpr double kHParamsTime = 1600000000.0;  // golden file_version and hparams events
constexpr double kScalarTime = 1600000001.0;   // golden metric events
constexpr double kEndTime = 1600000100.0;      // golden session_end_success.pb

std::string fresh_dir(const std::string& name) {
  // Under the test's own temporary directory, removed when the test program exits.
  const fs::path dir = fs::path(test_util::make_temp_dir()) / name;
  fs::create_directories(dir);
  return dir.string();
}

// The only event file directly in `dir`.
std::vector<proto::Event> read_dir_events(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  EXPECT_EQ(files.size(), 1u) << "event files in " << dir;
  if (files.size() != 1) return {};
  return test_util::read_events(files[0]);
}

// The writer may put a scalar's float in float_val (TensorBoard's Python
// writer) or in tensor_content (TF2's C++ writer, as in the golden files);
// TensorBoard reads both. Rewrites tensor_content to float_val.
void normalize_scalar_layout(proto::Event& event) {
  if (!event.has_summary()) return;
  for (proto::Summary::Value& value : *event.mutable_summary()->mutable_value()) {
    if (!value.has_tensor()) continue;
    proto::TensorProto* tensor = value.mutable_tensor();
    if (tensor->dtype() == proto::DT_FLOAT && tensor->tensor_content().size() == sizeof(float)) {
      float f;
      std::memcpy(&f, tensor->tensor_content().data(), sizeof f);
      tensor->clear_tensor_content();
      tensor->add_float_val(f);
    }
  }
}

// The scalar's value, whatever its layout; NaN if the event holds none.
double scalar_value(const proto::Event& event) {
  proto::Event e = event;
  normalize_scalar_layout(e);
  if (e.summary().value_size() != 1 || e.summary().value(0).tensor().float_val_size() != 1) {
    ADD_FAILURE() << "not a scalar event: " << event.ShortDebugString();
    return std::nan("");
  }
  return e.summary().value(0).tensor().float_val(0);
}

proto::hparams::HParamsPluginData plugin_data(const proto::Event& event) {
  proto::hparams::HParamsPluginData data;
  EXPECT_EQ(event.summary().value_size(), 1);
  if (event.summary().value_size() != 1) return data;
  EXPECT_EQ(event.summary().value(0).metadata().plugin_data().plugin_name(), kHParamsPluginName);
  EXPECT_TRUE(data.ParseFromString(event.summary().value(0).metadata().plugin_data().content()));
  return data;
}

double metric_value(int base_percent, int i) { return (base_percent + i) / 100.0; }

// The seed experiment as Keras would log it, through the callbacks: per
// trial one fit() with KerasCallback + TensorBoardCallback, training
// accuracy (0.90 + i/100) and validation accuracy (0.70 + i/100), with the
// golden's pinned times. The one epoch is numbered 1, as the golden's
// hand-written steps are (Model.fit would pass 0).
void write_seed_experiment_with_callbacks(const std::string& root) {
  PinnedClock clock;
  {
    auto writer = SummaryWriter::create(root, clock.options());
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)
                    ->hparams_config(testing::seed_hparams(),
                                     {Metric("epoch_accuracy").group("validation").display_name("Accuracy")})
                    .ok());
    ASSERT_TRUE((*writer)->close().ok());
  }
  for (int i = 0; i < 8; ++i) {
    const std::string run = root + "/run-" + std::to_string(i);
    clock.now = kHParamsTime;
    KerasCallback keras(run, testing::seed_trial(i), std::nullopt, clock.options());
    TensorBoardOptions options;
    options.writer_options = clock.options();
    TensorBoardCallback tensorboard(run, options);
    CallbackList callbacks({&keras, &tensorboard});
    ASSERT_TRUE(callbacks.on_train_begin().ok());
    ASSERT_TRUE(callbacks.on_epoch_begin(1).ok());
    clock.now = kScalarTime;
    ASSERT_TRUE(
        callbacks.on_epoch_end(1, {{"accuracy", metric_value(90, i)}, {"val_accuracy", metric_value(70, i)}})
            .ok());
    clock.now = kEndTime;
    ASSERT_TRUE(callbacks.on_train_end({}).ok());
  }
}

// --- Logs ---------------------------------------------------------------------

TEST(Logs, KeepsInsertionOrderAndTheLastValueOfARepeatedName) {
  Logs logs{{"loss", 0.5}, {"accuracy", 0.8}, {"loss", 0.4}};
  logs.set("val_loss", 0.6);
  logs.set("accuracy", 0.9);
  std::vector<std::pair<std::string, double>> entries(logs.begin(), logs.end());
  EXPECT_EQ(entries, (std::vector<std::pair<std::string, double>>{
                         {"loss", 0.4}, {"accuracy", 0.9}, {"val_loss", 0.6}}));
  EXPECT_EQ(logs.size(), 3u);
}

TEST(Logs, GetReturnsNothingForAnAbsentName) {
  const Logs logs{{"loss", 0.5}};
  EXPECT_EQ(logs.get("loss"), 0.5);
  EXPECT_FALSE(logs.get("accuracy").has_value());
  EXPECT_FALSE(logs.contains("los"));
  EXPECT_TRUE(Logs().empty());
}

// --- CallbackList -------------------------------------------------------------

// Records every hook as a line, and fails the hooks it is told to.
class RecordingCallback : public Callback {
 public:
  RecordingCallback(std::string name, std::vector<std::string>* journal, absl::Status result = {})
      : name_(std::move(name)), journal_(journal), result_(std::move(result)) {}

  absl::Status on_train_begin() override { return note("train_begin"); }
  absl::Status on_train_end(const Logs& logs) override {
    return note("train_end " + std::to_string(logs.size()));
  }
  absl::Status on_epoch_begin(int64_t epoch) override { return note("epoch_begin " + std::to_string(epoch)); }
  absl::Status on_epoch_end(int64_t epoch, const Logs& logs) override {
    return note("epoch_end " + std::to_string(epoch) + " " + std::to_string(logs.size()));
  }
  absl::Status on_train_batch_end(int64_t batch, const Logs& logs) override {
    return note("batch_end " + std::to_string(batch) + " " + std::to_string(logs.size()));
  }
  absl::Status on_train_failed(const absl::Status& status) override {
    return note("train_failed " + std::string(status.message()));
  }

 private:
  absl::Status note(const std::string& what) {
    journal_->push_back(name_ + ": " + what);
    return result_;
  }
  std::string name_;
  std::vector<std::string>* journal_;
  absl::Status result_;
};

TEST(CallbackList, ForwardsEveryHookToEveryCallbackInTheOrderAdded) {
  std::vector<std::string> journal;
  RecordingCallback a("a", &journal);
  CallbackList list({&a, nullptr});
  list.add(std::make_unique<RecordingCallback>("b", &journal));
  list.add(static_cast<Callback*>(nullptr));
  ASSERT_EQ(list.size(), 2u);

  EXPECT_TRUE(list.on_train_begin().ok());
  EXPECT_TRUE(list.on_epoch_begin(0).ok());
  EXPECT_TRUE(list.on_train_batch_end(0, {{"loss", 1}}).ok());
  EXPECT_TRUE(list.on_epoch_end(0, {{"loss", 1}, {"val_loss", 2}}).ok());
  EXPECT_TRUE(list.on_train_end({}).ok());
  EXPECT_TRUE(list.on_train_failed(absl::InternalError("boom")).ok());
  EXPECT_EQ(journal,
            (std::vector<std::string>{"a: train_begin", "b: train_begin", "a: epoch_begin 0",
                                      "b: epoch_begin 0", "a: batch_end 0 1", "b: batch_end 0 1",
                                      "a: epoch_end 0 2", "b: epoch_end 0 2", "a: train_end 0",
                                      "b: train_end 0", "a: train_failed boom", "b: train_failed boom"}));
}

TEST(CallbackList, CallsEveryCallbackAfterAFailureAndReturnsTheFirstError) {
  std::vector<std::string> journal;
  RecordingCallback broken("broken", &journal, absl::ResourceExhaustedError("disk full"));
  RecordingCallback also_broken("also_broken", &journal, absl::UnavailableError("gone"));
  RecordingCallback fine("fine", &journal);
  CallbackList list({&broken, &also_broken, &fine});
  const absl::Status s = list.on_epoch_end(3, {});
  EXPECT_EQ(s, absl::ResourceExhaustedError("disk full"));
  EXPECT_EQ(journal, (std::vector<std::string>{"broken: epoch_end 3 0", "also_broken: epoch_end 3 0",
                                               "fine: epoch_end 3 0"}));
}

// --- Against the golden Keras-style logdir -------------------------------------

TEST(CallbacksGolden, KerasAndTensorBoardCallbacksReproduceTheValidationLogdir) {
  const std::string root = fresh_dir("golden_layout");
  write_seed_experiment_with_callbacks(root);
  if (HasFatalFailure()) return;

  const auto golden = read_logdir_events(testing::golden_path("logdir_validation"));
  auto ours = read_logdir_events(root);
  ASSERT_EQ(golden.size(), 25u);
  std::vector<std::string> golden_dirs, our_dirs;
  for (const auto& entry : golden) golden_dirs.push_back(entry.first);
  for (const auto& entry : ours) our_dirs.push_back(entry.first);
  EXPECT_EQ(our_dirs, golden_dirs);

  proto::Summary success;
  ASSERT_TRUE(success.ParseFromString(
      test_util::read_bytes(testing::golden_path("summaries/session_end_success.pb"))));
  for (const auto& [dir, golden_events] : golden) {
    SCOPED_TRACE("directory " + dir);
    auto it = ours.find(dir);
    ASSERT_NE(it, ours.end());
    std::vector<proto::Event>& our_events = it->second;
    // KerasCallback ends each session; the golden runs (made like TF2's
    // hp.hparams()) have no session end. Check it, then compare the rest.
    if (dir.rfind("run-", 0) == 0 && dir.find('/') == std::string::npos) {
      ASSERT_EQ(our_events.size(), golden_events.size() + 1);
      const proto::Event& end = our_events.back();
      EXPECT_EQ(end.step(), 0);
      EXPECT_EQ(end.wall_time(), kEndTime);
      std::string diff;
      EXPECT_TRUE(testing::proto_equal(end.summary(), success, &diff)) << diff;
      our_events.pop_back();
    }
    ASSERT_EQ(our_events.size(), golden_events.size());
    for (size_t i = 0; i < golden_events.size(); ++i) {
      proto::Event expected = golden_events[i];
      proto::Event actual = our_events[i];
      if (i == 0) {  // file_version; source_metadata names the writing library
        expected.clear_source_metadata();
        actual.clear_source_metadata();
        // TensorBoardCallback creates its writers at their first write, as
        // Keras does, so their file_version carries the epoch end's time.
        if (dir.find('/') != std::string::npos) {
          EXPECT_EQ(actual.wall_time(), kScalarTime);
          actual.set_wall_time(expected.wall_time());
        }
      }
      normalize_scalar_layout(expected);
      normalize_scalar_layout(actual);
      std::string diff;
      EXPECT_TRUE(testing::proto_equal(actual, expected, &diff)) << "event " << i << ": " << diff;
    }
  }
}

TEST(CallbacksGolden, TensorBoardSeesTheSameExperimentAsForTheGoldenLogdirWithSucceededSessions) {
  const std::string root = fresh_dir("golden_view");
  write_seed_experiment_with_callbacks(root);
  if (HasFatalFailure()) return;
  absl::StatusOr<ExperimentView> ours = load_experiment(root);
  absl::StatusOr<ExperimentView> golden = load_experiment(testing::golden_path("logdir_validation"));
  ASSERT_TRUE(ours.ok()) << ours.status();
  ASSERT_TRUE(golden.ok()) << golden.status();
  EXPECT_TRUE(ours->diagnostics.empty());
  std::string diff;
  EXPECT_TRUE(
      testing::proto_equal(testing::to_proto(ours->experiment), testing::to_proto(golden->experiment), &diff))
      << diff;

  // The golden sessions never end (STATUS_UNKNOWN); ours end successfully at kEndTime.
  proto::hparams::ListSessionGroupsResponse expected = testing::to_proto(golden->session_groups);
  ASSERT_EQ(expected.session_groups_size(), 8);
  for (auto& group : *expected.mutable_session_groups()) {
    ASSERT_EQ(group.sessions_size(), 1);
    ASSERT_EQ(group.metric_values_size(), 1);  // validation/epoch_accuracy, not the train decoy
    group.mutable_sessions(0)->set_status(proto::hparams::STATUS_SUCCESS);
    group.mutable_sessions(0)->set_end_time_secs(kEndTime);
  }
  EXPECT_TRUE(testing::proto_equal(testing::to_proto(ours->session_groups), expected, &diff)) << diff;
}

// --- TensorBoardCallback --------------------------------------------------------

TEST(TensorBoardCallback, WritesEpochScalarsToTrainAndValidationWithTheEpochAsStep) {
  const std::string run = fresh_dir("tensorboard_epochs");
  TensorBoardCallback callback(run);
  ASSERT_TRUE(callback.on_train_begin().ok());
  for (int epoch = 0; epoch < 2; ++epoch) {
    ASSERT_TRUE(callback.on_epoch_begin(epoch).ok());
    ASSERT_TRUE(callback
                    .on_epoch_end(epoch, {{"loss", 1.0 - epoch * 0.25},
                                          {"accuracy", 0.5 + epoch * 0.25},
                                          {"val_loss", 2.0 - epoch},
                                          {"val_accuracy", 0.25 + epoch * 0.5}})
                    .ok());
  }
  ASSERT_TRUE(callback.on_train_end({}).ok());

  const auto check = [](const std::string& dir, const std::vector<std::string>& tags,
                        const std::vector<int64_t>& steps, const std::vector<double>& values) {
    SCOPED_TRACE(dir);
    const std::vector<proto::Event> events = read_dir_events(dir);
    ASSERT_EQ(events.size(), 1 + tags.size());
    EXPECT_EQ(events[0].file_version(), "brain.Event:2");
    std::map<std::string, int> seen;
    for (size_t i = 0; i < tags.size(); ++i) {
      const proto::Event& e = events[i + 1];
      ASSERT_EQ(e.summary().value_size(), 1);
      const proto::Summary::Value& v = e.summary().value(0);
      EXPECT_EQ(v.tag(), tags[i]);
      EXPECT_EQ(e.step(), steps[i]);
      EXPECT_EQ(scalar_value(e), static_cast<float>(values[i]));
      // Scalars plugin metadata on the first event of each tag only.
      const bool first = seen[v.tag()]++ == 0;
      EXPECT_EQ(v.has_metadata(), first) << v.tag();
      if (first) EXPECT_EQ(v.metadata().plugin_data().plugin_name(), kScalarsPluginName);
    }
  };
  check(run + "/train", {"epoch_loss", "epoch_accuracy", "epoch_loss", "epoch_accuracy"}, {0, 0, 1, 1},
        {1.0, 0.5, 0.75, 0.75});
  check(run + "/validation", {"epoch_loss", "epoch_accuracy", "epoch_loss", "epoch_accuracy"}, {0, 0, 1, 1},
        {2.0, 0.25, 1.0, 0.75});
  // Nothing lands in the run directory itself: that is KerasCallback's.
  for (const auto& entry : fs::directory_iterator(run)) EXPECT_TRUE(entry.is_directory()) << entry.path();
}

TEST(TensorBoardCallback, CreatesNoValidationDirectoryWithoutValidationLogs) {
  const std::string run = fresh_dir("tensorboard_train_only");
  TensorBoardCallback callback(run);
  ASSERT_TRUE(callback.on_train_begin().ok());
  ASSERT_TRUE(callback.on_epoch_end(0, {{"loss", 0.5}, {"value", 3}}).ok());
  ASSERT_TRUE(callback.on_train_end({}).ok());
  EXPECT_FALSE(fs::exists(run + "/validation"));
  const std::vector<proto::Event> events = read_dir_events(run + "/train");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].summary().value(0).tag(), "epoch_value");  // "value" has no "val_" prefix
}

TEST(TensorBoardCallback, WritesBatchScalarsEveryUpdateFreqBatchesCountedOverTheRun) {
  const std::string run = fresh_dir("tensorboard_batches");
  TensorBoardOptions options;
  options.update_freq = 2;
  TensorBoardCallback callback(run, options);
  ASSERT_TRUE(callback.on_train_begin().ok());
  // Two epochs of three batches: global batches 1..6, written at 2, 4, 6.
  for (int epoch = 0; epoch < 2; ++epoch) {
    for (int batch = 0; batch < 3; ++batch) {
      ASSERT_TRUE(callback.on_train_batch_end(batch, {{"loss", epoch * 3 + batch}}).ok());
    }
  }
  ASSERT_TRUE(callback.on_train_end({}).ok());
  const std::vector<proto::Event> events = read_dir_events(run + "/train");
  ASSERT_EQ(events.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i + 1].summary().value(0).tag(), "batch_loss");
    EXPECT_EQ(events[i + 1].step(), 2 * (i + 1));
    EXPECT_EQ(scalar_value(events[i + 1]), 2 * i + 1);  // the loss of global batch 2(i+1)
  }
}

TEST(TensorBoardCallback, WritesNoBatchScalarsByDefault) {
  const std::string run = fresh_dir("tensorboard_no_batches");
  TensorBoardCallback callback(run);
  ASSERT_TRUE(callback.on_train_begin().ok());
  ASSERT_TRUE(callback.on_train_batch_end(0, {{"loss", 1}}).ok());
  ASSERT_TRUE(callback.on_train_end({}).ok());
  EXPECT_TRUE(fs::is_empty(run));
}

TEST(TensorBoardCallback, ReportsAWriterItCannotCreateOnEveryWriteUntilTheRunEnds) {
  testing_env::FaultInjectionEnv env;
  env.fail_create = true;
  const std::string run = fresh_dir("tensorboard_uncreatable");
  TensorBoardOptions options;
  options.writer_options.env = &env;
  TensorBoardCallback callback(run, options);
  ASSERT_TRUE(callback.on_train_begin().ok());
  const absl::Status first = callback.on_epoch_end(0, {{"loss", 1}});
  EXPECT_EQ(first.code(), absl::StatusCode::kPermissionDenied) << first;
  env.fail_create = false;  // not retried: the first error sticks for this run
  EXPECT_EQ(callback.on_epoch_end(1, {{"loss", 1}}), first);
  EXPECT_TRUE(callback.on_train_end({}).ok());
  // A failed Create removes the directory it made for the writer.
  EXPECT_FALSE(fs::exists(run + "/train"));
  // The end of the run forgets the error: the next run creates the writer.
  ASSERT_TRUE(callback.on_train_begin().ok());
  EXPECT_TRUE(callback.on_epoch_end(0, {{"loss", 1}}).ok());
  EXPECT_TRUE(callback.on_train_end({}).ok());
  EXPECT_TRUE(fs::exists(run + "/train"));
}

TEST(TensorBoardCallback, ReportsAFullDiskByTheEndOfTraining) {
  testing_env::FaultInjectionEnv env;
  env.fail_after_bytes = 0;
  const std::string run = fresh_dir("tensorboard_disk_full");
  TensorBoardOptions options;
  options.writer_options.env = &env;
  TensorBoardCallback callback(run, options);
  absl::Status status = callback.on_train_begin();
  status.Update(callback.on_epoch_end(0, {{"loss", 1}, {"val_loss", 2}}));
  status.Update(callback.on_train_end({}));
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
}

// --- KerasCallback ---------------------------------------------------------------

TEST(KerasCallback, WritesTheSessionStartOnTrainBeginAndSuccessOnTrainEnd) {
  const std::string run = fresh_dir("keras_success");
  PinnedClock clock;
  KerasCallback callback(run, testing::seed_trial(0), std::nullopt, clock.options());
  ASSERT_TRUE(callback.on_train_begin().ok());
  clock.now = kEndTime;
  ASSERT_TRUE(callback.on_train_end({{"loss", 0.3}}).ok());

  const std::vector<proto::Event> events = read_dir_events(run);
  ASSERT_EQ(events.size(), 3u);
  proto::Summary start, end;
  ASSERT_TRUE(
      start.ParseFromString(test_util::read_bytes(testing::golden_path("summaries/hparams_trial_0.pb"))));
  ASSERT_TRUE(
      end.ParseFromString(test_util::read_bytes(testing::golden_path("summaries/session_end_success.pb"))));
  std::string diff;
  EXPECT_TRUE(testing::proto_equal(events[1].summary(), start, &diff)) << diff;
  EXPECT_TRUE(testing::proto_equal(events[2].summary(), end, &diff)) << diff;
}

TEST(KerasCallback, WritesFailureWhenTrainingFails) {
  const std::string run = fresh_dir("keras_failure");
  KerasCallback callback(run, testing::seed_trial(3));
  ASSERT_TRUE(callback.on_train_begin().ok());
  ASSERT_TRUE(callback.on_train_failed(absl::InternalError("loss is NaN")).ok());
  const std::vector<proto::Event> events = read_dir_events(run);
  ASSERT_EQ(events.size(), 3u);
  const proto::hparams::HParamsPluginData end = plugin_data(events[2]);
  EXPECT_EQ(events[2].summary().value(0).tag(), kSessionEndInfoTag);
  ASSERT_TRUE(end.has_session_end_info());
  EXPECT_EQ(end.session_end_info().status(), proto::hparams::STATUS_FAILURE);
}

TEST(KerasCallback, AFailedRunShowsAsAFailedSessionInTheDashboard) {
  const std::string root = fresh_dir("keras_failed_view");
  for (int i = 0; i < 2; ++i) {
    const std::string run = root + "/run-" + std::to_string(i);
    KerasCallback keras(run, testing::seed_trial(i));
    TensorBoardCallback tensorboard(run);
    CallbackList callbacks({&keras, &tensorboard});
    ASSERT_TRUE(callbacks.on_train_begin().ok());
    ASSERT_TRUE(callbacks.on_epoch_end(0, {{"val_accuracy", 0.5}}).ok());
    if (i == 0) {
      ASSERT_TRUE(callbacks.on_train_end({}).ok());
    } else {
      ASSERT_TRUE(callbacks.on_train_failed(absl::InternalError("diverged")).ok());
    }
  }
  absl::StatusOr<ExperimentView> view = load_experiment(root);
  ASSERT_TRUE(view.ok()) << view.status();
  std::map<std::string, SessionStatus> status_by_run;
  for (const auto& group : view->session_groups) {
    for (const auto& session : group.sessions) status_by_run[session.name] = session.status;
  }
  EXPECT_EQ(status_by_run,
            (std::map<std::string, SessionStatus>{{"run-0", STATUS_SUCCESS}, {"run-1", STATUS_FAILURE}}));
}

TEST(KerasCallback, UsesTheTrialIdAsTheSessionGroupName) {
  const std::string run = fresh_dir("keras_trial_id");
  PinnedClock clock;
  KerasCallback callback(run, testing::seed_trial(7), "trial-7", clock.options());
  ASSERT_TRUE(callback.on_train_begin().ok());
  ASSERT_TRUE(callback.on_train_end({}).ok());
  const std::vector<proto::Event> events = read_dir_events(run);
  ASSERT_EQ(events.size(), 3u);
  proto::Summary expected;
  ASSERT_TRUE(
      expected.ParseFromString(test_util::read_bytes(testing::golden_path("summaries/hparams_trial_id.pb"))));
  std::string diff;
  EXPECT_TRUE(testing::proto_equal(events[1].summary(), expected, &diff)) << diff;
  EXPECT_EQ(plugin_data(events[1]).session_start_info().group_name(), "trial-7");
}

TEST(KerasCallback, WritesToABorrowedWriterAndLeavesItOpen) {
  const std::string run = fresh_dir("keras_borrowed");
  auto writer = SummaryWriter::create(run);
  ASSERT_TRUE(writer.ok()) << writer.status();
  KerasCallback callback(writer->get(), testing::seed_trial(1));
  ASSERT_TRUE(callback.on_train_begin().ok());
  ASSERT_TRUE(callback.on_train_end({}).ok());
  // Still open: the caller may keep logging to it.
  ASSERT_TRUE((*writer)->scalar("accuracy", 0.5, 1).ok());
  ASSERT_TRUE((*writer)->close().ok());
  const std::vector<proto::Event> events = read_dir_events(run);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].summary().value(0).tag(), kSessionStartInfoTag);
  EXPECT_EQ(events[2].summary().value(0).tag(), kSessionEndInfoTag);
  EXPECT_EQ(events[3].summary().value(0).tag(), "accuracy");
}

TEST(KerasCallback, RejectsHParamsOutsideTheirDomainAndCreatesNothing) {
  const std::string root = fresh_dir("keras_invalid");
  const std::string run = root + "/run-0";
  KerasCallback callback(run, {{testing::hp_num_units(), 64}});
  const absl::Status s = callback.on_train_begin();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("num_units"), absl::string_view::npos) << s;
  EXPECT_FALSE(fs::exists(run));
  // No session started, so there is none to end.
  EXPECT_EQ(callback.on_train_end({}).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(KerasCallback, EndingWithoutABeginIsAFailedPrecondition) {
  const std::string run = fresh_dir("keras_no_begin");
  KerasCallback callback(run, testing::seed_trial(0));
  EXPECT_EQ(callback.on_train_end({}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(callback.on_train_failed(absl::InternalError("x")).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(fs::is_empty(run));
}

TEST(KerasCallback, BeginningTwiceWithoutAnEndIsAFailedPrecondition) {
  const std::string run = fresh_dir("keras_twice");
  KerasCallback callback(run, testing::seed_trial(0));
  ASSERT_TRUE(callback.on_train_begin().ok());
  EXPECT_EQ(callback.on_train_begin().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(callback.on_train_end({}).ok());
  // After the end, a new fit() starts a new session in a new event file.
  EXPECT_TRUE(callback.on_train_begin().ok());
  EXPECT_TRUE(callback.on_train_end({}).ok());
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(run)) files += entry.is_regular_file();
  EXPECT_EQ(files, 2u);
}

TEST(KerasCallback, NeedsALogdirOrAWriter) {
  KerasCallback no_logdir("", testing::seed_trial(0));
  EXPECT_EQ(no_logdir.on_train_begin().code(), absl::StatusCode::kInvalidArgument);
  KerasCallback no_writer(static_cast<SummaryWriter*>(nullptr), testing::seed_trial(0));
  EXPECT_EQ(no_writer.on_train_begin().code(), absl::StatusCode::kInvalidArgument);
}

TEST(KerasCallback, ReportsALogdirItCannotCreate) {
  testing_env::FaultInjectionEnv env;
  env.fail_create = true;
  const std::string run = fresh_dir("keras_uncreatable");
  WriterOptions options;
  options.env = &env;
  KerasCallback callback(run, testing::seed_trial(0), std::nullopt, options);
  EXPECT_EQ(callback.on_train_begin().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(callback.on_train_end({}).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(KerasCallback, ReportsAFullDiskByTheEndOfTraining) {
  testing_env::FaultInjectionEnv env;
  env.fail_after_bytes = 0;
  const std::string run = fresh_dir("keras_disk_full");
  WriterOptions options;
  options.env = &env;
  KerasCallback callback(run, testing::seed_trial(0), std::nullopt, options);
  absl::Status status = callback.on_train_begin();
  if (status.ok()) status.Update(callback.on_train_end({}));
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
}

}  // namespace
}  // namespace hp
