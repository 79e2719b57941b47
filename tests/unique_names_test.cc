// Lists of hparams and metrics: every caller validates each item and rejects
// a repeated name through internal::validate_each_once, in one wording.
#include "internal/unique_names.h"

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

TEST(UniqueNames, TheErrorNamesTheItemTheListAndWhatToDo) {
  ExpectInvalid(internal::appears_twice_error("hparam", "hparam 'units'", "the config"),
                "hparam 'units' appears twice in the config; give each hparam once");
  ExpectInvalid(internal::appears_twice_error("hparam", "hparam 'units'", "the trial", "16, then 32"),
                "hparam 'units' appears twice in the trial (16, then 32); give each hparam once");
  EXPECT_EQ(internal::describe_item(kUnits), "hparam 'units'");
  EXPECT_EQ(internal::describe_item(Metric("loss", "validation")), "metric 'loss' (group 'validation')");
}

TEST(UniqueNames, DistinctValidItemsPass) {
  EXPECT_TRUE(internal::validate_each_once(std::vector<HParam>{kUnits, kDropout}, "the config").ok());
  EXPECT_TRUE(internal::validate_each_once(std::vector<HParam>{}, "the config").ok());
  // A metric is its group and tag: one tag in two groups is two metrics.
  EXPECT_TRUE(internal::validate_each_once(std::vector<Metric>{Metric("loss", "train"), Metric("loss", "validation")},
                                           "the config")
                  .ok());
}

TEST(UniqueNames, TheFirstInvalidItemIsReportedAsItsOwnValidateSays) {
  const HParam empty("");
  const absl::Status s = internal::validate_each_once(std::vector<HParam>{kUnits, empty, kUnits}, "the config");
  EXPECT_EQ(s, empty.validate());
  const Metric untagged("");
  EXPECT_EQ(internal::validate_each_once(std::vector<Metric>{untagged}, "the config"), untagged.validate());
}

TEST(UniqueNames, ARepeatedHParamInAConfigIsRefusedInOneWording) {
  const HParam again("units", Discrete({64}));
  const std::string message = "hparam 'units' appears twice in the config; give each hparam once";
  ExpectInvalid(internal::validate_each_once(std::vector<HParam>{kUnits, kDropout, again}, "the config"), message);
  ExpectInvalid(hparams_config_pb({kUnits, kDropout, again}, {Metric("loss")}).status(), message);
  ExpectInvalid(check_trial({kUnits, again}, HParams{{kUnits, 16}}), message);
}

TEST(UniqueNames, ARepeatedMetricInAConfigIsRefusedInOneWording) {
  const std::vector<Metric> metrics = {Metric("loss", "validation"), Metric("acc"),
                                       Metric("loss", "validation").display_name("again")};
  const std::string message =
      "metric 'loss' (group 'validation') appears twice in the config; give each metric once";
  ExpectInvalid(internal::validate_each_once(metrics, "the config"), message);
  ExpectInvalid(hparams_config_pb({kUnits}, metrics).status(), message);
}

TEST(UniqueNames, ARepeatedHParamInASearchSpaceIsRefusedInOneWording) {
  const std::string message = "hparam 'dropout' appears twice in the search space; give each hparam once";
  ExpectInvalid(grid_search({kDropout, kUnits, kDropout}).status(), message);
  ExpectInvalid(random_search({kDropout, kUnits, kDropout}, 3, 1).status(), message);
}

// An HParam key and a string key with the same name are the same name; the
// error shows both values.
TEST(UniqueNames, ARepeatedNameInATrialIsRefusedWithBothValues) {
  ExpectInvalid(HParams({{kUnits, 16}, {"units", 32}}).validate(),
                "hparam 'units' appears twice in the trial (16, then 32); give each hparam once");
  ExpectInvalid(HParams({{"lr", 0.5}, {"lr", "fast"}}).validate(),
                "hparam 'lr' appears twice in the trial (0.5, then 'fast'); give each hparam once");
}

}  // namespace
}  // namespace hp
