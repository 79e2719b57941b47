// Shared by the HParams API tests: reading golden files (a small JSON
// reader), turning a golden sidecar's Python inputs into hp::HParams, the
// seed experiment's definitions, proto comparison that treats NaN as equal
// to NaN, a hand-set writer clock and reading a whole written logdir.
#ifndef HPARAMS_TESTS_HPARAMS_TEST_SUPPORT_H_
#define HPARAMS_TESTS_HPARAMS_TEST_SUPPORT_H_

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "google/protobuf/util/field_comparator.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "hparams/domain.h"
#include "hparams/hparam.h"
#include "hparams/proto/event.pb.h"
#include "hparams/value.h"
#include "hparams/writer.h"
#include "io_test_util.h"

namespace hp::testing {

inline std::string golden_path(const std::string& relative) {
  return std::string(HPARAMS_GOLDEN_DIR) + "/" + relative;
}

// A parsed JSON value. Objects keep their key order (Python's dict order in
// the sidecars); numbers keep their text so big ints stay exact. A tiny
// reader instead of google.protobuf.Struct, which loses both.
struct Json {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject } type = Type::kNull;
  bool boolean = false;
  std::string text;  // kString: the decoded UTF-8; kNumber: the literal
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  double number() const { return std::strtod(text.c_str(), nullptr); }
  // The member `key`; fails the test and returns a null when missing.
  const Json& at(const std::string& key) const {
    for (const auto& [k, v] : members) {
      if (k == key) return v;
    }
    ADD_FAILURE() << "JSON object has no key " << key;
    static const Json kNull;
    return kNull;
  }
  bool has(const std::string& key) const {
    for (const auto& member : members) {
      if (member.first == key) return true;
    }
    return false;
  }
};

class JsonParser {
 public:
  explicit JsonParser(std::string_view in) : in_(in) {}

  bool parse(Json* out) {
    if (!value(out)) return false;
    skip_space();
    return pos_ == in_.size();
  }

 private:
  void skip_space() {
    while (pos_ < in_.size() && std::strchr(" \t\r\n", in_[pos_]) != nullptr) ++pos_;
  }
  bool literal(std::string_view word) {
    if (in_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  static void append_utf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }
  bool hex4(uint32_t* out) {
    if (pos_ + 4 > in_.size()) return false;
    *out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = in_[pos_++];
      const char* digits = "0123456789abcdef";
      const char* hit = std::strchr(digits, std::tolower(static_cast<unsigned char>(c)));
      if (c == '\0' || hit == nullptr) return false;
      *out = *out * 16 + static_cast<uint32_t>(hit - digits);
    }
    return true;
  }
  bool string(std::string* out) {
    if (!literal("\"")) return false;
    while (pos_ < in_.size()) {
      const char c = in_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= in_.size()) return false;
      const char e = in_[pos_++];
      switch (e) {
        case 'n':
          out->push_back('\n');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'u': {
          uint32_t cp;
          if (!hex4(&cp)) return false;
          if (cp >= 0xd800 && cp < 0xdc00) {  // a surrogate pair
            uint32_t low;
            if (!literal("\\u") || !hex4(&low)) return false;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          }
          append_utf8(cp, out);
          break;
        }
        default:
          out->push_back(e);  // \" \\ \/
      }
    }
    return false;
  }
  bool value(Json* out) {
    skip_space();
    if (pos_ >= in_.size()) return false;
    const char c = in_[pos_];
    if (c == '{') {
      out->type = Json::Type::kObject;
      ++pos_;
      skip_space();
      if (literal("}")) return true;
      for (;;) {
        std::string key;
        skip_space();
        if (!string(&key)) return false;
        skip_space();
        if (!literal(":")) return false;
        Json v;
        if (!value(&v)) return false;
        out->members.emplace_back(std::move(key), std::move(v));
        skip_space();
        if (literal("}")) return true;
        if (!literal(",")) return false;
      }
    }
    if (c == '[') {
      out->type = Json::Type::kArray;
      ++pos_;
      skip_space();
      if (literal("]")) return true;
      for (;;) {
        Json v;
        if (!value(&v)) return false;
        out->items.push_back(std::move(v));
        skip_space();
        if (literal("]")) return true;
        if (!literal(",")) return false;
      }
    }
    if (c == '"') {
      out->type = Json::Type::kString;
      return string(&out->text);
    }
    if (literal("true") || literal("false")) {
      out->type = Json::Type::kBool;
      out->boolean = in_[pos_ - 1] == 'e' && in_[pos_ - 2] == 'u';
      return true;
    }
    if (literal("null")) return true;
    const size_t start = pos_;
    while (pos_ < in_.size() && std::strchr("+-.eE0123456789", in_[pos_]) != nullptr && in_[pos_] != '\0') {
      ++pos_;
    }
    if (pos_ == start) return false;
    out->type = Json::Type::kNumber;
    out->text = std::string(in_.substr(start, pos_ - start));
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0;
};

