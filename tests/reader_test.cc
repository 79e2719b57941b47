// Tests for hp::load_experiment and the logdir reader: the golden logdirs
// read from disk give what TensorBoard served, and damaged files are reported
// without losing the rest.
#include "hparams/reader.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "internal/record_format.h"
#include "io_test_util.h"
#include "view_proto.h"

namespace hp {
namespace {

namespace fs = std::filesystem;
namespace hpb = proto::hparams;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

const std::string kGolden = HPARAMS_GOLDEN_DIR;
const std::string kEventFile = "events.out.tfevents.1600000000.golden.4242.0";

using test_util::read_bytes;
using test_util::write_bytes;

template <typename Message>
Message GoldenJson(const std::string& relative) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(read_bytes(kGolden + "/" + relative), &message);
  EXPECT_TRUE(status.ok()) << relative << ": " << status.ToString();
  return message;
}

void ExpectEqualProto(const google::protobuf::Message& actual, const google::protobuf::Message& expected) {
  MessageDifferencer differencer;
  std::string report;
  differencer.ReportDifferencesToString(&report);
  EXPECT_TRUE(differencer.Compare(actual, expected)) << report;
}

// A scratch copy of a golden logdir that a test may damage.
class ScratchLogdir {
 public:
  explicit ScratchLogdir(const std::string& golden_name) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = ::testing::TempDir() + "/reader_test_" + info->name();
    fs::remove_all(path_);
    fs::copy(kGolden + "/" + golden_name, path_, fs::copy_options::recursive);
  }
  ~ScratchLogdir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string file(const std::string& run) const { return path_ + "/" + run + "/" + kEventFile; }

 private:
  std::string path_;
};

const Session* FindSession(const ExperimentView& view, const std::string& name) {
  for (const auto& group : view.session_groups) {
    for (const auto& session : group.sessions) {
      if (session.name == name) return &session;
    }
  }
  return nullptr;
}

TEST(Reader, GoldenLogdirEqualsWhatTensorBoardServes) {
  absl::StatusOr<ExperimentView> view = load_experiment(kGolden + "/logdir");
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_THAT(view->diagnostics, ::testing::IsEmpty());
  ExpectEqualProto(testing::to_proto(view->experiment),
                   GoldenJson<hpb::Experiment>("expected/experiment.json"));
  ExpectEqualProto(testing::to_proto(view->session_groups),
                   GoldenJson<hpb::ListSessionGroupsResponse>("expected/session_groups.json"));
}

TEST(Reader, GoldenValidationLogdirEqualsWhatTensorBoardServes) {
  absl::StatusOr<ExperimentView> view = load_experiment(kGolden + "/logdir_validation");
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_THAT(view->diagnostics, ::testing::IsEmpty());
  ExpectEqualProto(testing::to_proto(view->experiment),
                   GoldenJson<hpb::Experiment>("expected_validation/experiment.json"));
  ExpectEqualProto(testing::to_proto(view->session_groups),
                   GoldenJson<hpb::ListSessionGroupsResponse>("expected_validation/session_groups.json"));
}

TEST(Reader, RunsAreTheDirectoriesTensorBoardLists) {
  const std::pair<std::string, std::string> cases[] = {
      {"logdir", "expected/runs.json"}, {"logdir_validation", "expected_validation/runs.json"}};
  for (const auto& [logdir, runs_json] : cases) {
    absl::StatusOr<std::vector<RunFiles>> runs = list_runs(kGolden + "/" + logdir);
    ASSERT_TRUE(runs.ok()) << runs.status();
    auto expected = GoldenJson<google::protobuf::ListValue>(runs_json);
    std::vector<std::string> want;
    for (const auto& v : expected.values()) want.push_back(v.string_value());
    std::vector<std::string> got;
    for (const RunFiles& run : *runs) {
      got.push_back(run.name);
      ASSERT_EQ(run.files.size(), 1u);
      EXPECT_THAT(run.files[0], HasSubstr("tfevents"));
    }
    EXPECT_EQ(got, want) << logdir;
  }
}

