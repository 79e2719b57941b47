// Helpers shared by the I/O tests: a fresh temporary directory, the single
// event file a writer made, and every Event in a file.
#ifndef HPARAMS_TESTS_IO_TEST_UTIL_H_
#define HPARAMS_TESTS_IO_TEST_UTIL_H_

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/env.h"
#include "hparams/proto/event.pb.h"
#include "hparams/record_reader.h"
#include "hparams/summary.h"  // EventFileReader

namespace hp {
namespace test_util {

// Removes the directories it holds when the test program exits, so runs
// do not pile up event files in /tmp.
class TempDirRegistry {
 public:
  static TempDirRegistry& get() {
    static TempDirRegistry registry;
    return registry;
  }
  void add(const std::string& dir) {
    std::lock_guard<std::mutex> lock(mu_);
    dirs_.push_back(dir);
  }
  ~TempDirRegistry() {
    for (const auto& dir : dirs_) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  }

 private:
  std::mutex mu_;
  std::vector<std::string> dirs_;
};

// A new empty directory under the test temp dir, removed at exit.
inline std::string make_temp_dir() {
  std::string pattern = ::testing::TempDir() + "hparams_io_XXXXXX";
  char* dir = ::mkdtemp(pattern.data());
  EXPECT_NE(dir, nullptr);
  TempDirRegistry::get().add(pattern);
  return pattern;
}

// The whole file; fails the test when it cannot be opened.
inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// What a program run by run_program did.
struct ProgramRun {
  int exit_code = -1;  // -1 when it did not exit normally
  std::string output;  // stdout and stderr
};

// Runs `program` with `args` (already shell-safe), stdout and stderr to a
// file, so the program sees no terminal (plain progress lines). CTest runs
// test cases as parallel processes: one output file per process and call.
inline ProgramRun run_program(const std::string& program, const std::string& args) {
  static int calls = 0;
  const std::string out_path = ::testing::TempDir() + "hparams_program_output." + std::to_string(::getpid()) +
                               "." + std::to_string(calls++) + ".txt";
  const std::string command = "'" + program + "' " + args + " > '" + out_path + "' 2>&1";
  const int status = std::system(command.c_str());
  ProgramRun result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.output = read_bytes(out_path);
  std::remove(out_path.c_str());
  return result;
}

// Replaces the file's contents; fails the test when the write fails.
inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  EXPECT_TRUE(out.good()) << "cannot write " << path;
}

// Every Event in `path`, in file order; fails the test on any corruption.
inline std::vector<proto::Event> read_events(const std::string& path) {
  std::vector<proto::Event> events;
  RecordReaderOptions options;
  options.on_corruption = [](const CorruptionReport& r) { ADD_FAILURE() << r.reason; };
  auto reader = EventFileReader::open(path, options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return events;
  for (;;) {
    proto::Event event;
    absl::StatusOr<bool> more = (*reader)->next(&event);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace test_util
}  // namespace hp

#endif  // HPARAMS_TESTS_IO_TEST_UTIL_H_
