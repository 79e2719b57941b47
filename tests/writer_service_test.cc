// The process-wide writer service: many streams x many threads, flush and
// close racing appends, a failing file beside healthy ones, streams added
// and closed while others write, and one I/O thread for 1,000 streams.
#include "internal/writer_service.h"

#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <atomic>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "gtest/gtest.h"
#include "internal/mutex.h"
#include "internal/thread_start.h"

namespace hp::internal {
namespace {

#if defined(HPARAMS_SANITIZER_BUILD) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kScale = 1;
#else
constexpr int kScale = 5;
#endif

// File contents in memory, readable by the test after close(). Fails every
// append once `fail_after` bytes are written (if set).
struct FileState {
  Mutex mu;
  std::string data ABSL_GUARDED_BY(mu);
  bool synced ABSL_GUARDED_BY(mu) = false;
  bool closed ABSL_GUARDED_BY(mu) = false;
};

class MemoryFile : public WritableFile {
 public:
  MemoryFile(std::shared_ptr<FileState> state, size_t fail_after = SIZE_MAX)
      : state_(std::move(state)), fail_after_(fail_after) {}
  absl::Status append(std::string_view data) override {
    MutexLock lock(&state_->mu);
    if (state_->data.size() + data.size() > fail_after_) return absl::ResourceExhaustedError("disk full");
    state_->data.append(data);
    return absl::OkStatus();
  }
  absl::Status flush() override { return absl::OkStatus(); }
  absl::Status sync() override {
    MutexLock lock(&state_->mu);
    state_->synced = true;
    return absl::OkStatus();
  }
  absl::Status close() override {
    MutexLock lock(&state_->mu);
    state_->closed = true;
    return absl::OkStatus();
  }

 private:
  std::shared_ptr<FileState> state_;
  const size_t fail_after_;
};

std::string contents(FileState& f) {
  MutexLock lock(&f.mu);
  return f.data;
}

bool synced_and_closed(FileState& f) {
  MutexLock lock(&f.mu);
  return f.synced && f.closed;
}

WriterService* service() {
  absl::StatusOr<WriterService*> s = WriterService::get();
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

std::string record(int thread, int seq) {
  return "t" + std::to_string(thread) + " " + std::to_string(seq) + "\n";
}

// Every "t<thread> <seq>" line, checked to be complete and in order per
// thread; returns the number of lines.
size_t check_per_thread_order(const std::string& data, int threads, int per_thread) {
  std::istringstream in(data);
  std::map<int, int> next;
  std::string line;
  size_t lines = 0;
  while (std::getline(in, line)) {
    int t = -1, seq = -1;
    EXPECT_EQ(std::sscanf(line.c_str(), "t%d %d", &t, &seq), 2) << line;
    EXPECT_EQ(seq, next[t]) << "thread " << t;
    next[t] = seq + 1;
    ++lines;
  }
  for (int t = 0; t < threads; ++t) EXPECT_EQ(next[t], per_thread) << "thread " << t;
  return lines;
}

// First in the file: the service must not exist yet when it runs.
TEST(WriterService, AThreadThatCannotStartIsAStatusAndALaterCallRetries) {
  {
    ScopedThreadStartFailureForTesting no_threads;
    absl::StatusOr<WriterService*> s = WriterService::get();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), absl::StatusCode::kResourceExhausted) << s.status();
  }
  absl::StatusOr<WriterService*> s = WriterService::get();
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ((*s)->threads(), 1);
}

TEST(WriterService, ManyStreamsTimesManyThreadsKeepEveryRecordInPerThreadOrder) {
  constexpr int kStreams = 8;
  constexpr int kThreads = 4;
  const int per_thread = 2000 * kScale;
  std::vector<std::shared_ptr<FileState>> files;
  std::vector<std::shared_ptr<WriterService::Stream>> streams;
  for (int i = 0; i < kStreams; ++i) {
    files.push_back(std::make_shared<FileState>());
    streams.push_back(service()->add_stream(std::make_unique<MemoryFile>(files.back()),
                                            "mem" + std::to_string(i), absl::Milliseconds(50)));
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int seq = 0; seq < per_thread; ++seq) {
        for (auto& s : streams) ASSERT_TRUE(s->append(record(t, seq)).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int i = 0; i < kStreams; ++i) {
    ASSERT_TRUE(streams[i]->close().ok());
    EXPECT_TRUE(synced_and_closed(*files[i]));
    EXPECT_EQ(check_per_thread_order(contents(*files[i]), kThreads, per_thread),
              static_cast<size_t>(kThreads * per_thread));
  }
}

TEST(WriterService, FlushFromSeveralThreadsWaitsForEverythingEachLoggedBefore) {
  auto file = std::make_shared<FileState>();
  auto stream = service()->add_stream(std::make_unique<MemoryFile>(file), "mem", absl::Seconds(60));
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        const std::string mark = "t" + std::to_string(t) + " round " + std::to_string(round) + "\n";
        ASSERT_TRUE(stream->append(mark).ok());
        ASSERT_TRUE(stream->flush().ok());
        // The flush interval is a minute: only flush() can have written it.
        EXPECT_NE(contents(*file).find(mark), std::string::npos) << mark;
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(stream->close().ok());
}

// Appends from four threads race close(); every append that returned OK
// must be in the file, in order, and every other one FailedPrecondition.
void close_racing_appends_keeps_every_accepted_record() {
  auto file = std::make_shared<FileState>();
  auto stream = service()->add_stream(std::make_unique<MemoryFile>(file), "mem", absl::Milliseconds(10));
  constexpr int kThreads = 4;
  std::vector<int> accepted(kThreads, 0);
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      started.fetch_add(1);
      for (int seq = 0;; ++seq) {
        absl::Status s = stream->append(record(t, seq));
        if (!s.ok()) {
          EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
          return;
        }
        accepted[t] = seq + 1;
      }
    });
  }
  while (started.load() < kThreads) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(stream->close().ok());
  for (auto& th : threads) th.join();
  EXPECT_TRUE(stream->close().ok());
  std::istringstream in(contents(*file));
  std::vector<int> seen(kThreads, 0);
  std::string line;
  while (std::getline(in, line)) {
    int t = -1, seq = -1;
    ASSERT_EQ(std::sscanf(line.c_str(), "t%d %d", &t, &seq), 2)
        << line << " at byte " << in.tellg() << " of " << contents(*file).size() << " accepted "
        << accepted[0] << " " << accepted[1] << " " << accepted[2] << " " << accepted[3];
    ASSERT_EQ(seq, seen[t]) << line << " at byte " << in.tellg();
    seen[t] = seq + 1;
  }
  EXPECT_EQ(seen, accepted);
}

