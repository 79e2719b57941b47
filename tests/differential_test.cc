// The differential golden set (tests/golden/differential, see its README and
// tests/golden/DIFFERENTIAL.md): 34 logdirs written by TensorBoard's own
// Python API, each with what the real TensorBoard backend answered. We read
// every logdir (library and CLI) and compare with that answer, and write
// every case the C++ API and CLI can say and compare again.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/field_comparator.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "hparams/hparams.h"
#include "hparams/reader.h"
#include "hparams/summary.h"
#include "hparams_test_support.h"
#include "io_test_util.h"
#include "view_proto.h"

namespace hp {
namespace {

namespace fs = std::filesystem;
namespace hpb = proto::hparams;
using google::protobuf::util::DefaultFieldComparator;
using google::protobuf::util::MessageDifferencer;

const std::string kDifferential = std::string(HPARAMS_GOLDEN_DIR) + "/differential";

// What TensorBoard answered for one case.
struct Answer {
  bool error = false;  // an HTTP error instead of an answer (s21c)
  hpb::Experiment experiment;
  hpb::ListSessionGroupsResponse session_groups;
  std::set<std::string> runs;
};

// JSON text of `json`, numbers verbatim: google.protobuf.Struct would keep
// them as doubles and print -0.0 as "-0", which reads back as 0.
std::string JsonText(const testing::Json& json) {
  using Type = testing::Json::Type;
  auto quote = [](const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20) {
        out += absl::StrFormat("\\u%04x", c);
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  };
  switch (json.type) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return json.boolean ? "true" : "false";
    case Type::kNumber:
      return json.text;
    case Type::kString:
      return quote(json.text);
    case Type::kArray: {
      std::vector<std::string> items;
      for (const auto& item : json.items) items.push_back(JsonText(item));
      return "[" + absl::StrJoin(items, ",") + "]";
    }
    case Type::kObject: {
      std::vector<std::string> members;
      for (const auto& [key, value] : json.members) members.push_back(quote(key) + ":" + JsonText(value));
      return "{" + absl::StrJoin(members, ",") + "}";
    }
  }
  return "null";
}

template <typename Message>
Message FromJson(const testing::Json& json) {
  Message message;
  const std::string text = JsonText(json);
  auto status = google::protobuf::util::JsonStringToMessage(text, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << text;
  return message;
}

// TensorBoard's JSON writes NaN and the infinities as strings; in a
// google.protobuf.Value they read back as strings. They mean the numbers.
void NumbersFromStrings(google::protobuf::Value* value) {
  if (value->kind_case() != google::protobuf::Value::kStringValue) return;
  const std::string s = value->string_value();  // a copy: setting the number frees it
  if (s == "NaN") value->set_number_value(std::numeric_limits<double>::quiet_NaN());
  if (s == "Infinity") value->set_number_value(std::numeric_limits<double>::infinity());
  if (s == "-Infinity") value->set_number_value(-std::numeric_limits<double>::infinity());
}

Answer ReadAnswer(const std::string& name) {
  const testing::Json root = testing::read_json("differential/" + name + "/tensorboard.json");
  Answer answer;
  if (root.has("__error__")) {
    answer.error = true;
    return answer;
  }
  answer.experiment = FromJson<hpb::Experiment>(root.at("experiment"));
  for (hpb::HParamInfo& info : *answer.experiment.mutable_hparam_infos()) {
    if (!info.has_domain_discrete()) continue;
    for (auto& v : *info.mutable_domain_discrete()->mutable_values()) NumbersFromStrings(&v);
  }
  answer.session_groups = FromJson<hpb::ListSessionGroupsResponse>(root.at("session_groups"));
  for (hpb::SessionGroup& group : *answer.session_groups.mutable_session_groups()) {
    for (auto& [unused, v] : *group.mutable_hparams()) NumbersFromStrings(&v);
  }
  for (const auto& run : root.at("runs").items) answer.runs.insert(run.text);
  return answer;
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kDifferential)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// An inferred experiment's string and bool domains come from a Python set,
// whose order varies: compare them sorted.
void SortInferredDomains(hpb::Experiment* experiment) {
  for (hpb::HParamInfo& info : *experiment->mutable_hparam_infos()) {
    if (!info.has_domain_discrete()) continue;
    auto* values = info.mutable_domain_discrete()->mutable_values();
    std::sort(values->begin(), values->end(),
              [](const auto& a, const auto& b) { return a.ShortDebugString() < b.ShortDebugString(); });
  }
}

// "" when equal, else what differs. NaN equals NaN; numbers compare exactly.
std::string Differences(const google::protobuf::Message& ours, const google::protobuf::Message& theirs) {
  DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  std::string report;
  differencer.ReportDifferencesToString(&report);
  differencer.Compare(ours, theirs);
  return report;
}

// Everything in which our view of a logdir differs from TensorBoard's
// answer, or "" when they agree: every field of both answers, compared as
// the plugin's protos.
std::string CompareWithAnswer(const ExperimentView& view, const Answer& answer, bool sorted_domains) {
  hpb::Experiment ours = testing::to_proto(view.experiment);
  hpb::Experiment theirs = answer.experiment;
  if (sorted_domains) {
    SortInferredDomains(&ours);
    SortInferredDomains(&theirs);
  }
  std::string out;
  if (std::string d = Differences(ours, theirs); !d.empty()) out += "experiment:\n" + d;
  if (std::string d = Differences(testing::to_proto(view.session_groups), answer.session_groups);
      !d.empty()) {
    out += "session_groups:\n" + d;
  }
  std::set<std::string> runs;
  for (const RunData& run : view.runs) runs.insert(run.name);
  if (runs != answer.runs) out += "runs differ\n";
  return out;
}

bool HasDiagnostic(const ExperimentView& view, DiagnosticKind kind) {
  return std::any_of(view.diagnostics.begin(), view.diagnostics.end(),
                     [&](const Diagnostic& d) { return d.kind == kind; });
}

// Cases whose answer we do not match field by field, and why (each is in
// tests/golden/DIFFERENTIAL.md).
const std::map<std::string, std::string>& ReadDifferences() {
  static const auto* differences = new std::map<std::string, std::string>{
      {"s12_trial_id", "group 'trial-A': TensorBoard shows the hparams of the session os.walk meets first"},
      {"s36_v1_api", "group 'G1': TensorBoard shows the hparams of the session os.walk meets first"},
  };
  return *differences;
}

TEST(Differential, SetIsComplete) { EXPECT_EQ(CaseNames().size(), 34u); }

TEST(Differential, ExperimentFieldsMustBeUtf8) {
  ExperimentInfo info;
  info.user = "bad\xff";
  EXPECT_EQ(hparams_config_pb({HParam("a")}, {Metric("m")}, info).status().code(),
            absl::StatusCode::kInvalidArgument);
  info.user = "alice";
  info.name = "exp";
  info.description = "d";
  info.time_created_secs = 5.0;
  auto summary = hparams_config_pb({HParam("a")}, {Metric("m")}, info);
  ASSERT_TRUE(summary.ok()) << summary.status();
  RunData run;
  run.name = ".";
  proto::Event event;
  *event.mutable_summary() = *summary;
  ASSERT_TRUE(testing::accumulate_event(event, &run, nullptr));
  ASSERT_TRUE(run.experiment.has_value());
  EXPECT_EQ(run.experiment->name, "exp");
  EXPECT_EQ(run.experiment->user, "alice");
  EXPECT_EQ(run.experiment->description, "d");
  EXPECT_EQ(run.experiment->time_created_secs, 5.0);
}

TEST(Differential, EveryLogdirReadsAsTensorBoardShowsIt) {
  for (const std::string& name : CaseNames()) {
    SCOPED_TRACE(name);
    Answer answer = ReadAnswer(name);
    absl::StatusOr<ExperimentView> view = load_experiment(kDifferential + "/" + name + "/logdir");
    ASSERT_TRUE(view.ok()) << view.status();
    if (answer.error) {
      EXPECT_TRUE(HasDiagnostic(*view, DiagnosticKind::kStepBeyondInt32));
      continue;
    }
    const bool sorted = view->source == ExperimentSource::kInferred;
    const std::string differences = CompareWithAnswer(*view, answer, sorted);
    auto documented = ReadDifferences().find(name);
    if (documented == ReadDifferences().end()) {
      EXPECT_EQ(differences, "");
    } else {
      EXPECT_NE(differences, "") << "documented difference is gone: " << documented->second;
    }
  }
}

#ifdef HPARAMS_CLI_PATH
// Runs `hparams export LOGDIR --format json` and returns its stdout.
std::string ExportJson(const std::string& logdir) {
  const std::string out = test_util::make_temp_dir() + "/export.json";
  const std::string command = std::string("'") + HPARAMS_CLI_PATH + "' export '" + logdir +
                              "' --format json >'" + out + "' 2>/dev/null";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command;
  return test_util::read_bytes(out);
}

bool SameNumberOrText(google::protobuf::Value a, google::protobuf::Value b) {
  NumbersFromStrings(&a);
  NumbersFromStrings(&b);
  if (a.kind_case() != b.kind_case()) return false;
  if (a.kind_case() == google::protobuf::Value::kNumberValue) {
    const double x = a.number_value(), y = b.number_value();
    return (std::isnan(x) && std::isnan(y)) || (x == y && std::signbit(x) == std::signbit(y));
  }
  return MessageDifferencer::Equals(a, b);
}

TEST(Differential, CliExportJsonOfEveryLogdirShowsWhatTensorBoardShows) {
  for (const std::string& name : CaseNames()) {
    SCOPED_TRACE(name);
    Answer answer = ReadAnswer(name);
    if (answer.error) continue;  // s21c: no answer to compare with
    google::protobuf::ListValue rows;
    const std::string json = ExportJson(kDifferential + "/" + name + "/logdir");
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &rows).ok()) << json;
    ASSERT_EQ(rows.values_size(), answer.session_groups.session_groups_size());
    for (int i = 0; i < rows.values_size(); ++i) {
      const auto& row = rows.values(i).struct_value().fields();
      const hpb::SessionGroup& group = answer.session_groups.session_groups(i);
      EXPECT_EQ(row.at("group").string_value(), group.name());
      const auto& sessions = row.at("sessions").list_value().values();
      ASSERT_EQ(sessions.size(), group.sessions_size());
      for (int j = 0; j < group.sessions_size(); ++j) {
        EXPECT_EQ(sessions[j].string_value(), group.sessions(j).name());
      }
      const bool documented = ReadDifferences().count(name) > 0;
      const auto& hparams = row.at("hparams").struct_value().fields();
      if (!documented) {
        EXPECT_EQ(hparams.size(), group.hparams().size()) << group.name();
        for (const auto& [key, value] : group.hparams()) {
          ASSERT_TRUE(hparams.count(key)) << group.name() << " " << key;
          EXPECT_TRUE(SameNumberOrText(hparams.at(key), value))
              << group.name() << " " << key << ": " << hparams.at(key).ShortDebugString() << " vs "
              << value.ShortDebugString();
        }
      }
      const auto& metrics = row.at("metrics").struct_value().fields();
      EXPECT_EQ(metrics.size(), group.metric_values_size()) << group.name();
      for (const hpb::MetricValue& metric : group.metric_values()) {
        const std::string key = metric.name().group().empty()
                                    ? metric.name().tag()
                                    : metric.name().group() + "/" + metric.name().tag();
        ASSERT_TRUE(metrics.count(key)) << group.name() << " " << key;
        google::protobuf::Value expected;
        expected.set_number_value(metric.value());
        EXPECT_TRUE(SameNumberOrText(metrics.at(key), expected))
            << group.name() << " " << key << ": " << metrics.at(key).ShortDebugString() << " vs "
            << metric.value();
      }
    }
  }
}
#endif  // HPARAMS_CLI_PATH

