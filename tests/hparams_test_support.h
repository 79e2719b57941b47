// Shared by the HParams API tests: reading golden files, turning a golden
// sidecar's Python inputs into hp::HParams, the seed experiment's
// definitions, and proto comparison that treats NaN as equal to NaN.
#ifndef HPARAMS_TESTS_HPARAMS_TEST_SUPPORT_H_
#define HPARAMS_TESTS_HPARAMS_TEST_SUPPORT_H_

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/field_comparator.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "hparams/domain.h"
#include "hparams/hparam.h"
#include "hparams/value.h"

namespace hp::testing {

inline std::string golden_path(const std::string& relative) {
  return std::string(HPARAMS_GOLDEN_DIR) + "/" + relative;
}

// The file's bytes; fails the test (and returns "") when it cannot be read.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A golden JSON file parsed into a google.protobuf.Struct.
inline google::protobuf::Struct read_json(const std::string& relative) {
  google::protobuf::Struct out;
  const auto status = google::protobuf::util::JsonStringToMessage(read_file(golden_path(relative)), &out);
  EXPECT_TRUE(status.ok()) << relative << ": " << status.ToString();
  return out;
}

inline std::string string_field(const google::protobuf::Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? "" : it->second.string_value();
}

// The Python value a sidecar describes as {"py_type", "repr", "value"}.
inline Value value_from_sidecar(const google::protobuf::Struct& entry) {
  const std::string type = string_field(entry, "py_type");
  const std::string repr = string_field(entry, "repr");
  const auto value = entry.fields().find("value");
  if (type == "bool") return Value(value->second.bool_value());
  if (type == "int") {
    // The repr, not the JSON number: big ints must stay exact.
    if (!repr.empty() && repr[0] == '-') return Value(std::strtoll(repr.c_str(), nullptr, 10));
    return Value(std::strtoull(repr.c_str(), nullptr, 10));
  }
  if (type == "str") return Value(value->second.string_value());
  if (type == "numpy.float32") return Value(static_cast<float>(value->second.number_value()));
  if (type == "float") {
    if (repr == "nan") return Value(std::numeric_limits<double>::quiet_NaN());
    if (repr == "inf") return Value(std::numeric_limits<double>::infinity());
    if (repr == "-inf") return Value(-std::numeric_limits<double>::infinity());
    return Value(value->second.number_value());
  }
  ADD_FAILURE() << "unknown py_type " << type;
  return Value();
}

// The sidecar's "hparams" object as string-keyed HParams (in key order,
// which is irrelevant to everything but session_start_pb).
inline HParams hparams_from_sidecar(const google::protobuf::Struct& sidecar) {
  HParams out;
  for (const auto& [name, entry] : sidecar.fields().at("hparams").struct_value().fields()) {
    out.add(name, value_from_sidecar(entry.struct_value()));
  }
  return out;
}

inline std::vector<std::string> edge_case_names() {
  return {"edge_big_int",         "edge_bool",          "edge_bool_false",
          "edge_float_1e-4",      "edge_float_1e15",    "edge_float_1e16",
          "edge_float_integral",  "edge_float_roundtrip", "edge_inf",
          "edge_int",             "edge_key_order",     "edge_large_float",
          "edge_mixed",           "edge_nan",           "edge_negative_float",
          "edge_negative_zero",   "edge_non_ascii",     "edge_numpy_float32",
          "edge_small_float",     "edge_string_escapes"};
}

// The seed experiment (golden README, "The experiment").
inline const HParam& hp_num_units() {
  static const HParam h("num_units", Discrete({16, 32}));
  return h;
}
inline const HParam& hp_dropout() {
  static const HParam h("dropout", RealInterval(0.1, 0.2));
  return h;
}
inline const HParam& hp_optimizer() {
  static const HParam h("optimizer", Discrete({"adam", "sgd"}));
  return h;
}
inline std::vector<HParam> seed_hparams() { return {hp_num_units(), hp_dropout(), hp_optimizer()}; }

// Trial i of the seed's nested loops, written out by hand (the search
// tests check grid_search against these).
inline HParams seed_trial(int i) {
  const int units[] = {16, 32};
  const double dropouts[] = {0.1, 0.2};
  const char* optimizers[] = {"adam", "sgd"};
  return {{hp_num_units(), units[(i >> 2) & 1]},
          {hp_dropout(), dropouts[(i >> 1) & 1]},
          {hp_optimizer(), optimizers[i & 1]}};
}

// MessageDifferencer::Equals, but NaN equals NaN; `diff` explains a mismatch.
inline bool proto_equal(const google::protobuf::Message& a, const google::protobuf::Message& b,
                        std::string* diff) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  differencer.ReportDifferencesToString(diff);
  return differencer.Compare(a, b);
}

}  // namespace hp::testing

#endif  // HPARAMS_TESTS_HPARAMS_TEST_SUPPORT_H_