TEST(WriterService, CloseRacingAppendsKeepsEveryAcceptedRecordAndIsIdempotent) {
  service();  // starts the service, which chooses the fence
  for (int round = 0; round < 5 && !testing::Test::HasFatalFailure(); ++round) {
    close_racing_appends_keeps_every_accepted_record();
  }
}

// The same race with the locked instruction after every publish, which is
// what runs where membarrier(2) is missing (and under TSan).
TEST(WriterService, CloseRacingAppendsAreSettledByTheLockedFallbackToo) {
  service();
  const bool asymmetric = light_fence_is_enough();
  g_asymmetric_fences_enabled.store(false);
  for (int round = 0; round < 5 && !testing::Test::HasFatalFailure(); ++round) {
    close_racing_appends_keeps_every_accepted_record();
  }
  g_asymmetric_fences_enabled.store(asymmetric);
}

#if defined(__linux__) && !defined(__SANITIZE_THREAD__)
// Without it every scalar() pays a locked instruction: a silent fallback
// would cost ~6 ns a call. Linux has had the command since 4.14.
TEST(WriterService, TheAsymmetricFenceIsUsedWhereverTheKernelOffersIt) {
  service();
  const long offered = ::syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0U, 0);
  if (offered < 0 || (offered & MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) {
    GTEST_SKIP() << "this kernel (or a seccomp filter) does not offer MEMBARRIER_CMD_PRIVATE_EXPEDITED";
  }
  EXPECT_TRUE(light_fence_is_enough())
      << "the kernel offers membarrier, yet scalar() uses the slower locked publish";
}
#endif