TEST(Reader, OneThreadAndTwoThreadsGiveTheSameView) {
  LoadOptions one;
  one.threads = 1;
  LoadOptions two;
  two.threads = 2;
  auto a = load_experiment(kGolden + "/logdir_validation", one);
  auto b = load_experiment(kGolden + "/logdir_validation", two);
  ASSERT_TRUE(a.ok() && b.ok());
  ExpectEqualProto(testing::to_proto(a->session_groups), testing::to_proto(b->session_groups));
  ExpectEqualProto(testing::to_proto(a->experiment), testing::to_proto(b->experiment));
}

#if !defined(HPARAMS_SANITIZER_BUILD)  // sanitizers reserve shadow memory an address-space limit breaks
// When no more threads can start (here: an address-space limit leaves no
// room for another thread stack), the threads that did start read every run;
// std::thread's exception must not end the process.
TEST(Reader, ThreadsThatCannotStartLeaveTheWorkToTheOthers) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    long vm_kib = 0;
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("VmSize:", 0) == 0) vm_kib = std::atol(line.c_str() + 7);
    }
    // Room for the reading itself, not for 8 MiB thread stacks.
    const rlim_t limit = static_cast<rlim_t>(vm_kib + 4096) * 1024;
    struct rlimit rl = {limit, limit};
    if (vm_kib == 0 || ::setrlimit(RLIMIT_AS, &rl) != 0) ::_exit(3);
    LoadOptions many;
    many.threads = 8;
    auto view = load_experiment(kGolden + "/logdir", many);
    ::_exit(view.ok() && view->session_groups.size() == 8 ? 0 : 4);
  }
  int wait_status = 0;
  ASSERT_EQ(::waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFEXITED(wait_status)) << "the child died of signal " << WTERMSIG(wait_status);
  EXPECT_EQ(WEXITSTATUS(wait_status), 0);
}
#endif

TEST(Reader, MissingLogdirIsNotFound) {
  auto view = load_experiment(kGolden + "/no_such_dir");
  EXPECT_TRUE(absl::IsNotFound(view.status())) << view.status();
  EXPECT_THAT(std::string(view.status().message()), HasSubstr("no_such_dir"));
}

TEST(Reader, FileAsLogdirIsInvalidArgument) {
  auto view = load_experiment(kGolden + "/logdir/" + kEventFile);
  EXPECT_TRUE(absl::IsInvalidArgument(view.status())) << view.status();
}

TEST(Reader, EmptyLogdirNameIsInvalidArgument) {
  EXPECT_TRUE(absl::IsInvalidArgument(load_experiment("").status()));
}

TEST(Reader, CorruptRecordIsReportedWithFileAndOffsetAndTheRestIsRead) {
  ScratchLogdir logdir("logdir");
  std::string path = logdir.file("run-3");
  std::string bytes = read_bytes(path);
  // The last record is the accuracy scalar; damage a byte of its data.
  bytes[bytes.size() - 10] ^= 0x5a;
  write_bytes(path, bytes);
  auto view = load_experiment(logdir.path());
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_EQ(view->diagnostics.size(), 1u);
  const Diagnostic& d = view->diagnostics[0];
  EXPECT_EQ(d.kind, DiagnosticKind::kCorruptRecord);
  EXPECT_EQ(d.path, path);
  EXPECT_EQ(d.run, "run-3");
  EXPECT_GT(d.offset, 0u);
  EXPECT_LT(d.offset, bytes.size());
  EXPECT_THAT(d.message, HasSubstr(path));
  // run-3 keeps its session (read before the damage) but loses its metric;
  // every other run is intact.
  const Session* damaged = FindSession(*view, "run-3");
  ASSERT_NE(damaged, nullptr);
  EXPECT_EQ(damaged->metric_values.size(), 0u);
  for (int i : {0, 1, 2, 4, 5, 6, 7}) {
    const Session* s = FindSession(*view, "run-" + std::to_string(i));
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->metric_values.size(), 1u) << i;
  }
}

TEST(Reader, CorruptRecordInTheMiddleDoesNotLoseTheRecordsAfterIt) {
  ScratchLogdir logdir("logdir");
  std::string path = logdir.file("run-5");
  std::string bytes = read_bytes(path);
  // Records: file_version (88 bytes), session start, scalar. Damage the
  // session start's data; the scalar after it must survive.
  bytes[88 + 12 + 20] ^= 0x01;
  write_bytes(path, bytes);
  auto runs = read_logdir(logdir.path());
  ASSERT_TRUE(runs.ok());
  const RunData* run5 = nullptr;
  for (const RunData& r : *runs) {
    if (r.name == "run-5") run5 = &r;
  }
  ASSERT_NE(run5, nullptr);
  EXPECT_FALSE(run5->session_start.has_value());
  ASSERT_EQ(run5->scalars.count("accuracy"), 1u);
  EXPECT_EQ(run5->scalars.at("accuracy").value, static_cast<double>(0.85f));
}

