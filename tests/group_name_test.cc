// Group names, canonical JSON and Python float repr against every golden
// sidecar: a C++ trial must hash exactly as Python's summary_v2 does.
#include "internal/group_name.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "hparams/summary.h"
#include "hparams_test_support.h"
#include "internal/python_float_repr.h"

namespace hp {
namespace {

using testing::edge_case_names;
using testing::hparams_from_sidecar;
using testing::read_json;
using testing::string_field;

std::string hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

TEST(GroupName, EveryEdgeCaseHashesAsPythonDoes) {
  for (const std::string& name : edge_case_names()) {
    SCOPED_TRACE(name);
    const testing::Json sidecar = read_json("summaries/" + name + ".json");
    const HParams hparams = hparams_from_sidecar(sidecar);
    absl::StatusOr<std::string> json = canonical_json(hparams);
    ASSERT_TRUE(json.ok()) << json.status();
    EXPECT_EQ(*json, string_field(sidecar, "canonical_json"));
    EXPECT_EQ(hex(*json), string_field(sidecar, "canonical_json_utf8_hex"));
    absl::StatusOr<std::string> group = group_name(hparams);
    ASSERT_TRUE(group.ok()) << group.status();
    EXPECT_EQ(*group, string_field(sidecar, "group_name"));
  }
}

TEST(GroupName, GroupNamesJsonAgreesWithTheSidecars) {
  const testing::Json all = read_json("group_names.json");
  ASSERT_EQ(all.members.size(), edge_case_names().size() + 8);
  for (const auto& [name, group] : all.members) {
    SCOPED_TRACE(name);
    const testing::Json sidecar = read_json("summaries/" + name + ".json");
    absl::StatusOr<std::string> ours = group_name(hparams_from_sidecar(sidecar));
    ASSERT_TRUE(ours.ok()) << ours.status();
    EXPECT_EQ(*ours, group.text);
  }
}

TEST(GroupName, SeedTrialsHashAsPythonDoes) {
  const testing::Json all = read_json("group_names.json");
  for (int i = 0; i < 8; ++i) {
    absl::StatusOr<std::string> ours = group_name(testing::seed_trial(i));
    ASSERT_TRUE(ours.ok()) << ours.status();
    EXPECT_EQ(*ours, all.at("hparams_trial_" + std::to_string(i)).text) << i;
  }
}

TEST(GroupName, KeyKindMakesNoDifference) {
  // An HParam key and its name as a string key hash the same.
  HParams by_hparam = testing::seed_trial(5);
  HParams by_name;
  for (const HParams::Entry& e : by_hparam) by_name.add(e.name(), e.value());
  EXPECT_EQ(group_name(by_hparam).value(), group_name(by_name).value());
}

TEST(GroupName, OrderOfEntriesMakesNoDifference) {
  const HParams a = {{"zeta", 1}, {"alpha", 0.5}, {"mid", "x"}};
  const HParams b = {{"mid", "x"}, {"zeta", 1}, {"alpha", 0.5}};
  EXPECT_EQ(group_name(a).value(), group_name(b).value());
}

TEST(GroupName, IntAndFloatOfTheSameNumberDiffer) {
  EXPECT_NE(group_name({{"n", 16}}).value(), group_name({{"n", 16.0}}).value());
  EXPECT_NE(group_name({{"b", true}}).value(), group_name({{"b", 1}}).value());
}

TEST(GroupName, RejectsInvalidUtf8AndDuplicates) {
  EXPECT_EQ(group_name({{"s", std::string("\xff")}}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(group_name({{"a", 1}, {"a", 2}}).status().code(), absl::StatusCode::kInvalidArgument);
}

// Every float in the sidecars: our repr equals the one Python recorded.
TEST(PythonFloatRepr, MatchesEveryGoldenFloatRepr) {
  int checked = 0;
  for (const std::string& name : edge_case_names()) {
    const testing::Json sidecar = read_json("summaries/" + name + ".json");
    for (const auto& [key, entry] : sidecar.at("hparams").members) {
      const testing::Json& fields = entry;
      if (string_field(fields, "py_type") != "float") continue;
      const Value v = testing::value_from_sidecar(fields);
      EXPECT_EQ(internal::python_float_repr(v.as_double()), string_field(fields, "repr")) << name;
      EXPECT_EQ(v.repr(), string_field(fields, "repr")) << name;
      ++checked;
    }
  }
  EXPECT_GE(checked, 12);
}

TEST(PythonFloatRepr, JsonSpellsNonFiniteAsJavaScriptDoes) {
  EXPECT_EQ(internal::python_json_float(std::nan("")), "NaN");
  EXPECT_EQ(internal::python_json_float(HUGE_VAL), "Infinity");
  EXPECT_EQ(internal::python_json_float(-HUGE_VAL), "-Infinity");
  EXPECT_EQ(internal::python_float_repr(-HUGE_VAL), "-inf");
}

// Properties of Python's repr for many random doubles: it parses back to
// the same double, uses exponent form exactly when the decimal exponent is
// < -4 or >= 16, and integral positional values end in ".0".
TEST(PythonFloatRepr, RoundTripsAndSwitchesFormAtPythonsThresholds) {
  std::mt19937_64 rng(20240601);
  for (int i = 0; i < 20000; ++i) {
    double x;
    if (i % 2 == 0) {
      uint64_t bits = rng();
      std::memcpy(&x, &bits, sizeof x);
      if (!std::isfinite(x)) continue;
    } else {
      x = std::ldexp(static_cast<double>(rng() >> 11), static_cast<int>(rng() % 140) - 120);
    }
    const std::string r = internal::python_float_repr(x);
    double back = 0;
    std::from_chars(r.data(), r.data() + r.size(), back);
    ASSERT_EQ(std::memcmp(&back, &x, sizeof x), 0) << r;
    const double magnitude = std::fabs(x);
    const bool exponent_form = r.find('e') != std::string::npos;
    if (magnitude != 0) {
      const int exp10 = static_cast<int>(std::floor(std::log10(magnitude)));
      // log10 can be off by one right at powers of ten; skip those.
      const double p = std::pow(10.0, exp10);
      if (magnitude > p * 1.000001 && magnitude < p * 9.99999) {
        EXPECT_EQ(exponent_form, exp10 < -4 || exp10 >= 16) << r;
      }
    }
    if (exponent_form) {
      const size_t e = r.find('e');
      ASSERT_TRUE(r[e + 1] == '+' || r[e + 1] == '-') << r;
      EXPECT_GE(r.size() - e - 2, 2u) << r;
    } else {
      EXPECT_NE(r.find('.'), std::string::npos) << r;
    }
  }
}

TEST(PythonJsonString, EscapesAsEnsureAsciiDoes) {
  // Each case is a rule of CPython's json encoder (py_encode_basestring_ascii).
  EXPECT_EQ(internal::python_json_string("a/b"), "\"a/b\"");
  EXPECT_EQ(internal::python_json_string("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
  EXPECT_EQ(internal::python_json_string(std::string("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\\u007f\"");
  EXPECT_EQ(internal::python_json_string(std::string("\0", 1)), "\"\\u0000\"");
  EXPECT_EQ(internal::python_json_string("\xef\xbf\xbf"), "\"\\uffff\"");
  EXPECT_EQ(internal::python_json_string("\xf4\x8f\xbf\xbf"), "\"\\udbff\\udfff\"");
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_TRUE(internal::is_valid_utf8("plain \xce\xb2 \xf0\x9f\x98\x80"));
  EXPECT_FALSE(internal::is_valid_utf8("\x80"));              // stray continuation
  EXPECT_FALSE(internal::is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(internal::is_valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(internal::is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(internal::is_valid_utf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(internal::is_valid_utf8("\xff"));
}

}  // namespace
}  // namespace hp
