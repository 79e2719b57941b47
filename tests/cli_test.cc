// End-to-end tests of the `hparams` command-line tool: golden logdirs, every
// `check` finding, every error exit, and the round trip config + log ->
// show, compared with what the library writes for the same inputs.
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "hparams/hparam.h"
#include "hparams/proto/hparams_plugin_data.pb.h"
#include "hparams/reader.h"
#include "hparams/summary.h"
#include "hparams/writer.h"
#include "io_test_util.h"

namespace hp {
namespace {

#ifndef HPARAMS_CLI_PATH
// Configured with HPARAMS_BUILD_TOOLS=OFF: there is no tool to test.
TEST(Cli, IsNotBuilt) { GTEST_SKIP() << "the hparams_cli target is not part of this build"; }
#else

namespace fs = std::filesystem;
namespace hpb = proto::hparams;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kGolden = HPARAMS_GOLDEN_DIR;
const std::string kCli = HPARAMS_CLI_PATH;
const std::string kEventFile = "events.out.tfevents.1600000000.golden.4242.0";

using test_util::read_bytes;
using test_util::write_bytes;

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `hparams ARGS...` and captures its exit code, stdout and stderr.
Result Cli(const std::vector<std::string>& args) {
  static int counter = 0;
  std::string base =
      ::testing::TempDir() + "/cli_test_io_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  std::string command = Quote(kCli);
  for (const std::string& a : args) command += " " + Quote(a);
  command += " >" + base + ".out 2>" + base + ".err";
  int status = std::system(command.c_str());
  Result result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_bytes(base + ".out");
  result.err = read_bytes(base + ".err");
  fs::remove(base + ".out");
  fs::remove(base + ".err");
  return result;
}

// A fresh directory for the current test, removed afterwards.
class Scratch {
 public:
  Scratch() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = ::testing::TempDir() + "/cli_test_" + info->name();
    fs::remove_all(path_);
  }
  explicit Scratch(const std::string& golden_logdir) : Scratch() {
    fs::copy(kGolden + "/" + golden_logdir, path_, fs::copy_options::recursive);
  }
  ~Scratch() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& child) const { return path_ + "/" + child; }

 private:
  std::string path_;
};

template <typename Message>
Message ParseJson(const std::string& json) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return message;
}

hpb::ListSessionGroupsResponse ExpectedGroups(const std::string& dir) {
  return ParseJson<hpb::ListSessionGroupsResponse>(read_bytes(kGolden + "/" + dir + "/session_groups.json"));
}

// Writes with the library at a fixed time.
std::unique_ptr<SummaryWriter> Writer(const std::string& dir, double time = 1600000000.0) {
  WriterOptions options;
  options.clock = [time] { return time; };
  auto writer = SummaryWriter::create(dir, options);
  EXPECT_TRUE(writer.ok()) << writer.status();
  return writer.ok() ? *std::move(writer) : nullptr;
}

std::vector<proto::Event> EventsIn(const std::string& dir) {
  std::vector<proto::Event> events;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().find("tfevents") == std::string::npos) continue;
    for (proto::Event& e : test_util::read_events(entry.path().string())) events.push_back(std::move(e));
  }
  return events;
}

