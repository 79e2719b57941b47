// The POSIX Env: files, directories, errors that name the path, join_path.
#include "hparams/env.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "io_test_util.h"

namespace hp {
namespace {

using test_util::make_temp_dir;
using ::testing::HasSubstr;

Env* env() { return Env::Default(); }

TEST(Env, DefaultIsASingleton) { EXPECT_EQ(Env::Default(), Env::Default()); }

TEST(Env, WritableFileRoundTripsThroughReadFile) {
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
  auto contents = env()->read_file(path);
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(*contents, expected);
  auto size = env()->file_size(path);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, expected.size());
}

TEST(Env, NewWritableFileTruncatesAndAppendableFileAppends) {
  const std::string path = join_path(make_temp_dir(), "f");
  for (const char* text : {"first", "second"}) {
    auto file = env()->new_writable_file(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->append(text).ok());
    ASSERT_TRUE((*file)->close().ok());
  }
  auto appendable = env()->new_appendable_file(path);
  ASSERT_TRUE(appendable.ok());
  ASSERT_TRUE((*appendable)->append("+more").ok());
  ASSERT_TRUE((*appendable)->close().ok());
  EXPECT_EQ(*env()->read_file(path), "second+more");
}

TEST(Env, SequentialFileReadsAndSkips) {
  const std::string path = join_path(make_temp_dir(), "f");
  test_util::write_bytes(path, "0123456789");
  auto file = env()->new_sequential_file(path);
  ASSERT_TRUE(file.ok());
  char scratch[16];
  auto piece = (*file)->read(3, scratch);
  ASSERT_TRUE(piece.ok());
  EXPECT_EQ(*piece, "012");
  ASSERT_TRUE((*file)->skip(4).ok());
  piece = (*file)->read(16, scratch);
  EXPECT_EQ(*piece, "789");
  piece = (*file)->read(16, scratch);
  ASSERT_TRUE(piece.ok());
  EXPECT_TRUE(piece->empty());
  EXPECT_TRUE((*file)->skip(100).ok());
}

TEST(Env, MissingFileIsNotFoundNamingThePath) {
  const std::string path = join_path(make_temp_dir(), "absent");
  auto file = env()->new_sequential_file(path);
  EXPECT_TRUE(absl::IsNotFound(file.status()));
  EXPECT_THAT(std::string(file.status().message()), HasSubstr(path));
  EXPECT_TRUE(absl::IsNotFound(env()->read_file(path).status()));
  EXPECT_TRUE(absl::IsNotFound(env()->file_size(path).status()));
  EXPECT_TRUE(absl::IsNotFound(env()->is_directory(path).status()));
  EXPECT_FALSE(env()->file_exists(path));
  EXPECT_TRUE(absl::IsNotFound(env()->remove_file(path)));
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
  std::sort(entries->begin(), entries->end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].name, "file");
  EXPECT_FALSE((*entries)[0].is_directory);
  EXPECT_EQ((*entries)[1].name, "sub");
  EXPECT_TRUE((*entries)[1].is_directory);
  EXPECT_FALSE(*env()->is_directory(join_path(root, "file")));
  EXPECT_TRUE(absl::IsNotFound(env()->list_dir(join_path(root, "nope")).status()));
}

TEST(Env, RenameAndRemove) {
  const std::string root = make_temp_dir();
  const std::string a = join_path(root, "a"), b = join_path(root, "b");
  test_util::write_bytes(a, "data");
  ASSERT_TRUE(env()->rename_file(a, b).ok());
  EXPECT_FALSE(env()->file_exists(a));
  EXPECT_TRUE(env()->file_exists(b));
  ASSERT_TRUE(env()->remove_file(b).ok());
  EXPECT_FALSE(env()->file_exists(b));
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
