// Record framing and RecordReader: round trips, truncated tails, corruption
// reports with offsets, the size cap.
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/env.h"
#include "hparams/record_reader.h"
#include "internal/record_format.h"
#include "internal/record_writer.h"
#include "io_test_util.h"

namespace hp {
namespace {

using internal::append_framed_record;
using internal::frame_record;
using test_util::make_temp_dir;
using test_util::read_bytes;
using test_util::write_bytes;

std::string random_payload(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

// Frames `records` as the writer does and writes them through the default
// Env; returns the path.
std::string write_records(const std::vector<std::string>& records, const std::string& name = "records") {
  const std::string path = join_path(make_temp_dir(), name);
  std::string framed;
  for (const auto& r : records) append_framed_record(r, &framed);
  auto file = Env::default_env()->new_writable_file(path);
  EXPECT_TRUE(file.ok()) << file.status();
  EXPECT_TRUE((*file)->append(framed).ok());
  EXPECT_TRUE((*file)->close().ok());
  return path;
}

struct ReadResult {
  std::vector<std::string> records;
  std::vector<uint64_t> offsets;
  std::vector<CorruptionReport> reports;
  bool truncated = false;
  uint64_t dropped = 0;
  absl::Status end;
};

ReadResult read_all(const std::string& path, RecordReaderOptions options = {}) {
  ReadResult result;
  options.on_corruption = [&result](const CorruptionReport& r) { result.reports.push_back(r); };
  auto reader = RecordReader::open(path, options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  for (;;) {
    absl::StatusOr<std::string_view> record = (*reader)->read_record();
    if (!record.ok()) {
      result.end = record.status();
      break;
    }
    result.records.emplace_back(*record);
    result.offsets.push_back((*reader)->record_offset());
  }
  result.truncated = (*reader)->truncated_tail();
  result.dropped = (*reader)->bytes_dropped();
  return result;
}

std::vector<std::string> sample_records() {
  std::vector<std::string> records = {"", "a", "hello world"};
  for (size_t n : {100u, 4095u, 70000u, 300000u, 1200000u})
    records.push_back(random_payload(n, static_cast<uint32_t>(n)));
  records.push_back("last");
  return records;
}

TEST(RecordIo, RoundTripsRecordsOfManySizes) {
  const auto records = sample_records();
  const std::string path = write_records(records);
  ReadResult got = read_all(path);
  EXPECT_TRUE(absl::IsOutOfRange(got.end)) << got.end;
  EXPECT_EQ(got.records, records);
  EXPECT_FALSE(got.truncated);
  EXPECT_TRUE(got.reports.empty());
  uint64_t offset = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(got.offsets[i], offset);
    offset += internal::kRecordOverheadBytes + records[i].size();
  }
}

TEST(RecordIo, FramedRecordLayoutIsLengthCrcDataCrc) {
  const std::string data = "payload";
  const std::string framed = frame_record(data);
  ASSERT_EQ(framed.size(), 8 + 4 + data.size() + 4);
  EXPECT_EQ(internal::decode_fixed64(framed.data()), data.size());
  EXPECT_EQ(internal::crc32c_unmask(internal::decode_fixed32(framed.data() + 8)),
            internal::crc32c_value(framed.data(), 8));
  EXPECT_EQ(framed.substr(12, data.size()), data);
  EXPECT_EQ(internal::crc32c_unmask(internal::decode_fixed32(framed.data() + 12 + data.size())),
            internal::crc32c_value(data.data(), data.size()));
}

TEST(RecordReader, TruncatedTailEndsCleanlyAtEveryByteOffset) {
  const std::vector<std::string> records = {"first", "", "third record", random_payload(40, 9), "fifth"};
  const std::string full = read_bytes(write_records(records));
  std::vector<size_t> ends;  // file offset just past each record
  size_t end = 0;
  for (const auto& r : records) ends.push_back(end += internal::kRecordOverheadBytes + r.size());
  ASSERT_EQ(ends.back(), full.size());

  const std::string path = join_path(make_temp_dir(), "cut");
  for (size_t cut = 0; cut <= full.size(); ++cut) {
    write_bytes(path, full.substr(0, cut));
    size_t complete = 0;
    while (complete < ends.size() && ends[complete] <= cut) ++complete;
    ReadResult got = read_all(path);
    ASSERT_TRUE(absl::IsOutOfRange(got.end)) << "cut " << cut << ": " << got.end;
    ASSERT_EQ(got.records.size(), complete) << "cut " << cut;
    for (size_t i = 0; i < complete; ++i) ASSERT_EQ(got.records[i], records[i]);
    const bool at_boundary = cut == 0 || std::find(ends.begin(), ends.end(), cut) != ends.end();
    EXPECT_EQ(got.truncated, !at_boundary) << "cut " << cut;
    EXPECT_TRUE(got.reports.empty()) << "cut " << cut << ": " << got.reports.front().reason;
  }
}

TEST(RecordReader, CorruptDataByteIsReportedWithOffsetAndLaterRecordsSurvive) {
  std::vector<std::string> records;
  for (int i = 0; i < 20; ++i) records.push_back("record number " + std::to_string(i));
  const std::string path = write_records(records);
  std::string bytes = read_bytes(path);
  const ReadResult clean = read_all(path);
  const size_t victim = 10;
  const uint64_t victim_offset = clean.offsets[victim];
  bytes[victim_offset + internal::kRecordHeaderBytes + 3] ^= 0x40;
  write_bytes(path, bytes);

  ReadResult got = read_all(path);
  ASSERT_EQ(got.reports.size(), 1u);
  EXPECT_EQ(got.reports[0].offset, victim_offset);
  EXPECT_EQ(got.reports[0].bytes_dropped, internal::kRecordOverheadBytes + records[victim].size());
  EXPECT_TRUE(absl::IsDataLoss(got.reports[0].reason)) << got.reports[0].reason;
  EXPECT_NE(got.reports[0].reason.message().find(std::to_string(victim_offset)), std::string::npos);
  EXPECT_EQ(got.reports[0].path, path);
  std::vector<std::string> expected = records;
  expected.erase(expected.begin() + victim);
  EXPECT_EQ(got.records, expected);
  EXPECT_EQ(got.dropped, got.reports[0].bytes_dropped);
  EXPECT_FALSE(got.truncated);
}

// A length whose CRC checks out is trusted: when the data CRC then fails,
// the whole claimed extent goes, even records that start inside it (what
// record_reader.h promises, and no more).
TEST(RecordReader, RecordsInsideTheExtentOfABadRecordWithAGoodLengthAreDroppedWithIt) {
  const std::string one = frame_record("one");
  std::string bytes = one;
  const std::string claim = frame_record(std::string(100, 'a')).substr(0, internal::kRecordHeaderBytes);
  std::string extent = std::string(30, 'z') + frame_record("two") + frame_record("three");
  extent += std::string(100 + internal::kRecordFooterBytes - extent.size(), 'p');
  bytes += claim + extent + frame_record("four");
  const std::string path = join_path(make_temp_dir(), "extent");
  write_bytes(path, bytes);

  ReadResult got = read_all(path);
  EXPECT_EQ(got.records, (std::vector<std::string>{"one", "four"}));
  ASSERT_EQ(got.reports.size(), 1u);
  EXPECT_EQ(got.reports[0].offset, one.size());
  EXPECT_EQ(got.reports[0].bytes_dropped, internal::kRecordOverheadBytes + 100);
  EXPECT_TRUE(absl::IsDataLoss(got.reports[0].reason)) << got.reports[0].reason;
}

TEST(RecordReader, CorruptLengthFieldResyncsOnNextRecord) {
  std::vector<std::string> records;
  for (int i = 0; i < 10; ++i) records.push_back(random_payload(30 + i, static_cast<uint32_t>(i)));
  const std::string path = write_records(records);
  const ReadResult clean = read_all(path);
  std::string bytes = read_bytes(path);
  bytes[clean.offsets[4] + 1] ^= 0x01;  // the length, so its CRC fails
  write_bytes(path, bytes);

  ReadResult got = read_all(path);
  ASSERT_EQ(got.reports.size(), 1u);
  EXPECT_EQ(got.reports[0].offset, clean.offsets[4]);
  EXPECT_EQ(got.reports[0].bytes_dropped, clean.offsets[5] - clean.offsets[4]);
  std::vector<std::string> expected = records;
  expected.erase(expected.begin() + 4);
  EXPECT_EQ(got.records, expected);
}

TEST(RecordReader, OversizedLengthIsReportedWithoutAllocatingIt) {
  const std::string path = write_records({"small", std::string(5000, 'x'), "after"});
  RecordReaderOptions options;
  options.max_record_bytes = 1000;
  ReadResult got = read_all(path, options);
  ASSERT_EQ(got.reports.size(), 1u);
  EXPECT_TRUE(absl::IsResourceExhausted(got.reports[0].reason)) << got.reports[0].reason;
  EXPECT_EQ(got.records, (std::vector<std::string>{"small", "after"}));
}

TEST(RecordReader, WithoutResyncCorruptionIsDataLoss) {
  const std::string path = write_records({"one", "two", "three"});
  std::string bytes = read_bytes(path);
  bytes[internal::kRecordOverheadBytes + 3 + internal::kRecordHeaderBytes] ^= 1;  // inside "two"
  write_bytes(path, bytes);
  RecordReaderOptions options;
  options.resync_after_corruption = false;
  ReadResult got = read_all(path, options);
  EXPECT_EQ(got.records, (std::vector<std::string>{"one"}));
  EXPECT_TRUE(absl::IsDataLoss(got.end)) << got.end;
}

TEST(RecordReader, GarbageBeforeValidRecordsIsSkipped) {
  const std::string path = write_records({"alpha", "beta"});
  const std::string garbage = random_payload(37, 5);
  write_bytes(path, garbage + read_bytes(path));
  ReadResult got = read_all(path);
  EXPECT_EQ(got.records, (std::vector<std::string>{"alpha", "beta"}));
  ASSERT_EQ(got.reports.size(), 1u);
  EXPECT_EQ(got.reports[0].offset, 0u);
  EXPECT_EQ(got.reports[0].bytes_dropped, garbage.size());
}

TEST(RecordReader, PicksUpRecordsAppendedAfterTheEnd) {
  const std::string path = write_records({"one"});
  const std::string two = frame_record("two"), three = frame_record("three");
  auto reader = RecordReader::open(path);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(*(*reader)->read_record(), "one");
  EXPECT_TRUE(absl::IsOutOfRange((*reader)->read_record().status()));
  // A writer appends a record, then half of another.
  write_bytes(path, read_bytes(path) + two + three.substr(0, 9));
  EXPECT_EQ(*(*reader)->read_record(), "two");
  EXPECT_TRUE(absl::IsOutOfRange((*reader)->read_record().status()));
  EXPECT_TRUE((*reader)->truncated_tail());
  // ... and finishes it.
  write_bytes(path, read_bytes(path) + three.substr(9));
  auto record = (*reader)->read_record();
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(*record, "three");
  EXPECT_FALSE((*reader)->truncated_tail());
  EXPECT_EQ((*reader)->bytes_dropped(), 0u);
}

TEST(RecordReader, MissingFileIsNotFound) {
  auto reader = RecordReader::open(join_path(make_temp_dir(), "absent"));
  EXPECT_TRUE(absl::IsNotFound(reader.status())) << reader.status();
}

TEST(EventFileReader, RecordThatIsNotAnEventIsReportedAndSkipped) {
  proto::Event event;
  event.set_step(3);
  event.set_file_version("brain.Event:2");
  const std::string good = event.SerializeAsString();
  const std::string path = write_records({good, std::string("\xff\xff\xff\xff", 4), good});
  std::vector<CorruptionReport> reports;
  RecordReaderOptions options;
  options.on_corruption = [&](const CorruptionReport& r) { reports.push_back(r); };
  auto reader = EventFileReader::open(path, options);
  ASSERT_TRUE(reader.ok());
  int count = 0;
  proto::Event got;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->next(&got);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    EXPECT_EQ(got.step(), 3);
    ++count;
  }
  EXPECT_EQ(count, 2);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].offset, internal::kRecordOverheadBytes + good.size());
  EXPECT_TRUE(absl::IsDataLoss(reports[0].reason));
}

}  // namespace
}  // namespace hp
