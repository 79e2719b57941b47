// Our framing and encoding against the event files TensorBoard itself wrote
// (tests/golden): byte for byte where the bytes are deterministic.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "hparams/env.h"
#include "hparams/record_reader.h"
#include "hparams/writer.h"
#include "internal/record_writer.h"
#include "io_test_util.h"

namespace hp {
namespace {

using google::protobuf::util::MessageDifferencer;
using internal::append_framed_record;
using internal::frame_record;
using test_util::make_temp_dir;
using test_util::read_bytes;

const std::string kGolden = HPARAMS_GOLDEN_DIR;

// Every event file under `dir`, recursively.
void find_event_files(const std::string& dir, std::vector<std::string>* out) {
  auto entries = Env::default_env()->list_dir(dir);
  ASSERT_TRUE(entries.ok()) << entries.status();
  for (const DirEntry& e : *entries) {
    const std::string path = join_path(dir, e.name);
    if (e.is_directory) {
      find_event_files(path, out);
    } else if (e.name.find("tfevents") != std::string::npos) {
      out->push_back(path);
    }
  }
}

std::vector<std::string> golden_event_files() {
  std::vector<std::string> files;
  find_event_files(join_path(kGolden, "logdir"), &files);
  find_event_files(join_path(kGolden, "logdir_validation"), &files);
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> read_records(const std::string& path) {
  std::vector<std::string> records;
  RecordReaderOptions options;
  options.on_corruption = [](const CorruptionReport& r) { ADD_FAILURE() << r.reason; };
  auto reader = RecordReader::open(path, options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  for (;;) {
    auto record = (*reader)->read_record();
    if (!record.ok()) {
      EXPECT_TRUE(absl::IsOutOfRange(record.status())) << record.status();
      EXPECT_FALSE((*reader)->truncated_tail()) << path;
      break;
    }
    records.emplace_back(*record);
  }
  return records;
}

std::string hex_decode(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// The hex of the first record as the golden README states it.
std::string readme_first_record() {
  const std::string readme = read_bytes(join_path(kGolden, "README.md"));
  const std::string marker = "88-byte record in the golden files (hex):";
  size_t pos = readme.find(marker);
  EXPECT_NE(pos, std::string::npos);
  pos = readme.find('`', pos);
  const size_t end = readme.find('`', pos + 1);
  return hex_decode(readme.substr(pos + 1, end - pos - 1));
}

// An Env that reports the golden files' host and pid.
class GoldenNameEnv : public EnvWrapper {
 public:
  GoldenNameEnv() : EnvWrapper(Env::default_env()) {}
  std::string host_name() override { return "golden"; }
  int64_t process_id() override { return 4242; }
};

TEST(GoldenFraming, ReframingEveryGoldenRecordReproducesTheFileByteForByte) {
  const auto files = golden_event_files();
  ASSERT_EQ(files.size(), 1u + 8u + 1u + 8u * 3u);
  for (const std::string& path : files) {
    std::string reframed;
    for (const std::string& record : read_records(path)) append_framed_record(record, &reframed);
    EXPECT_EQ(reframed, read_bytes(path)) << path;
  }
}

TEST(GoldenFraming, FirstRecordMatchesTheReadmeHex) {
  const std::string expected = readme_first_record();
  ASSERT_EQ(expected.size(), 88u);
  for (const std::string& path : golden_event_files()) {
    EXPECT_EQ(read_bytes(path).substr(0, 88), expected) << path;
  }
  // Decoding and re-encoding with our protos gives the same bytes.
  proto::Event event;
  ASSERT_TRUE(event.ParseFromString(expected.substr(12, 72)));
  EXPECT_EQ(event.file_version(), "brain.Event:2");
  EXPECT_EQ(frame_record(event.SerializeAsString()), expected);
}

std::unique_ptr<SummaryWriter> golden_clock_writer(const std::string& dir, GoldenNameEnv* env,
                                                   double* clock) {
  WriterOptions options;
  options.env = env;
  options.clock = [clock] { return *clock; };
  auto writer = SummaryWriter::create(dir, options);
  EXPECT_TRUE(writer.ok()) << writer.status();
  return std::move(*writer);
}

TEST(GoldenFraming, OurFileVersionEventDiffersFromTensorBoardsOnlyInTheWriterName) {
  GoldenNameEnv env;
  double clock = 1600000000.0;
  auto writer = golden_clock_writer(make_temp_dir(), &env, &clock);
  ASSERT_TRUE(writer->close().ok());
  EXPECT_THAT(writer->path(), ::testing::HasSubstr("/events.out.tfevents.1600000000.golden.4242."));

  const std::string golden_path = join_path(kGolden, "logdir/events.out.tfevents.1600000000.golden.4242.0");
  proto::Event golden_first, ours;
  ASSERT_TRUE(golden_first.ParseFromString(read_records(golden_path).at(0)));
  const auto records = read_records(writer->path());
  ASSERT_EQ(records.size(), 1u);
  ASSERT_TRUE(ours.ParseFromString(records[0]));
  EXPECT_EQ(ours.source_metadata().writer(), "hparams-cpp");
  golden_first.mutable_source_metadata()->set_writer("hparams-cpp");
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(golden_first, ours)) << diff;
  // And the bytes are what protobuf would write for that message.
  EXPECT_EQ(records[0], golden_first.SerializeAsString());
}

// Each golden run file holds: file_version, hparams summary (step 0), the
// accuracy scalar (step 1). Logging the same through our writer gives the
// same records, byte for byte.
TEST(GoldenFraming, HparamsSummaryAndScalarRecordsEqualTensorBoardsBytes) {
  GoldenNameEnv env;
  for (int i = 0; i < 8; ++i) {
    const std::string golden_path = join_path(
        kGolden, "logdir/run-" + std::to_string(i) + "/events.out.tfevents.1600000000.golden.4242.0");
    const auto golden = read_records(golden_path);
    ASSERT_EQ(golden.size(), 3u);
    proto::Event hparams_event, scalar_event;
    ASSERT_TRUE(hparams_event.ParseFromString(golden[1]));
    ASSERT_TRUE(scalar_event.ParseFromString(golden[2]));
    const auto& value = scalar_event.summary().value(0);
    ASSERT_EQ(value.tensor().float_val_size(), 1);

    double clock = scalar_event.wall_time();
    auto writer = golden_clock_writer(make_temp_dir(), &env, &clock);
    ASSERT_TRUE(
        writer->write_summary(hparams_event.summary(), hparams_event.step(), hparams_event.wall_time()).ok());
    ASSERT_TRUE(writer->scalar(value.tag(), value.tensor().float_val(0), scalar_event.step()).ok());
    ASSERT_TRUE(writer->close().ok());
    const auto ours = read_records(writer->path());
    ASSERT_EQ(ours.size(), 3u);
    EXPECT_EQ(ours[1], golden[1]) << "hparams record of run-" << i;
    EXPECT_EQ(ours[2], golden[2]) << "scalar record of run-" << i;
    EXPECT_EQ(frame_record(ours[2]), frame_record(golden[2]));
  }
}

}  // namespace
}  // namespace hp
