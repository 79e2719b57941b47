// The record reader on files made to hurt it: a plausible header at every
// few bytes (resynchronisation must stay linear), and length claims that
// cannot be true (never allocated, never overflowing, never the end of the
// good records after them).
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/env.h"
#include "hparams/record_reader.h"
#include "internal/crc32c.h"
#include "internal/record_format.h"
#include "internal/record_writer.h"
#include "io_test_util.h"

namespace hp {
namespace {

using internal::frame_record;
using test_util::make_temp_dir;
using test_util::write_bytes;

std::string header_claiming(uint64_t length) {
  std::string header(internal::kRecordHeaderBytes, '\0');
  internal::encode_record_header(header.data(), length);
  return header;
}

struct Result {
  std::vector<std::string> records;
  std::vector<CorruptionReport> reports;
  bool truncated = false;
  absl::Status end;
};

Result read_all(const std::string& path, RecordReaderOptions options = {}) {
  Result result;
  options.on_corruption = [&result](const CorruptionReport& r) { result.reports.push_back(r); };
  auto reader = RecordReader::open(path, options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return result;
  for (;;) {
    absl::StatusOr<std::string_view> record = (*reader)->read_record();
    if (!record.ok()) {
      result.end = record.status();
      break;
    }
    result.records.emplace_back(*record);
  }
  result.truncated = (*reader)->truncated_tail();
  return result;
}

// CPU seconds since `start` (from std::clock()): wall time on a loaded
// machine says little about the algorithm.
double cpu_seconds_since(std::clock_t start) {
  return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

// Every 12 bytes a header whose CRC checks out and whose record (half the
// file) fits, but whose data CRC does not: before, resync re-CRCed the
// claimed record at each candidate (4.8 MB took 49 s, 10 MB minutes); now
// each offset is O(1).
TEST(RecordReaderHostile, ResyncOverAHeaderAtEveryOffsetIsLinear) {
#if defined(HPARAMS_SANITIZER_BUILD)
  constexpr size_t kFileBytes = size_t{2} << 20;
#else
  constexpr size_t kFileBytes = size_t{10} << 20;
#endif
  const std::string header = header_claiming(kFileBytes / 2);
  // One stray byte first, so the scan starts byte by byte, not after a claim.
  std::string bytes = frame_record("first") + "G";
  while (bytes.size() < kFileBytes) bytes += header;
  bytes += frame_record("last");
  const std::string path = join_path(make_temp_dir(), "crafted");
  write_bytes(path, bytes);

  const std::clock_t start = std::clock();
  Result got = read_all(path);
  const double elapsed = cpu_seconds_since(start);
  EXPECT_EQ(got.records, (std::vector<std::string>{"first", "last"}));
  ASSERT_EQ(got.reports.size(), 1u);
  EXPECT_EQ(got.reports[0].bytes_dropped, bytes.size() - internal::kRecordOverheadBytes * 2 - 5 - 4);
  EXPECT_EQ(got.reports[0].offset, internal::kRecordOverheadBytes + 5);
  EXPECT_FALSE(got.truncated);
  std::printf("resync over %zu crafted bytes: %.3f s CPU\n", bytes.size(), elapsed);
  EXPECT_LT(elapsed, 2.0);
}

// The same with a claim that differs at every candidate, so no shift
// operator can be reused.
TEST(RecordReaderHostile, ResyncWithVaryingClaimsIsLinear) {
  std::string bytes = frame_record("first");
  for (uint64_t i = 0; bytes.size() < (size_t{1} << 20); ++i) bytes += header_claiming(1000 + i);
  bytes += std::string(70000, 'x') + frame_record("last");
  const std::string path = join_path(make_temp_dir(), "crafted");
  write_bytes(path, bytes);
  const std::clock_t start = std::clock();
  Result got = read_all(path);
  EXPECT_EQ(got.records, (std::vector<std::string>{"first", "last"}));
  EXPECT_LT(cpu_seconds_since(start), 2.0);
}

// A 784-byte file whose middle header claims 200 MiB: before, the reader
// allocated the claim and called the 3 good records after it a truncated tail.
TEST(RecordReaderHostile, ClaimLongerThanTheFileIsCorruptionWhenRecordsFollow) {
  std::string bytes = frame_record(std::string(100, 'a')) + frame_record(std::string(100, 'b'));
  const uint64_t bad_offset = bytes.size();
  bytes += header_claiming(uint64_t{200} << 20) + std::string(200, 'z');
  std::vector<std::string> after = {std::string(80, 'c'), std::string(90, 'd'), std::string(60, 'e')};
  for (const auto& r : after) bytes += frame_record(r);
  const std::string path = join_path(make_temp_dir(), "claim");
  write_bytes(path, bytes);

  Result got = read_all(path);
  ASSERT_EQ(got.records.size(), 5u);
  EXPECT_EQ(got.records[2], after[0]);
  EXPECT_EQ(got.records[4], after[2]);
  EXPECT_FALSE(got.truncated);
  ASSERT_EQ(got.reports.size(), 1u);
  EXPECT_EQ(got.reports[0].offset, bad_offset);
  EXPECT_EQ(got.reports[0].bytes_dropped, internal::kRecordHeaderBytes + 200);
  EXPECT_TRUE(absl::IsDataLoss(got.reports[0].reason)) << got.reports[0].reason;
}

// A header that claims more than the file holds with nothing valid after it
// is what a writer killed mid-record leaves: still a truncated tail.
TEST(RecordReaderHostile, ClaimLongerThanTheFileWithNothingAfterIsATruncatedTail) {
  const std::string path = join_path(make_temp_dir(), "tail");
  write_bytes(path, frame_record("one") + header_claiming(5000) + std::string(300, 'q'));
  Result got = read_all(path);
  EXPECT_EQ(got.records, (std::vector<std::string>{"one"}));
  EXPECT_TRUE(got.truncated);
  EXPECT_TRUE(got.reports.empty());
}

// With no cap at all, 2^64-8 used to overflow kRecordOverheadBytes + length (a
// heap overflow under ASan) and 2^40 threw std::bad_alloc out of the library.
TEST(RecordReaderHostile, HugeClaimsWithoutACapNeitherOverflowNorThrow) {
  for (uint64_t claim : {~uint64_t{0} - 7, ~uint64_t{0}, uint64_t{1} << 40, uint64_t{1} << 62}) {
    const std::string path = join_path(make_temp_dir(), "huge");
    write_bytes(path, frame_record("one") + header_claiming(claim) + frame_record("two"));
    RecordReaderOptions options;
    options.max_record_bytes = SIZE_MAX;
    Result got = read_all(path, options);
    EXPECT_EQ(got.records, (std::vector<std::string>{"one", "two"})) << claim;
    EXPECT_EQ(got.reports.size(), 1u) << claim;
    EXPECT_FALSE(got.truncated) << claim;
  }
}

}  // namespace
}  // namespace hp
