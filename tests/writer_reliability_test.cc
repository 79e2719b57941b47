// The writer under failing systems and hostile input (issue 8, items 9-16):
// a call that returns OK means the data will be there; anything else is a
// clear Status, never an exception, an abort or silent loss.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "fault_injection_env.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hparams/record_reader.h"
#include "hparams/writer.h"
#include "internal/thread_start.h"
#include "io_test_util.h"

namespace hp {
namespace {

namespace fs = std::filesystem;
using test_util::make_temp_dir;
using test_util::read_bytes;
using test_util::read_events;
using ::testing::HasSubstr;
using ::testing::Not;
using testing_env::FaultInjectionEnv;

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(dir, ignored))
    names.push_back(entry.path().filename().string());
  return names;
}

#ifdef HPARAMS_CLI_PATH
struct CliResult {
  int exit_code = -1;
  bool signaled = false;
  std::string err;
};

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `hparams ARGS...` through /bin/sh after the shell words `prefix`
// (such as ulimit settings), capturing the exit code and stderr.
CliResult run_cli(const std::string& prefix, const std::vector<std::string>& args) {
  const std::string err_path = join_path(make_temp_dir(), "stderr");
  std::string command = prefix + " " + quote(HPARAMS_CLI_PATH);
  for (const std::string& a : args) command += " " + quote(a);
  command += " >/dev/null 2>" + quote(err_path);
  const int status = std::system(command.c_str());
  CliResult result;
  result.signaled = WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) >= 128);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = read_bytes(err_path);
  return result;
}
#endif

// --- 9: a thread that cannot start ----------------------------------------------

// Only the first writer of a process starts the writer service's thread, so
// the check runs in a child process of its own.
void create_without_threads_then_with_threads(const std::string& logdir) {
  absl::StatusOr<std::unique_ptr<SummaryWriter>> writer;
  {
    internal::ScopedThreadStartFailureForTesting no_threads;
    writer = SummaryWriter::create(logdir);
  }
  const auto fail = [](const std::string& why) {
    std::fprintf(stderr, "%s\n", why.c_str());
    std::_Exit(1);
  };
  if (writer.ok()) fail("Create succeeded without a thread");
  const std::string message(writer.status().message());
  if (!absl::IsResourceExhausted(writer.status()))
    fail("not ResourceExhausted: " + writer.status().ToString());
  if (message.find("cannot start the writer thread") == std::string::npos) fail("message: " + message);
  if (message.find(logdir) == std::string::npos) fail("no logdir in: " + message);
  if (!files_in(logdir).empty()) fail("Create left a file behind");
  // The failure is not sticky for the process.
  auto again = SummaryWriter::create(logdir);
  if (!again.ok()) fail("second Create: " + again.status().ToString());
  if (!(*again)->scalar("x", 1, 1).ok() || !(*again)->close().ok()) fail("the second writer does not work");
  if (read_events((*again)->path()).size() != 2) fail("the second writer's file is incomplete");
  std::fprintf(stderr, "all checks passed\n");
  std::_Exit(0);
}

TEST(WriterReliability, ThreadStartFailureIsResourceExhaustedAndLeavesNoFile) {
  // "threadsafe": the child is a fresh run of this test binary, so no
  // service exists there whatever this process started (TSan also forbids
  // starting threads in the child of a threaded fork).
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const std::string logdir = make_temp_dir();
  EXPECT_EXIT(create_without_threads_then_with_threads(logdir), ::testing::ExitedWithCode(0),
              "all checks passed");
}

#if defined(HPARAMS_CLI_PATH) && !defined(HPARAMS_SANITIZER_BUILD)
// A real refusal, not the seam: with a 4 GiB default thread stack and 1 GiB
// of address space, pthread_create fails (EAGAIN) while the rest of the
// program runs. (Sanitizers reserve shadow memory an address-space limit
// breaks.)
TEST(WriterReliability, CliLogWithoutThreadsExitsTwoWithAMessage) {
  const std::string run = join_path(make_temp_dir(), "run");
  const CliResult r =
      run_cli("ulimit -s 4194304 && ulimit -v 1048576 &&", {"log", run, "--hparam", "lr=0.1"});
  EXPECT_FALSE(r.signaled) << r.err;
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("cannot start the writer thread"));
  EXPECT_THAT(files_in(run), ::testing::IsEmpty());
}
#endif

