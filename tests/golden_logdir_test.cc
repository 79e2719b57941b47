// Writing the seed experiment with a pinned clock reproduces the golden
// logdirs event for event (only the file_version event's
// source_metadata.writer, which names the writing library, may differ).
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/proto/hparams_plugin_data.pb.h"
#include "hparams/record_reader.h"
#include "hparams/search.h"
#include "hparams/summary.h"
#include "hparams/writer.h"
#include "hparams_test_support.h"
#include "io_test_util.h"

namespace hp {
namespace {

namespace fs = std::filesystem;
using testing::PinnedClock;
using testing::read_logdir_events;

constexpr double kHParamsTime = 1600000000.0;  // file_version and hparams events
constexpr double kScalarTime = 1600000001.0;   // the step-1 metric events

// A new empty directory, removed when the test program exits.
std::string fresh_dir(const std::string& name) { return test_util::make_temp_dir() + "/" + name; }

void ExpectSameLogdir(const std::string& golden_root, const std::string& our_root) {
  const auto golden = read_logdir_events(golden_root);
  const auto ours = read_logdir_events(our_root);
  ASSERT_FALSE(golden.empty());
  EXPECT_EQ(ours.size(), golden.size()) << "number of event files";
  for (const auto& [dir, golden_events] : golden) {
    SCOPED_TRACE("directory " + dir);
    auto it = ours.find(dir);
    ASSERT_NE(it, ours.end()) << "we wrote no event file in " << dir;
    const std::vector<proto::Event>& our_events = it->second;
    ASSERT_EQ(our_events.size(), golden_events.size());
    for (size_t i = 0; i < golden_events.size(); ++i) {
      proto::Event expected = golden_events[i];
      proto::Event actual = our_events[i];
      if (i == 0) {
        EXPECT_EQ(actual.file_version(), "brain.Event:2");
        expected.clear_source_metadata();
        actual.clear_source_metadata();
      }
      std::string diff;
      EXPECT_TRUE(testing::proto_equal(actual, expected, &diff)) << "event " << i << ": " << diff;
      // Plugin content is compared as bytes by the line above; decode it
      // too, so a mismatch is readable.
      if (actual.has_summary() && actual.summary().value_size() == 1 &&
          actual.summary().value(0).metadata().plugin_data().plugin_name() == kHParamsPluginName) {
        proto::hparams::HParamsPluginData a, e;
        ASSERT_TRUE(a.ParseFromString(actual.summary().value(0).metadata().plugin_data().content()));
        ASSERT_TRUE(e.ParseFromString(expected.summary().value(0).metadata().plugin_data().content()));
        EXPECT_TRUE(testing::proto_equal(a, e, &diff)) << "event " << i << " content: " << diff;
      }
    }
  }
  for (const auto& [dir, events] : ours) {
    EXPECT_EQ(golden.count(dir), 1u) << "we wrote an extra event file in " << dir;
  }
}

// The metric value round(base + 0.01 * i, 2), computed exactly as the
// decimal Python rounds to.
double metric_value(int base_percent, int i) { return (base_percent + i) / 100.0; }

// The TF2 C++ writer's scalar layout: the float's bytes in tensor_content.
proto::Summary tensor_content_scalar(const std::string& tag, double value) {
  proto::Summary summary = scalar_pb(tag, value);
  proto::TensorProto* tensor = summary.mutable_value(0)->mutable_tensor();
  const float f = static_cast<float>(value);
  std::string bytes(sizeof f, '\0');
  std::memcpy(bytes.data(), &f, sizeof f);  // little-endian hosts, as TF assumes
  tensor->clear_float_val();
  tensor->set_tensor_content(bytes);
  return summary;
}

// The seed tutorial, ported line for line (golden README, "logdir/").
TEST(GoldenLogdir, SeedExperimentReproducesTheGoldenLogdir) {
  const std::string root = fresh_dir("seed");
  const std::vector<Metric> metrics = {Metric("accuracy").display_name("Accuracy")};
  PinnedClock clock;
  {
    auto writer = SummaryWriter::create(root, clock.options());
    ASSERT_TRUE(writer.ok()) << writer.status();
    auto scope = (*writer)->as_default();
    ASSERT_TRUE(hparams_config(testing::seed_hparams(), metrics).ok());
    ASSERT_TRUE((*writer)->close().ok());
  }
  absl::StatusOr<std::vector<HParams>> trials = grid_search(testing::seed_hparams());
  ASSERT_TRUE(trials.ok()) << trials.status();
  for (int i = 0; i < static_cast<int>(trials->size()); ++i) {
    clock.now = kHParamsTime;
    auto writer = SummaryWriter::create(root + "/run-" + std::to_string(i), clock.options());
    ASSERT_TRUE(writer.ok()) << writer.status();
    auto scope = (*writer)->as_default();
    ASSERT_TRUE(hparams((*trials)[i]).ok());
    clock.now = kScalarTime;
    ASSERT_TRUE(scalar("accuracy", metric_value(80, i), /*step=*/1).ok());
    ASSERT_TRUE((*writer)->close().ok());
  }
  ExpectSameLogdir(testing::golden_path("logdir"), root);
}

// Trials on parallel threads, each with its own default writer (the
// default is per thread), still reproduce the golden logdir.
TEST(GoldenLogdir, TrialsOnParallelThreadsReproduceTheGoldenLogdir) {
  const std::string root = fresh_dir("threads");
  {
    PinnedClock clock;
    auto writer = SummaryWriter::create(root, clock.options());
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)
                    ->hparams_config(testing::seed_hparams(), {Metric("accuracy").display_name("Accuracy")})
                    .ok());
    ASSERT_TRUE((*writer)->close().ok());
  }
  std::vector<absl::Status> results(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&root, &results, i] {
      PinnedClock clock;  // one per thread: each pins its own time
      auto writer = SummaryWriter::create(root + "/run-" + std::to_string(i), clock.options());
      if (!writer.ok()) {
        results[i] = writer.status();
        return;
      }
      auto scope = (*writer)->as_default();
      absl::Status s = hparams(testing::seed_trial(i));
      clock.now = kScalarTime;
      if (s.ok()) s = scalar("accuracy", metric_value(80, i), /*step=*/1);
      absl::Status closed = (*writer)->close();
      results[i] = s.ok() ? closed : s;
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(results[i].ok()) << i << ": " << results[i];
  ExpectSameLogdir(testing::golden_path("logdir"), root);
}

// The same with the group='validation' metric, Keras-style run layout.
TEST(GoldenLogdir, ValidationLayoutReproducesTheGoldenLogdir) {
  const std::string root = fresh_dir("validation");
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
    {
      auto writer = SummaryWriter::create(run, clock.options());
      ASSERT_TRUE(writer.ok()) << writer.status();
      ASSERT_TRUE((*writer)->hparams(testing::seed_trial(i)).ok());
      ASSERT_TRUE((*writer)->close().ok());
    }
    for (const auto& [subdir, base] : {std::pair<std::string, int>{"validation", 70}, {"train", 90}}) {
      auto writer = SummaryWriter::create(run + "/" + subdir, clock.options());
      ASSERT_TRUE(writer.ok()) << writer.status();
      ASSERT_TRUE((*writer)
                      ->write_summary(tensor_content_scalar("epoch_accuracy", metric_value(base, i)),
                                      /*step=*/1, kScalarTime)
                      .ok());
      ASSERT_TRUE((*writer)->close().ok());
    }
  }
  ExpectSameLogdir(testing::golden_path("logdir_validation"), root);
}

TEST(GoldenLogdir, SessionEndAndExplicitTimesLandInTheEvent) {
  const std::string root = fresh_dir("session_end");
  PinnedClock clock;
  auto writer = SummaryWriter::create(root, clock.options());
  ASSERT_TRUE(writer.ok()) << writer.status();
  {
    auto scope = (*writer)->as_default();
    clock.now = 1600000100.0;
    ASSERT_TRUE(session_end(STATUS_SUCCESS).ok());  // end time = the writer's clock
  }
  ASSERT_TRUE((*writer)->close().ok());
  const auto events = read_logdir_events(root);
  ASSERT_EQ(events.at(".").size(), 2u);
  const proto::Event& event = events.at(".")[1];
  EXPECT_EQ(event.step(), 0);
  EXPECT_EQ(event.wall_time(), 1600000100.0);
  proto::Summary golden;
  ASSERT_TRUE(golden.ParseFromString(
      test_util::read_bytes(testing::golden_path("summaries/session_end_success.pb"))));
  std::string diff;
  EXPECT_TRUE(testing::proto_equal(event.summary(), golden, &diff)) << diff;
}

}  // namespace
}  // namespace hp
