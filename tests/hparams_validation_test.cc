// One test per validation rule of the HParams API, through the writer: the
// call fails with InvalidArgument (FailedPrecondition for a missing default
// writer) naming the hparam/metric and value, and writes nothing: the file
// holds only its file_version event afterwards.
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/hparam.h"
#include "hparams/record_reader.h"
#include "hparams/writer.h"
#include "hparams_test_support.h"
#include "io_test_util.h"

namespace hp {
namespace {

const HParam HP_NUM_UNITS("num_units", Discrete({16, 32}));
const HParam HP_DROPOUT("dropout", RealInterval(0.1, 0.2));
const HParam HP_OPTIMIZER("optimizer", Discrete({"adam", "sgd"}));
const std::vector<Metric> METRICS = {Metric("accuracy").display_name("Accuracy")};

size_t count_events(const std::string& path) {
  auto reader = EventFileReader::open(path);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return 0;
  size_t n = 0;
  proto::Event event;
  for (;;) {
    absl::StatusOr<bool> more = (*reader)->next(&event);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) return n;
    ++n;
  }
}

// Runs `call` on a fresh writer and checks the error and the untouched file.
void ExpectRejected(const std::function<absl::Status(SummaryWriter&)>& call, absl::StatusCode code,
                    const std::vector<std::string>& mentions) {
  const std::string dir = test_util::make_temp_dir();
  auto writer = SummaryWriter::create(dir);
  ASSERT_TRUE(writer.ok()) << writer.status();
  const absl::Status s = call(**writer);
  EXPECT_EQ(s.code(), code) << s;
  for (const std::string& m : mentions) {
    EXPECT_NE(s.message().find(m), absl::string_view::npos) << "'" << m << "' not in: " << s;
  }
  ASSERT_TRUE((*writer)->close().ok());
  EXPECT_EQ(count_events((*writer)->path()), 1u) << "a rejected call wrote an event";
}

void ExpectConfigRejected(const std::vector<HParam>& hparams, const std::vector<Metric>& metrics,
                          const std::vector<std::string>& mentions) {
  ExpectRejected([&](SummaryWriter& w) { return w.hparams_config(hparams, metrics); },
                 absl::StatusCode::kInvalidArgument, mentions);
}

void ExpectTrialRejected(const HParams& trial, const std::vector<std::string>& mentions,
                         std::optional<std::string> trial_id = std::nullopt) {
  ExpectRejected([&](SummaryWriter& w) { return w.hparams(trial, trial_id); },
                 absl::StatusCode::kInvalidArgument, mentions);
}

// --- The experiment config -----------------------------------------------------

TEST(HParamsValidation, ConfigRejectsAnEmptyHParamName) {
  ExpectConfigRejected({HParam(""), HP_DROPOUT}, METRICS, {"name is empty"});
}

TEST(HParamsValidation, ConfigRejectsADuplicateHParamName) {
  ExpectConfigRejected({HP_DROPOUT, HParam("dropout", Discrete({0.5}))}, METRICS, {"dropout", "twice"});
}

TEST(HParamsValidation, ConfigRejectsNaNInADiscreteDomain) {
  ExpectConfigRejected({HParam("lr", Discrete({0.1, std::nan("")}))}, METRICS, {"lr", "NaN"});
}

TEST(HParamsValidation, ConfigRejectsNonFiniteIntervalBounds) {
  ExpectConfigRejected({HParam("lr", RealInterval(std::nan(""), 1.0))}, METRICS, {"lr", "nan"});
  ExpectConfigRejected({HParam("lr", RealInterval(0.0, HUGE_VAL))}, METRICS, {"lr", "inf"});
}

TEST(HParamsValidation, ConfigRejectsMinAboveMax) {
  ExpectConfigRejected({HParam("layers", IntInterval(8, 2))}, METRICS, {"layers", "8", "2"});
  ExpectConfigRejected({HParam("dropout", RealInterval(0.2, 0.1))}, METRICS, {"dropout", "0.2", "0.1"});
}

TEST(HParamsValidation, ConfigRejectsMixedKindsInADiscreteDomain) {
  ExpectConfigRejected({HParam("units", Discrete({16, "32"}))}, METRICS, {"units", "16", "'32'"});
}

TEST(HParamsValidation, ConfigRejectsAnEmptyDiscreteDomain) {
  ExpectConfigRejected({HParam("units", Discrete(std::vector<Value>{}))}, METRICS, {"units", "empty"});
}

TEST(HParamsValidation, ConfigRejectsNonUtf8Text) {
  ExpectConfigRejected({HParam("opt", Discrete({"adam", std::string("sg\xff")}))}, METRICS, {"opt", "UTF-8"});
  ExpectConfigRejected({HParam(std::string("bad\xc3"))}, METRICS, {"UTF-8"});
  ExpectConfigRejected({HP_DROPOUT}, {Metric(std::string("acc\xff"))}, {"metric", "UTF-8"});
}

TEST(HParamsValidation, ConfigRejectsAnEmptyOrDuplicateMetric) {
  ExpectConfigRejected({HP_DROPOUT}, {Metric("")}, {"metric tag is empty"});
  ExpectConfigRejected({HP_DROPOUT}, {Metric("loss"), Metric("loss").display_name("again")},
                       {"loss", "twice"});
}

// --- One trial's values ----------------------------------------------------------

TEST(HParamsValidation, TrialRejectsAnEmptyName) { ExpectTrialRejected({{"", 0.5}}, {"empty name", "0.5"}); }

TEST(HParamsValidation, TrialRejectsADuplicateName) {
  ExpectTrialRejected({{HP_NUM_UNITS, 16}, {"num_units", 32}}, {"num_units", "32"});
}

TEST(HParamsValidation, TrialRejectsAValueOutsideItsDomain) {
  ExpectTrialRejected({{HP_NUM_UNITS, 24}}, {"num_units", "24", "Discrete([16, 32])"});
  ExpectTrialRejected({{HP_DROPOUT, 0.25}}, {"dropout", "0.25", "RealInterval(0.1, 0.2)"});
}

TEST(HParamsValidation, TrialRejectsAValueOfTheWrongKind) {
  ExpectTrialRejected({{HP_NUM_UNITS, 16.0}}, {"num_units", "16.0", "float"});
  ExpectTrialRejected({{HP_OPTIMIZER, true}}, {"optimizer", "True", "bool"});
}

TEST(HParamsValidation, TrialRejectsNonUtf8Text) {
  ExpectTrialRejected({{"opt", std::string("ad\xe9m")}}, {"opt", "UTF-8"});
  ExpectTrialRejected({{"lr", 0.1}}, {"trial_id", "UTF-8"}, std::string("t\xff"));
}

TEST(HParamsValidation, TrialWithAnInvalidHParamKeyIsRejected) {
  const HParam broken("lr", RealInterval(1.0, 0.0));
  ExpectTrialRejected({{broken, 0.5}}, {"lr", "invalid domain"});
}

// Strict checking is opt-in; the caller checks, then logs only on success.
TEST(HParamsValidation, StrictCheckRejectsAMissingOrExtraHParam) {
  const std::vector<HParam> config = {HP_NUM_UNITS, HP_DROPOUT, HP_OPTIMIZER};
  const auto strict_hparams = [&](const HParams& trial) {
    return [&config, trial](SummaryWriter& w) {
      absl::Status s = check_trial(config, trial);
      return s.ok() ? w.hparams(trial) : s;
    };
  };
  ExpectRejected(strict_hparams({{HP_NUM_UNITS, 16}, {HP_DROPOUT, 0.1}}), absl::StatusCode::kInvalidArgument,
                 {"optimizer"});
  ExpectRejected(strict_hparams({{HP_NUM_UNITS, 16}, {HP_DROPOUT, 0.1}, {HP_OPTIMIZER, "adam"}, {"seed", 7}}),
                 absl::StatusCode::kInvalidArgument, {"seed", "7"});
}

TEST(HParamsValidation, WithoutStrictCheckingExtraHParamsAreAccepted) {
  const std::string dir = test_util::make_temp_dir();
  auto writer = SummaryWriter::create(dir);
  ASSERT_TRUE(writer.ok()) << writer.status();
  EXPECT_TRUE((*writer)->hparams({{HP_NUM_UNITS, 16}, {"seed", 7}}).ok());
  ASSERT_TRUE((*writer)->close().ok());
  EXPECT_EQ(count_events((*writer)->path()), 2u);
}

// --- Session end and call order ----------------------------------------------------

TEST(HParamsValidation, SessionEndRejectsAnUnknownStatus) {
  ExpectRejected([](SummaryWriter& w) { return w.session_end(static_cast<SessionStatus>(42)); },
                 absl::StatusCode::kInvalidArgument, {"42"});
}

TEST(HParamsValidation, FreeFunctionsNeedADefaultWriter) {
  ASSERT_EQ(default_writer(), nullptr);
  const absl::Status config = hparams_config({HP_DROPOUT}, METRICS);
  EXPECT_EQ(config.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(config.message().find("hparams_config"), absl::string_view::npos) << config;
  EXPECT_EQ(hparams({{HP_DROPOUT, 0.1}}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(session_end(STATUS_SUCCESS).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(HParamsValidation, FreeFunctionsRejectLikeTheMethods) {
  ExpectRejected(
      [](SummaryWriter& w) {
        auto scope = w.as_default();
        return hparams({{HP_NUM_UNITS, 64}});
      },
      absl::StatusCode::kInvalidArgument, {"num_units", "64"});
}

}  // namespace
}  // namespace hp