// --- 10: strings that are not UTF-8 -----------------------------------------------

// Only the file_version event: nothing of a rejected call reached the file.
void expect_only_the_version_event(SummaryWriter& writer) {
  ASSERT_TRUE(writer.close().ok());
  const std::vector<proto::Event> events = read_events(writer.path());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].file_version(), "brain.Event:2");
}

TEST(WriterReliability, ScalarTagThatIsNotUtf8IsRejectedAndWritesNothing) {
  auto writer = SummaryWriter::create(make_temp_dir());
  ASSERT_TRUE(writer.ok()) << writer.status();
  for (const std::string tag :
       {std::string("bad\xff"), std::string("loss/\xc3"), std::string("a_long_ascii_prefix\xed\xa0\x80"),
        std::string("overlong\xc0\xaf")}) {
    const absl::Status s = (*writer)->scalar(tag, 0.5, 1);
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr("not valid UTF-8"));
  }
  expect_only_the_version_event(**writer);
}

TEST(WriterReliability, ScalarTagInUtf8BeyondAsciiIsWritten) {
  auto writer = SummaryWriter::create(make_temp_dir());
  ASSERT_TRUE(writer.ok()) << writer.status();
  const std::string tag =
      "pr\xc3\xa9"
      "cision/\xe6\xa0\xa1\xe9\xaa\x8c/\xf0\x9f\x93\x88";
  ASSERT_TRUE((*writer)->scalar(tag, 0.5, 1).ok());
  ASSERT_TRUE((*writer)->close().ok());
  const std::vector<proto::Event> events = read_events((*writer)->path());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].summary().value(0).tag(), tag);
}

TEST(WriterReliability, WriteSummaryAndWriteEventRejectAnyStringFieldThatIsNotUtf8) {
  auto writer = SummaryWriter::create(make_temp_dir());
  ASSERT_TRUE(writer.ok()) << writer.status();

  proto::Summary summary;
  summary.add_value()->set_tag("fine");
  summary.add_value()->set_tag("bad\xe9");
  absl::Status s = (*writer)->write_summary(summary, 3);
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("summary.value[1].tag"));

  proto::Summary plugin;
  proto::Summary::Value* value = plugin.add_value();
  value->set_tag("ok");
  value->mutable_metadata()->mutable_plugin_data()->set_plugin_name("scal\xffrs");
  s = (*writer)->write_summary(plugin, 3, 1.5);
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("plugin_name"));

  proto::Event event;
  event.set_file_version("brain.Event:\xfe");
  s = (*writer)->write_event(event);
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("file_version"));

  // Bytes fields (plugin content, tensor strings) may hold anything.
  proto::Summary binary;
  proto::Summary::Value* b = binary.add_value();
  b->set_tag("binary");
  b->mutable_metadata()->mutable_plugin_data()->set_plugin_name("text");
  b->mutable_metadata()->mutable_plugin_data()->set_content("\xff\xfe");
  b->mutable_tensor()->set_dtype(proto::DT_STRING);
  b->mutable_tensor()->add_string_val("\xff");
  ASSERT_TRUE((*writer)->write_summary(binary, 4).ok());
  ASSERT_TRUE((*writer)->close().ok());
  const std::vector<proto::Event> events = read_events((*writer)->path());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].summary().value(0).tag(), "binary");
}

#ifdef HPARAMS_CLI_PATH
TEST(WriterReliability, CliLogRejectsAScalarTagThatIsNotUtf8AndWritesNothing) {
  const std::string run = join_path(make_temp_dir(), "run");
  const CliResult r = run_cli("", {"log", run, "--hparam", "lr=0.1", "--scalar", "acc\xe9=0.5@1"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("not valid UTF-8"));
  EXPECT_THAT(r.err, Not(HasSubstr("libprotobuf")));
  EXPECT_FALSE(fs::exists(run));
}
#endif

// --- 11: records the reader would refuse ------------------------------------------

TEST(WriterReliability, EventsLargerThanTheReadersCapAreRefusedAtWriteTime) {
  const size_t cap = RecordReaderOptions().max_record_bytes;
  auto writer = SummaryWriter::create(make_temp_dir());
  ASSERT_TRUE(writer.ok()) << writer.status();
  {
    const std::string tag(cap, 'x');
    const absl::Status s = (*writer)->scalar(tag, 1.0, 1);
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr("larger than readers accept"));
  }
  {
    proto::Event event;
    event.mutable_summary()->add_value()->mutable_tensor()->add_string_val(std::string(cap, 'y'));
    const absl::Status s = (*writer)->write_event(event);
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr("more than readers accept"));
  }
  expect_only_the_version_event(**writer);
}

