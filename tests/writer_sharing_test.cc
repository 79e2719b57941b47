// SummaryWriters sharing the process's one writer service: many writers
// and threads, flush and close racing writes, writers coming and going,
// a failing file beside healthy ones, and the thread count of 1,000 writers.
#include <dirent.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fault_injection_env.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hparams/proto/event.pb.h"
#include "hparams/record_reader.h"
#include "hparams/writer.h"
#include "io_test_util.h"

namespace hp {
namespace {

using test_util::make_temp_dir;
using ::testing::HasSubstr;
using testing_env::FaultInjectionEnv;

#if defined(HPARAMS_SANITIZER_BUILD) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kScale = 1;
#else
constexpr int kScale = 4;
#endif

std::unique_ptr<SummaryWriter> create(const std::string& logdir, WriterOptions options = {}) {
  auto writer = SummaryWriter::create(logdir, options);
  EXPECT_TRUE(writer.ok()) << writer.status();
  return writer.ok() ? std::move(*writer) : nullptr;
}

// Every event of a file that is complete so far (a live file may end in a
// record still being written: a truncated tail, not an error).
std::vector<proto::Event> events_of(const std::string& path) {
  std::vector<proto::Event> events;
  auto reader = EventFileReader::open(path);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return events;
  proto::Event event;
  for (;;) {
    absl::StatusOr<bool> more = (*reader)->next(&event);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    events.push_back(event);
  }
  return events;
}

// The steps logged under each scalar tag, in file order.
std::map<std::string, std::vector<int64_t>> steps_by_tag(const std::vector<proto::Event>& events) {
  std::map<std::string, std::vector<int64_t>> steps;
  for (const proto::Event& e : events) {
    for (const auto& v : e.summary().value()) steps[v.tag()].push_back(e.step());
  }
  return steps;
}

// fsync costs 5-50 ms a file on CI disks; tests that open hundreds of
// writers to exercise the service skip it (the durability of close() has
// its own tests in writer_test).
class NoSyncFile final : public WritableFile {
 public:
  explicit NoSyncFile(std::unique_ptr<WritableFile> file) : file_(std::move(file)) {}
  absl::Status append(std::string_view data) override { return file_->append(data); }
  absl::Status flush() override { return file_->flush(); }
  absl::Status sync() override { return file_->flush(); }
  absl::Status close() override { return file_->close(); }
  absl::Status check_linked() override { return file_->check_linked(); }

 private:
  std::unique_ptr<WritableFile> file_;
};

class NoSyncEnv final : public EnvWrapper {
 public:
  NoSyncEnv() : EnvWrapper(Env::default_env()) {}
  absl::StatusOr<std::unique_ptr<WritableFile>> new_writable_file(const std::string& path) override {
    absl::StatusOr<std::unique_ptr<WritableFile>> file = target()->new_writable_file(path);
    if (!file.ok()) return file.status();
    return std::unique_ptr<WritableFile>(new NoSyncFile(std::move(*file)));
  }
  absl::Status sync_dir(const std::string&) override { return absl::OkStatus(); }
};

WriterOptions without_fsync() {
  static NoSyncEnv* const env = new NoSyncEnv;
  WriterOptions options;
  options.env = env;
  return options;
}

int threads_of_this_process() {
  int n = 0;
  if (DIR* dir = ::opendir("/proc/self/task")) {
    while (dirent* entry = ::readdir(dir)) {
      if (entry->d_name[0] != '.') ++n;
    }
    ::closedir(dir);
  }
  return n;
}

TEST(WriterSharing, OneThousandWritersShareTheServiceThreads) {
  const std::string logdir = make_temp_dir();
  // The service's thread (and a sanitizer's helper thread) start with the
  // first writer; count from there.
  auto first = create(logdir + "/first", without_fsync());
  ASSERT_NE(first, nullptr);
  const int before = threads_of_this_process();
  std::vector<std::unique_ptr<SummaryWriter>> writers;
  for (int i = 0; i < 1000; ++i) {
    writers.push_back(create(logdir + "/run-" + std::to_string(i), without_fsync()));
    ASSERT_NE(writers.back(), nullptr);
    ASSERT_TRUE(writers.back()->scalar("loss", i, 1).ok());
  }
  const int during = threads_of_this_process();
  // One I/O thread by default serves them all: not one thread more.
  EXPECT_EQ(during, before) << "threads with one writer " << before << ", with 1,001 writers " << during;
  for (auto& w : writers) ASSERT_TRUE(w->close().ok());
  for (int i = 0; i < 1000; i += 97) {
    const std::vector<proto::Event> events = events_of(writers[i]->path());
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].summary().value(0).tensor().float_val(0), static_cast<float>(i));
  }
}

