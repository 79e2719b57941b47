// SummaryWriter end to end: naming, scalar encoding against the golden
// summary, ordering under threads, flush/close semantics, the default
// writer, and failures injected below the file API.
#include "hparams/writer.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "fault_injection_env.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "hparams/hparam.h"
#include "hparams/record_reader.h"
#include "hparams/summary.h"
#include "io_test_util.h"

namespace hp {
namespace {

using google::protobuf::util::MessageDifferencer;
using test_util::make_temp_dir;
using test_util::read_bytes;
using test_util::read_events;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing_env::FaultInjectionEnv;

// Sanitizer builds shrink the heavy tests. The build defines
// HPARAMS_SANITIZER_BUILD (TSan builds hide __SANITIZE_THREAD__ for protobuf).
#if defined(HPARAMS_SANITIZER_BUILD) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

std::unique_ptr<SummaryWriter> create(const std::string& logdir, WriterOptions options = {}) {
  auto writer = SummaryWriter::create(logdir, options);
  EXPECT_TRUE(writer.ok()) << writer.status();
  return writer.ok() ? std::move(*writer) : nullptr;
}

proto::Summary golden_summary(const std::string& name) {
  proto::Summary summary;
  EXPECT_TRUE(summary.ParseFromString(read_bytes(std::string(HPARAMS_GOLDEN_DIR) + "/summaries/" + name)));
  return summary;
}

TEST(SummaryWriter, NamesTheFileLikeTensorBoardAndStartsWithFileVersion) {
  FaultInjectionEnv env;
  WriterOptions options;
  options.env = &env;
  options.clock = [] { return 1600000123.75; };
  options.filename_suffix = ".v2";
  const std::string dir = join_path(make_temp_dir(), "nested/run-0");
  auto writer = create(dir, options);
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(writer->logdir(), dir);
  const std::string name = writer->path().substr(dir.size() + 1);
  EXPECT_TRUE(
      std::regex_match(name, std::regex(R"(events\.out\.tfevents\.1600000123\.testhost\.4242\.\d+\.v2)")))
      << name;
  ASSERT_TRUE(writer->close().ok());
  const auto events = read_events(writer->path());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].file_version(), "brain.Event:2");
  EXPECT_EQ(events[0].source_metadata().writer(), "hparams-cpp");
  EXPECT_EQ(events[0].wall_time(), 1600000123.75);
  EXPECT_EQ(events[0].step(), 0);
}

TEST(SummaryWriter, TwoWritersInOneDirectoryGetDistinctFiles) {
  const std::string dir = make_temp_dir();
  WriterOptions options;
  options.clock = [] { return 1600000000.0; };
  auto a = create(dir, options);
  auto b = create(dir, options);
  EXPECT_NE(a->path(), b->path());
}

TEST(SummaryWriter, ScalarDecodesToTheGoldenSummary) {
  double clock = 1600000001.0;
  WriterOptions options;
  options.clock = [&clock] { return clock; };
  auto writer = create(make_temp_dir(), options);
  ASSERT_TRUE(writer->scalar("accuracy", 0.80, 1).ok());
  ASSERT_TRUE(writer->scalar("accuracy", 0.80, 2).ok());
  ASSERT_TRUE(writer->close().ok());
  const auto events = read_events(writer->path());
  ASSERT_EQ(events.size(), 3u);

  const proto::Summary golden = golden_summary("scalar_accuracy_float_val.pb");
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(golden, events[1].summary())) << diff;
  EXPECT_EQ(events[1].step(), 1);
  EXPECT_EQ(events[1].wall_time(), 1600000001.0);
  // Later events of the tag carry no metadata; otherwise they are the same.
  EXPECT_FALSE(events[2].summary().value(0).has_metadata());
  proto::Summary without_metadata = golden;
  without_metadata.mutable_value(0)->clear_metadata();
  EXPECT_TRUE(MessageDifferencer::Equals(without_metadata, events[2].summary()));
}

TEST(SummaryWriter, MetadataGoesOnTheFirstEventOfEachTagOnly) {
  auto writer = create(make_temp_dir());
  for (int step = 0; step < 3; ++step) {
    for (const char* tag : {"loss", "accuracy", "lr"})
      ASSERT_TRUE(writer->scalar(tag, step * 0.5, step).ok());
  }
  ASSERT_TRUE(writer->close().ok());
  const auto events = read_events(writer->path());
  ASSERT_EQ(events.size(), 10u);
  absl::flat_hash_map<std::string, int> seen;
  for (size_t i = 1; i < events.size(); ++i) {
    const auto& value = events[i].summary().value(0);
    const bool first = seen[value.tag()]++ == 0;
    EXPECT_EQ(value.has_metadata(), first) << value.tag() << " event " << i;
    if (first) EXPECT_EQ(value.metadata().plugin_data().plugin_name(), "scalars");
  }
}