// --- 12: the logdir removed under a live writer -----------------------------------

TEST(WriterReliability, LogdirRemovedUnderALiveWriterIsAStickyDataLossOnFlush) {
  const std::string logdir = join_path(make_temp_dir(), "run");
  auto writer = SummaryWriter::create(logdir);
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE((*writer)->scalar("loss", 1.0, 1).ok());
  ASSERT_TRUE((*writer)->flush().ok());
  fs::remove_all(logdir);
  (void)(*writer)->scalar("loss", 0.5, 2);  // may still be queued before the writer notices
  absl::Status s = (*writer)->flush();
  EXPECT_TRUE(absl::IsDataLoss(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("was deleted"));
  EXPECT_THAT(std::string(s.message()), HasSubstr((*writer)->path()));
  s = (*writer)->scalar("loss", 0.25, 3);
  EXPECT_TRUE(absl::IsDataLoss(s)) << s;
  EXPECT_TRUE(absl::IsDataLoss((*writer)->close()));
}

TEST(WriterReliability, LogdirRemovedWithNothingPendingIsNoticedByFlushAndClose) {
  for (const bool call_flush : {true, false}) {
    const std::string logdir = join_path(make_temp_dir(), "run");
    auto writer = SummaryWriter::create(logdir);
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->scalar("loss", 1.0, 1).ok());
    ASSERT_TRUE((*writer)->flush().ok());
    fs::remove_all(logdir);
    if (call_flush) EXPECT_TRUE(absl::IsDataLoss((*writer)->flush()));
    const absl::Status closed = (*writer)->close();
    EXPECT_TRUE(absl::IsDataLoss(closed)) << closed;
    EXPECT_THAT(std::string(closed.message()), HasSubstr("was deleted"));
  }
}

TEST(WriterReliability, TheWorkerNoticesADeletedFileOnItsOwnWithinAFlushInterval) {
  const std::string logdir = join_path(make_temp_dir(), "run");
  WriterOptions options;
  options.flush_interval = absl::Milliseconds(5);
  auto writer = SummaryWriter::create(logdir, options);
  ASSERT_TRUE(writer.ok()) << writer.status();
  fs::remove_all(logdir);
  absl::Status s;
  for (int i = 0; i < 2000 && s.ok(); ++i) {
    s = (*writer)->scalar("loss", 1.0, i);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(absl::IsDataLoss(s)) << s;
}

TEST(WriterReliability, CheckLinkedIsDataLossOnlyForADeletedFile) {
  const std::string path = join_path(make_temp_dir(), "f");
  auto file = Env::default_env()->new_writable_file(path);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_TRUE((*file)->check_linked().ok());
  ASSERT_EQ(::unlink(path.c_str()), 0);
  const absl::Status s = (*file)->check_linked();
  EXPECT_TRUE(absl::IsDataLoss(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr(path));
  EXPECT_TRUE((*file)->close().ok());
}

// --- 13: fork() ---------------------------------------------------------------------

TEST(WriterReliability, AnInheritedWriterInAForkedChildFailsAndWritesNothing) {
  const std::string logdir = make_temp_dir();
  auto writer = SummaryWriter::create(logdir);
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE((*writer)->scalar("parent", 1.0, 1).ok());  // still buffered at the fork
  const std::string child_dir = make_temp_dir();
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // No gtest assertions in the child: report through the exit code.
    int failures = 0;
    const absl::Status scalar = (*writer)->scalar("child", 2.0, 2);
    if (!absl::IsFailedPrecondition(scalar)) failures |= 1;
    if (std::string(scalar.message()).find("fork") == std::string::npos) failures |= 2;
    if (!absl::IsFailedPrecondition((*writer)->flush())) failures |= 4;
    proto::Summary summary;
    summary.add_value()->set_tag("child");
    if (!absl::IsFailedPrecondition((*writer)->write_summary(summary, 2))) failures |= 8;
    if (!absl::IsFailedPrecondition((*writer)->close())) failures |= 16;
    writer->reset();                   // neither hangs, aborts, nor writes the parent's buffered bytes
#if !defined(HPARAMS_SANITIZER_BUILD)  // TSan refuses threads after a multi-threaded fork
    auto own = SummaryWriter::create(child_dir);
    if (!own.ok() || !(*own)->scalar("child", 3.0, 3).ok() || !(*own)->close().ok()) failures |= 32;
#endif
    ::_exit(failures);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "the child died of signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "bit mask of the child's failed checks";
  ASSERT_TRUE((*writer)->scalar("parent", 4.0, 4).ok());
  ASSERT_TRUE((*writer)->close().ok());
  const std::vector<proto::Event> events = read_events((*writer)->path());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].step(), 1);
  EXPECT_EQ(events[2].step(), 4);
#if !defined(HPARAMS_SANITIZER_BUILD)
  EXPECT_EQ(files_in(child_dir).size(), 1u);
#endif
}

