// hp::Trial: the statuses TensorBoard sees, move semantics, the destructor rule.
#include "hparams/trial.h"

#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/proto/hparams_plugin_data.pb.h"
#include "io_test_util.h"

namespace hp {
namespace {

namespace fs = std::filesystem;
using test_util::make_temp_dir;
using test_util::read_events;

const char kSessionStartTag[] = "_hparams_/session_start_info";
const char kSessionEndTag[] = "_hparams_/session_end_info";

// The events of the one event file in `run_dir`, after the file_version event.
std::vector<proto::Event> run_events(const std::string& run_dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(run_dir)) {
    if (entry.path().filename().string().rfind("events.out.tfevents.", 0) == 0) {
      files.push_back(entry.path().string());
    }
  }
  EXPECT_EQ(files.size(), 1u) << run_dir;
  if (files.size() != 1) return {};
  std::vector<proto::Event> events = read_events(files[0]);
  EXPECT_FALSE(events.empty());
  if (!events.empty()) events.erase(events.begin());
  return events;
}

proto::hparams::HParamsPluginData plugin_data(const proto::Event& event) {
  proto::hparams::HParamsPluginData data;
  EXPECT_TRUE(data.ParseFromString(event.summary().value(0).metadata().plugin_data().content()));
  return data;
}

// The session end status TensorBoard would show, or -1 without a session end.
int end_status(const std::vector<proto::Event>& events) {
  int status = -1;
  for (const proto::Event& e : events) {
    if (e.summary().value_size() == 1 && e.summary().value(0).tag() == kSessionEndTag) {
      status = plugin_data(e).session_end_info().status();
    }
  }
  return status;
}

const HParams& trial_hparams() {
  static const HParams* hparams = new HParams{{"num_units", 16}, {"optimizer", "adam"}};
  return *hparams;
}

TEST(Trial, StartScalarEndWritesSessionStartScalarAndSuccess) {
  const std::string run = make_temp_dir() + "/logs/run-0";  // nested: Start creates it
  absl::StatusOr<Trial> trial = Trial::start(run, trial_hparams());
  ASSERT_TRUE(trial.ok()) << trial.status();
  EXPECT_TRUE(trial->scalar("accuracy", 0.75, 1).ok());
  EXPECT_TRUE(trial->end().ok());

  const std::vector<proto::Event> events = run_events(run);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].summary().value(0).tag(), kSessionStartTag);
  EXPECT_EQ(events[1].summary().value(0).tag(), "accuracy");
  EXPECT_EQ(events[2].summary().value(0).tag(), kSessionEndTag);
  EXPECT_EQ(end_status(events), proto::hparams::STATUS_SUCCESS);
}

TEST(Trial, TrialIdBecomesTheGroupName) {
  const std::string run = make_temp_dir() + "/run";
  TrialOptions options;
  options.trial_id = "trial-7";
  absl::StatusOr<Trial> trial = Trial::start(run, trial_hparams(), options);
  ASSERT_TRUE(trial.ok()) << trial.status();
  ASSERT_TRUE(trial->end(STATUS_FAILURE).ok());
  const std::vector<proto::Event> events = run_events(run);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(plugin_data(events[0]).session_start_info().group_name(), "trial-7");
  EXPECT_EQ(end_status(events), proto::hparams::STATUS_FAILURE);
}

TEST(Trial, InvalidHParamsCreateNothing) {
  const std::string run = make_temp_dir() + "/run";
  absl::StatusOr<Trial> trial = Trial::start(run, HParams{{"", 1}});
  EXPECT_EQ(trial.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(run));
}