// --- Writing each case with the C++ API ---------------------------------------

constexpr double kT0 = 1600000000.0;

// The writers of one case, all on one hand-set clock (as scenarios.py pins
// TensorBoard's), closed when the case ends.
class CaseWriter {
 public:
  explicit CaseWriter(std::string root) : root_(std::move(root)) {}
  ~CaseWriter() {
    for (auto& writer : writers_) EXPECT_TRUE(writer->close().ok());
  }

  // A writer for run `sub` of the logdir ("" is the root).
  SummaryWriter& open(const std::string& sub) {
    WriterOptions options;
    options.clock = [this] { return now; };
    auto writer = SummaryWriter::create(sub.empty() ? root_ : root_ + "/" + sub, options);
    EXPECT_TRUE(writer.ok()) << writer.status();
    writers_.push_back(*std::move(writer));
    return *writers_.back();
  }

  double now = kT0;

 private:
  std::string root_;
  std::vector<std::unique_ptr<SummaryWriter>> writers_;
};

void Ok(const absl::Status& status) { EXPECT_TRUE(status.ok()) << status; }

// One trial the common way: session start at kT0, then scalars.
void Trial(CaseWriter& cw, const std::string& run, const HParams& hparams,
           const std::vector<std::tuple<std::string, double, int64_t>>& scalars,
           std::optional<std::string> trial_id = std::nullopt) {
  SummaryWriter& w = cw.open(run);
  Ok(w.hparams(hparams, std::move(trial_id), kT0));
  for (const auto& [tag, value, step] : scalars) Ok(w.scalar(tag, value, step));
}

void Config(CaseWriter& cw, const std::vector<HParam>& hparams, const std::vector<Metric>& metrics,
            double time = kT0) {
  Ok(cw.open("").hparams_config(hparams, metrics, time));
}

// How a case is written: the scenario in C++, or why the API refuses it (the
// function then checks the refusal).
struct WriteCase {
  std::function<void(CaseWriter&)> write;
  std::string refusal;  // empty: written, and must read back as TensorBoard shows it
};

const std::vector<double> kAcc8 = {0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87};