// --- 14: durable directory entries ----------------------------------------------

TEST(WriterReliability, CloseSyncsTheLogdirAndTheParentOfEveryDirectoryItCreated) {
  FaultInjectionEnv env;
  WriterOptions options;
  options.env = &env;
  const std::string root = make_temp_dir();
  const std::string logdir = join_path(root, "sweep/run-0");
  auto writer = SummaryWriter::create(logdir, options);
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE((*writer)->scalar("loss", 1.0, 1).ok());
  ASSERT_TRUE((*writer)->close().ok());
  EXPECT_THAT(env.synced_dirs(), ::testing::ElementsAre(logdir, join_path(root, "sweep"), root));

  // An existing logdir: only the new file's entry needs syncing.
  FaultInjectionEnv env2;
  options.env = &env2;
  auto second = SummaryWriter::create(logdir, options);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE((*second)->close().ok());
  EXPECT_THAT(env2.synced_dirs(), ::testing::ElementsAre(logdir));
}

TEST(WriterReliability, AFailedDirectorySyncIsReportedByClose) {
  FaultInjectionEnv env;
  env.fail_sync_dir = true;
  WriterOptions options;
  options.env = &env;
  const std::string logdir = make_temp_dir();
  auto writer = SummaryWriter::create(logdir, options);
  ASSERT_TRUE(writer.ok()) << writer.status();
  const absl::Status s = (*writer)->close();
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("directories"));
  EXPECT_THAT(std::string(s.message()), HasSubstr(logdir));
}

TEST(WriterReliability, PosixEnvReportsTheDirectoriesItCreatedAndSyncsThem) {
  Env* env = Env::default_env();
  const std::string root = make_temp_dir();
  std::vector<std::string> created;
  ASSERT_TRUE(env->create_dirs_reporting(join_path(root, "a/b/c"), &created).ok());
  EXPECT_THAT(created,
              ::testing::ElementsAre(join_path(root, "a"), join_path(root, "a/b"), join_path(root, "a/b/c")));
  created.clear();
  ASSERT_TRUE(env->create_dirs_reporting(join_path(root, "a/b/d"), &created).ok());
  EXPECT_THAT(created, ::testing::ElementsAre(join_path(root, "a/b/d")));
  EXPECT_TRUE(env->sync_dir(join_path(root, "a/b")).ok());
  EXPECT_TRUE(absl::IsNotFound(env->sync_dir(join_path(root, "missing"))));
  EXPECT_TRUE(env->remove_dir(join_path(root, "a/b/d")).ok());
  EXPECT_FALSE(env->remove_dir(join_path(root, "a")).ok());  // not empty: never removes content
}

