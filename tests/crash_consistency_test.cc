// Crash consistency: a child process logs scalars and tells the parent,
// through a pipe, how many it has flushed; the parent kills it with SIGKILL
// at a random moment and reads the event file back. Every event whose
// flush() returned OK must be there, in order, with no corruption; a record
// the kill cut short is reported as the truncated tail, never as data.
// Bounded: at most kMaxTrials trials or kBudgetSeconds, whichever is first.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "hparams/reader.h"
#include "hparams/record_reader.h"
#include "hparams/writer.h"
#include "io_test_util.h"

namespace hp {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxTrials = 60;
constexpr double kBudgetSeconds = 20;
constexpr int kBatch = 200;

// The child: batches of scalars, each flushed and then acknowledged as
// the number of events flushed so far. Never returns.
[[noreturn]] void LogUntilKilled(const std::string& logdir, int ack_fd) {
  auto writer = SummaryWriter::create(logdir);
  if (!writer.ok()) ::_exit(3);
  for (int64_t step = 0;;) {
    for (int i = 0; i < kBatch; ++i, ++step) {
      if (!(*writer)->scalar("loss", static_cast<double>(step) * 0.5, step).ok()) ::_exit(4);
    }
    if (!(*writer)->flush().ok()) ::_exit(5);
    if (::write(ack_fd, &step, sizeof step) != static_cast<ssize_t>(sizeof step)) ::_exit(6);
  }
}

struct ReadBack {
  int64_t events = 0;  // consecutive "loss" steps 0..events-1
  bool in_order = true;
  bool torn_tail = false;
  int corruptions = 0;
};

ReadBack ReadScalars(const std::string& logdir) {
  ReadBack back;
  absl::StatusOr<std::vector<RunFiles>> runs = list_runs(logdir);
  if (!runs.ok() || runs->empty()) return back;
  for (const std::string& path : runs->front().files) {
    RecordReaderOptions options;
    options.on_corruption = [&back](const CorruptionReport&) { ++back.corruptions; };
    auto reader = EventFileReader::open(path, options);
    if (!reader.ok()) continue;
    proto::Event event;
    for (;;) {
      absl::StatusOr<bool> more = (*reader)->next(&event);
      if (!more.ok() || !*more) break;
      if (!event.has_summary()) continue;
      for (const auto& value : event.summary().value()) {
        if (value.tag() != "loss") continue;
        if (event.step() != back.events) back.in_order = false;
        ++back.events;
      }
    }
    back.torn_tail |= (*reader)->records().truncated_tail();
  }
  return back;
}

TEST(CrashConsistency, EverythingFlushedSurvivesSigkillAndTheTornTailIsReported) {
  // Its own directory: a fixed name would be shared with another run of the suite.
  const std::string root = test_util::make_temp_dir();
  std::mt19937 rng(20261201);
  std::uniform_int_distribution<int> delay_us(0, 60000);
  int trials = 0, torn = 0, before_first_flush = 0;
  int64_t flushed_total = 0, read_total = 0;
  const auto start = std::chrono::steady_clock::now();
  while (trials < kMaxTrials &&
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < kBudgetSeconds) {
    const std::string logdir = root + "/trial-" + std::to_string(trials);
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      LogUntilKilled(logdir, fds[1]);
    }
    ::close(fds[1]);
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited on its own with " << WEXITSTATUS(status);
    // The acknowledgements sent before the kill are still in the pipe.
    int64_t acked = 0, value = 0;
    while (::read(fds[0], &value, sizeof value) == static_cast<ssize_t>(sizeof value)) acked = value;
    ::close(fds[0]);

    const ReadBack back = ReadScalars(logdir);
    EXPECT_GE(back.events, acked) << "trial " << trials << ": flushed events lost";
    EXPECT_TRUE(back.in_order) << "trial " << trials;
    EXPECT_EQ(back.corruptions, 0) << "trial " << trials << ": a kill must not look like corruption";
    flushed_total += acked;
    read_total += back.events;
    torn += back.torn_tail;
    before_first_flush += acked == 0;
    ++trials;
    fs::remove_all(logdir);
  }
  fs::remove_all(root);
  std::printf(
      "crash consistency: %d SIGKILL trials, %lld events acknowledged as flushed, %lld read back, "
      "%d torn tails reported, %d killed before the first flush\n",
      trials, static_cast<long long>(flushed_total), static_cast<long long>(read_total), torn,
      before_first_flush);
  EXPECT_GE(trials, 10);
}

}  // namespace
}  // namespace hp