TEST(SummaryWriter, EmptyTagIsRejectedAndWritesNothing) {
  auto writer = create(make_temp_dir());
  const absl::Status s = writer->scalar("", 1.0, 1);
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("tag is empty"));
  ASSERT_TRUE(writer->scalar("ok", 1.0, 1).ok());
  ASSERT_TRUE(writer->close().ok());
  EXPECT_EQ(read_events(writer->path()).size(), 2u);
}

TEST(SummaryWriter, ReaderRoundTripsOneMillionScalars) {
  const int64_t n = kSanitized ? 100000 : 1000000;
  auto writer = create(make_temp_dir());
  for (int64_t step = 0; step < n; ++step) {
    ASSERT_TRUE(writer->scalar("loss", static_cast<double>(step) * 0.25, step).ok());
  }
  ASSERT_TRUE(writer->close().ok());
  auto reader = EventFileReader::open(writer->path());
  ASSERT_TRUE(reader.ok());
  proto::Event event;
  ASSERT_TRUE(*(*reader)->next(&event));  // file_version
  int64_t expected_step = 0;
  while (true) {
    auto more = (*reader)->next(&event);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    ASSERT_EQ(event.step(), expected_step);
    ASSERT_EQ(event.summary().value(0).tensor().float_val(0), static_cast<float>(expected_step * 0.25));
    ++expected_step;
  }
  EXPECT_EQ(expected_step, n);
  EXPECT_EQ((*reader)->records().bytes_dropped(), 0u);
}

TEST(SummaryWriter, EightThreadsAllScalarsPresentWithPerThreadStepsInOrder) {
  const int kThreads = 8;
  const int64_t per_thread = kSanitized ? 10000 : 100000;
  WriterOptions options;
  options.queue_capacity = 1024;  // small, so threads also block and resume
  auto writer = create(make_temp_dir(), options);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string tag = "thread-" + std::to_string(t);
      for (int64_t step = 0; step < per_thread; ++step) {
        if (!writer->scalar(tag, static_cast<double>(t), step).ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(writer->close().ok());
  const auto events = read_events(writer->path());
  ASSERT_EQ(events.size(), 1u + kThreads * per_thread);
  absl::flat_hash_map<std::string, int64_t> next_step;
  for (size_t i = 1; i < events.size(); ++i) {
    const auto& value = events[i].summary().value(0);
    int64_t& expected = next_step[value.tag()];
    ASSERT_EQ(events[i].step(), expected) << value.tag();
    ASSERT_EQ(value.has_metadata(), expected == 0);
    ++expected;
  }
  ASSERT_EQ(next_step.size(), static_cast<size_t>(kThreads));
  for (const auto& [tag, count] : next_step) EXPECT_EQ(count, per_thread) << tag;
}

TEST(SummaryWriter, FlushMakesDataVisibleToReaders) {
  WriterOptions options;
  options.flush_interval = absl::Hours(1);
  auto writer = create(make_temp_dir(), options);
  ASSERT_TRUE(writer->scalar("loss", 0.5, 1).ok());
  ASSERT_TRUE(writer->scalar("loss", 0.25, 2).ok());
  ASSERT_TRUE(writer->flush().ok());
  const auto events = read_events(writer->path());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].step(), 2);
  EXPECT_TRUE(writer->flush().ok());  // nothing new: returns at once
}