std::map<std::string, WriteCase> WriteCases() {
  std::map<std::string, WriteCase> cases;
  cases["s01_basic"].write = [](CaseWriter& cw) {
    HParam nu("num_units", Discrete({16, 32}));
    HParam dr("dropout", RealInterval(0.1, 0.2));
    HParam op("optimizer", Discrete({"adam", "sgd"}));
    Config(cw, {nu, dr, op}, {Metric("accuracy").display_name("Accuracy")});
    int i = 0;
    for (int n : {16, 32}) {
      for (double d : {0.1, 0.2}) {
        for (const char* o : {"adam", "sgd"}) {
          Trial(cw, "run-" + std::to_string(i), {{nu, n}, {dr, d}, {op, o}}, {{"accuracy", kAcc8[i], 1}});
          ++i;
        }
      }
    }
  };
  cases["s02_kinds_nodomain"].write = [](CaseWriter& cw) {
    HParam f("flag"), u("units"), l("lr"), op("opt", std::nullopt, "Optimizer", "which optimizer");
    Config(cw, {f, u, l, op}, {Metric("loss")});
    Trial(cw, "run-0", {{f, true}, {u, 3}, {l, 0.001}, {op, "adam"}}, {{"loss", 0.5, 2}});
    Trial(cw, "run-1", {{f, false}, {u, 5}, {l, 0.01}, {op, "sgd"}}, {{"loss", 0.25, 2}});
    Trial(cw, "run-2", {{f, true}, {u, 3}, {l, 0.001}, {op, "rmsprop"}}, {{"loss", 1.0, 2}});
  };
  cases["s03_bool_domain"].write = [](CaseWriter& cw) {
    HParam a("amsgrad", Discrete({true, false})), b("bn", Discrete({false}));
    HParam c("nesterov", Discrete({true, false}), "Nesterov?");
    Config(cw, {a, b, c}, {Metric("acc")});
    Trial(cw, "run-0", {{a, true}, {b, false}, {c, true}}, {{"acc", 0.5, 0}});
    Trial(cw, "run-1", {{a, false}, {b, false}, {c, false}}, {{"acc", 0.6, 0}});
    Trial(cw, "run-2", {{a, true}, {b, false}, {c, false}}, {{"acc", 0.7, 0}});
  };
  cases["s04_int_interval"].write = [](CaseWriter& cw) {
    constexpr int64_t k53 = int64_t{1} << 53;
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    HParam l("layers", IntInterval(-5, 10)), b("big", IntInterval(-k53, k53));
    HParam h("huge", IntInterval(kMin, kMax)), n("one", IntInterval(7, 7));
    Config(cw, {l, b, h, n}, {Metric("m")});
    Trial(cw, "run-0", {{l, -5}, {b, k53 - 1}, {h, kMax}, {n, 7}}, {{"m", 0.1, 1}});
    Trial(cw, "run-1", {{l, 10}, {b, -k53}, {h, kMin}, {n, 7}}, {{"m", 0.2, 1}});
    Trial(cw, "run-2", {{l, 0}, {b, k53}, {h, 0}, {n, 7}}, {{"m", 0.3, 1}});
  };
  cases["s05_real_interval"].write = [](CaseWriter& cw) {
    const double kMaxF = 1.7976931348623157e308;
    std::vector<HParam> h = {
        HParam("wide", RealInterval(-1e308, 1e308)), HParam("tiny", RealInterval(5e-324, 1e-300)),
        HParam("neg", RealInterval(-1.5, -0.5)),     HParam("zero", RealInterval(-0.0, 0.0)),
        HParam("point", RealInterval(1.0, 1.0)),     HParam("maxf", RealInterval(-kMaxF, kMaxF))};
    Config(cw, h, {Metric("m")});
    const std::vector<std::vector<Value>> rows = {{-1e308, 5e-324, -1.0, -0.0, 1.0, kMaxF},
                                                  {1e308, 1e-300, -0.5, 0.0, 1.0, 0.0},
                                                  {0.5, 2.5e-310, -1.5, 0.0, 1.0, -1.0},
                                                  {3, 1e-320, -1, 0, 1, 2}};
    for (size_t i = 0; i < rows.size(); ++i) {
      HParams trial;
      for (size_t j = 0; j < h.size(); ++j) trial.add(h[j], rows[i][j]);
      Trial(cw, "run-" + std::to_string(i), trial, {{"m", 0.1 * static_cast<double>(i + 1), 1}});
    }
  };
  cases["s07_int_vs_float_bool"].write = [](CaseWriter& cw) {
    HParam x("x");
    Config(cw, {x}, {Metric("m")});
    const std::vector<std::pair<std::string, Value>> rows = {
        {"r-int1", 1},     {"r-float1", 1.0},   {"r-true", true}, {"r-int0", 0},        {"r-false", false},
        {"r-float0", 0.0}, {"r-negzero", -0.0}, {"r-str1", "1"},  {"r-strTrue", "True"}};
    for (size_t i = 0; i < rows.size(); ++i) {
      Trial(cw, rows[i].first, {{x, rows[i].second}}, {{"m", static_cast<double>(i) / 10.0, 1}});
    }
  };
  cases["s08_discrete_dupes"].write = [](CaseWriter& cw) {
    HParam a("a", Discrete({2, 1, 2, 1})), s("s", Discrete({"b", "a", "b"})),
        z("z", Discrete({0.0, -0.0, 0.0}));
    HParam t("t", Discrete({true, true, false})), f("f", Discrete({1.0, 1.0, 0.5}));
    Config(cw, {a, s, z, t, f}, {Metric("m")});
    Trial(cw, "run-0", {{a, 1}, {s, "a"}, {z, -0.0}, {t, true}, {f, 1.0}}, {{"m", 0.5, 1}});
    Trial(cw, "run-1", {{a, 2}, {s, "b"}, {z, 0.0}, {t, false}, {f, 0.5}}, {{"m", 0.75, 1}});
  };
  cases["s09_unicode"].write = [](CaseWriter& cw) {
    HParam u1("学习率", Discrete({0.1, 0.01}), "学习率 (lr)", "**Markdown** ✓ <b>html</b> & \"q\"");
    HParam u2("emoji🚀",
              Discrete({"🚀", "🛸", "Zürich", "a\"b\\c", "tab\there", "nl\nhere",
                        "c\x01"
                        "d\x7f",
                        "x/y", ""}),
              "Emoji 🚀");
    HParam u3("quote\"back\\slash", std::nullopt, "q\"b\\", "line1\nline2\ttab");
    HParam u4(
        "ctrl\x01"
        "del\x7f"),
        u5("e\xcc\x81"), u6("\xc3\xa9"), u7("slash/name", Discrete({"a/b", "c"}));
    Config(cw, {u1, u2, u3, u4, u5, u6, u7},
           {Metric("精度/acc").display_name("Accuracy ✓").description("描述 *md*")});
    const std::vector<std::pair<std::string, std::vector<Value>>> rows = {
        {"run-0", {0.1, "🚀", "v\"1\\", "c\x01", 1, 2, "a/b"}},
        {"run-1", {0.01, "Zürich", "tab\tnl\n", "\x7f", "é", "e\xcc\x81", "c"}},
        {"run-2",
         {0.1,
          "c\x01"
          "d\x7f",
          "😀", "", true, false, "c"}},
        {"run-3", {0.01, "", "\xe2\x80\xa8\xe2\x80\xa9", "x", 0, 0, "a/b"}},
        {"run-ü🚀", {0.1, "nl\nhere", "", "", 0, 1, "c"}}};
    const std::vector<HParam> keys = {u1, u2, u3, u4, u5, u6, u7};
    for (size_t i = 0; i < rows.size(); ++i) {
      HParams trial;
      for (size_t j = 0; j < keys.size(); ++j) trial.add(keys[j], rows[i].second[j]);
      Trial(cw, rows[i].first, trial, {{"精度/acc", 0.1 + static_cast<double>(i) / 10.0, 1}});
    }
  };
  cases["s10_metrics_full"].write = [](CaseWriter& cw) {
    HParam lr("lr", Discrete({0.01, 0.1}));
    Config(cw, {lr},
           {Metric("epoch_accuracy", "validation", "Val acc", "**md** desc", DATASET_VALIDATION),
            Metric("epoch_accuracy", "train", "Train acc", "", DATASET_TRAINING),
            Metric("epoch_loss", "train"), Metric("loss"), Metric("never_written").display_name("Missing"),
            Metric("acc", "ünï/深").description("unicode nested group")});
    const double lrs[] = {0.01, 0.1};
    for (int i = 0; i < 2; ++i) {
      const std::string run = "run-" + std::to_string(i);
      cw.now = kT0;
      SummaryWriter& s = cw.open(run);
      Ok(s.hparams({{lr, lrs[i]}}, std::nullopt, kT0));
      SummaryWriter& tr = cw.open(run + "/train");
      SummaryWriter& va = cw.open(run + "/validation");
      SummaryWriter& un = cw.open(run + "/ünï/深");
      for (int e = 0; e < 3; ++e) {
        cw.now = kT0 + 10 * e + i;
        Ok(tr.scalar("epoch_loss", 1.0 / (e + 1 + i), e));
        Ok(tr.scalar("epoch_accuracy", 0.5 + e / 10.0 + i / 100.0, e));
        Ok(va.scalar("epoch_accuracy", 0.4 + e / 10.0 + i / 100.0, e));
        Ok(s.scalar("loss", 2.0 - e / 4.0, e));
        Ok(un.scalar("acc", 0.25 * (e + i), e));
      }
    }
    cw.now = kT0;
  };
  cases["s12_trial_id"].write = [](CaseWriter& cw) {
    HParam a("a");
    Config(cw, {a}, {Metric("m")});
    const std::string hash = group_name({{"a", 5}}).value();
    const std::vector<std::tuple<std::string, int, std::optional<std::string>>> rows = {
        {"r0", 1, "trial-A"},    {"r1", 2, "trial-A"}, {"r2", 3, "ünï trial 🚀"}, {"r3", 4, ""},
        {"r4", 5, std::nullopt}, {"r5", 5, hash},      {"r6", 6, "r3"}};
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto& [run, v, trial_id] = rows[i];
      Trial(cw, run, {{a, v}}, {{"m", 0.1 + 0.2 * static_cast<double>(i), 1}}, trial_id);
    }
  };
  cases["s13_times"].write = [](CaseWriter& cw) {
    HParam a("a", IntInterval(0, 9));
    Config(cw, {a}, {Metric("m")}, 0.0);
    struct Row {
      double start, end;
      SessionStatus status;
      double wall;
    };
    const Row rows[] = {{1234.5678, 1600000000.123456789, STATUS_SUCCESS, 0.0},
                        {1e12, 0.0, STATUS_FAILURE, -5.5},
                        {-1.5, -100.25, STATUS_RUNNING, 1e12 + 0.001},
                        {1600000000.0, 5e-324, STATUS_UNKNOWN, kT0 + 0.1},
                        {4.5e15, 4.5e15 + 1, STATUS_SUCCESS, kT0}};
    for (int i = 0; i < 5; ++i) {
      SummaryWriter& w = cw.open("r" + std::to_string(i));
      Ok(w.hparams({{a, i}}, std::nullopt, rows[i].start));
      cw.now = rows[i].wall;
      Ok(w.scalar("m", i / 8.0, 1));
      Ok(w.session_end(rows[i].status, rows[i].end));
      cw.now = kT0;
    }
  };
  cases["s14_statuses"].write = [](CaseWriter& cw) {
    HParam i("i", IntInterval(0, 10));
    Config(cw, {i}, {Metric("m")});
    const std::vector<std::pair<std::string, std::optional<SessionStatus>>> rows = {
        {"r-success", STATUS_SUCCESS},
        {"r-failure", STATUS_FAILURE},
        {"r-running", STATUS_RUNNING},
        {"r-unknown", STATUS_UNKNOWN},
        {"r-none", std::nullopt}};
    for (int n = 0; n < 5; ++n) {
      SummaryWriter& w = cw.open(rows[n].first);
      Ok(w.hparams({{i, n}}, std::nullopt, kT0));
      Ok(w.scalar("m", n / 4.0, 1));
      if (rows[n].second) Ok(w.session_end(*rows[n].second, kT0));
    }
  };
  cases["s14b_status_out_of_enum"] = {
      [](CaseWriter& cw) {
        SummaryWriter& w = cw.open("r-bogus");
        EXPECT_EQ(w.session_end(static_cast<SessionStatus>(7), kT0).code(),
                  absl::StatusCode::kInvalidArgument);
      },
      "session_end() refuses a status outside the enum; TensorBoard would hide that session"};
  cases["s16_empty_hparams"].write = [](CaseWriter& cw) {
    HParam a("a");
    Config(cw, {a}, {Metric("m")});
    Trial(cw, "r0", {}, {{"m", 0.5, 1}});
    Trial(cw, "r1", {}, {{"m", 0.6, 1}});
    Trial(cw, "r2", {{a, 1}}, {{"m", 0.7, 1}});
  };
  cases["s17_not_in_config"].write = [](CaseWriter& cw) {
    HParam a("a", Discrete({1, 2})), b("b", Discrete({"x", "y"})), c("c", RealInterval(0.0, 1.0));
    Config(cw, {a, b, c}, {Metric("m")});
    Trial(cw, "r0", {{a, 1}, {b, "x"}, {"d", "extra"}}, {{"m", 0.25, 1}});
    Trial(cw, "r1", {{a, 2}}, {{"m", 0.5, 1}});
    Trial(cw, "r2", {{"d", 3.5}, {"e", true}}, {{"m", 0.75, 1}});
  };
  cases["s19_nan_inf_metrics"].write = [](CaseWriter& cw) {
    HParam i("i", IntInterval(0, 20));
    Config(cw, {i}, {Metric("m")});
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // The writer stores float32, as scalar_pb does: 3.5e38 becomes inf.
    const double m19[] = {nan, inf, -inf, -0.0, 1e38, 3.5e38, 1e-46, 1e-40, 0.1, 16777217.0};
    for (int n = 0; n < 10; ++n) {
      Trial(cw, absl::StrFormat("r%02d", n), {{i, n}}, {{"m", m19[n], 1}});
    }
    Trial(cw, "r-avg1", {{i, 20}}, {{"m", nan, 1}});
    Trial(cw, "r-avg2", {{i, 20}}, {{"m", 1.0, 1}});
    Trial(cw, "r-avg3", {{i, 19}}, {{"m", inf, 1}});
    Trial(cw, "r-avg4", {{i, 19}}, {{"m", -inf, 1}});
  };
  cases["s20_nan_inf_hparams"].write = [](CaseWriter& cw) {
    HParam x("x");
    Config(cw, {x}, {Metric("m")});
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double values[] = {nan, inf, -inf, 1.0, nan};
    for (int n = 0; n < 5; ++n) Trial(cw, "r" + std::to_string(n), {{x, values[n]}}, {{"m", n / 10.0, 1}});
  };
  using Scalars = std::vector<std::tuple<std::string, double, int64_t>>;
  auto steps = [](std::vector<std::tuple<std::string, int, Scalars>> rows) {
    return [rows](CaseWriter& cw) {
      HParam g("g");
      Config(cw, {g}, {Metric("neg"), Metric("big")});
      for (const auto& [run, v, scalars] : rows) Trial(cw, run, {{g, v}}, scalars);
    };
  };
  constexpr int64_t kI32Max = std::numeric_limits<int32_t>::max();
  constexpr int64_t kI32Min = std::numeric_limits<int32_t>::min();
  constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
  constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
  cases["s21_steps_negative"].write = steps({{"r-a", 1, {{"neg", 1.0, -5}, {"neg", 2.0, -1}}},
                                             {"r-b", 1, {{"neg", 4.0, -2}}},
                                             {"r-c", 2, {{"neg", 6.0, kI32Min}}},
                                             {"r-d", 2, {{"neg", 8.0, -1}}},
                                             {"r-e", 3, {{"neg", 10.0, kI32Min}}},
                                             {"r-f", 3, {{"neg", 11.0, kI32Min}}},
                                             {"r-g", 4, {{"neg", 12.0, 0}}}});
  cases["s21b_steps_int32_edge"].write = steps({{"r-a", 1, {{"big", 3.0, kI32Max}}},
                                                {"r-b", 1, {{"big", 5.0, kI32Max}}},
                                                {"r-c", 2, {{"big", 7.0, kI32Max}}},
                                                {"r-d", 2, {{"big", 9.0, kI32Max - 2}}}});
  cases["s21c_steps_beyond_int32"].write = steps({{"r-a", 1, {{"big", 3.0, int64_t{1} << 31}}},
                                                  {"r-b", 2, {{"big", 5.0, (int64_t{1} << 53) + 1}}},
                                                  {"r-c", 3, {{"big", 7.0, kI64Max}}},
                                                  {"r-d", 4, {{"big", 9.0, kI64Min}}},
                                                  {"r-e", 5, {{"big", 1.0, kI32Min - 1}}}});
  cases["s23_no_config_keras"].write = [](CaseWriter& cw) {
    for (int i = 0; i < 2; ++i) {
      const std::string run = "run-" + std::to_string(i);
      Ok(cw.open(run).hparams({{"lr", i == 0 ? 0.1 : 0.2}}, std::nullopt, kT0));
      SummaryWriter& tr = cw.open(run + "/train");
      Ok(tr.scalar("epoch_loss", 1.0 - i / 10.0, 0));
      Ok(tr.scalar("epoch_accuracy", 0.6 + i / 10.0, 0));
      Ok(cw.open(run + "/validation").scalar("epoch_accuracy", 0.5 + i / 10.0, 0));
    }
    Ok(cw.open("run-1/validation/extra").scalar("x", 1.5, 0));
    Ok(cw.open("orphan").scalar("z", 9.0, 0));
  };
  cases["s24_config_only"].write = [](CaseWriter& cw) {
    Config(cw,
           {HParam("a", Discrete({1, 2})), HParam("b", RealInterval(0.0, 1.0), "B"),
            HParam("c", Discrete({"x"})), HParam("d", Discrete({true})), HParam("e", IntInterval(1, 3)),
            HParam("f")},
           {Metric("m", "", "M", "d"), Metric("n", "validation", "", "", DATASET_VALIDATION)}, kT0 + 0.5);
  };
  cases["s25_two_configs_dup_start"].write = [](CaseWriter& cw) {
    HParam a("a");
    SummaryWriter& root = cw.open("");
    Ok(root.hparams_config({a}, {Metric("m")}, 1.0));
    Ok(root.hparams_config({HParam("second")}, {Metric("m2")}, 2.0));
    Ok(cw.open("aaa").hparams_config({HParam("third")}, {Metric("m3")}, 3.0));
    SummaryWriter& r0 = cw.open("r0");
    Ok(r0.hparams({{a, 1}}, std::nullopt, 10.0));
    Ok(r0.hparams({{a, 2}}, std::nullopt, 20.0));
    Ok(r0.scalar("m", 0.5, 1));
    Ok(r0.session_end(STATUS_SUCCESS, 30.0));
    Ok(r0.session_end(STATUS_FAILURE, 40.0));
    SummaryWriter& r1 = cw.open("r1");
    Ok(r1.hparams({{a, 2}}, std::nullopt, 11.0));
    Ok(r1.scalar("m", 0.25, 1));
  };
  cases["s26_big_ints"].write = [](CaseWriter& cw) {
    HParam x("x");
    Config(cw, {x}, {Metric("m")});
    const std::vector<std::pair<std::string, Value>> rows = {{"r0", (int64_t{1} << 53) + 1},
                                                             {"r1", std::numeric_limits<int64_t>::min()},
                                                             {"r2", std::numeric_limits<int64_t>::max()},
                                                             {"r3", std::numeric_limits<uint64_t>::max()},
                                                             {"r4", int64_t{1} << 53},
                                                             {"r5", 9007199254740992.0}};
    for (size_t i = 0; i < rows.size(); ++i) {
      Trial(cw, rows[i].first, {{x, rows[i].second}}, {{"m", static_cast<double>(i) / 10.0, 1}});
    }
  };
  cases["s26b_bigger_ints"] = {
      [](CaseWriter&) {},
      "ints beyond [-2^63, 2^64-1] (2^70, -2^64) have no hp::Value; Python writes them "
      "as doubles"};
  cases["s27_numpy"].write = [](CaseWriter& cw) {
    HParam x("x");
    Config(cw, {x}, {Metric("m")});
    // numpy scalars become the Python numbers they hold: float32 0.1 is the
    // double 0.10000000149011612.
    const std::vector<Value> values = {0.1f, 16.0f, 7, true, 0.3, std::numeric_limits<uint64_t>::max(), -3};
    for (size_t i = 0; i < values.size(); ++i) {
      Trial(cw, "r" + std::to_string(i), {{x, values[i]}}, {{"m", static_cast<double>(i) / 10.0, 1}});
    }
  };
  cases["s28_session_in_root"].write = [](CaseWriter& cw) {
    HParam a("a", Discrete({1, 2}));
    SummaryWriter& root = cw.open("");
    Ok(root.hparams_config({a}, {Metric("m"), Metric("m", "eval")}, kT0));
    Ok(root.hparams({{a, 1}}, std::nullopt, kT0));
    Ok(root.scalar("m", 0.5, 1));
    Trial(cw, "r1", {{a, 2}}, {{"m", 0.6, 1}});
  };
  cases["s29_empty_strings"].write = [](CaseWriter& cw) {
    HParam s("s", Discrete({"", " ", "a"})), sp(" "), d("d", Discrete({1, 2}), "", "");
    Config(cw, {s, sp, d}, {Metric("m", "", "", ""), Metric(" ")});
    Trial(cw, "r0", {{s, ""}, {sp, " "}, {d, 1}}, {{"m", 0.1, 1}, {" ", 0.2, 1}});
    Trial(cw, "r1", {{s, " "}, {sp, ""}, {d, 2}}, {{"m", 0.2, 1}, {" ", 0.30000000000000004, 1}});
  };
  cases["s30_empty_name"] = {
      [](CaseWriter& cw) {
        SummaryWriter& w = cw.open("");
        EXPECT_EQ(w.hparams_config({HParam(""), HParam("a")}, {Metric("m")}, kT0).code(),
                  absl::StatusCode::kInvalidArgument);
        EXPECT_EQ(w.hparams_config({HParam("a")}, {Metric(""), Metric("m")}, kT0).code(),
                  absl::StatusCode::kInvalidArgument);
        EXPECT_EQ(w.hparams({{"", 1}, {"a", 2}}, std::nullopt, kT0).code(),
                  absl::StatusCode::kInvalidArgument);
        EXPECT_EQ(w.scalar("", 0.5, 1).code(), absl::StatusCode::kInvalidArgument);
      },
      "an empty hparam name or metric tag is refused: TensorBoard shows a nameless column"};
  cases["s31_out_of_domain"].write = [](CaseWriter& cw) {
    HParam u("u", Discrete({16, 32})), r("r", RealInterval(0.0, 1.0)), i("i", IntInterval(1, 3));
    HParam b("b", Discrete({true, false}));
    Config(cw, {u, r, i, b}, {Metric("m")});
    // HParam keys would check the domain and refuse; plain names write what
    // Python lets through.
    EXPECT_EQ(hparams_pb({{u, 64}}, std::nullopt, kT0).status().code(), absl::StatusCode::kInvalidArgument);
    Trial(cw, "r0", {{"u", 64}, {"r", 2.5}, {"i", 1.5}, {"b", 1}}, {{"m", 0.5, 1}});
    Trial(cw, "r1", {{u, 16}, {r, 0.5}, {i, 2}, {b, true}}, {{"m", 0.75, 1}});
  };
  cases["s32_python_only_domains"] = {
      [](CaseWriter&) {
        EXPECT_FALSE(Discrete::create({1, true}).ok());
        EXPECT_FALSE(Discrete::create({}).ok());
        EXPECT_FALSE(Discrete::create({std::numeric_limits<double>::quiet_NaN(), 1.0}).ok());
        EXPECT_FALSE(RealInterval::create(-std::numeric_limits<double>::infinity(),
                                          std::numeric_limits<double>::infinity())
                         .ok());
      },
      "mixed-kind, empty and NaN Discrete domains, infinite RealInterval bounds and int bounds beyond int64 "
      "are "
      "refused"};
  cases["s33_dup_config_entries"] = {
      [](CaseWriter& cw) {
        SummaryWriter& w = cw.open("");
        EXPECT_EQ(
            w.hparams_config({HParam("a", Discrete({1, 2})), HParam("a", Discrete({3}))}, {Metric("m")}, kT0)
                .code(),
            absl::StatusCode::kInvalidArgument);
        EXPECT_EQ(w.hparams_config({HParam("a")}, {Metric("m"), Metric("m")}, kT0).code(),
                  absl::StatusCode::kInvalidArgument);
      },
      "a config naming an hparam or a metric twice is refused"};
  cases["s34_keras_callback"].write = [](CaseWriter& cw) {
    HParam lr("lr", Discrete({0.01, 0.1})), opt("opt", Discrete({"adam", "sgd"}));
    Config(cw, {lr, opt}, {Metric("epoch_accuracy", "validation", "Val acc"), Metric("epoch_loss", "train")});
    const std::tuple<double, const char*, bool> rows[] = {{0.01, "adam", false}, {0.1, "sgd", true}};
    for (int i = 0; i < 2; ++i) {
      const auto& [l, o, fail] = rows[i];
      const std::string run = "run-" + std::to_string(i);
      SummaryWriter& s = cw.open(run);
      Ok(s.hparams({{lr, l}, {opt, o}}, std::nullopt, kT0));
      SummaryWriter& tr = cw.open(run + "/train");
      SummaryWriter& va = cw.open(run + "/validation");
      for (int e = 0; e < 2; ++e) {
        cw.now = kT0 + e + 1;
        Ok(tr.scalar("epoch_loss", 1.0 / (e + 1), e));
        Ok(tr.scalar("epoch_accuracy", 0.5 + e / 10.0, e));
        Ok(va.scalar("epoch_accuracy", 0.4 + e / 10.0 + i / 100.0, e));
      }
      cw.now = kT0;
      if (!fail) Ok(s.session_end(STATUS_SUCCESS, kT0 + 3));
    }
  };
  cases["s36_v1_api"] = {
      [](CaseWriter& cw) {
        ExperimentInfo info;
        info.user = "alice";
        info.description = "desc **md**";
        info.time_created_secs = kT0;
        SummaryWriter& root = cw.open("");
        auto scope = root.as_default();
        Ok(hparams_config({HParam("a")}, {Metric("m")}, info));
        const std::vector<std::tuple<std::string, HParams, std::string, std::string, std::string>> rows = {
            {"run-0", {{"a", 1}, {"flag", true}, {"name", "x"}}, "gs://m0", "http://mon0", ""},
            {"run-1", {{"a", 2}, {"flag", false}}, "", "http://mon1", "G1"},
            {"run-2", {{"a", 3}, {"flag", true}}, "gs://m2", "http://mon2", "G1"}};
        for (size_t i = 0; i < rows.size(); ++i) {
          const auto& [run, hparams, uri, monitor, group] = rows[i];
          SummaryWriter& w = cw.open(run);
          auto start = session_start_pb(hparams, kT0 + static_cast<double>(i), group, uri, monitor);
          ASSERT_TRUE(start.ok()) << start.status();
          Ok(w.write_summary(*start, 0, kT0));
          Ok(w.scalar("m", 0.5 + static_cast<double>(i) / 10.0, 1));
          Ok(w.session_end(STATUS_SUCCESS, kT0 + 10 + static_cast<double>(i)));
        }
      },
      "partly: the v1 config types hparam 'a' FLOAT64 without a domain (ours: no type), and run-1's list "
      "value "
      "[1, 2] has no hp::Value"};
  return cases;
}