// A golden JSON file, parsed.
inline Json read_json(const std::string& relative) {
  Json out;
  EXPECT_TRUE(JsonParser(test_util::read_bytes(golden_path(relative))).parse(&out))
      << "cannot parse " << relative;
  return out;
}

inline std::string string_field(const Json& object, const std::string& key) {
  return object.has(key) ? object.at(key).text : "";
}

// The Python value a sidecar describes as {"py_type", "repr", "value"}.
inline Value value_from_sidecar(const Json& entry) {
  const std::string type = string_field(entry, "py_type");
  const std::string repr = string_field(entry, "repr");
  if (type == "bool") return Value(entry.at("value").boolean);
  if (type == "int") {
    if (!repr.empty() && repr[0] == '-') return Value(std::strtoll(repr.c_str(), nullptr, 10));
    return Value(std::strtoull(repr.c_str(), nullptr, 10));
  }
  if (type == "str") return Value(entry.at("value").text);
  if (type == "numpy.float32") return Value(static_cast<float>(entry.at("value").number()));
  if (type == "float") {
    if (repr == "nan") return Value(std::numeric_limits<double>::quiet_NaN());
    if (repr == "inf") return Value(std::numeric_limits<double>::infinity());
    if (repr == "-inf") return Value(-std::numeric_limits<double>::infinity());
    return Value(entry.at("value").number());
  }
  ADD_FAILURE() << "unknown py_type " << type;
  return Value();
}

// The sidecar's "hparams" object as string-keyed HParams, in the sidecar's
// key order.
inline HParams hparams_from_sidecar(const Json& sidecar) {
  HParams out;
  for (const auto& [name, entry] : sidecar.at("hparams").members) {
    out.add(name, value_from_sidecar(entry));
  }
  return out;
}

inline std::vector<std::string> edge_case_names() {
  return {"edge_big_int",    "edge_bool",          "edge_bool_false",     "edge_float_1e-4",
          "edge_float_1e15", "edge_float_1e16",    "edge_float_integral", "edge_float_roundtrip",
          "edge_inf",        "edge_int",           "edge_key_order",      "edge_large_float",
          "edge_mixed",      "edge_nan",           "edge_negative_float", "edge_negative_zero",
          "edge_non_ascii",  "edge_numpy_float32", "edge_small_float",    "edge_string_escapes"};
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

// A writer clock the test sets by hand: every event is stamped with `now`,
// which starts at the golden hparams events' wall time.
struct PinnedClock {
  double now = 1600000000.0;
  WriterOptions options() {
    WriterOptions o;
    o.clock = [this] { return now; };
    return o;
  }
};

// Relative directory -> the events of the one event file directly in it.
inline std::map<std::string, std::vector<proto::Event>> read_logdir_events(const std::string& root) {
  namespace fs = std::filesystem;
  std::map<std::string, std::vector<proto::Event>> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    if (entry.path().filename().string().find("tfevents") == std::string::npos) continue;
    const std::string dir = fs::relative(entry.path().parent_path(), root).generic_string();
    EXPECT_EQ(out.count(dir), 0u) << "two event files in " << dir;
    out[dir] = test_util::read_events(entry.path().string());
  }
  return out;
}

}  // namespace hp::testing

#endif  // HPARAMS_TESTS_HPARAMS_TEST_SUPPORT_H_