TEST(Reader, TruncatedTailIsReportedAndEarlierEventsKept) {
  ScratchLogdir logdir("logdir");
  std::string path = logdir.file("run-2");
  std::string bytes = read_bytes(path);
  write_bytes(path, bytes.substr(0, bytes.size() - 7));
  auto view = load_experiment(logdir.path());
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_EQ(view->diagnostics.size(), 1u);
  EXPECT_EQ(view->diagnostics[0].kind, DiagnosticKind::kTruncatedFile);
  EXPECT_EQ(view->diagnostics[0].path, path);
  const Session* s = FindSession(*view, "run-2");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->metric_values.size(), 0u);
  EXPECT_EQ(view->session_groups.size(), 8u);
}

TEST(Reader, FilesOfARunAreReadInNameOrderSoTheLastFileHasTheLastValue) {
  ScratchLogdir logdir("logdir");
  // A second file for run-0, named after the first: its scalar (run-7's
  // 0.87 at step 1) is read last and wins.
  fs::copy_file(logdir.file("run-7"), logdir.path() + "/run-0/events.out.tfevents.1600000001.golden.4242.0");
  auto runs = read_logdir(logdir.path());
  ASSERT_TRUE(runs.ok());
  const RunData& run0 = (*runs)[1];
  ASSERT_EQ(run0.name, "run-0");
  ASSERT_EQ(run0.files.size(), 2u);
  EXPECT_LT(run0.files[0], run0.files[1]);
  EXPECT_EQ(run0.scalars.at("accuracy").value, static_cast<double>(0.87f));
  // ...and its first session start still wins.
  EXPECT_EQ(run0.session_start->hparams.at("optimizer"), Value("adam"));
  EXPECT_EQ(run0.session_start_count, 2);
}

TEST(Reader, NonEventFilesAndEmptyDirectoriesAreNotRuns) {
  ScratchLogdir logdir("logdir");
  fs::create_directories(logdir.path() + "/empty/deeper");
  write_bytes(logdir.path() + "/run-0/notes.txt", "hello");
  auto runs = list_runs(logdir.path());
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs->size(), 9u);
  EXPECT_EQ((*runs)[1].files.size(), 1u);
}

// An Env that cannot open one file.
class FailingEnv : public EnvWrapper {
 public:
  FailingEnv(std::string bad) : EnvWrapper(Env::default_env()), bad_(std::move(bad)) {}
  absl::StatusOr<std::unique_ptr<SequentialFile>> new_sequential_file(const std::string& path) override {
    if (path == bad_) return absl::PermissionDeniedError(path + ": permission denied");
    return EnvWrapper::new_sequential_file(path);
  }

 private:
  std::string bad_;
};

TEST(Reader, UnreadableFileIsReportedAndTheOthersAreRead) {
  std::string bad = kGolden + "/logdir/run-1/" + kEventFile;
  FailingEnv env(bad);
  LoadOptions options;
  options.env = &env;
  auto view = load_experiment(kGolden + "/logdir", options);
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_EQ(view->diagnostics.size(), 1u);
  EXPECT_EQ(view->diagnostics[0].kind, DiagnosticKind::kUnreadableFile);
  EXPECT_EQ(view->diagnostics[0].path, bad);
  EXPECT_THAT(view->diagnostics[0].message, HasSubstr("permission denied"));
  EXPECT_EQ(view->session_groups.size(), 7u);
  EXPECT_EQ(FindSession(*view, "run-1"), nullptr);
}

// An Env that cannot list one directory.
class UnlistableEnv : public EnvWrapper {
 public:
  UnlistableEnv(std::string bad) : EnvWrapper(Env::default_env()), bad_(std::move(bad)) {}
  absl::StatusOr<std::vector<DirEntry>> list_dir(const std::string& path) override {
    if (path == bad_) return absl::PermissionDeniedError(path + ": permission denied");
    return EnvWrapper::list_dir(path);
  }