TEST(Differential, EveryCaseTheApiCanSayReadsBackAsTensorBoardShowsIt) {
  const std::map<std::string, WriteCase> cases = WriteCases();
  for (const std::string& name : CaseNames()) {
    SCOPED_TRACE(name);
    auto it = cases.find(name);
    ASSERT_NE(it, cases.end()) << "no C++ spelling for this case";
    const std::string root = test_util::make_temp_dir() + "/" + name;
    {
      CaseWriter cw(root);
      it->second.write(cw);
    }
    if (!it->second.refusal.empty() && name != "s36_v1_api") continue;
    SCOPED_TRACE(it->second.refusal);
    absl::StatusOr<ExperimentView> view = load_experiment(root);
    ASSERT_TRUE(view.ok()) << view.status();
    Answer answer = ReadAnswer(name);
    if (answer.error) {
      EXPECT_TRUE(HasDiagnostic(*view, DiagnosticKind::kStepBeyondInt32));
      continue;
    }
    const std::string differences =
        CompareWithAnswer(*view, answer, view->source == ExperimentSource::kInferred);
    if (name == "s36_v1_api") {
      // What the v1 API adds, which the C++ API now spells too.
      EXPECT_EQ(view->experiment.user, answer.experiment.user());
      EXPECT_EQ(view->experiment.description, answer.experiment.description());
      EXPECT_EQ(view->experiment.user, "alice");
    }
    if (ReadDifferences().count(name) || name == "s36_v1_api") {
      EXPECT_NE(differences, "") << "documented difference is gone";
      continue;
    }
    EXPECT_EQ(differences, "");
  }
}

