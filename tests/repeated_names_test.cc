// A name given twice in a list the user passes (a config, a search space,
// a trial) is refused through internal::validate_each_once's one check, in
// one wording. Through the public calls only, so a shared-library build of
// the tests (whose internals are hidden) runs it too.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hparams/hparam.h"
#include "hparams/search.h"
#include "hparams/summary.h"

namespace hp {
namespace {

const HParam kUnits("units", Discrete({16, 32}));
const HParam kDropout("dropout", RealInterval(0.1, 0.2));

void ExpectInvalid(const absl::Status& s, const std::string& message) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(s.message(), message);
}

TEST(RepeatedNames, DistinctValidListsPass) {
  EXPECT_TRUE(check_trial({kUnits, kDropout}, HParams{{kUnits, 16}, {kDropout, 0.1}}).ok());
  EXPECT_TRUE(grid_search({}).ok());
  // A metric is its group and tag: one tag in two groups is two metrics.
  EXPECT_TRUE(hparams_config_pb({kUnits}, {Metric("loss", "train"), Metric("loss", "validation")}).ok());
}

TEST(RepeatedNames, AnInvalidItemIsReportedAsItsOwnValidateSaysBeforeALaterRepeat) {
  const HParam empty("");
  EXPECT_EQ(check_trial({kUnits, empty, kUnits}, HParams{{kUnits, 16}}), empty.validate());
  EXPECT_EQ(grid_search({kUnits, empty, kUnits}).status(), empty.validate());
  const Metric untagged("");
  EXPECT_EQ(hparams_config_pb({kUnits}, {untagged, untagged}).status(), untagged.validate());
}

TEST(RepeatedNames, ARepeatedHParamInAConfigIsRefusedInOneWording) {
  const HParam again("units", Discrete({64}));
  const std::string message = "hparam 'units' appears twice in the config; give each hparam once";
  ExpectInvalid(hparams_config_pb({kUnits, kDropout, again}, {Metric("loss")}).status(), message);
  ExpectInvalid(check_trial({kUnits, again}, HParams{{kUnits, 16}}), message);
}

TEST(RepeatedNames, ARepeatedMetricInAConfigIsRefusedInOneWording) {
  const std::vector<Metric> metrics = {Metric("loss", "validation"), Metric("acc"),
                                       Metric("loss", "validation").display_name("again")};
  ExpectInvalid(hparams_config_pb({kUnits}, metrics).status(),
                "metric 'loss' (group 'validation') appears twice in the config; give each metric once");
}

TEST(RepeatedNames, ARepeatedHParamInASearchSpaceIsRefusedInOneWording) {
  const std::string message = "hparam 'dropout' appears twice in the search space; give each hparam once";
  ExpectInvalid(grid_search({kDropout, kUnits, kDropout}).status(), message);
  ExpectInvalid(random_search({kDropout, kUnits, kDropout}, 3, 1).status(), message);
  std::mt19937_64 rng(1);
  ExpectInvalid(sample_trial({kDropout, kUnits, kDropout}, rng).status(), message);
}

// An HParam key and a string key with the same name are the same name; the
// error shows both values.
TEST(RepeatedNames, ARepeatedNameInATrialIsRefusedWithBothValues) {
  ExpectInvalid(HParams({{kUnits, 16}, {"units", 32}}).validate(),
                "hparam 'units' appears twice in the trial (16, then 32); give each hparam once");
  ExpectInvalid(HParams({{"lr", 0.5}, {"lr", "fast"}}).validate(),
                "hparam 'lr' appears twice in the trial (0.5, then 'fast'); give each hparam once");
}

}  // namespace
}  // namespace hp