TEST(WriterSharing, ManyWritersTimesManyThreadsKeepEachThreadsOrder) {
  const std::string logdir = make_temp_dir();
  constexpr int kWriters = 8;
  constexpr int kThreads = 4;
  const int per_thread = 2000 * kScale;
  WriterOptions options;
  options.queue_capacity = 256;  // small rings: callers block and resume
  std::vector<std::unique_ptr<SummaryWriter>> writers;
  for (int w = 0; w < kWriters; ++w) writers.push_back(create(logdir + "/w" + std::to_string(w), options));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string tag = "t" + std::to_string(t);
      for (int i = 0; i < per_thread; ++i) {
        for (auto& w : writers) ASSERT_TRUE(w->scalar(tag, i, i).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  for (auto& w : writers) {
    ASSERT_TRUE(w->close().ok());
    const auto steps = steps_by_tag(events_of(w->path()));
    ASSERT_EQ(steps.size(), static_cast<size_t>(kThreads));
    for (const auto& [tag, seq] : steps) {
      ASSERT_EQ(seq.size(), static_cast<size_t>(per_thread)) << tag;
      for (int i = 0; i < per_thread; ++i) ASSERT_EQ(seq[i], i) << tag;
    }
  }
}

TEST(WriterSharing, FlushFromSeveralThreadsCoversWhatEachLoggedBefore) {
  auto writer = create(make_temp_dir());
  std::vector<std::thread> threads;
  std::atomic<int> short_reads{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string tag = "t" + std::to_string(t);
      for (int round = 1; round <= 5; ++round) {
        for (int i = 0; i < 100 * kScale; ++i) ASSERT_TRUE(writer->scalar(tag, i, round * 100000 + i).ok());
        ASSERT_TRUE(writer->flush().ok());
        // Everything this thread logged is in the file now (other threads'
        // later events may be, too).
        const auto steps = steps_by_tag(events_of(writer->path()));
        const auto it = steps.find(tag);
        if (it == steps.end() || it->second.size() < static_cast<size_t>(round * 100 * kScale)) ++short_reads;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(short_reads.load(), 0);
  EXPECT_TRUE(writer->close().ok());
}

TEST(WriterSharing, WritersCreatedAndDestroyedWhileOthersWrite) {
  const std::string logdir = make_temp_dir();
  auto steady = create(logdir + "/steady", without_fsync());
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer_thread([&] {
    for (int i = 0; !stop.load(); ++i) {
      ASSERT_TRUE(steady->scalar("x", i, i).ok());
      written.fetch_add(1);
      // A steady trickle, not gigabytes of page cache for the others' fsyncs.
      if (i % 64 == 63) std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
  });
  std::vector<std::thread> churners;
  for (int t = 0; t < 2; ++t) {
    churners.emplace_back([&, t] {
      for (int i = 0; i < 25 * kScale; ++i) {
        const std::string dir = logdir + "/churn-" + std::to_string(t) + "-" + std::to_string(i);
        auto w = create(dir, without_fsync());
        ASSERT_NE(w, nullptr);
        for (int j = 0; j < 10; ++j) ASSERT_TRUE(w->scalar("y", j, j).ok());
        if (i % 2 == 0) ASSERT_TRUE(w->close().ok());
        const std::string path = w->path();
        w.reset();  // the destructor closes the odd ones
        ASSERT_EQ(events_of(path).size(), 11u) << path;
      }
    });
  }
  for (auto& th : churners) th.join();
  stop = true;
  writer_thread.join();
  ASSERT_TRUE(steady->close().ok());
  EXPECT_EQ(events_of(steady->path()).size(), static_cast<size_t>(written.load()) + 1);
}

TEST(WriterSharing, AFailingFileDoesNotStopTheOtherWriters) {
  const std::string logdir = make_temp_dir();
  FaultInjectionEnv env;
  WriterOptions failing_options;
  failing_options.env = &env;
  auto failing = create(logdir + "/failing", failing_options);
  auto healthy = create(logdir + "/healthy", without_fsync());
  env.fail_after_bytes = env.bytes_appended.load() + 100;
  absl::Status failure;
  for (int i = 0; i < 1000 * kScale; ++i) {
    ASSERT_TRUE(healthy->scalar("ok", i, i).ok());
    if (failure.ok()) failure = failing->scalar("doomed", i, i);
    if (failure.ok() && i % 100 == 99) failure = failing->flush();
  }
  EXPECT_TRUE(absl::IsResourceExhausted(failure)) << failure;
  EXPECT_EQ(failing->close(), failure);
  ASSERT_TRUE(healthy->close().ok());
  EXPECT_EQ(events_of(healthy->path()).size(), static_cast<size_t>(1000 * kScale) + 1);
}

// An append racing close() either reaches the file or says it did not:
// every OK is an event in the file, and nothing else is.
TEST(WriterSharing, CloseRacingWritesLosesNoAcknowledgedEvent) {
  for (int trial = 0; trial < 3 * kScale; ++trial) {
    auto writer = create(make_temp_dir(), without_fsync());
    constexpr int kThreads = 3;
    std::vector<int> acknowledged(kThreads, 0);
    std::vector<std::thread> threads;
    std::atomic<int> started{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        started.fetch_add(1);
        for (int i = 0;; ++i) {
          const absl::Status s = writer->scalar("t" + std::to_string(t), i, i);
          if (!s.ok()) {
            EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
            EXPECT_THAT(std::string(s.message()), HasSubstr("is closed"));
            break;
          }
          ++acknowledged[t];
        }
      });
    }
    while (started.load() < kThreads) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::microseconds(200 * (trial % 7)));
    ASSERT_TRUE(writer->close().ok());
    for (auto& th : threads) th.join();
    const auto steps = steps_by_tag(events_of(writer->path()));
    for (int t = 0; t < kThreads; ++t) {
      const auto it = steps.find("t" + std::to_string(t));
      const size_t in_file = it == steps.end() ? 0 : it->second.size();
      EXPECT_EQ(in_file, static_cast<size_t>(acknowledged[t])) << "thread " << t << ", trial " << trial;
    }
  }
}

// TensorBoard takes a tag's plugin from the tag's first event in the file:
// whichever thread gets there first, that event carries the metadata.
TEST(WriterSharing, TheFirstEventOfATagCarriesTheScalarsMetadataWhateverThreadWroteIt) {
  for (int trial = 0; trial < 10; ++trial) {
    auto writer = create(make_temp_dir(), without_fsync());
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 50; ++i) ASSERT_TRUE(writer->scalar("shared/loss", i, i).ok());
      });
    }
    for (auto& th : threads) th.join();
    ASSERT_TRUE(writer->close().ok());
    int with_metadata = 0;
    bool first = true;
    for (const proto::Event& e : events_of(writer->path())) {
      if (e.summary().value_size() == 0) continue;
      const bool has = e.summary().value(0).metadata().plugin_data().plugin_name() == "scalars";
      if (first) EXPECT_TRUE(has) << "the first event of the tag has no metadata";
      first = false;
      with_metadata += has ? 1 : 0;
    }
    // Once per thread, and never more.
    EXPECT_EQ(with_metadata, 3);
  }
}

}  // namespace
}  // namespace hp