TEST(SummaryWriter, FlushIntervalWritesWithoutAnExplicitFlush) {
  WriterOptions options;
  options.flush_interval = absl::Milliseconds(20);
  auto writer = create(make_temp_dir(), options);
  ASSERT_TRUE(writer->scalar("loss", 0.5, 1).ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  size_t count = 0;
  while (std::chrono::steady_clock::now() < deadline && (count = read_events(writer->path()).size()) < 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(count, 2u);
}

TEST(SummaryWriter, WriteAfterCloseIsFailedPreconditionAndCloseIsIdempotent) {
  auto writer = create(make_temp_dir());
  ASSERT_TRUE(writer->scalar("a", 1, 1).ok());
  ASSERT_TRUE(writer->close().ok());
  EXPECT_TRUE(writer->close().ok());
  const absl::Status s = writer->scalar("a", 2, 2);
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr(writer->path()));
  EXPECT_TRUE(absl::IsFailedPrecondition(writer->write_summary(proto::Summary(), 3)));
  EXPECT_EQ(read_events(writer->path()).size(), 2u);
}

TEST(SummaryWriter, DestructorDrainsTheQueue) {
  std::string path;
  {
    WriterOptions options;
    options.flush_interval = absl::Hours(1);
    auto writer = create(make_temp_dir(), options);
    path = writer->path();
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(writer->scalar("x", i, i).ok());
  }
  EXPECT_EQ(read_events(path).size(), 1001u);
}

TEST(SummaryWriter, WriteSummaryUsesTheGivenWallTimeAndStep) {
  WriterOptions options;
  options.clock = [] { return 1700000000.0; };
  auto writer = create(make_temp_dir(), options);
  const proto::Summary config = golden_summary("hparams_config.pb");
  ASSERT_TRUE(writer->write_summary(config, 0, 1600000000.0).ok());
  ASSERT_TRUE(writer->write_summary(config, 5).ok());
  EXPECT_EQ(writer->now(), 1700000000.0);
  ASSERT_TRUE(writer->close().ok());
  const auto events = read_events(writer->path());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].wall_time(), 1600000000.0);
  EXPECT_EQ(events[1].step(), 0);
  EXPECT_TRUE(MessageDifferencer::Equals(events[1].summary(), config));
  EXPECT_EQ(events[2].wall_time(), 1700000000.0);
  EXPECT_EQ(events[2].step(), 5);
}

TEST(SummaryWriter, WriteEventWritesTheEventAsIs) {
  auto writer = create(make_temp_dir());
  proto::Event event;
  event.set_wall_time(12.5);
  event.set_step(-3);
  event.mutable_summary()->add_value()->set_tag("custom");
  ASSERT_TRUE(writer->write_event(event).ok());
  ASSERT_TRUE(writer->close().ok());
  const auto events = read_events(writer->path());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(MessageDifferencer::Equals(events[1], event));
}

TEST(SummaryWriter, EventLargerThanTheQueueBufferIsWrittenWhole) {
  WriterOptions options;
  options.queue_capacity = 0;  // treated as 1
  auto writer = create(make_temp_dir(), options);
  proto::Event big;
  big.set_step(1);
  auto* value = big.mutable_summary()->add_value();
  value->set_tag("blob");
  value->mutable_tensor()->add_string_val(std::string(size_t{40} << 20, 'b'));  // over the 32 MiB buffer cap
  ASSERT_TRUE(writer->scalar("before", 1, 1).ok());
  ASSERT_TRUE(writer->write_event(big).ok());
  ASSERT_TRUE(writer->scalar("after", 2, 2).ok());
  ASSERT_TRUE(writer->close().ok());
  const auto events = read_events(writer->path());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].summary().value(0).tag(), "before");
  EXPECT_EQ(events[2].summary().value(0).tensor().string_val(0).size(), size_t{40} << 20);
  EXPECT_EQ(events[3].summary().value(0).tag(), "after");
}

TEST(SummaryWriter, LogdirUnderARegularFileGivesAClearError) {
  const std::string file = join_path(make_temp_dir(), "not-a-dir");
  test_util::write_bytes(file, "x");
  const std::string logdir = join_path(file, "run-0");
  auto writer = SummaryWriter::create(logdir);
  ASSERT_FALSE(writer.ok());
  EXPECT_THAT(std::string(writer.status().message()), HasSubstr(logdir));
  EXPECT_THAT(std::string(writer.status().message()), HasSubstr("not a directory"));
}

TEST(SummaryWriter, UnwritableLogdirGivesPermissionDeniedNamingThePath) {
  FaultInjectionEnv env;
  env.fail_create = true;
  WriterOptions options;
  options.env = &env;
  const std::string dir = make_temp_dir();
  auto writer = SummaryWriter::create(dir, options);
  ASSERT_FALSE(writer.ok());
  EXPECT_TRUE(absl::IsPermissionDenied(writer.status())) << writer.status();
  EXPECT_THAT(std::string(writer.status().message()), HasSubstr(dir));
}

