// The POSIX Env: files, directories, errors that name the path, join_path;
// and a custom Env implementing only the pure virtual methods.
#include "hparams/env.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hparams/proto/event.pb.h"
#include "hparams/writer.h"
#include "io_test_util.h"

namespace hp {
namespace {

using test_util::make_temp_dir;
using ::testing::HasSubstr;

Env* env() { return Env::default_env(); }

TEST(Env, DefaultIsASingleton) { EXPECT_EQ(Env::default_env(), Env::default_env()); }

// Everything through the Env's SequentialFile, in pieces of `piece` bytes.
std::string read_through_env(const std::string& path, size_t piece = 4096) {
  auto file = env()->new_sequential_file(path);
  EXPECT_TRUE(file.ok()) << file.status();
  if (!file.ok()) return "";
  std::string contents;
  std::string scratch(piece, '\0');
  for (;;) {
    absl::StatusOr<std::string_view> got = (*file)->read(piece, scratch.data());
    EXPECT_TRUE(got.ok()) << got.status();
    if (!got.ok() || got->empty()) return contents;
    contents.append(got->data(), got->size());
  }
}

TEST(Env, WritableFileRoundTripsThroughSequentialFile) {
  const std::string path = join_path(make_temp_dir(), "f");
  auto file = env()->new_writable_file(path);
  ASSERT_TRUE(file.ok()) << file.status();
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    const std::string piece = "line " + std::to_string(i) + "\n";
    ASSERT_TRUE((*file)->append(piece).ok());
    expected += piece;
  }
  const std::string big(200000, 'z');  // larger than the write buffer
  ASSERT_TRUE((*file)->append(big).ok());
  expected += big;
  ASSERT_TRUE((*file)->flush().ok());
  ASSERT_TRUE((*file)->sync().ok());
  ASSERT_TRUE((*file)->close().ok());
  EXPECT_TRUE((*file)->close().ok());
  EXPECT_TRUE(absl::IsFailedPrecondition((*file)->append("late")));
  EXPECT_EQ(read_through_env(path), expected);
}

TEST(Env, NewWritableFileTruncates) {
  const std::string path = join_path(make_temp_dir(), "f");
  for (const char* text : {"first", "second"}) {
    auto file = env()->new_writable_file(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->append(text).ok());
    ASSERT_TRUE((*file)->close().ok());
  }
  EXPECT_EQ(read_through_env(path), "second");
}

TEST(Env, SequentialFileReadsInPiecesThenReportsTheEnd) {
  const std::string path = join_path(make_temp_dir(), "f");
  test_util::write_bytes(path, "0123456789");
  auto file = env()->new_sequential_file(path);
  ASSERT_TRUE(file.ok());
  char scratch[16];
  auto piece = (*file)->read(3, scratch);
  ASSERT_TRUE(piece.ok());
  EXPECT_EQ(*piece, "012");
  piece = (*file)->read(16, scratch);
  EXPECT_EQ(*piece, "3456789");
  piece = (*file)->read(16, scratch);
  ASSERT_TRUE(piece.ok());
  EXPECT_TRUE(piece->empty());
  EXPECT_EQ(read_through_env(path, 1), "0123456789");
}

TEST(Env, MissingFileIsNotFoundNamingThePath) {
  const std::string path = join_path(make_temp_dir(), "absent");
  auto file = env()->new_sequential_file(path);
  EXPECT_TRUE(absl::IsNotFound(file.status()));
  EXPECT_THAT(std::string(file.status().message()), HasSubstr(path));
  EXPECT_TRUE(absl::IsNotFound(env()->is_directory(path).status()));
  const absl::Status removed = env()->remove_file(path);
  EXPECT_TRUE(absl::IsNotFound(removed)) << removed;
  EXPECT_THAT(std::string(removed.message()), HasSubstr(path));
}

TEST(Env, CreateDirsMakesParentsAndAcceptsExistingDirectories) {
  const std::string root = make_temp_dir();
  const std::string deep = join_path(root, "a/b/c");
  ASSERT_TRUE(env()->create_dirs(deep).ok());
  ASSERT_TRUE(env()->create_dirs(deep).ok());
  ASSERT_TRUE(env()->create_dirs(deep + "/").ok());
  EXPECT_TRUE(*env()->is_directory(deep));
  EXPECT_TRUE(absl::IsInvalidArgument(env()->create_dirs("")));
}

TEST(Env, CreateDirsUnderARegularFileFailsWithAHint) {
  const std::string file = join_path(make_temp_dir(), "plain");
  test_util::write_bytes(file, "x");
  const absl::Status s = env()->create_dirs(join_path(file, "sub/dir"));
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr(file));
  EXPECT_THAT(std::string(s.message()), HasSubstr("not a directory"));
  const absl::Status on_file = env()->create_dirs(file);
  EXPECT_TRUE(absl::IsFailedPrecondition(on_file)) << on_file;
  EXPECT_THAT(std::string(on_file.message()), HasSubstr("not a directory"));
}