TEST(WriterReliability, TheDefaultCreateDirsReportingWorksForEnvsThatOnlyHaveCreateDirs) {
  EnvWrapper env(Env::default_env());
  const std::string root = make_temp_dir();
  std::vector<std::string> created;
  ASSERT_TRUE(env.Env::create_dirs_reporting(join_path(root, "x/y"), &created).ok());
  EXPECT_THAT(created, ::testing::ElementsAre(join_path(root, "x"), join_path(root, "x/y")));
  EXPECT_TRUE(env.Env::sync_dir(root).ok());
  EXPECT_TRUE(absl::IsUnimplemented(env.Env::remove_dir(join_path(root, "x/y"))));
  EXPECT_EQ(parent_dir("a/b"), "a");
  EXPECT_EQ(parent_dir("a/b/"), "a");
  EXPECT_EQ(parent_dir("a"), ".");
  EXPECT_EQ(parent_dir("/a"), "/");
  EXPECT_EQ(parent_dir("/"), "/");
}

// --- 16: failed calls clean up; messages fit the operation ------------------------

TEST(WriterReliability, CreateOnAFullDiskLeavesNoFileAndNoDirectory) {
  FaultInjectionEnv env;
  env.fail_after_bytes = 0;
  WriterOptions options;
  options.env = &env;
  const std::string root = make_temp_dir();
  auto writer = SummaryWriter::create(join_path(root, "run"), options);
  ASSERT_FALSE(writer.ok());
  EXPECT_TRUE(absl::IsResourceExhausted(writer.status())) << writer.status();
  EXPECT_THAT(files_in(root), ::testing::IsEmpty());
}

TEST(WriterReliability, ANameTooLongLeavesNoPartialDirectories) {
  const std::string root = make_temp_dir();
  std::string logdir = root;
  for (int i = 0; i < 20; ++i) logdir = join_path(logdir, std::string(250, static_cast<char>('a' + i)));
  auto writer = SummaryWriter::create(logdir);
  ASSERT_FALSE(writer.ok());
  EXPECT_THAT(std::string(writer.status().message()), HasSubstr("too long"));
  EXPECT_THAT(files_in(root), ::testing::IsEmpty());
}

TEST(WriterReliability, AFileNameTooLongForItsNewDirectoryRemovesThatDirectory) {
  FaultInjectionEnv env;  // a fixed host name keeps the file name's length known
  WriterOptions options;
  options.env = &env;
  const std::string root = make_temp_dir();
  // The directories fit in PATH_MAX (4096); the file name does not.
  std::string logdir = root;
  while (logdir.size() + 201 < 4080) logdir = join_path(logdir, std::string(200, 'd'));
  logdir = join_path(logdir, std::string(4080 - logdir.size() - 1, 'e'));
  ASSERT_EQ(logdir.size(), 4080u);
  auto writer = SummaryWriter::create(logdir, options);
  ASSERT_FALSE(writer.ok());
  EXPECT_THAT(std::string(writer.status().message()), HasSubstr("too long"));
  EXPECT_THAT(files_in(root), ::testing::IsEmpty());
}

TEST(WriterReliability, PermissionMessagesAskForReadAccessOnReadsAndWriteAccessOnWrites) {
  const std::string dir = make_temp_dir();  // mode 0700
  const std::string file = join_path(dir, "events.out.tfevents.1");
  test_util::write_bytes(file, "x");
  ASSERT_EQ(::chmod(file.c_str(), 0), 0);
  // Root ignores permissions: check as `nobody` in a child.
  const bool as_root = ::geteuid() == 0;
  if (as_root) ASSERT_EQ(::chmod(dir.c_str(), 0777), 0);
  const pid_t pid = as_root ? ::fork() : 0;
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int failures = 0;
    if (as_root && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(100);
    const absl::Status read = Env::default_env()->new_sequential_file(file).status();
    if (!absl::IsPermissionDenied(read)) failures |= 1;
    if (std::string(read.message()).find("readable") == std::string::npos) failures |= 2;
    if (std::string(read.message()).find("writable") != std::string::npos) failures |= 4;
    const absl::Status write = Env::default_env()->new_writable_file(file).status();
    if (!absl::IsPermissionDenied(write)) failures |= 8;
    if (std::string(write.message()).find("writable") == std::string::npos) failures |= 16;
    if (!as_root) {
      EXPECT_EQ(failures, 0) << read << "\n" << write;
      return;
    }
    ::_exit(failures);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "bit mask of the child's failed checks (100: cannot become nobody)";
  ::chmod(file.c_str(), 0600);
}

}  // namespace
}  // namespace hp
