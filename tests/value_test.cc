// hp::Value keeps Python's kinds: bool, int, float, string.
#include "hparams/value.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "gtest/gtest.h"
#include "hparams_test_support.h"

namespace hp {
namespace {

TEST(Value, LiteralsKeepTheirPythonKind) {
  EXPECT_TRUE(Value(true).is_bool());
  EXPECT_TRUE(Value(3).is_int());
  EXPECT_TRUE(Value(3.0).is_float());
  EXPECT_TRUE(Value(3.0f).is_float());
  EXPECT_TRUE(Value("adam").is_string());
  EXPECT_TRUE(Value(std::string("adam")).is_string());
  EXPECT_TRUE(Value(std::string_view("adam")).is_string());
}

TEST(Value, ConstCharPointerBecomesAStringNeverABool) {
  const char* text = "sgd";
  const Value v = text;
  ASSERT_TRUE(v.is_string());
  EXPECT_EQ(v.as_string(), "sgd");
  const Value literal = "";
  EXPECT_TRUE(literal.is_string());
  const Value null_pointer = static_cast<const char*>(nullptr);
  EXPECT_TRUE(null_pointer.is_string());
}

// Compile-time: a string literal converts to Value (as a string, checked
// below); a char does not convert at all, so 'a' cannot silently become 97.
static_assert(std::is_convertible_v<const char*, Value>);
static_assert(std::is_convertible_v<int64_t, Value>);
static_assert(std::is_convertible_v<uint64_t, Value>);
static_assert(!std::is_convertible_v<char, Value>);
static_assert(!std::is_convertible_v<char32_t, Value>);

TEST(Value, EveryIntegerTypeIsAnInt) {
  EXPECT_TRUE(Value(static_cast<signed char>(-3)).is_int());
  EXPECT_TRUE(Value(static_cast<unsigned char>(200)).is_int());
  EXPECT_TRUE(Value(int8_t{-8}).is_int());
  EXPECT_TRUE(Value(uint8_t{8}).is_int());
  EXPECT_TRUE(Value(short{-5}).is_int());
  EXPECT_TRUE(Value(static_cast<unsigned short>(5)).is_int());
  EXPECT_TRUE(Value(5u).is_int());
  EXPECT_TRUE(Value(5L).is_int());
  EXPECT_TRUE(Value(5UL).is_int());
  EXPECT_TRUE(Value(5LL).is_int());
  EXPECT_TRUE(Value(size_t{5}).is_int());
  EXPECT_EQ(Value(uint8_t{200}).as_int(), 200);
  EXPECT_EQ(Value(int8_t{-8}).as_int(), -8);
}

TEST(Value, Int64ExtremesAreExact) {
  const int64_t lo = std::numeric_limits<int64_t>::min();
  const int64_t hi = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(Value(lo).as_int(), lo);
  EXPECT_EQ(Value(hi).as_int(), hi);
  EXPECT_EQ(Value(lo).repr(), std::to_string(lo));
  EXPECT_EQ(Value(hi).repr(), std::to_string(hi));
  EXPECT_TRUE(Value(lo).fits_int64());
  EXPECT_LT(Value(lo), Value(hi));
}

TEST(Value, BigUnsignedStaysExact) {
  const uint64_t big = std::numeric_limits<uint64_t>::max();
  const Value v = big;
  EXPECT_TRUE(v.is_int());
  EXPECT_FALSE(v.fits_int64());
  EXPECT_EQ(v.as_uint64(), big);
  EXPECT_EQ(v.repr(), std::to_string(big));
  EXPECT_EQ(v.as_double(), 18446744073709551616.0);  // rounded only as a double
  EXPECT_LT(Value(std::numeric_limits<int64_t>::max()), v);
}

// numpy.float32(0.1).item() as Python saw it, from the golden sidecar.
TEST(Value, FloatIsWidenedLikeNumpyItem) {
  const testing::Json sidecar = testing::read_json("summaries/edge_numpy_float32.json");
  const double python_item = sidecar.at("hparams").at("dropout").at("value").number();
  EXPECT_EQ(Value(0.1f).as_double(), python_item);
  EXPECT_NE(Value(0.1f), Value(0.1));
}

TEST(Value, ReprIsPythons) {
  // From the golden sidecars: every "repr" Python recorded.
  for (const std::string& name : testing::edge_case_names()) {
    const testing::Json sidecar = testing::read_json("summaries/" + name + ".json");
    for (const auto& [key, entry] : sidecar.at("hparams").members) {
      const testing::Json& fields = entry;
      if (testing::string_field(fields, "py_type") == "numpy.float32") continue;  // repr of float32
      const std::string repr = testing::string_field(fields, "repr");
      const Value v = testing::value_from_sidecar(fields);
      if (v.is_string() && !std::all_of(repr.begin(), repr.end(),
                                        [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        continue;  // non-ASCII: Python's printable table is not reproduced
      }
      EXPECT_EQ(v.repr(), repr) << name;
      EXPECT_EQ(v.type_name(), testing::string_field(fields, "py_type")) << name;
    }
  }
  EXPECT_EQ(Value("it's").repr(), "\"it's\"");
  EXPECT_EQ(Value("a\nb").repr(), "'a\\nb'");
}

TEST(Value, EqualityKeepsKindsApart) {
  EXPECT_NE(Value(1), Value(1.0));
  EXPECT_NE(Value(true), Value(1));
  EXPECT_NE(Value("1"), Value(1));
  EXPECT_EQ(Value(16), Value(int64_t{16}));
  EXPECT_EQ(Value(std::nan("")), Value(std::nan("")));
  EXPECT_NE(Value(0.0), Value(-0.0));
}

TEST(Value, SortsAsPythonWithinAKind) {
  std::vector<Value> values = {"sgd", 2.5, true, -1, "adam", false, 2, "Adam", -0.5, 3.0};
  std::sort(values.begin(), values.end());
  const std::vector<Value> expected = {false, true, -1, -0.5, 2, 2.5, 3.0, "Adam", "adam", "sgd"};
  EXPECT_EQ(values, expected);
}

TEST(Value, OrdersIntsAndFloatsExactly) {
  // 2^53 + 1 is not a double: it sorts above the double 2^53.
  const int64_t above = (int64_t{1} << 53) + 1;
  EXPECT_LT(Value(9007199254740992.0), Value(above));
  EXPECT_LT(Value(above), Value(9007199254740994.0));
  EXPECT_LT(Value(1), Value(1.0));  // equal numbers: the int first
  EXPECT_FALSE(Value(1.0) < Value(1));
  EXPECT_LT(Value(-0.0), Value(0.0));
  EXPECT_LT(Value(1e300), Value(std::nan("")));  // NaN last
  EXPECT_LT(Value(std::numeric_limits<uint64_t>::max()), Value(1e20));
  EXPECT_LT(Value(-HUGE_VAL), Value(std::numeric_limits<int64_t>::min()));
}

// What Python's json.dumps(value) prints.
TEST(Value, JsonIsPythonsJsonDumps) {
  EXPECT_EQ(Value(true).json(), "true");
  EXPECT_EQ(Value(16).json(), "16");
  EXPECT_EQ(Value(std::numeric_limits<uint64_t>::max()).json(), "18446744073709551615");
  EXPECT_EQ(Value(16.0).json(), "16.0");
  EXPECT_EQ(Value(0.1).json(), "0.1");
  EXPECT_EQ(Value(std::nan("")).json(), "NaN");
  EXPECT_EQ(Value(-HUGE_VAL).json(), "-Infinity");
  EXPECT_EQ(Value("a\"b\\c\n").json(), "\"a\\\"b\\\\c\\n\"");
  EXPECT_EQ(Value("caf\xc3\xa9").json(), "\"caf\\u00e9\"");
}

TEST(Value, NonUtf8StringsAreKeptAsBytes) {
  const Value v = std::string("\xff\xfe");
  EXPECT_EQ(v.as_string().size(), 2u);
}

}  // namespace
}  // namespace hp