 private:
  std::string bad_;
};

TEST(Reader, UnlistableSubdirectoryIsReportedAndTheOthersAreRead) {
  std::string bad = kGolden + "/logdir_validation/run-2";
  UnlistableEnv env(bad);
  LoadOptions options;
  options.env = &env;
  auto view = load_experiment(kGolden + "/logdir_validation", options);
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_EQ(view->diagnostics.size(), 1u);
  EXPECT_EQ(view->diagnostics[0].kind, DiagnosticKind::kUnreadableFile);
  EXPECT_EQ(view->diagnostics[0].path, bad);
  EXPECT_EQ(view->session_groups.size(), 7u);
}

// A symlinked directory is not descended (os.walk's default, as TensorBoard),
// so a loop is neither followed nor a problem; logdir_hostile_test has more.
TEST(Reader, SymlinkLoopIsNotFollowed) {
  ScratchLogdir logdir("logdir");
  fs::create_directory_symlink("..", logdir.path() + "/run-0/loop");
  auto view = load_experiment(logdir.path());
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_TRUE(view->diagnostics.empty());
  EXPECT_EQ(view->find_run("run-0/loop"), nullptr);
  // The real runs are all there.
  EXPECT_NE(FindSession(*view, "run-7"), nullptr);
  EXPECT_EQ(FindSession(*view, "run-7")->metric_values.size(), 1u);
}

TEST(Reader, ReadEventFileAddsEveryEventOfTheFileToTheRun) {
  RunData run;
  run.name = "run-4";
  std::vector<Diagnostic> diagnostics;
  const std::string path = kGolden + "/logdir/run-4/" + kEventFile;
  absl::Status status = read_event_file(path, LoadOptions{}, &run, &diagnostics);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_EQ(run.files, std::vector<std::string>{path});
  ASSERT_TRUE(run.session_start.has_value());
  EXPECT_EQ(run.session_start_count, 1);
  ASSERT_EQ(run.scalars.count("accuracy"), 1u);
  EXPECT_EQ(run.scalars.at("accuracy").step, 1);
  EXPECT_EQ(run.scalars.at("accuracy").wall_time, 1600000001.0);
}

// A record whose CRCs check out but whose bytes are no Event (a writer bug)
// is reported where it is, and the records after it are still read.
TEST(Reader, RecordThatIsNotAnEventIsReportedAndSkipped) {
  ScratchLogdir logdir("logdir");
  const std::string path = logdir.file("run-6");
  const std::string original = read_bytes(path);
  constexpr size_t kFirstRecordBytes = 88;  // the file_version event, framed
  const std::string garbage = "\xff\xff\xff\xff";
  std::string record(internal::kRecordOverheadBytes + garbage.size(), '\0');
  internal::encode_record_header(record.data(), garbage.size());
  std::memcpy(record.data() + internal::kRecordHeaderBytes, garbage.data(), garbage.size());
  internal::encode_record_footer(record.data() + internal::kRecordHeaderBytes + garbage.size(),
                                 record.data() + internal::kRecordHeaderBytes, garbage.size());
  write_bytes(path, original.substr(0, kFirstRecordBytes) + record + original.substr(kFirstRecordBytes));

  RunData run;
  run.name = "run-6";
  std::vector<Diagnostic> diagnostics;
  ASSERT_TRUE(read_event_file(path, LoadOptions{}, &run, &diagnostics).ok());
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].kind, DiagnosticKind::kCorruptRecord);
  EXPECT_EQ(diagnostics[0].run, "run-6");
  EXPECT_EQ(diagnostics[0].path, path);
  EXPECT_EQ(diagnostics[0].offset, kFirstRecordBytes);
  EXPECT_THAT(diagnostics[0].message, HasSubstr("is not a valid Event"));
  EXPECT_TRUE(run.session_start.has_value());
  EXPECT_EQ(run.scalars.count("accuracy"), 1u);

  auto view = load_experiment(logdir.path());
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_EQ(view->diagnostics.size(), 1u);
  EXPECT_EQ(view->diagnostics[0].message, diagnostics[0].message);
  EXPECT_EQ(view->session_groups.size(), 8u);
}

}  // namespace
}  // namespace hp