// Root ignores directory permissions, and CI runs as root: Create runs in a
// child process that is an ordinary user (`nobody` when the test runs as
// root), and sends its status back through a pipe. The child of this threaded
// process calls nothing but Create (which fails before the writer service is
// involved) and write(2), and leaves with _exit: no gtest, no exit handlers.
TEST(SummaryWriter, ReadOnlyDirectoryIsRejectedForUnprivilegedUsers) {
  uid_t uid = ::geteuid();
  gid_t gid = ::getegid();
  if (uid == 0) {
    const struct passwd* nobody = ::getpwnam("nobody");
    if (nobody == nullptr) GTEST_SKIP() << "running as root, and there is no user 'nobody' to run as";
    uid = nobody->pw_uid;
    gid = nobody->pw_gid;
  }
  const std::string dir = make_temp_dir();
  // Searchable by everyone (the child reaches it whoever it is), writable by
  // nobody but root.
  ASSERT_EQ(::chmod(dir.c_str(), 0555), 0);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0) << "fork: " << std::strerror(errno);
  if (pid == 0) {
    ::close(fds[0]);
    std::string report;
    if (::geteuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)) {
      report = std::string("cannot become uid ") + std::to_string(uid) + ": " + std::strerror(errno);
    } else {
      absl::StatusOr<std::unique_ptr<SummaryWriter>> writer = SummaryWriter::create(dir);
      report = writer.ok() ? "OK (created)" : writer.status().ToString();
    }
    const bool sent = ::write(fds[1], report.data(), report.size()) == static_cast<ssize_t>(report.size());
    ::_exit(sent ? 0 : 1);
  }
  ::close(fds[1]);
  std::string report;
  char buffer[512];
  for (;;) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    report.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int wait_status = 0;
  ASSERT_EQ(::waitpid(pid, &wait_status, 0), pid);
  EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) << "child wait status " << wait_status;
  EXPECT_THAT(report, StartsWith("PERMISSION_DENIED: ")) << "as uid " << uid;
  EXPECT_THAT(report, HasSubstr(dir));
  EXPECT_THAT(report, HasSubstr("writable"));
  ::chmod(dir.c_str(), 0700);
}

TEST(SummaryWriter, EmptyLogdirIsInvalidArgument) {
  EXPECT_TRUE(absl::IsInvalidArgument(SummaryWriter::create("").status()));
}

TEST(SummaryWriter, DiskFullIsStickyAndEverythingFlushedBeforeSurvives) {
  FaultInjectionEnv env;
  WriterOptions options;
  options.env = &env;
  options.flush_interval = absl::Hours(1);
  auto writer = create(make_temp_dir(), options);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(writer->scalar("loss", i, i).ok());
  ASSERT_TRUE(writer->flush().ok());
  env.fail_after_bytes = env.bytes_appended.load() + 30;  // the next batch is cut short
  // The I/O thread may meet the full disk before flush() does: from then
  // on scalar() returns the sticky error.
  for (int i = 100; i < 200; ++i) {
    const absl::Status s = writer->scalar("loss", i, i);
    if (!s.ok()) {
      EXPECT_TRUE(absl::IsResourceExhausted(s)) << s;
      break;
    }
  }
  const absl::Status flushed = writer->flush();
  EXPECT_TRUE(absl::IsResourceExhausted(flushed)) << flushed;
  EXPECT_THAT(std::string(flushed.message()), HasSubstr(writer->path()));
  EXPECT_EQ(writer->scalar("loss", 1, 1), flushed);
  EXPECT_EQ(writer->flush(), flushed);
  EXPECT_EQ(writer->close(), flushed);
  EXPECT_EQ(writer->close(), flushed);
  // The 100 flushed scalars read back; the short write is a truncated tail.
  RecordReaderOptions read_options;
  int corrupt = 0;
  read_options.on_corruption = [&](const CorruptionReport&) { ++corrupt; };
  auto reader = EventFileReader::open(writer->path(), read_options);
  ASSERT_TRUE(reader.ok());
  proto::Event event;
  int count = 0;
  while (*(*reader)->next(&event)) ++count;
  EXPECT_EQ(count, 101);
  EXPECT_TRUE((*reader)->records().truncated_tail());
  EXPECT_EQ(corrupt, 0);
}

TEST(SummaryWriter, FsyncFailureIsReportedByClose) {
  FaultInjectionEnv env;
  env.fail_sync = true;
  WriterOptions options;
  options.env = &env;
  auto writer = create(make_temp_dir(), options);
  ASSERT_TRUE(writer->scalar("loss", 1, 1).ok());
  const absl::Status s = writer->close();
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("fsync"));
  EXPECT_EQ(writer->close(), s);
  EXPECT_EQ(read_events(writer->path()).size(), 2u);
}

