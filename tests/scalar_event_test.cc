// The hand-encoded scalar Event is byte-identical to protobuf's encoding.
#include "internal/scalar_event.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/proto/event.pb.h"
#include "internal/record_writer.h"

namespace hp {
namespace {

using internal::frame_record;

proto::Event make_event(double wall_time, int64_t step, const std::string& tag, float value,
                        bool with_metadata) {
  proto::Event event;
  event.set_wall_time(wall_time);
  event.set_step(step);
  proto::Summary::Value* v = event.mutable_summary()->add_value();
  v->set_tag(tag);
  proto::TensorProto* tensor = v->mutable_tensor();
  tensor->set_dtype(proto::DT_FLOAT);
  tensor->mutable_tensor_shape();
  tensor->add_float_val(value);
  if (with_metadata) v->mutable_metadata()->mutable_plugin_data()->set_plugin_name("scalars");
  return event;
}

std::string hand_encoded(double wall_time, int64_t step, const std::string& tag, float value,
                         bool with_metadata) {
  std::string out(internal::scalar_event_size(wall_time, step, tag.size(), with_metadata), '\0');
  const size_t n = internal::encode_scalar_event(out.data(), wall_time, step, tag, value, with_metadata);
  EXPECT_EQ(n, out.size());
  return out;
}

struct Case {
  double wall_time;
  int64_t step;
  std::string tag;
  float value;
};

std::vector<Case> cases() {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<Case> out;
  const std::vector<std::string> tags = {"a",
                                         "accuracy",
                                         "loss/train",
                                         "épsilon-β",
                                         std::string(127, 't'),
                                         std::string(128, 'u'),
                                         std::string(300, 'v'),
                                         std::string(20000, 'w')};
  const std::vector<int64_t> steps = {0,
                                      1,
                                      127,
                                      128,
                                      -1,
                                      -128,
                                      1 << 20,
                                      int64_t{1} << 40,
                                      std::numeric_limits<int64_t>::max(),
                                      std::numeric_limits<int64_t>::min()};
  const std::vector<float> values = {0.0f, -0.0f, 0.8f, -1.5f, 1e-30f, 3.4e38f, nan, inf, -inf};
  const std::vector<double> walls = {1600000001.0, 0.0, -0.0, 1.7e9 + 0.123456, std::nan("")};
  for (const auto& tag : tags) {
    for (int64_t step : steps) {
      for (float value : values) out.push_back({walls[out.size() % walls.size()], step, tag, value});
    }
  }
  return out;
}

TEST(ScalarEvent, HandEncodingEqualsProtobufSerializationWithMetadata) {
  for (const Case& c : cases()) {
    std::string expected;
    ASSERT_TRUE(make_event(c.wall_time, c.step, c.tag, c.value, true).SerializeToString(&expected));
    ASSERT_EQ(hand_encoded(c.wall_time, c.step, c.tag, c.value, true), expected)
        << "tag size " << c.tag.size() << " step " << c.step << " value " << c.value << " wall "
        << c.wall_time;
  }
}

TEST(ScalarEvent, HandEncodingEqualsProtobufSerializationWithoutMetadata) {
  for (const Case& c : cases()) {
    std::string expected;
    ASSERT_TRUE(make_event(c.wall_time, c.step, c.tag, c.value, false).SerializeToString(&expected));
    ASSERT_EQ(hand_encoded(c.wall_time, c.step, c.tag, c.value, false), expected)
        << "tag size " << c.tag.size() << " step " << c.step << " value " << c.value << " wall "
        << c.wall_time;
  }
}

TEST(ScalarEvent, EventSizeMatchesProtobufByteSize) {
  for (const Case& c : cases()) {
    for (bool meta : {false, true}) {
      EXPECT_EQ(internal::scalar_event_size(c.wall_time, c.step, c.tag.size(), meta),
                make_event(c.wall_time, c.step, c.tag, c.value, meta).ByteSizeLong());
    }
  }
}

TEST(ScalarEvent, FramedRecordEqualsFramingOfProtobufBytes) {
  for (const Case& c : cases()) {
    std::string serialized;
    ASSERT_TRUE(make_event(c.wall_time, c.step, c.tag, c.value, true).SerializeToString(&serialized));
    std::vector<char> buf(internal::max_scalar_record_size(c.tag.size()));
    const size_t n = internal::encode_scalar_record(buf.data(), c.wall_time, c.step, c.tag, c.value, true);
    ASSERT_LE(n, buf.size());
    ASSERT_EQ(std::string(buf.data(), n), frame_record(serialized));
    std::string appended = "prefix";
    internal::append_scalar_record(&appended, c.wall_time, c.step, c.tag, c.value, true);
    ASSERT_EQ(appended, "prefix" + frame_record(serialized));
  }
}

TEST(ScalarEvent, DecodesBackToTheSameValues) {
  const std::string bytes = hand_encoded(1600000001.0, -7, "loss", 0.25f, true);
  proto::Event event;
  ASSERT_TRUE(event.ParseFromString(bytes));
  EXPECT_EQ(event.wall_time(), 1600000001.0);
  EXPECT_EQ(event.step(), -7);
  ASSERT_EQ(event.summary().value_size(), 1);
  EXPECT_EQ(event.summary().value(0).tag(), "loss");
  EXPECT_EQ(event.summary().value(0).tensor().float_val(0), 0.25f);
  EXPECT_EQ(event.summary().value(0).metadata().plugin_data().plugin_name(), "scalars");
}

}  // namespace
}  // namespace hp