TEST(WriterService, AFailingFileIsStickyForItsStreamWhileOthersKeepGoing) {
  auto bad_file = std::make_shared<FileState>();
  auto good_file = std::make_shared<FileState>();
  auto bad =
      service()->add_stream(std::make_unique<MemoryFile>(bad_file, 1000), "bad", absl::Milliseconds(5));
  auto good = service()->add_stream(std::make_unique<MemoryFile>(good_file), "good", absl::Milliseconds(5));
  std::thread bad_writer([&] {
    // Enough to fill the ring many times over: the blocked caller must be
    // woken by the failure, not left hanging.
    absl::Status s;
    for (int seq = 0; seq < 1000000 && s.ok(); ++seq) s = bad->append(record(0, seq));
    if (s.ok()) s = bad->flush();
    EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
    EXPECT_NE(std::string(s.message()).find("bad"), std::string::npos) << s;
  });
  const int per_thread = 2000 * kScale;
  for (int seq = 0; seq < per_thread; ++seq) ASSERT_TRUE(good->append(record(0, seq)).ok());
  bad_writer.join();
  EXPECT_EQ(bad->append("more\n").code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(bad->flush().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(bad->close().code(), absl::StatusCode::kResourceExhausted);
  ASSERT_TRUE(good->close().ok());
  EXPECT_EQ(check_per_thread_order(contents(*good_file), 1, per_thread), static_cast<size_t>(per_thread));
}

TEST(WriterService, StreamsOpenedAndClosedWhileOthersWrite) {
  auto steady_file = std::make_shared<FileState>();
  auto steady =
      service()->add_stream(std::make_unique<MemoryFile>(steady_file), "steady", absl::Milliseconds(5));
  std::atomic<bool> stop{false};
  int written = 0;
  std::thread writer([&] {
    while (!stop.load()) {
      ASSERT_TRUE(steady->append(record(0, written)).ok());
      ++written;
    }
  });
  std::vector<std::thread> churners;
  for (int t = 0; t < 3; ++t) {
    churners.emplace_back([&] {
      for (int i = 0; i < 20 * kScale; ++i) {
        auto file = std::make_shared<FileState>();
        auto s = service()->add_stream(std::make_unique<MemoryFile>(file), "churn", absl::Milliseconds(5));
        for (int seq = 0; seq < 100; ++seq) ASSERT_TRUE(s->append(record(0, seq)).ok());
        ASSERT_TRUE(s->close().ok());
        EXPECT_EQ(check_per_thread_order(contents(*file), 1, 100), 100u);
      }
    });
  }
  for (auto& th : churners) th.join();
  stop.store(true);
  writer.join();
  ASSERT_TRUE(steady->close().ok());
  EXPECT_EQ(check_per_thread_order(contents(*steady_file), 1, written), static_cast<size_t>(written));
}

TEST(WriterService, AThreadForgetsTheStreamsThatAreGone) {
  // A sweep's driver logs to one trial's writer after another: what the
  // thread remembers must follow the writers alive, not all it ever used.
  auto kept_file = std::make_shared<FileState>();
  auto kept = service()->add_stream(std::make_unique<MemoryFile>(kept_file), "kept", absl::Seconds(60));
  ASSERT_TRUE(kept->append(record(0, 0)).ok());
  for (int i = 0; i < 5000; ++i) {
    auto file = std::make_shared<FileState>();
    auto stream = service()->add_stream(std::make_unique<MemoryFile>(file), "trial", absl::Seconds(60));
    ASSERT_TRUE(stream->append(record(0, i)).ok());
    ASSERT_TRUE(stream->close().ok());
    EXPECT_EQ(contents(*file), record(0, i));
  }
  EXPECT_LE(WriterService::queues_remembered_by_this_thread(), 128u);
  // The live one is still found (its queue, not a new one: order is kept).
  ASSERT_TRUE(kept->append(record(0, 1)).ok());
  ASSERT_TRUE(kept->close().ok());
  EXPECT_EQ(contents(*kept_file), record(0, 0) + record(0, 1));
}

TEST(WriterService, AThousandStreamsShareOneIoThread) {
  std::vector<std::shared_ptr<FileState>> files;
  std::vector<std::shared_ptr<WriterService::Stream>> streams;
  for (int i = 0; i < 1000; ++i) {
    files.push_back(std::make_shared<FileState>());
    streams.push_back(
        service()->add_stream(std::make_unique<MemoryFile>(files.back()), "many", absl::Seconds(2)));
  }
  for (int seq = 0; seq < 10; ++seq) {
    for (auto& s : streams) ASSERT_TRUE(s->append(record(0, seq)).ok());
  }
  EXPECT_EQ(service()->threads(), 1);
  for (size_t i = 0; i < streams.size(); ++i) {
    ASSERT_TRUE(streams[i]->close().ok());
    EXPECT_EQ(check_per_thread_order(contents(*files[i]), 1, 10), 10u);
  }
}

}  // namespace
}  // namespace hp::internal
