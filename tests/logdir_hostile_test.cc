// The logdir reader on directories nobody controls: symlink loops, links to
// files, FIFOs and devices named like event files. Every case must end
// quickly with a clear outcome; an Env that caps directory listings and
// bytes read turns the old unbounded behaviour into a failure, not a hang.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/env.h"
#include "hparams/reader.h"
#include "view_proto.h"

namespace hp {
namespace {

namespace fs = std::filesystem;

const std::string kGolden = HPARAMS_GOLDEN_DIR;
const std::string kEventFile = "events.out.tfevents.1600000000.golden.4242.0";

// Counts listings and bytes, and fails past a cap, so a walk or read that
// never ends becomes a bounded failure.
class CappedEnv : public EnvWrapper {
 public:
  CappedEnv() : EnvWrapper(Env::default_env()) {}
  absl::StatusOr<std::vector<DirEntry>> list_dir(const std::string& path) override {
    if (++listings_ > kMaxListings) return absl::ResourceExhaustedError("listing cap reached");
    return EnvWrapper::list_dir(path);
  }
  absl::StatusOr<std::unique_ptr<SequentialFile>> new_sequential_file(const std::string& path) override {
    absl::StatusOr<std::unique_ptr<SequentialFile>> file = EnvWrapper::new_sequential_file(path);
    if (!file.ok()) return file.status();
    return std::unique_ptr<SequentialFile>(new CappedFile(std::move(*file)));
  }
  int listings() const { return listings_; }

 private:
  static constexpr int kMaxListings = 2000;
  class CappedFile : public SequentialFile {
   public:
    explicit CappedFile(std::unique_ptr<SequentialFile> file) : file_(std::move(file)) {}
    absl::StatusOr<std::string_view> read(size_t n, char* scratch) override {
      if (bytes_ > (uint64_t{64} << 20)) return absl::ResourceExhaustedError("read cap reached");
      absl::StatusOr<std::string_view> got = file_->read(n, scratch);
      if (got.ok()) bytes_ += got->size();
      return got;
    }

   private:
    std::unique_ptr<SequentialFile> file_;
    uint64_t bytes_ = 0;
  };
  std::atomic<int> listings_{0};
};

class LogdirHostileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    logdir_ = ::testing::TempDir() + "/logdir_hostile_" + info->name();
    fs::remove_all(logdir_);
    fs::copy(kGolden + "/logdir", logdir_, fs::copy_options::recursive);
    clean_ = load_experiment(logdir_);
    ASSERT_TRUE(clean_.ok()) << clean_.status();
  }
  void TearDown() override { fs::remove_all(logdir_); }

  absl::StatusOr<ExperimentView> load() {
    LoadOptions options;
    options.env = &env_;
    return load_experiment(logdir_, options);
  }

  std::vector<std::string> run_names(const ExperimentView& view) {
    std::vector<std::string> names;
    for (const RunData& run : view.runs) names.push_back(run.name);
    return names;
  }

  std::string logdir_;
  absl::StatusOr<ExperimentView> clean_;
  CappedEnv env_;
};

// `ln -s . run-0/a; ln -s . run-0/b` made `show` grow without bound.
TEST_F(LogdirHostileTest, SymlinkLoopsAreNotDescended) {
  fs::create_directory_symlink(".", logdir_ + "/run-0/a");
  fs::create_directory_symlink(".", logdir_ + "/run-0/b");
  fs::create_directory_symlink("..", logdir_ + "/run-1/up");
  absl::StatusOr<ExperimentView> view = load();
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_LT(env_.listings(), 50);
  EXPECT_EQ(run_names(*view), run_names(*clean_));
  EXPECT_EQ(view->session_groups.size(), clean_->session_groups.size());
  EXPECT_EQ(view->diagnostics.size(), clean_->diagnostics.size());
}

// One self-link read the same file 41 times (41 sessions) while `check`
// found nothing.
TEST_F(LogdirHostileTest, SelfLinkDoesNotDuplicateSessions) {
  fs::create_directory_symlink(".", logdir_ + "/run-0/self");
  fs::create_directory_symlink(logdir_ + "/run-2", logdir_ + "/run-2-again");
  absl::StatusOr<ExperimentView> view = load();
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(run_names(*view), run_names(*clean_));
  EXPECT_EQ(view->session_groups.size(), clean_->session_groups.size());
}