TEST(SummaryWriter, FullQueueBlocksTheCallerAndDropsNothing) {
  FaultInjectionEnv env;
  WriterOptions options;
  options.env = &env;
  options.queue_capacity = 4;
  auto writer = create(make_temp_dir(), options);
  env.hold_writes();
  std::atomic<int> done{0};
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) {
      if (writer->scalar("x", i, i).ok()) done.fetch_add(1);
    }
  });
  // The worker is stuck in append(), so the producer stops at capacity.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (env.appends_started.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_LE(done.load(), 2 * 4);
  env.release_writes();
  producer.join();
  EXPECT_EQ(done.load(), 100);
  ASSERT_TRUE(writer->close().ok());
  EXPECT_EQ(read_events(writer->path()).size(), 101u);
}

TEST(SummaryWriter, CallersBlockedOnAFullQueueAreWokenByAWriteError) {
  FaultInjectionEnv env;
  WriterOptions options;
  options.env = &env;
  options.queue_capacity = 2;
  auto writer = create(make_temp_dir(), options);
  env.fail_after_bytes = env.bytes_appended.load();  // every later write fails
  env.hold_writes();
  std::vector<std::thread> producers;
  std::atomic<int> errors{0};
  for (int t = 0; t < 3; ++t) {
    producers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (!writer->scalar("x", i, i).ok()) {
          errors.fetch_add(1);
          return;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  env.release_writes();
  for (auto& p : producers) p.join();  // would hang if a blocked caller were never woken
  EXPECT_EQ(errors.load(), 3);
  EXPECT_FALSE(writer->close().ok());
}

// Every free function that logs to the default writer answers with one
// error: FailedPrecondition, the same words, naming the function called.
TEST(DefaultWriter, EveryFreeFunctionWithoutADefaultWriterGivesTheSameErrorNamingItself) {
  ASSERT_EQ(default_writer(), nullptr);
  const HParam lr("lr", RealInterval(0.1, 0.2));
  ExperimentInfo info;
  info.name = "no writer";
  const std::vector<std::pair<std::string, absl::Status>> calls = {
      {"scalar", hp::scalar("loss", 1.0, 1)},
      {"flush", hp::flush()},
      {"hparams_config", hp::hparams_config({lr}, {Metric("loss")})},
      {"hparams_config", hp::hparams_config({lr}, {Metric("loss")}, info)},
      {"hparams", hp::hparams({{lr, 0.1}})},
      {"session_end", hp::session_end(STATUS_SUCCESS)},
  };
  const std::string expected_tail =
      "() needs a default writer and this thread has none: hold `auto scope = writer->as_default();` "
      "(or trial.as_default()) on this thread while logging, or call the writer's method instead";
  for (const auto& [function, s] : calls) {
    EXPECT_TRUE(absl::IsFailedPrecondition(s)) << function << ": " << s;
    EXPECT_EQ(s.message(), "hp::" + function + expected_tail);
  }
}

TEST(DefaultWriter, NestedScopesRestoreThePreviousWriter) {
  auto outer = create(make_temp_dir());
  auto inner = create(make_temp_dir());
  {
    auto outer_scope = outer->as_default();
    ASSERT_TRUE(hp::scalar("where", 1, 1).ok());
    {
      auto inner_scope = inner->as_default();
      EXPECT_EQ(default_writer(), inner.get());
      ASSERT_TRUE(hp::scalar("where", 2, 2).ok());
      ASSERT_TRUE(hp::flush().ok());
    }
    EXPECT_EQ(default_writer(), outer.get());
    ASSERT_TRUE(hp::scalar("where", 3, 3).ok());
    DefaultWriterScope moved = std::move(outer_scope);
    EXPECT_EQ(default_writer(), outer.get());
  }
  EXPECT_EQ(default_writer(), nullptr);
  ASSERT_TRUE(outer->close().ok());
  ASSERT_TRUE(inner->close().ok());
  const auto outer_events = read_events(outer->path());
  const auto inner_events = read_events(inner->path());
  ASSERT_EQ(outer_events.size(), 3u);
  ASSERT_EQ(inner_events.size(), 2u);
  EXPECT_EQ(outer_events[1].step(), 1);
  EXPECT_EQ(outer_events[2].step(), 3);
  EXPECT_EQ(inner_events[1].step(), 2);
}

TEST(DefaultWriter, ScopeIsPerThread) {
  auto writer = create(make_temp_dir());
  auto scope = writer->as_default();
  SummaryWriter* seen_elsewhere = writer.get();
  std::thread([&] { seen_elsewhere = default_writer(); }).join();
  EXPECT_EQ(seen_elsewhere, nullptr);
  EXPECT_EQ(default_writer(), writer.get());
}

TEST(SummaryWriter, ConcurrentCloseAndWritesNeitherCrashNorHang) {
  auto writer = create(make_temp_dir());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        absl::Status s = writer->scalar("x", i, i);
        if (!s.ok()) {
          EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
          break;
        }
      }
    });
  }
  threads.emplace_back([&] { EXPECT_TRUE(writer->flush().ok()); });
  threads.emplace_back([&] { EXPECT_TRUE(writer->close().ok()); });
  for (auto& th : threads) th.join();
  EXPECT_TRUE(writer->close().ok());
}

}  // namespace
}  // namespace hp