TEST(Trial, EndIsIdempotentAndLaterScalarsFail) {
  const std::string run = make_temp_dir() + "/run";
  absl::StatusOr<Trial> trial = Trial::start(run, trial_hparams());
  ASSERT_TRUE(trial.ok()) << trial.status();
  EXPECT_TRUE(trial->end().ok());
  EXPECT_TRUE(trial->end(STATUS_FAILURE).ok());
  EXPECT_EQ(trial->scalar("loss", 1, 2).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(end_status(run_events(run)), proto::hparams::STATUS_SUCCESS);
}

TEST(Trial, EndReturnsTheFirstError) {
  const std::string run = make_temp_dir() + "/run";
  absl::StatusOr<Trial> trial = Trial::start(run, trial_hparams());
  ASSERT_TRUE(trial.ok()) << trial.status();
  EXPECT_EQ(trial->scalar("", 1, 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(trial->scalar("loss", 1, 1).ok());
  EXPECT_EQ(trial->end().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(end_status(run_events(run)), proto::hparams::STATUS_SUCCESS);
}

TEST(Trial, DestructorWithoutEndWritesUnknown) {
  const std::string run = make_temp_dir() + "/run";
  {
    absl::StatusOr<Trial> trial = Trial::start(run, trial_hparams());
    ASSERT_TRUE(trial.ok()) << trial.status();
    ASSERT_TRUE(trial->scalar("loss", 0.5, 1).ok());
  }
  EXPECT_EQ(end_status(run_events(run)), proto::hparams::STATUS_UNKNOWN);
}

TEST(Trial, DestructorDuringExceptionWritesFailure) {
  const std::string run = make_temp_dir() + "/run";
  try {
    absl::StatusOr<Trial> trial = Trial::start(run, trial_hparams());
    ASSERT_TRUE(trial.ok()) << trial.status();
    throw std::runtime_error("training diverged");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(end_status(run_events(run)), proto::hparams::STATUS_FAILURE);
}

TEST(Trial, TrialStartedWhileUnwindingEndsUnknownWhenDestroyedNormally) {
  const std::string run = make_temp_dir() + "/run";
  // A destructor that runs during unwinding and logs a whole trial of its own.
  struct LogsOnDestruction {
    std::string run;
    ~LogsOnDestruction() {
      absl::StatusOr<Trial> trial = Trial::start(run, trial_hparams());
      EXPECT_TRUE(trial.ok()) << trial.status();
    }
  };
  try {
    LogsOnDestruction logs{run};
    throw std::runtime_error("unwinding");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(end_status(run_events(run)), proto::hparams::STATUS_UNKNOWN);
}

TEST(Trial, MoveTransfersTheSessionOnce) {
  const std::string run = make_temp_dir() + "/run";
  absl::StatusOr<Trial> started = Trial::start(run, trial_hparams());
  ASSERT_TRUE(started.ok()) << started.status();
  Trial trial = *std::move(started);
  Trial moved = std::move(trial);
  EXPECT_EQ(trial.scalar("loss", 1, 1).code(),
            absl::StatusCode::kFailedPrecondition);                      // NOLINT: use after move on purpose
  EXPECT_EQ(trial.end().code(), absl::StatusCode::kFailedPrecondition);  // NOLINT
  EXPECT_TRUE(moved.scalar("loss", 1, 1).ok());
  EXPECT_TRUE(moved.end().ok());
  const std::vector<proto::Event> events = run_events(run);
  int ends = 0;
  for (const proto::Event& e : events) ends += e.summary().value(0).tag() == kSessionEndTag;
  EXPECT_EQ(ends, 1);
}

TEST(Trial, MoveAssignmentEndsTheOverwrittenTrial) {
  const std::string dir = make_temp_dir();
  absl::StatusOr<Trial> a = Trial::start(dir + "/a", trial_hparams());
  absl::StatusOr<Trial> b = Trial::start(dir + "/b", trial_hparams());
  ASSERT_TRUE(a.ok() && b.ok());
  *a = *std::move(b);
  EXPECT_EQ(end_status(run_events(dir + "/a")), proto::hparams::STATUS_UNKNOWN);
  EXPECT_TRUE(a->end(STATUS_FAILURE).ok());
  EXPECT_EQ(end_status(run_events(dir + "/b")), proto::hparams::STATUS_FAILURE);
}

TEST(Trial, AsDefaultRoutesFreeFunctionsToTheTrial) {
  const std::string run = make_temp_dir() + "/run";
  absl::StatusOr<Trial> trial = Trial::start(run, trial_hparams());
  ASSERT_TRUE(trial.ok()) << trial.status();
  {
    auto scope = trial->as_default();
    EXPECT_EQ(default_writer(), &trial->writer());
    EXPECT_TRUE(hp::scalar("accuracy", 0.5, 3).ok());
  }
  EXPECT_EQ(default_writer(), nullptr);
  EXPECT_TRUE(trial->end().ok());
  const std::vector<proto::Event> events = run_events(run);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].summary().value(0).tag(), "accuracy");
}

}  // namespace
}  // namespace hp