void ExpectEqualProto(const google::protobuf::Message& actual, const google::protobuf::Message& expected) {
  MessageDifferencer differencer;
  std::string report;
  differencer.ReportDifferencesToString(&report);
  EXPECT_TRUE(differencer.Compare(actual, expected)) << report;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// --- Help and usage errors ---------------------------------------------------

TEST(Cli, HelpWorksForTheToolAndEveryCommand) {
  Result main = Cli({"--help"});
  EXPECT_EQ(main.exit_code, 0);
  EXPECT_THAT(main.out, HasSubstr("usage: hparams COMMAND"));
  for (const std::string command : {"show", "export", "check", "config", "log", "grid", "sample"}) {
    Result r = Cli({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_THAT(r.out, HasSubstr("usage: hparams " + command)) << command;
    EXPECT_EQ(Cli({command, "-h"}).out, r.out) << command;
  }
}

TEST(Cli, VersionPrintsTheProjectVersion) {
  for (const std::string flag : {"--version", "-V"}) {
    Result r = Cli({flag});
    EXPECT_EQ(r.exit_code, 0) << flag;
    EXPECT_EQ(r.out, std::string("hparams ") + HPARAMS_PROJECT_VERSION + "\n") << flag;
  }
}

TEST(Cli, UsageErrorsExitTwoAndSayWhatIsWrong) {
  const std::string logdir = kGolden + "/logdir";
  Scratch out;  // commands that must write nothing point here
  const std::string x = out.path();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{}, "usage: hparams COMMAND"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{"show"}, "expected 1 argument"},
      {{"show", logdir, "extra"}, "unexpected argument 'extra'"},
      {{"show", logdir, "--bogus"}, "unknown option '--bogus'"},
      {{"show", logdir, "--sort"}, "'--sort' needs a value"},
      {{"show", logdir, "--desc"}, "--desc needs --sort"},
      {{"show", logdir, "--sort", "nope"}, "--sort 'nope' names no column; use one of: dropout, num_units"},
      {{"show", logdir, "--desc=1", "--sort", "accuracy"}, "takes no value"},
      {{"export", logdir}, "--format is required"},
      {{"export", logdir, "--format", "xml"}, "'xml' is not csv, json or markdown"},
      {{"export", logdir, "--format", "csv", "--format", "json"}, "given more than once"},
      {{"check"}, "expected 1 argument"},
      {{"config", x}, "at least one --hparam or --metric"},
      {{"config", x, "--hparam", "lr=real:0.1,0.2"}, "a real domain is an interval"},
      {{"config", x, "--hparam", "n=int:1,x"}, "'x' is not an integer"},
      {{"config", x, "--hparam", "n=complex:1"}, "TYPE one of int, float, real, str, bool"},
      {{"config", x, "--metric", "acc;colour=red"}, "unknown attribute 'colour=red'"},
      {{"config", x, "--metric", "acc;dataset_type=test"}, "dataset_type 'test'"},
      {{"config", x, "--hparam", "n=int:1", "--time", "soon"}, "--time 'soon'"},
      {{"log", x}, "--hparam NAME=VALUE"},
      {{"log", x, "--hparam", "novalue"}, "is not NAME=VALUE"},
      {{"log", x, "--hparam", "a=1", "--hparam", "a=2"}, "a"},
      {{"log", x, "--hparam", "a=int:x"}, "'x' is not an integer"},
      {{"log", x, "--hparam", "a=1", "--status", "done"}, "'done' is not success, failure"},
      {{"log", x, "--hparam", "a=1", "--scalar", "acc"}, "is not TAG=VALUE[@STEP]"},
      {{"log", x, "--hparam", "a=1", "--scalar", "acc=high"}, "'high' is not a number"},
      {{"log", x, "--hparam", "a=1", "--scalar", "acc=1@x"}, "'x' is not an integer"},
      {{"sample", logdir}, "-n N"},
      {{"sample", logdir, "-n", "many"}, "'many' is not a non-negative integer"},
      {{"sample", logdir, "-n", "2", "--seed", "-1"}, "--seed '-1'"},
      {{"sample", logdir, "-n", "99999999999999999999"}, "is not a non-negative integer"},
      {{"sample", logdir, "-n", "2", "--seed", "99999999999999999999"}, "--seed '99999999999999999999'"},
  };
  for (const Case& c : cases) {
    Result r = Cli(c.args);
    std::string joined;
    for (const auto& a : c.args) joined += a + " ";
    EXPECT_EQ(r.exit_code, 2) << joined;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << joined;
    EXPECT_TRUE(r.out.empty()) << joined << r.out;
  }
  EXPECT_FALSE(fs::exists(x)) << "a rejected command must write nothing";
}

TEST(Cli, RejectedConfigOrLogWritesNothing) {
  Scratch dir;
  EXPECT_EQ(Cli({"config", dir.path(), "--hparam", "n=int:1", "--metric", "acc;bad=1"}).exit_code, 2);
  EXPECT_EQ(Cli({"log", dir.path(), "--hparam", "a=1", "--status", "done"}).exit_code, 2);
  EXPECT_FALSE(fs::exists(dir.path()));
}

TEST(Cli, IoErrorsExitTwo) {
  for (const std::string command : {"show", "check", "grid"}) {
    Result r = Cli({command, kGolden + "/no_such_logdir"});
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_THAT(r.err, HasSubstr("no_such_logdir")) << command;
  }
  Result r = Cli({"export", kGolden + "/logdir/run-0/" + kEventFile, "--format", "csv"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("not a directory"));
  // Writing below a regular file fails in the OS.
  r = Cli({"log", kGolden + "/logdir/run-0/" + kEventFile + "/sub", "--hparam", "a=1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(r.err.empty());
}

TEST(Cli, GridWithoutConfigSaysHowToWriteOne) {
  Scratch dir;
  ASSERT_EQ(Cli({"log", dir / "run-0", "--hparam", "a=1"}).exit_code, 0);
  Result r = Cli({"grid", dir.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no experiment config"));
  EXPECT_THAT(r.err, HasSubstr("hparams config"));
}

// --- Golden logdirs ---------------------------------------------------------

TEST(Cli, ExportJsonOfGoldenLogdirMatchesTensorBoardsSessionGroups) {
  for (const auto& [logdir, expected_dir, metric] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"logdir", "expected", "accuracy"},
           {"logdir_validation", "expected_validation", "validation/epoch_accuracy"}}) {
    Result r = Cli({"export", kGolden + "/" + logdir, "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = ParseJson<google::protobuf::ListValue>(r.out);
    hpb::ListSessionGroupsResponse expected = ExpectedGroups(expected_dir);
    ASSERT_EQ(rows.values_size(), expected.session_groups_size());
    for (int i = 0; i < rows.values_size(); ++i) {
      const auto& row = rows.values(i).struct_value().fields();
      const hpb::SessionGroup& group = expected.session_groups(i);
      EXPECT_EQ(row.at("group").string_value(), group.name());
      ASSERT_EQ(row.at("sessions").list_value().values_size(), group.sessions_size());
      EXPECT_EQ(row.at("sessions").list_value().values(0).string_value(), group.sessions(0).name());
      google::protobuf::Struct hparams;
      for (const auto& [k, v] : group.hparams()) (*hparams.mutable_fields())[k] = v;
      ExpectEqualProto(row.at("hparams").struct_value(), hparams);
      EXPECT_EQ(row.at("metrics").struct_value().fields().at(metric).number_value(),
                group.metric_values(0).value());
      EXPECT_EQ(row.at("status").string_value(), "unknown");
    }
  }
}

TEST(Cli, ShowPrintsOneAlignedRowPerGroupInServerOrder) {
  Result r = Cli({"show", kGolden + "/logdir"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  hpb::ListSessionGroupsResponse expected = ExpectedGroups("expected");
  ASSERT_EQ(lines.size(), 2u + expected.session_groups_size());
  EXPECT_THAT(lines[0], HasSubstr("Accuracy"));
  for (const std::string& header : {"dropout", "num_units", "optimizer", "Status"}) {
    EXPECT_THAT(lines[0], HasSubstr(header));
  }
  // Every line has the same width up to the status column, which starts at
  // the same offset everywhere.
  size_t status_at = lines[0].find("Status");
  for (size_t i = 0; i < expected.session_groups_size(); ++i) {
    const std::string& line = lines[2 + i];
    EXPECT_EQ(line.rfind(' ', status_at - 1) + 1, status_at) << line;
    EXPECT_EQ(line.substr(0, line.find(' ')), expected.session_groups(i).sessions(0).name());
    EXPECT_EQ(line.substr(status_at), "unknown");
  }
}

TEST(Cli, SortOrdersByMetricWithTheDirectionAsked) {
  hpb::ListSessionGroupsResponse expected = ExpectedGroups("expected_validation");
  std::vector<std::pair<double, std::string>> want;
  for (const auto& g : expected.session_groups())
    want.emplace_back(g.metric_values(0).value(), g.sessions(0).name());
  for (bool desc : {false, true}) {
    std::vector<std::string> args = {
        "export", kGolden + "/logdir_validation", "--format", "csv", "--sort", "epoch_accuracy"};
    if (desc) args.push_back("--desc");
    Result r = Cli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> lines = Lines(r.out);
    ASSERT_EQ(lines.size(), want.size() + 1);
    std::sort(want.begin(), want.end());
    if (desc) std::reverse(want.begin(), want.end());
    for (size_t i = 0; i < want.size(); ++i)
      EXPECT_EQ(lines[i + 1].substr(0, lines[i + 1].find(',')), want[i].second);
  }
  // Display names and hparam names work too.
  EXPECT_EQ(Cli({"show", kGolden + "/logdir", "--sort", "Accuracy"}).exit_code, 0);
  EXPECT_EQ(Cli({"show", kGolden + "/logdir", "--sort", "optimizer", "--desc"}).exit_code, 0);
}

TEST(Cli, MarkdownAndCsvHaveAHeaderAndOneRowPerGroup) {
  Result md = Cli({"export", kGolden + "/logdir", "--format", "markdown"});
  ASSERT_EQ(md.exit_code, 0);
  std::vector<std::string> lines = Lines(md.out);
  ASSERT_EQ(lines.size(), 10u);
  EXPECT_EQ(lines[0], "| Run | dropout | num_units | optimizer | Accuracy | Status |");
  EXPECT_EQ(lines[1], "| --- | --- | --- | --- | ---: | --- |");
  Result csv = Cli({"export", kGolden + "/logdir", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(Lines(csv.out)[0], "Run,dropout,num_units,optimizer,Accuracy,Status");
  EXPECT_EQ(Lines(csv.out).size(), 9u);
}

TEST(Cli, CheckPassesOnTheGoldenLogdirs) {
  for (const std::string logdir : {"logdir", "logdir_validation"}) {
    Result r = Cli({"check", kGolden + "/" + logdir});
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_THAT(r.out, HasSubstr("no problems found"));
  }
}

// --- Each check finding -------------------------------------------------------

// Runs `check` and expects exit 1 with a finding `code` whose message has
// every piece of `pieces`.
void ExpectFinding(const std::string& logdir, const std::string& code,
                   const std::vector<std::string>& pieces) {
  Result r = Cli({"check", logdir});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  for (const std::string& line : Lines(r.out)) {
    if (line.rfind(code + ": ", 0) != 0) continue;
    bool all = true;
    for (const std::string& piece : pieces) all &= line.find(piece) != std::string::npos;
    if (all) return;
  }
  ADD_FAILURE() << "no " << code << " finding with " << ::testing::PrintToString(pieces) << " in:\n" << r.out;
}

TEST(Cli, CheckFindsAMetricInTheWrongGroupAndSuggestsTheRightOne) {
  Scratch dir("logdir_validation");
  // Replace the config by one whose metric has no group.
  fs::remove(dir / kEventFile);
  ASSERT_EQ(Cli({"config", dir.path(), "--hparam", "num_units=int:16,32", "--hparam", "dropout=real:0.1..0.2",
                 "--hparam", "optimizer=str:adam,sgd", "--metric", "epoch_accuracy"})
                .exit_code,
            0);
  ExpectFinding(dir.path(), "metric_not_found",
                {"tag='epoch_accuracy'", "found `epoch_accuracy` in run-0/train, run-0/validation",
                 "did you mean group='train' or group='validation'?"});
  ExpectFinding(dir.path(), "session_without_metrics", {"8 sessions", "run-0"});
}

TEST(Cli, CheckFindsAMisspelledMetricTag) {
  Scratch dir("logdir");
  fs::remove(dir / kEventFile);
  ASSERT_EQ(Cli({"config", dir.path(), "--hparam", "num_units=int:16,32", "--metric", "acuracy"}).exit_code,
            0);
  ExpectFinding(dir.path(), "metric_not_found", {"tag='acuracy'", "accuracy", "misspelled"});
}

TEST(Cli, CheckFindsASessionInTheLogdirRoot) {
  Scratch dir;
  ASSERT_EQ(
      Cli({"config", dir.path(), "--hparam", "a=int:1,2", "--metric", "acc;group=validation"}).exit_code, 0);
  ASSERT_EQ(Cli({"log", dir.path(), "--hparam", "a=1"}).exit_code, 0);
  ASSERT_EQ(Writer(dir / "validation")->scalar("acc", 0.5, 1), absl::OkStatus());
  ExpectFinding(dir.path(), "session_in_root", {"logdir root", "validation", "own run directory"});
}

TEST(Cli, CheckFindsConfigsInSeveralRuns) {
  Scratch dir("logdir");
  fs::copy_file(dir / kEventFile, dir / "run-3/events.out.tfevents.1600000000.golden.4242.1");
  ExpectFinding(dir.path(), "multiple_configs", {"2 runs", ".", "run-3"});
}

TEST(Cli, CheckFindsHParamsOutsideTheirDomainOfAnotherTypeOrNotInTheConfig) {
  Scratch dir("logdir");
  ASSERT_EQ(Cli({"log", dir / "run-8", "--hparam", "num_units=64", "--hparam", "dropout=0.1", "--hparam",
                 "optimizer=adam", "--scalar", "accuracy=0.5@1"})
                .exit_code,
            0);
  ASSERT_EQ(Cli({"log", dir / "run-9", "--hparam", "num_units=16", "--hparam", "dropout=0.9", "--hparam",
                 "optimizer=true", "--hparam", "momentum=0.9", "--scalar", "accuracy=0.5@1"})
                .exit_code,
            0);
  ExpectFinding(dir.path(), "hparam_out_of_domain", {"run-8", "num_units", "64", "16, 32"});
  ExpectFinding(dir.path(), "hparam_out_of_domain", {"run-9", "dropout", "0.9", "[0.1, 0.2]"});
  ExpectFinding(dir.path(), "hparam_wrong_type", {"run-9", "optimizer", "bool", "string"});
  ExpectFinding(dir.path(), "hparam_not_in_config", {"run-9", "momentum"});
}

TEST(Cli, CheckFindsRunsWithoutASessionStart) {
  Scratch dir("logdir");
  ASSERT_EQ(Writer(dir / "orphan")->scalar("accuracy", 0.5, 1), absl::OkStatus());
  ExpectFinding(dir.path(), "run_without_session", {"'orphan'", "hparams()"});
}

TEST(Cli, CheckFindsALogdirWithoutSessions) {
  Scratch dir;
  ASSERT_EQ(Writer(dir / "run-0")->scalar("accuracy", 0.5, 1), absl::OkStatus());
  ExpectFinding(dir.path(), "no_sessions", {"hparams()"});
}

TEST(Cli, CheckFindsAConfigWithoutMetrics) {
  Scratch dir;
  ASSERT_EQ(Cli({"config", dir.path(), "--hparam", "a=int:1,2"}).exit_code, 0);
  ASSERT_EQ(Cli({"log", dir / "run-0", "--hparam", "a=1"}).exit_code, 0);
  ExpectFinding(dir.path(), "no_metrics", {"no metrics"});
}

TEST(Cli, CheckFindsDuplicateSessionStartsAndEnds) {
  Scratch dir("logdir");
  {
    auto w = Writer(dir / "run-4");
    ASSERT_EQ(w->hparams(HParams{{"num_units", 16}, {"dropout", 0.1}, {"optimizer", "sgd"}}),
              absl::OkStatus());
    ASSERT_EQ(w->session_end(STATUS_RUNNING), absl::OkStatus());
    ASSERT_EQ(w->session_end(STATUS_SUCCESS), absl::OkStatus());
  }
  ExpectFinding(dir.path(), "duplicate_session_start", {"run-4", "first"});
  ExpectFinding(dir.path(), "duplicate_session_end", {"run-4", "first"});
}

TEST(Cli, CheckFindsABadPluginVersion) {
  Scratch dir("logdir");
  proto::Summary summary;
  ASSERT_TRUE(summary.ParseFromString(read_bytes(kGolden + "/summaries/hparams_trial_0.pb")));
  hpb::HParamsPluginData data;
  ASSERT_TRUE(data.ParseFromString(summary.value(0).metadata().plugin_data().content()));
  data.set_version(2);
  summary.mutable_value(0)->mutable_metadata()->mutable_plugin_data()->set_content(data.SerializeAsString());
  ASSERT_EQ(Writer(dir / "run-8")->write_summary(summary, 0), absl::OkStatus());
  ExpectFinding(dir.path(), "bad_plugin_version", {"run-8", "version 2"});
  summary.mutable_value(0)->mutable_metadata()->mutable_plugin_data()->set_content("\xff\xff");
  ASSERT_EQ(Writer(dir / "run-9")->write_summary(summary, 0), absl::OkStatus());
  ExpectFinding(dir.path(), "bad_plugin_data", {"run-9"});
}

TEST(Cli, CheckFindsCorruptAndTruncatedFiles) {
  Scratch dir("logdir");
  std::string corrupt = dir / ("run-1/" + kEventFile);
  std::string bytes = read_bytes(corrupt);
  bytes[bytes.size() - 10] ^= 0x40;
  write_bytes(corrupt, bytes);
  std::string truncated = dir / ("run-6/" + kEventFile);
  bytes = read_bytes(truncated);
  write_bytes(truncated, bytes.substr(0, bytes.size() - 3));
  ExpectFinding(dir.path(), "corrupt_record", {corrupt, "offset"});
  ExpectFinding(dir.path(), "truncated_file", {truncated});
  // show still works, and points at check.
  Result show = Cli({"show", dir.path()});
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_THAT(show.err, HasSubstr("hparams check"));
}

// --- Round trip ------------------------------------------------------------------

TEST(Cli, ConfigAndLogWriteExactlyWhatTheLibraryWrites) {
  Scratch dir;
  const std::string cli = dir / "cli";
  const std::string lib = dir / "lib";
  const std::string t = "1600000000";
  ASSERT_EQ(Cli({"config",   cli,
                 "--time",   t,
                 "--hparam", "num_units=int:16,32",
                 "--hparam", "dropout=real:0.1..0.2",
                 "--hparam", "optimizer=str:adam,sgd",
                 "--hparam", "layers=int:1..4;display_name=Layers",
                 "--hparam", "amsgrad=bool:true,false",
                 "--hparam", "lr=float:0.01,0.1",
                 "--metric", "accuracy;display_name=Accuracy",
                 "--metric", "loss;group=validation;description=Val loss;dataset_type=validation"})
                .exit_code,
            0);
  ASSERT_EQ(Cli({"log",      cli + "/run-0",    "--time",   t,
                 "--hparam", "num_units=16",    "--hparam", "dropout=0.1",
                 "--hparam", "optimizer=adam",  "--hparam", "amsgrad=false",
                 "--hparam", "tag=str:16",      "--scalar", "accuracy=0.83@1",
                 "--scalar", "accuracy=0.85@2", "--status", "success"})
                .exit_code,
            0);
  ASSERT_EQ(Cli({"log", cli + "/run-1", "--time", t, "--trial-id", "trial-1", "--hparam", "num_units=32",
                 "--hparam", "dropout=0.2", "--hparam", "optimizer=sgd", "--status", "failure"})
                .exit_code,
            0);
  {
    auto w = Writer(lib);
    ASSERT_EQ(
        w->hparams_config(
            {HParam("num_units", Domain(Discrete({16, 32}))),
             HParam("dropout", Domain(RealInterval(0.1, 0.2))),
             HParam("optimizer", Domain(Discrete({"adam", "sgd"}))),
             HParam("layers", Domain(IntInterval(1, 4)), "Layers"),
             HParam("amsgrad", Domain(Discrete({true, false}))), HParam("lr", Domain(Discrete({0.01, 0.1})))},
            {Metric("accuracy").display_name("Accuracy"),
             Metric("loss").group("validation").description("Val loss").dataset_type(DATASET_VALIDATION)},
            1600000000.0),
        absl::OkStatus());
  }
  {
    auto w = Writer(lib + "/run-0");
    ASSERT_EQ(w->hparams(HParams{{"num_units", 16},
                                 {"dropout", 0.1},
                                 {"optimizer", "adam"},
                                 {"amsgrad", false},
                                 {"tag", "16"}},
                         std::nullopt, 1600000000.0),
              absl::OkStatus());
    ASSERT_EQ(w->scalar("accuracy", 0.83, 1), absl::OkStatus());
    ASSERT_EQ(w->scalar("accuracy", 0.85, 2), absl::OkStatus());
    ASSERT_EQ(w->session_end(STATUS_SUCCESS, 1600000000.0), absl::OkStatus());
  }
  {
    auto w = Writer(lib + "/run-1");
    ASSERT_EQ(w->hparams(HParams{{"num_units", 32}, {"dropout", 0.2}, {"optimizer", "sgd"}}, "trial-1",
                         1600000000.0),
              absl::OkStatus());
    ASSERT_EQ(w->session_end(STATUS_FAILURE, 1600000000.0), absl::OkStatus());
  }
  for (const std::string run : {"", "/run-0", "/run-1"}) {
    std::vector<proto::Event> a = EventsIn(cli + run);
    std::vector<proto::Event> b = EventsIn(lib + run);
    ASSERT_EQ(a.size(), b.size()) << run;
    ASSERT_GT(a.size(), 1u);
    for (size_t i = 0; i < a.size(); ++i) ExpectEqualProto(a[i], b[i]);
  }
  // ...and `show` displays it.
  Result show = Cli({"show", cli});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  std::vector<std::string> lines = Lines(show.out);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_THAT(lines[0], HasSubstr("Layers"));
  EXPECT_THAT(show.out, HasSubstr("0.85"));
  EXPECT_THAT(show.out, HasSubstr("success"));
  EXPECT_THAT(show.out, HasSubstr("failure"));
  EXPECT_EQ(Cli({"check", cli}).exit_code, 1);  // hparam 'tag' is not in the config
}

TEST(Cli, LogWithGoldenInputsWritesTheGoldenSessionStart) {
  // Trial 0 of the golden experiment: the CLI's type inference must give
  // int 16, float 0.1 and str adam, or the group name (a hash) differs.
  Scratch dir;
  ASSERT_EQ(Cli({"log", dir.path(), "--time", "1600000000", "--hparam", "num_units=16", "--hparam",
                 "dropout=0.1", "--hparam", "optimizer=adam"})
                .exit_code,
            0);
  std::vector<proto::Event> events = EventsIn(dir.path());
  ASSERT_EQ(events.size(), 2u);
  proto::Summary golden;
  ASSERT_TRUE(golden.ParseFromString(read_bytes(kGolden + "/summaries/hparams_trial_0.pb")));
  ExpectEqualProto(events[1].summary(), golden);
}

TEST(Cli, ConfigWithGoldenInputsWritesTheGoldenConfig) {
  Scratch dir;
  ASSERT_EQ(Cli({"config", dir.path(), "--time", "1600000000", "--hparam", "num_units=int:16,32", "--hparam",
                 "dropout=real:0.1..0.2", "--hparam", "optimizer=str:adam,sgd", "--metric",
                 "accuracy;display_name=Accuracy"})
                .exit_code,
            0);
  std::vector<proto::Event> events = EventsIn(dir.path());
  ASSERT_EQ(events.size(), 2u);
  proto::Summary golden;
  ASSERT_TRUE(golden.ParseFromString(read_bytes(kGolden + "/summaries/hparams_config.pb")));
  ExpectEqualProto(events[1].summary(), golden);
}

TEST(Cli, ValueTypesFollowPythonLiteralsUnlessForced) {
  Scratch dir;
  ASSERT_EQ(Cli({"log", dir.path(), "--hparam", "i=16", "--hparam", "f=0.5", "--hparam", "e=1e-5", "--hparam",
                 "b=true", "--hparam", "s=adam", "--hparam", "forced=str:16", "--hparam", "ff=float:16",
                 "--hparam", "neg=-3"})
                .exit_code,
            0);
  auto runs = read_logdir(dir.path());
  ASSERT_TRUE(runs.ok());
  ASSERT_TRUE((*runs)[0].session_start.has_value());
  const auto& h = (*runs)[0].session_start->hparams;
  EXPECT_EQ(h.at("i"), Value(16.0));
  EXPECT_EQ(h.at("f"), Value(0.5));
  EXPECT_EQ(h.at("e"), Value(1e-5));
  EXPECT_EQ(h.at("b"), Value(true));
  EXPECT_EQ(h.at("s"), Value("adam"));
  EXPECT_EQ(h.at("forced"), Value("16"));
  EXPECT_EQ(h.at("ff"), Value(16.0));
  EXPECT_EQ(h.at("neg"), Value(-3.0));
}

// Python's int literals group digits with single underscores between
// digits; anything else with underscores is a string, not an error.
TEST(Cli, UnderscoresMakeAnIntOnlyBetweenDigits) {
  Scratch dir;
  Result r = Cli({"log", dir.path(), "--hparam", "grouped=1_000", "--hparam", "bare=_", "--hparam", "lead=_1",
                  "--hparam", "trail=1_", "--hparam", "double=1__0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto runs = read_logdir(dir.path());
  ASSERT_TRUE(runs.ok());
  ASSERT_TRUE((*runs)[0].session_start.has_value());
  const auto& h = (*runs)[0].session_start->hparams;
  EXPECT_EQ(h.at("grouped"), Value(1000.0));
  EXPECT_EQ(h.at("bare"), Value("_"));
  EXPECT_EQ(h.at("lead"), Value("_1"));
  EXPECT_EQ(h.at("trail"), Value("1_"));
  EXPECT_EQ(h.at("double"), Value("1__0"));
}

// A spec is unescaped once: "\\," is a backslash then a separator, "\," a
// comma in a value, "\;" and "\=" are characters of a name, tag or label;
// other backslashes are literal.
TEST(Cli, SpecEscapesAreUndoneExactlyOnce) {
  Scratch dir;
  Result r =
      Cli({"config", dir.path(), "--hparam", "dir=str:C:\\\\,D:\\data", "--hparam", "sep=str:\\,,-",
           "--hparam", "a\\=b=int:1,2;display_name=x\\;y", "--metric", "acc\\;1;group=g\\=h", "--time", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto view = load_experiment(dir.path());
  ASSERT_TRUE(view.ok()) << view.status();
  std::map<std::string, HParamInfo> infos;
  for (const HParamInfo& info : view->experiment.hparam_infos) infos[info.name] = info;
  ASSERT_EQ(infos.size(), 3u);
  auto strings = [&](const std::string& name) {
    std::vector<std::string> out;
    if (infos[name].domain_discrete) {
      for (const Value& v : *infos[name].domain_discrete) out.push_back(v.as_string());
    }
    return out;
  };
  EXPECT_EQ(strings("dir"), (std::vector<std::string>{"C:\\", "D:\\data"}));
  EXPECT_EQ(strings("sep"), (std::vector<std::string>{",", "-"}));
  ASSERT_EQ(infos.count("a=b"), 1u);
  EXPECT_EQ(infos["a=b"].display_name, "x;y");
  ASSERT_EQ(view->experiment.metric_infos.size(), 1u);
  EXPECT_EQ(view->experiment.metric_infos[0].name.tag, "acc;1");
  EXPECT_EQ(view->experiment.metric_infos[0].name.group, "g=h");

  const std::string run_dir = dir.path() + "/run";
  r = Cli({"log", run_dir, "--hparam", "a\\=b=1", "--hparam", "v=x\\,y=z"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto runs = read_logdir(run_dir);
  ASSERT_TRUE(runs.ok());
  ASSERT_TRUE((*runs)[0].session_start.has_value());
  const auto& h = (*runs)[0].session_start->hparams;
  ASSERT_EQ(h.count("a=b"), 1u);
  EXPECT_EQ(h.at("a=b").as_double(), 1);
  EXPECT_EQ(h.at("v").as_string(), "x\\,y=z");  // a value is verbatim
}

TEST(Cli, GridPrintsTheGoldenTrialsInOrder) {
  Result r = Cli({"grid", kGolden + "/logdir"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 8u);
  // Trial i of the golden README: num_units, then dropout, then optimizer.
  for (int i = 0; i < 8; ++i) {
    auto object = ParseJson<google::protobuf::Struct>(lines[i]);
    const auto& f = object.fields();
    EXPECT_EQ(f.at("num_units").number_value(), i < 4 ? 16 : 32) << lines[i];
    EXPECT_EQ(f.at("dropout").number_value(), (i / 2) % 2 == 0 ? 0.1 : 0.2) << lines[i];
    EXPECT_EQ(f.at("optimizer").string_value(), i % 2 == 0 ? "adam" : "sgd") << lines[i];
    EXPECT_THAT(lines[i], HasSubstr("\"num_units\": " + std::string(i < 4 ? "16," : "32,")));
  }
}

// A config keeps no int/float distinction, but Python's Discrete has one
// dtype: integral numbers next to a non-integral one are floats, and must
// print as 1.0 so that `log` hashes them into the group Python would.
TEST(Cli, GridPrintsIntegralValuesOfAFloatDomainAsFloats) {
  Scratch dir;
  ASSERT_EQ(Cli({"config", dir.path(), "--hparam", "lr=float:0.5,1,2", "--hparam", "n=int:1,2"}).exit_code,
            0);
  Result r = Cli({"grid", dir.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"lr\": 0.5, \"n\": 1}\n{\"lr\": 0.5, \"n\": 2}\n{\"lr\": 1.0, \"n\": 1}\n"
            "{\"lr\": 1.0, \"n\": 2}\n{\"lr\": 2.0, \"n\": 1}\n{\"lr\": 2.0, \"n\": 2}\n");
}

// Grid lines are JSON whatever the strings hold: quotes, backslashes,
// control characters and UTF-8.
TEST(Cli, GridLinesAreJsonForAnyString) {
  Scratch dir;
  const std::vector<std::string> values = {"a\"b", "c\\d", "tab\there", "line\nbreak", "\x01", "\xce\xb2"};
  std::string spec = "s=str:";
  for (size_t i = 0; i < values.size(); ++i) spec += (i ? "," : "") + values[i];
  ASSERT_EQ(Cli({"config", dir.path(), "--hparam", spec}).exit_code, 0);
  Result r = Cli({"grid", dir.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> printed;
  for (const std::string& line : Lines(r.out)) {
    printed.push_back(ParseJson<google::protobuf::Struct>(line).fields().at("s").string_value());
  }
  std::vector<std::string> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(printed, sorted);
}

TEST(Cli, CheckReportsAConfigWrittenTwiceInOneRun) {
  Scratch dir;
  ASSERT_EQ(Cli({"config", dir.path(), "--hparam", "n=int:1,2", "--metric", "acc", "--time", "1"}).exit_code,
            0);
  ASSERT_EQ(
      Cli({"config", dir.path(), "--hparam", "n=int:1,2,3", "--metric", "acc", "--time", "2"}).exit_code, 0);
  Result r = Cli({"check", dir.path()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("multiple_configs: run '.' holds more than one experiment config"));
}

TEST(Cli, GridLinesFedToLogReproduceTheGoldenGroupNames) {
  // The job-array use: each grid line's values, passed to `log`, must give
  // the same session group as the Python API did for the golden trials.
  Scratch dir;
  Result grid = Cli({"grid", kGolden + "/logdir"});
  ASSERT_EQ(grid.exit_code, 0);
  std::vector<std::string> lines = Lines(grid.out);
  for (size_t i = 0; i < lines.size(); ++i) {
    auto object = ParseJson<google::protobuf::Struct>(lines[i]);
    std::vector<std::string> args = {"log", dir / ("run-" + std::to_string(i))};
    // Values printed as JSON are passed back verbatim (16, 0.1, adam).
    for (const std::string name : {"num_units", "dropout", "optimizer"}) {
      std::string line = lines[i];
      size_t at = line.find("\"" + name + "\": ") + name.size() + 4;
      std::string value = line.substr(at, line.find_first_of(",}", at) - at);
      if (value.front() == '"') value = value.substr(1, value.size() - 2);
      args.push_back("--hparam");
      args.push_back(name + "=" + value);
    }
    ASSERT_EQ(Cli(args).exit_code, 0);
  }
  auto view = load_experiment(dir.path());
  ASSERT_TRUE(view.ok());
  hpb::ListSessionGroupsResponse expected = ExpectedGroups("expected");
  ASSERT_EQ(view->session_groups.size(), static_cast<size_t>(expected.session_groups_size()));
  for (int i = 0; i < expected.session_groups_size(); ++i) {
    EXPECT_EQ(view->session_groups[i].name, expected.session_groups(i).name());
    EXPECT_EQ(view->session_groups[i].sessions[0].name, expected.session_groups(i).sessions(0).name());
  }
}

TEST(Cli, SampleIsReproducibleAndStaysInTheDomain) {
  Result a = Cli({"sample", kGolden + "/logdir", "-n", "20", "--seed", "7"});
  Result b = Cli({"sample", kGolden + "/logdir", "-n", "20", "--seed", "7"});
  Result c = Cli({"sample", kGolden + "/logdir", "-n", "20", "--seed", "8"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  std::vector<std::string> lines = Lines(a.out);
  ASSERT_EQ(lines.size(), 20u);
  for (const std::string& line : lines) {
    auto f = ParseJson<google::protobuf::Struct>(line).fields();
    EXPECT_THAT(f.at("num_units").number_value(), ::testing::AnyOf(16, 32));
    EXPECT_GE(f.at("dropout").number_value(), 0.1);
    EXPECT_LE(f.at("dropout").number_value(), 0.2);
    EXPECT_THAT(f.at("optimizer").string_value(), ::testing::AnyOf("adam", "sgd"));
  }
  EXPECT_EQ(Cli({"sample", kGolden + "/logdir", "-n", "0"}).out, "");
}

// N is the user's and may exceed memory: trials are printed as they are
// drawn, so a reader that stops after a few ends the command at once, and
// the first trials are those of a shorter run with the same seed.
TEST(Cli, SampleStreamsTrialsInsteadOfCollectingThem) {
  std::string command = Quote(kCli) + " sample " + Quote(kGolden + "/logdir") + " -n 1000000000000 --seed 7";
#if !defined(HPARAMS_SANITIZER_BUILD)
  // Without a sanitizer's shadow memory, a cap turns collecting into a quick failure.
  command = "ulimit -v 2000000; " + command;
#endif
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string first;
  char line[4096];
  for (int i = 0; i < 3 && std::fgets(line, sizeof line, pipe) != nullptr; ++i) first += line;
  ::pclose(pipe);  // the tool dies of SIGPIPE on its next line
  Result three = Cli({"sample", kGolden + "/logdir", "-n", "3", "--seed", "7"});
  ASSERT_EQ(three.exit_code, 0) << three.err;
  EXPECT_EQ(first, three.out);
}

// --- Output that cannot be written, terminal injection, numbers (issue 8) -----

// Runs `hparams ARGS...` with stdout sent to `stdout_path` (e.g. /dev/full).
Result CliTo(const std::vector<std::string>& args, const std::string& stdout_path) {
  std::string base = ::testing::TempDir() + "/cli_test_to_" + std::to_string(::getpid());
  std::string command = Quote(kCli);
  for (const std::string& a : args) command += " " + Quote(a);
  command += " >" + Quote(stdout_path) + " 2>" + base + ".err";
  int status = std::system(command.c_str());
  Result result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = read_bytes(base + ".err");
  fs::remove(base + ".err");
  return result;
}

TEST(Cli, OutputThatCannotBeWrittenExitsTwo) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const std::string logdir = kGolden + "/logdir";
  const std::vector<std::vector<std::string>> commands = {{"show", logdir},
                                                          {"export", logdir, "--format", "csv"},
                                                          {"export", logdir, "--format", "json"},
                                                          {"grid", logdir},
                                                          {"check", logdir},
                                                          {"sample", logdir, "-n", "3"},
                                                          {"show", "--help"}};
  for (const auto& args : commands) {
    Result r = CliTo(args, "/dev/full");
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1];
    EXPECT_THAT(r.err, HasSubstr("cannot write to stdout")) << args[0];
  }
}

TEST(Cli, ShowAndCheckEscapeControlCharacters) {
  Scratch dir;
  const std::string run = "run\x1b]0;pwned\a\x1b[2J";
  ASSERT_EQ(Cli({"config", dir.path(), "--hparam", "opt", "--metric", "acc"}).exit_code, 0);
  ASSERT_EQ(Cli({"log", dir / run, "--hparam", "opt=a\nb\xc2\x9b", "--scalar", "acc=0.5@1"}).exit_code, 0);
  ASSERT_EQ(Cli({"log", dir / "plain", "--hparam", "opt=x", "--hparam", "bad\x1b[2J=1"}).exit_code, 0);
  Result show = Cli({"show", dir.path()});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, Not(HasSubstr("\x1b")));
  EXPECT_THAT(show.out, Not(HasSubstr("\a")));
  EXPECT_THAT(show.out, Not(HasSubstr("\xc2\x9b")));
  EXPECT_THAT(show.out, HasSubstr("run\\x1b]0;pwned\\x07\\x1b[2J"));
  EXPECT_THAT(show.out, HasSubstr("a\\nb\\u009b"));
  EXPECT_EQ(Lines(show.out).size(), 4u) << show.out;  // header, rule, two rows
  Result check = Cli({"check", dir.path()});
  EXPECT_THAT(check.out, Not(HasSubstr("\x1b")));
  EXPECT_THAT(check.out, HasSubstr("bad\\x1b[2J"));
}

TEST(Cli, MalformedAndOutOfRangeNumbersExitTwo) {
  Scratch dir;
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"log", dir.path(), "--hparam", "a=1", "--scalar", "acc=1e999@1"}, "beyond the largest double"},
      {{"log", dir.path(), "--hparam", "a=1", "--scalar", "acc=0.5@ 7"}, "is not an integer"},
      {{"log", dir.path(), "--hparam", "a=1", "--scalar", "acc= 0.5@7"}, "is not a number"},
      {{"log", dir.path(), "--hparam", "a=1", "--scalar", "acc=0x1p3@7"}, "is not a number"},
      {{"log", dir.path(), "--hparam", "a=1", "--scalar", "acc=0.5@9223372036854775808"}, "64-bit"},
      {{"log", dir.path(), "--hparam", "a=1e999"}, "beyond the largest double"},
      {{"log", dir.path(), "--hparam", "a=18446744073709551616"}, "outside the integer range"},
      {{"log", dir.path(), "--hparam", "a=-9223372036854775809"}, "outside the integer range"},
      {{"log", dir.path(), "--hparam", "a=int: 1"}, "is not an integer"},
      {{"config", dir.path(), "--hparam", "x=int: 1, 2"}, "is not an integer"},
      {{"config", dir.path(), "--hparam", "x=real:0..1e999"}, "beyond the largest double"},
      {{"config", dir.path(), "--hparam", "x=float:1,2 "}, "is not a number"},
      {{"config", dir.path(), "--hparam", "x", "--time", " 5"}, "--time ' 5'"},
      {{"config", dir.path(), "--hparam", "x", "--time", "1e999"}, "--time '1e999'"},
      {{"config", dir.path(), "--hparam", "x", "--time", "0x1p3"}, "--time '0x1p3'"},
      {{"sample", kGolden + "/logdir", "-n", " 3"}, "-n ' 3' is not a non-negative integer"},
      {{"sample", kGolden + "/logdir", "-n", "3", "--seed", " 1"}, "--seed ' 1'"},
  };
  for (const auto& [args, message] : cases) {
    Result r = Cli(args);
    EXPECT_EQ(r.exit_code, 2) << ::testing::PrintToString(args);
    EXPECT_THAT(r.err, HasSubstr(message)) << ::testing::PrintToString(args);
  }
  EXPECT_FALSE(fs::exists(dir.path()));
}

TEST(Cli, SortPutsNaNLastLikeMissingValues) {
  Scratch dir;
  ASSERT_EQ(Cli({"config", dir.path(), "--hparam", "i", "--metric", "m"}).exit_code, 0);
  const std::vector<std::pair<std::string, std::string>> runs = {
      {"a", "nan"}, {"b", "2"}, {"c", "nan"}, {"d", "1"}, {"e", ""}, {"f", "3"}, {"g", "nan"}};
  for (size_t i = 0; i < runs.size(); ++i) {
    std::vector<std::string> args = {"log", dir / runs[i].first, "--hparam", "i=" + std::to_string(i)};
    if (!runs[i].second.empty()) args.insert(args.end(), {"--scalar", "m=" + runs[i].second + "@1"});
    ASSERT_EQ(Cli(args).exit_code, 0);
  }
  for (bool desc : {false, true}) {
    std::vector<std::string> args = {"export", dir.path(), "--format", "csv", "--sort", "m"};
    if (desc) args.push_back("--desc");
    Result r = Cli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string order;
    for (const std::string& line : Lines(r.out)) order += line.substr(0, line.find(','));
    ASSERT_EQ(order.size(), 10u) << r.out;
    EXPECT_EQ(order.substr(0, 6), desc ? "Runfbd" : "Rundbf");
    std::string rest = order.substr(6);
    std::sort(rest.begin(), rest.end());
    EXPECT_EQ(rest, "aceg");  // NaN and missing, in server order
  }
}

// --- What TensorBoard shows (issue 10) ------------------------------------------

TEST(Cli, ValuesFollowPythonsLiteralGrammar) {
  Scratch dir;
  const std::vector<std::string> values = {"hex=0x10",
                                           "oct=0o17",
                                           "bin=0b11",
                                           "hexu=0X_f_f",
                                           "fl=1_000.5",
                                           "dot=1.",
                                           "lead=.5",
                                           "exp=1E3",
                                           "u64=18446744073709551615",
                                           "neg=-0x10",
                                           "t=True",
                                           "f=False",
                                           "zero=0_0",
                                           "octal_like=007",
                                           "bad=0x",
                                           "under=1_000_",
                                           "word=1e",
                                           "nan=nan",
                                           "min=-9223372036854775808"};
  std::vector<std::string> args = {"log", dir.path()};
  for (const std::string& v : values) args.insert(args.end(), {"--hparam", v});
  Result r = Cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto runs = read_logdir(dir.path());
  ASSERT_TRUE(runs.ok());
  ASSERT_TRUE((*runs)[0].session_start.has_value());
  const auto& h = (*runs)[0].session_start->hparams;
  EXPECT_EQ(h.at("hex"), Value(16.0));
  EXPECT_EQ(h.at("oct"), Value(15.0));
  EXPECT_EQ(h.at("bin"), Value(3.0));
  EXPECT_EQ(h.at("hexu"), Value(255.0));
  EXPECT_EQ(h.at("fl"), Value(1000.5));
  EXPECT_EQ(h.at("dot"), Value(1.0));
  EXPECT_EQ(h.at("lead"), Value(0.5));
  EXPECT_EQ(h.at("exp"), Value(1000.0));
  EXPECT_EQ(h.at("u64"), Value(18446744073709551615.0));
  EXPECT_EQ(h.at("neg"), Value(-16.0));
  EXPECT_EQ(h.at("t"), Value(true));
  EXPECT_EQ(h.at("f"), Value(false));
  EXPECT_EQ(h.at("zero"), Value(0.0));
  EXPECT_EQ(h.at("octal_like"), Value("007"));
  EXPECT_EQ(h.at("bad"), Value("0x"));
  EXPECT_EQ(h.at("under"), Value("1_000_"));
  EXPECT_EQ(h.at("word"), Value("1e"));
  EXPECT_TRUE(h.at("nan").is_float() && std::isnan(h.at("nan").as_double()));
  // The group name is Python's hash of the typed values: 0x10 is the int 16,
  // 1_000.5 the float, 2^64-1 an int.
  HParams typed{{"hex", 16},
                {"oct", 15},
                {"bin", 3},
                {"hexu", 255},
                {"fl", 1000.5},
                {"dot", 1.0},
                {"lead", 0.5},
                {"exp", 1000.0},
                {"u64", std::numeric_limits<uint64_t>::max()},
                {"neg", -16},
                {"t", true},
                {"f", false},
                {"zero", 0},
                {"octal_like", "007"},
                {"bad", "0x"},
                {"under", "1_000_"},
                {"word", "1e"},
                {"nan", std::numeric_limits<double>::quiet_NaN()},
                {"min", std::numeric_limits<int64_t>::min()}};
  EXPECT_EQ((*runs)[0].session_start->group_name, group_name(typed).value());
}

TEST(Cli, ExportJsonWritesNonFiniteNumbersAsTensorBoardDoes) {
  Scratch dir;
  ASSERT_EQ(Cli({"config", dir.path(), "--hparam", "x", "--metric", "m"}).exit_code, 0);
  const std::vector<std::pair<std::string, std::string>> runs = {
      {"r0", "nan"}, {"r1", "inf"}, {"r2", "-inf"}, {"r3", "-0.0"}, {"r4", "0.5"}};
  for (size_t i = 0; i < runs.size(); ++i) {
    ASSERT_EQ(Cli({"log", dir / runs[i].first, "--hparam", i == 3 ? "x=-0.0" : "x=" + std::to_string(i),
                   "--scalar", "m=" + runs[i].second + "@1"})
                  .exit_code,
              0);
  }
  Result r = Cli({"export", dir.path(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::string> metric;  // session -> the metric's JSON text
  for (const std::string& line : Lines(r.out)) {
    size_t session = line.find("\"sessions\": [\"");
    size_t m = line.find("\"m\": ");
    if (session == std::string::npos || m == std::string::npos) continue;
    metric[line.substr(session + 14, 2)] = line.substr(m + 5, line.find('}', m) - m - 5);
  }
  EXPECT_EQ(metric["r0"], "\"NaN\"");
  EXPECT_EQ(metric["r1"], "\"Infinity\"");
  EXPECT_EQ(metric["r2"], "\"-Infinity\"");
  // A group's metric is an average, and 0 + -0.0 is 0.0 (TensorBoard's too).
  EXPECT_EQ(metric["r3"], "0");
  EXPECT_EQ(metric["r4"], "0.5");
  EXPECT_THAT(r.out, HasSubstr("\"hparams\": {\"x\": -0.0}"));
  // Still JSON, and a double field reads the strings back as the numbers.
  auto rows = ParseJson<google::protobuf::ListValue>(r.out);
  EXPECT_EQ(rows.values_size(), 5);
}

TEST(Cli, ShowAndExportIncludeHParamsMissingFromTheConfig) {
  const std::string logdir = kGolden + "/differential/s17_not_in_config/logdir";
  Result show = Cli({"show", logdir});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const std::string header = Lines(show.out)[0];
  EXPECT_THAT(header, ::testing::ContainsRegex("a +b +c +d +e +m +Status"));
  Result json = Cli({"export", logdir, "--format", "json"});
  EXPECT_THAT(json.out, HasSubstr("\"hparams\": {\"a\": 1, \"b\": \"x\", \"d\": \"extra\"}"));
  EXPECT_THAT(json.out, HasSubstr("\"hparams\": {\"d\": 3.5, \"e\": true}"));
}

TEST(Cli, CheckSaysWhyTensorBoardCannotShowStepsBeyondInt32) {
  ExpectFinding(kGolden + "/differential/s21c_steps_beyond_int32/logdir", "step_beyond_int32",
                {"run 'r-a'", "step 2147483648", "TensorBoard cannot show this experiment", "HTTP 500"});
}

TEST(Cli, CheckFindsAStatusOutsideTheEnumAndShowHidesTheSession) {
  const std::string logdir = kGolden + "/differential/s14b_status_out_of_enum/logdir";
  ExpectFinding(logdir, "status_out_of_enum", {"run 'r-bogus'", "status 7", "hides this session"});
  Result show = Cli({"show", logdir});
  EXPECT_THAT(show.out, Not(HasSubstr("r-bogus")));
}

TEST(Cli, CheckFindsGroupsWhoseSessionsHaveDifferentHParams) {
  ExpectFinding(kGolden + "/differential/s12_trial_id/logdir", "group_hparams_differ",
                {"session group 'trial-A'", "run 'r1'", "'r0'", "file-system order"});
}

// A protobuf writer may log a list as an hparam value; hp::Value has no
// list, so the value is left out of the table, and check says so.
TEST(Cli, CheckReportsAnHParamValueTheReaderCannotHold) {
  Scratch dir("logdir");
  proto::Summary summary;
  ASSERT_TRUE(summary.ParseFromString(read_bytes(kGolden + "/summaries/hparams_trial_0.pb")));
  hpb::HParamsPluginData data;
  ASSERT_TRUE(data.ParseFromString(summary.value(0).metadata().plugin_data().content()));
  auto& layers = (*data.mutable_session_start_info()->mutable_hparams())["layers"];
  layers.mutable_list_value()->add_values()->set_number_value(1);
  summary.mutable_value(0)->mutable_metadata()->mutable_plugin_data()->set_content(data.SerializeAsString());
  ASSERT_EQ(Writer(dir / "run-8")->write_summary(summary, 0), absl::OkStatus());
  ExpectFinding(dir.path(), "unsupported_hparam_value",
                {"run 'run-8'", "hparam 'layers'", "is a list value", "left out"});
  Result show = Cli({"show", dir.path()});
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_THAT(show.out, Not(HasSubstr("layers")));
}

// The seed's pitfall: the config says `accuracy`, Keras wrote
// `epoch_accuracy` under train/ and validation/.
TEST(Cli, CheckNamesTheKerasTagItsGroupsAndTheExactFix) {
  Scratch dir("logdir_validation");
  fs::remove(dir / kEventFile);
  ASSERT_EQ(Cli({"config", dir.path(), "--hparam", "num_units=int:16,32", "--metric", "accuracy"}).exit_code,
            0);
  ExpectFinding(
      dir.path(), "metric_not_found",
      {"tag='accuracy'", "`epoch_accuracy` in groups 'train', 'validation'", "renaming the tag alone",
       "hp::Metric(\"epoch_accuracy\").group(\"validation\")", "--metric 'epoch_accuracy;group=validation'"});
}

#endif  // HPARAMS_CLI_PATH

}  // namespace
}  // namespace hp