// A symlink to a file is read, as TensorBoard does.
TEST_F(LogdirHostileTest, SymlinkToAnEventFileIsRead) {
  const std::string elsewhere = logdir_ + "-elsewhere";
  fs::remove_all(elsewhere);
  fs::create_directory(elsewhere);
  fs::rename(logdir_ + "/run-3/" + kEventFile, elsewhere + "/" + kEventFile);
  fs::create_symlink(elsewhere + "/" + kEventFile, logdir_ + "/run-3/" + kEventFile);
  absl::StatusOr<ExperimentView> view = load();
  fs::remove_all(elsewhere);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(run_names(*view), run_names(*clean_));
  EXPECT_EQ(testing::to_proto(view->session_groups).DebugString(),
            testing::to_proto(clean_->session_groups).DebugString());
}

bool HasUnreadable(const ExperimentView& view, const std::string& path) {
  for (const Diagnostic& d : view.diagnostics) {
    if (d.kind == DiagnosticKind::kUnreadableFile && d.path == path &&
        d.message.find("not a regular file") != std::string::npos) {
      return true;
    }
  }
  return false;
}

// A FIFO named like an event file blocked open() forever. If the reader
// blocks anyway, a helper opens the FIFO's other end after a few seconds so
// the test fails instead of hanging.
TEST_F(LogdirHostileTest, FifoIsAnUnreadableFileNotAHang) {
  const std::string fifo = logdir_ + "/run-4/events.out.tfevents.1700000000.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  std::atomic<bool> done{false};
  std::thread unblocker([&] {
    for (int i = 0; i < 50 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (done) return;
    int fd = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
  });
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<ExperimentView> view = load();
  done = true;
  unblocker.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_TRUE(HasUnreadable(*view, fifo));
  EXPECT_EQ(view->session_groups.size(), clean_->session_groups.size());
}

// A link to /dev/zero named like an event file was read forever.
TEST_F(LogdirHostileTest, DeviceIsAnUnreadableFileNotAnEndlessRead) {
  const std::string device = logdir_ + "/run-5/events.out.tfevents.1700000000.zero";
  fs::create_symlink("/dev/zero", device);
  absl::StatusOr<ExperimentView> view = load();
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_TRUE(HasUnreadable(*view, device));
  EXPECT_EQ(view->session_groups.size(), clean_->session_groups.size());
}

TEST(EnvHostile, OnlyRegularFilesOpenForReading) {
  const std::string dir = ::testing::TempDir() + "/env_hostile_fifo";
  fs::remove_all(dir);
  fs::create_directory(dir);
  const std::string fifo = dir + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  for (const std::string& path : {fifo, std::string("/dev/zero"), dir}) {
    auto file = Env::default_env()->new_sequential_file(path);
    EXPECT_TRUE(absl::IsFailedPrecondition(file.status())) << path << ": " << file.status();
    EXPECT_NE(file.status().message().find("not a regular file"), std::string::npos) << file.status();
  }
  fs::remove_all(dir);
}

TEST(EnvHostile, ListDirMarksSymlinksAndFileIdSeesThroughThem) {
  const std::string dir = ::testing::TempDir() + "/env_hostile_links";
  fs::remove_all(dir);
  fs::create_directories(dir + "/real");
  fs::create_directory_symlink("real", dir + "/link");
  auto entries = Env::default_env()->list_dir(dir);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 2u);
  for (const DirEntry& e : *entries) {
    EXPECT_TRUE(e.is_directory) << e.name;
    EXPECT_EQ(e.is_symlink, e.name == "link") << e.name;
  }
  auto real = Env::default_env()->file_id(dir + "/real");
  auto link = Env::default_env()->file_id(dir + "/link");
  auto parent = Env::default_env()->file_id(dir);
  ASSERT_TRUE(real.ok() && link.ok() && parent.ok());
  EXPECT_EQ(*real, *link);
  EXPECT_FALSE(*real == *parent);
  fs::remove_all(dir);
}

// An Env written before file_id() existed still compiles and reads.
TEST(EnvHostile, EnvWithoutFileIdStillWalks) {
  class OldEnv : public EnvWrapper {
   public:
    OldEnv() : EnvWrapper(Env::default_env()) {}
    absl::StatusOr<FileId> file_id(const std::string& path) override { return Env::file_id(path); }
  } env;
  EXPECT_TRUE(absl::IsUnimplemented(env.file_id("/").status()));
  LoadOptions options;
  options.env = &env;
  absl::StatusOr<ExperimentView> view = load_experiment(kGolden + "/logdir", options);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_GT(view->session_groups.size(), 0u);
}

}  // namespace
}  // namespace hp