#ifdef HPARAMS_CLI_PATH
// Runs `hparams ARGS...`; true when it exits 0.
bool RunCli(const std::vector<std::string>& args) {
  auto quote = [](const std::string& a) {
    std::string out = "'";
    for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  };
  std::string command = quote(HPARAMS_CLI_PATH);
  for (const std::string& a : args) command += " " + quote(a);
  const int status = std::system((command + " >/dev/null").c_str());
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The cases `hparams config` and `hparams log` can say: each a list of
// command lines, "LOGDIR" standing for the case's logdir. The rest need what
// the CLI has no flag for (scalars in a run without a session start: s10,
// s23, s28, s34; wall times other than the start time: s13; a trial with no
// hparams: s16; several events of one kind in a run: s25) or are refused by
// the API as well.
std::map<std::string, std::vector<std::vector<std::string>>> CliCases() {
  const std::string t = "--time";
  const std::string t0 = "1600000000";
  std::map<std::string, std::vector<std::vector<std::string>>> cases;
  auto log = [&](const std::string& run, std::vector<std::string> rest) {
    std::vector<std::string> args = {"log", "LOGDIR/" + run, t, t0};
    args.insert(args.end(), rest.begin(), rest.end());
    return args;
  };
  auto& s01 = cases["s01_basic"];
  s01.push_back({"config", "LOGDIR", t, t0, "--hparam", "num_units=int:16,32", "--hparam",
                 "dropout=real:0.1..0.2", "--hparam", "optimizer=str:adam,sgd", "--metric",
                 "accuracy;display_name=Accuracy"});
  const char* acc8[] = {"0.8", "0.81", "0.82", "0.83", "0.84", "0.85", "0.86", "0.87"};
  int i = 0;
  for (const char* n : {"16", "32"}) {
    for (const char* d : {"0.1", "0.2"}) {
      for (const char* o : {"adam", "sgd"}) {
        s01.push_back(log(
            "run-" + std::to_string(i),
            {"--hparam", std::string("num_units=") + n, "--hparam", std::string("dropout=") + d, "--hparam",
             std::string("optimizer=") + o, "--scalar", std::string("accuracy=") + acc8[i] + "@1"}));
        ++i;
      }
    }
  }
  cases["s02_kinds_nodomain"] = {
      {"config", "LOGDIR", t, t0, "--hparam", "flag", "--hparam", "units", "--hparam", "lr", "--hparam",
       "opt;display_name=Optimizer;description=which optimizer", "--metric", "loss"},
      log("run-0", {"--hparam", "flag=True", "--hparam", "units=3", "--hparam", "lr=0.001", "--hparam",
                    "opt=adam", "--scalar", "loss=0.5@2"}),
      log("run-1", {"--hparam", "flag=False", "--hparam", "units=5", "--hparam", "lr=0.01", "--hparam",
                    "opt=sgd", "--scalar", "loss=0.25@2"}),
      log("run-2", {"--hparam", "flag=True", "--hparam", "units=3", "--hparam", "lr=0.001", "--hparam",
                    "opt=rmsprop", "--scalar", "loss=1.0@2"})};
  cases["s03_bool_domain"] = {
      {"config", "LOGDIR", t, t0, "--hparam", "amsgrad=bool:true,false", "--hparam", "bn=bool:false",
       "--hparam", "nesterov=bool:true,false;display_name=Nesterov?", "--metric", "acc"},
      log("run-0", {"--hparam", "amsgrad=True", "--hparam", "bn=False", "--hparam", "nesterov=True",
                    "--scalar", "acc=0.5"}),
      log("run-1", {"--hparam", "amsgrad=False", "--hparam", "bn=False", "--hparam", "nesterov=False",
                    "--scalar", "acc=0.6"}),
      log("run-2", {"--hparam", "amsgrad=True", "--hparam", "bn=False", "--hparam", "nesterov=False",
                    "--scalar", "acc=0.7"})};
  cases["s04_int_interval"] = {
      {"config", "LOGDIR", t, t0, "--hparam", "layers=int:-5..10", "--hparam",
       "big=int:-9007199254740992..9007199254740992", "--hparam",
       "huge=int:-9223372036854775808..9223372036854775807", "--hparam", "one=int:7..7", "--metric", "m"},
      log("run-0", {"--hparam", "layers=-5", "--hparam", "big=9007199254740991", "--hparam",
                    "huge=9223372036854775807", "--hparam", "one=7", "--scalar", "m=0.1@1"}),
      log("run-1", {"--hparam", "layers=10", "--hparam", "big=-9007199254740992", "--hparam",
                    "huge=-9223372036854775808", "--hparam", "one=7", "--scalar", "m=0.2@1"}),
      log("run-2", {"--hparam", "layers=0", "--hparam", "big=9007199254740992", "--hparam", "huge=0",
                    "--hparam", "one=7", "--scalar", "m=0.3@1"})};
  auto& s07 = cases["s07_int_vs_float_bool"];
  s07.push_back({"config", "LOGDIR", t, t0, "--hparam", "x", "--metric", "m"});
  const std::pair<const char*, const char*> x7[] = {
      {"r-int1", "1"},       {"r-float1", "1.0"},  {"r-true", "True"},
      {"r-int0", "0"},       {"r-false", "False"}, {"r-float0", "0.0"},
      {"r-negzero", "-0.0"}, {"r-str1", "str:1"},  {"r-strTrue", "str:True"}};
  for (int n = 0; n < 9; ++n) {
    s07.push_back(log(x7[n].first, {"--hparam", std::string("x=") + x7[n].second, "--scalar",
                                    "m=" + std::to_string(n / 10.0) + "@1"}));
  }
  cases["s08_discrete_dupes"] = {
      {"config", "LOGDIR", t, t0, "--hparam", "a=int:2,1,2,1", "--hparam", "s=str:b,a,b", "--hparam",
       "z=float:0.0,-0.0,0.0", "--hparam", "t=bool:true,true,false", "--hparam", "f=float:1.0,1.0,0.5",
       "--metric", "m"},
      log("run-0", {"--hparam", "a=1", "--hparam", "s=a", "--hparam", "z=-0.0", "--hparam", "t=True",
                    "--hparam", "f=1.0", "--scalar", "m=0.5@1"}),
      log("run-1", {"--hparam", "a=2", "--hparam", "s=b", "--hparam", "z=0.0", "--hparam", "t=False",
                    "--hparam", "f=0.5", "--scalar", "m=0.75@1"})};
  cases["s14_statuses"] = {
      {"config", "LOGDIR", t, t0, "--hparam", "i=int:0..10", "--metric", "m"},
      log("r-success", {"--hparam", "i=0", "--scalar", "m=0@1", "--status", "success"}),
      log("r-failure", {"--hparam", "i=1", "--scalar", "m=0.25@1", "--status", "failure"}),
      log("r-running", {"--hparam", "i=2", "--scalar", "m=0.5@1", "--status", "running"}),
      log("r-unknown", {"--hparam", "i=3", "--scalar", "m=0.75@1", "--status", "unknown"}),
      log("r-none", {"--hparam", "i=4", "--scalar", "m=1@1"})};
  cases["s17_not_in_config"] = {
      {"config", "LOGDIR", t, t0, "--hparam", "a=int:1,2", "--hparam", "b=str:x,y", "--hparam",
       "c=real:0.0..1.0", "--metric", "m"},
      log("r0", {"--hparam", "a=1", "--hparam", "b=x", "--hparam", "d=extra", "--scalar", "m=0.25@1"}),
      log("r1", {"--hparam", "a=2", "--scalar", "m=0.5@1"}),
      log("r2", {"--hparam", "d=3.5", "--hparam", "e=True", "--scalar", "m=0.75@1"})};
  auto& s19 = cases["s19_nan_inf_metrics"];
  s19.push_back({"config", "LOGDIR", t, t0, "--hparam", "i=int:0..20", "--metric", "m"});
  const char* m19[] = {"nan", "inf", "-inf", "-0.0", "1e38", "3.5e38", "1e-46", "1e-40", "0.1", "16777217.0"};
  for (int n = 0; n < 10; ++n) {
    s19.push_back(log(absl::StrFormat("r%02d", n),
                      {"--hparam", "i=" + std::to_string(n), "--scalar", std::string("m=") + m19[n] + "@1"}));
  }
  s19.push_back(log("r-avg1", {"--hparam", "i=20", "--scalar", "m=nan@1"}));
  s19.push_back(log("r-avg2", {"--hparam", "i=20", "--scalar", "m=1.0@1"}));
  s19.push_back(log("r-avg3", {"--hparam", "i=19", "--scalar", "m=inf@1"}));
  s19.push_back(log("r-avg4", {"--hparam", "i=19", "--scalar", "m=-inf@1"}));
  auto& s20 = cases["s20_nan_inf_hparams"];
  s20.push_back({"config", "LOGDIR", t, t0, "--hparam", "x", "--metric", "m"});
  const char* x20[] = {"nan", "inf", "-inf", "1.0", "nan"};
  for (int n = 0; n < 5; ++n) {
    s20.push_back(log("r" + std::to_string(n), {"--hparam", std::string("x=") + x20[n], "--scalar",
                                                "m=" + std::to_string(n / 10.0) + "@1"}));
  }
  cases["s21_steps_negative"] = {
      {"config", "LOGDIR", t, t0, "--hparam", "g", "--metric", "neg", "--metric", "big"},
      log("r-a", {"--hparam", "g=1", "--scalar", "neg=1.0@-5", "--scalar", "neg=2.0@-1"}),
      log("r-b", {"--hparam", "g=1", "--scalar", "neg=4.0@-2"}),
      log("r-c", {"--hparam", "g=2", "--scalar", "neg=6.0@-2147483648"}),
      log("r-d", {"--hparam", "g=2", "--scalar", "neg=8.0@-1"}),
      log("r-e", {"--hparam", "g=3", "--scalar", "neg=10.0@-2147483648"}),
      log("r-f", {"--hparam", "g=3", "--scalar", "neg=11.0@-2147483648"}),
      log("r-g", {"--hparam", "g=4", "--scalar", "neg=12.0@0"})};
  cases["s21b_steps_int32_edge"] = {
      {"config", "LOGDIR", t, t0, "--hparam", "g", "--metric", "neg", "--metric", "big"},
      log("r-a", {"--hparam", "g=1", "--scalar", "big=3.0@2147483647"}),
      log("r-b", {"--hparam", "g=1", "--scalar", "big=5.0@2147483647"}),
      log("r-c", {"--hparam", "g=2", "--scalar", "big=7.0@2147483647"}),
      log("r-d", {"--hparam", "g=2", "--scalar", "big=9.0@2147483645"})};
  cases["s24_config_only"] = {{"config",   "LOGDIR",
                               t,          "1600000000.5",
                               "--hparam", "a=int:1,2",
                               "--hparam", "b=real:0.0..1.0;display_name=B",
                               "--hparam", "c=str:x",
                               "--hparam", "d=bool:true",
                               "--hparam", "e=int:1..3",
                               "--hparam", "f",
                               "--metric", "m;display_name=M;description=d",
                               "--metric", "n;group=validation;dataset_type=validation"}};
  auto& s26 = cases["s26_big_ints"];
  s26.push_back({"config", "LOGDIR", t, t0, "--hparam", "x", "--metric", "m"});
  const std::pair<const char*, const char*> x26[] = {
      {"r0", "9007199254740993"},     {"r1", "-9223372036854775808"}, {"r2", "9223372036854775807"},
      {"r3", "18446744073709551615"}, {"r4", "9007199254740992"},     {"r5", "9007199254740992.0"}};
  for (int n = 0; n < 6; ++n) {
    s26.push_back(log(x26[n].first, {"--hparam", std::string("x=") + x26[n].second, "--scalar",
                                     "m=" + std::to_string(n / 10.0) + "@1"}));
  }
  cases["s29_empty_strings"] = {
      {"config", "LOGDIR", t, t0, "--hparam", "s=str:, ,a", "--hparam", " ", "--hparam",
       "d=int:1,2;display_name=;description=", "--metric", "m;display_name=;description=", "--metric", " "},
      log("r0", {"--hparam", "s=", "--hparam", " = ", "--hparam", "d=1", "--scalar", "m=0.1@1", "--scalar",
                 " =0.2@1"}),
      log("r1", {"--hparam", "s= ", "--hparam", " =", "--hparam", "d=2", "--scalar", "m=0.2@1", "--scalar",
                 " =0.30000000000000004@1"})};
  return cases;
}

TEST(Differential, EveryCaseTheCliCanSayReadsBackAsTensorBoardShowsIt) {
  for (const auto& [name, commands] : CliCases()) {
    SCOPED_TRACE(name);
    const std::string root = test_util::make_temp_dir() + "/" + name;
    for (std::vector<std::string> args : commands) {
      for (std::string& a : args) {
        if (a.rfind("LOGDIR", 0) == 0) a = root + a.substr(6);
      }
      ASSERT_TRUE(RunCli(args)) << ::testing::PrintToString(args);
    }
    absl::StatusOr<ExperimentView> view = load_experiment(root);
    ASSERT_TRUE(view.ok()) << view.status();
    EXPECT_EQ(CompareWithAnswer(*view, ReadAnswer(name), view->source == ExperimentSource::kInferred), "");
  }
}
#endif  // HPARAMS_CLI_PATH

}  // namespace
}  // namespace hp