TEST(Env, ListDirReportsFilesAndDirectories) {
  const std::string root = make_temp_dir();
  ASSERT_TRUE(env()->create_dirs(join_path(root, "sub")).ok());
  test_util::write_bytes(join_path(root, "file"), "x");
  auto entries = env()->list_dir(root);
  ASSERT_TRUE(entries.ok());
  std::sort(entries->begin(), entries->end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].name, "file");
  EXPECT_FALSE((*entries)[0].is_directory);
  EXPECT_EQ((*entries)[1].name, "sub");
  EXPECT_TRUE((*entries)[1].is_directory);
  EXPECT_FALSE(*env()->is_directory(join_path(root, "file")));
  EXPECT_TRUE(absl::IsNotFound(env()->list_dir(join_path(root, "nope")).status()));
}

TEST(Env, RemoveFileRemovesIt) {
  const std::string path = join_path(make_temp_dir(), "f");
  test_util::write_bytes(path, "data");
  ASSERT_TRUE(env()->remove_file(path).ok());
  EXPECT_TRUE(absl::IsNotFound(env()->new_sequential_file(path).status()));
}

// An Env that implements only the pure virtual methods serves a writer:
// the optional ones (create_dirs_reporting, sync_dir, remove_dir, file_id)
// keep their defaults, and the event file reads back whole.
class MinimalEnv : public Env {
 public:
  absl::StatusOr<std::unique_ptr<WritableFile>> new_writable_file(const std::string& path) override {
    return default_env()->new_writable_file(path);
  }
  absl::StatusOr<std::unique_ptr<SequentialFile>> new_sequential_file(const std::string& path) override {
    return default_env()->new_sequential_file(path);
  }
  absl::Status create_dirs(const std::string& path) override { return default_env()->create_dirs(path); }
  absl::StatusOr<std::vector<DirEntry>> list_dir(const std::string& path) override {
    return default_env()->list_dir(path);
  }
  absl::StatusOr<bool> is_directory(const std::string& path) override {
    return default_env()->is_directory(path);
  }
  absl::Status remove_file(const std::string& path) override { return default_env()->remove_file(path); }
  std::string host_name() override { return "minimal"; }
  int64_t process_id() override { return 7; }
  double now_seconds() override { return 1600000000.0; }
};

TEST(Env, AnEnvWithOnlyThePureVirtualMethodsServesAWriter) {
  MinimalEnv minimal;
  const std::string logdir = join_path(make_temp_dir(), "run");
  WriterOptions options;
  options.env = &minimal;
  auto writer = SummaryWriter::create(logdir, options);
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE((*writer)->scalar("loss", 0.5, 1).ok());
  ASSERT_TRUE((*writer)->close().ok());
  EXPECT_THAT((*writer)->path(), HasSubstr("events.out.tfevents.1600000000.minimal.7."));
  const std::vector<proto::Event> events = test_util::read_events((*writer)->path());
  ASSERT_EQ(events.size(), 2u);
  for (const proto::Event& event : events) EXPECT_EQ(event.wall_time(), 1600000000.0);
  EXPECT_EQ(events[1].summary().value(0).tag(), "loss");
}

TEST(Env, HostPidAndClockAreSensible) {
  EXPECT_FALSE(env()->host_name().empty());
  EXPECT_GT(env()->process_id(), 0);
  EXPECT_GT(env()->now_seconds(), 1.6e9);
}

TEST(JoinPath, JoinsWithExactlyOneSeparator) {
  EXPECT_EQ(join_path("a", "b"), "a/b");
  EXPECT_EQ(join_path("a/", "b"), "a/b");
  EXPECT_EQ(join_path("a//", "/b"), "a/b");
  EXPECT_EQ(join_path("/", "b"), "/b");
  EXPECT_EQ(join_path("", "b"), "b");
  EXPECT_EQ(join_path("a", ""), "a");
  EXPECT_EQ(join_path("a/b", "c/d"), "a/b/c/d");
}

}  // namespace
}  // namespace hp