namespace hp {
namespace {

// hparams() encodes its event by hand; it must be the protobuf
// serialization of hparams_pb()'s summary, byte for byte, for every kind
// of value (NaN, -0.0, false, "", non-ASCII), with and without a trial id,
// at a zero and a negative-zero start time.
TEST(SummaryWriter, HParamsEventIsByteForByteTheProtobufSerializationOfHParamsPb) {
  const std::string dir = make_temp_dir();
  WriterOptions options;
  options.clock = [] { return 1.7e9 + 0.125; };
  auto writer = create(dir, options);
  ASSERT_NE(writer, nullptr);
  const HParam lr("learning_rate", RealInterval(1e-4, 1e-1));
  const HParam layers("num_layers", IntInterval(-8, 8));
  const HParam optimizer("optimizer", Discrete({"adam", "sgd", ""}));
  struct Case {
    HParams trial;
    std::optional<std::string> trial_id;
    std::optional<double> start;
  };
  const std::string long_name(300, 'n');
  const std::vector<Case> cases = {
      {HParams{{lr, 0.01}, {layers, 3}, {optimizer, "adam"}}, std::nullopt, std::nullopt},
      {HParams{{optimizer, ""}, {layers, -8}, {lr, 1e-4}}, std::string("trial-7"), 0.0},
      {HParams{{"z", false}, {"a", true}, {"m", std::nan("")}, {"neg", -0.0}}, std::nullopt, -0.0},
      {HParams{{"caf\xC3\xA9", "\xE2\x82\xAC \"q\"\n"}, {long_name, std::string(200, 'v')}}, std::string(""),
       12.5},
      {HParams{}, std::nullopt, 3.0},
  };
  for (const Case& c : cases) ASSERT_TRUE(writer->hparams(c.trial, c.trial_id, c.start).ok());
  ASSERT_TRUE(writer->close().ok());

  auto reader = RecordReader::open(writer->path());
  ASSERT_TRUE(reader.ok()) << reader.status();
  ASSERT_TRUE((*reader)->read_record().ok());  // file_version
  for (const Case& c : cases) {
    auto summary = hparams_pb(c.trial, c.trial_id, c.start.value_or(1.7e9 + 0.125));
    ASSERT_TRUE(summary.ok()) << summary.status();
    proto::Event event;
    event.set_wall_time(1.7e9 + 0.125);
    *event.mutable_summary() = *summary;
    std::string expected;
    {
      google::protobuf::io::StringOutputStream stream(&expected);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      event.SerializeToCodedStream(&coded);
    }
    absl::StatusOr<std::string_view> record = (*reader)->read_record();
    ASSERT_TRUE(record.ok()) << record.status();
    EXPECT_EQ(std::string(*record), expected) << c.trial.repr();
  }
  EXPECT_FALSE((*reader)->read_record().ok());
}

TEST(SummaryWriter, HParamsRejectsANonUtf8TrialIdAndWritesNothing) {
  const std::string dir = make_temp_dir();
  auto writer = create(dir);
  ASSERT_NE(writer, nullptr);
  const absl::Status s = writer->hparams(HParams{{"lr", 0.1}}, std::string("bad\xFF"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("trial_id"));
  ASSERT_TRUE(writer->close().ok());
  EXPECT_EQ(read_events(writer->path()).size(), 1u);
}

}  // namespace
}  // namespace hp
