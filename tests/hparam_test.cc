// HParam, Metric and HParams: the Python-style spellings compile and mean
// what they say; validation and the strict trial check name the culprit.
#include "hparams/hparam.h"

#include <string>
#include <variant>
#include <vector>

#include "gtest/gtest.h"
#include "hparams_test_support.h"

namespace hp {
namespace {

// The spelling, verbatim.
const HParam HP_NUM_UNITS("num_units", Discrete({16, 32}));
const HParam HP_DROPOUT("dropout", RealInterval(0.1, 0.2));
const HParam HP_OPTIMIZER("optimizer", Discrete({"adam", "sgd"}));
const std::vector<Metric> METRICS = {Metric("accuracy").display_name("Accuracy")};

bool mentions(const absl::Status& s, const std::string& text) {
  return s.message().find(text) != absl::string_view::npos;
}

TEST(HParams, BuildsFromHParamKeys) {
  HParams trial = {{HP_NUM_UNITS, 16}, {HP_DROPOUT, 0.1}, {HP_OPTIMIZER, "adam"}};
  ASSERT_EQ(trial.size(), 3u);
  EXPECT_EQ(trial.entries()[0].name(), "num_units");
  ASSERT_NE(trial.entries()[0].hparam(), nullptr);
  EXPECT_TRUE(trial.find(HP_NUM_UNITS)->is_int());
  EXPECT_TRUE(trial.find("dropout")->is_float());
  EXPECT_TRUE(trial.find("optimizer")->is_string());
  EXPECT_EQ(trial.find("missing"), nullptr);
  EXPECT_TRUE(trial.validate().ok()) << trial.validate();
}

TEST(HParams, BuildsFromStringKeysKeepingKinds) {
  HParams v = {{"lr", 1e-3}, {"layers", 3}, {"use_bn", true}, {"opt", "adam"}};
  EXPECT_TRUE(v.find("lr")->is_float());
  EXPECT_TRUE(v.find("layers")->is_int());
  EXPECT_TRUE(v.find("use_bn")->is_bool());
  EXPECT_TRUE(v.find("opt")->is_string());  // a const char*, not a bool
  EXPECT_EQ(v.entries()[3].hparam(), nullptr);
  EXPECT_EQ(v.repr(), "{'lr': 0.001, 'layers': 3, 'use_bn': True, 'opt': 'adam'}");
}

TEST(HParams, SingleEntryBracesAreAnEntry) {
  HParams one = {{"lr", 0.5}};
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one.entries()[0].name(), "lr");
}

TEST(HParams, DuplicateNamesAreAnErrorAtUse) {
  const HParams by_string = {{"lr", 0.1}, {"lr", 0.2}};
  EXPECT_EQ(by_string.validate().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(mentions(by_string.validate(), "lr"));
  // An HParam key and a string key with the same name collide too.
  const HParams mixed = {{HP_NUM_UNITS, 16}, {"num_units", 32}};
  EXPECT_TRUE(mentions(mixed.validate(), "num_units")) << mixed.validate();
  EXPECT_TRUE(mentions(mixed.validate(), "32")) << mixed.validate();
}

TEST(HParams, ValueOutsideTheKeysDomainIsRejected) {
  const HParams out_of_range = {{HP_DROPOUT, 0.5}};
  const absl::Status s = out_of_range.validate();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(mentions(s, "dropout") && mentions(s, "0.5")) << s;
  const HParams wrong_kind = {{HP_NUM_UNITS, "16"}};
  EXPECT_TRUE(mentions(wrong_kind.validate(), "'16'")) << wrong_kind.validate();
  // A string key is not checked: TensorBoard accepts any value.
  const HParams unchecked = {{"dropout", 0.5}};
  EXPECT_TRUE(unchecked.validate().ok());
}

TEST(HParams, EmptyAndNonUtf8NamesAreRejected) {
  EXPECT_EQ(HParams({{"", 1}}).validate().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HParams({{std::string("\xff"), 1}}).validate().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HParams({{"s", std::string("\xe2\x28\xa1")}}).validate().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(HParam, ValidatesNameLabelsAndDomain) {
  EXPECT_TRUE(HP_NUM_UNITS.validate().ok());
  EXPECT_EQ(HParam("").validate().code(), absl::StatusCode::kInvalidArgument);
  const absl::Status bad_domain = HParam("lr", RealInterval(1, 0)).validate();
  EXPECT_TRUE(mentions(bad_domain, "lr") && mentions(bad_domain, "greater")) << bad_domain;
  EXPECT_FALSE(HParam("x", std::nullopt, std::string("\xff")).validate().ok());
  const HParam labelled("lr", IntInterval(1, 3), "Learning rate", "step size");
  EXPECT_EQ(labelled.display_name(), "Learning rate");
  EXPECT_EQ(labelled.description(), "step size");
}

// Trials copy their HParam keys once per value (a grid makes a million of
// them), so a copy must share a large domain, not duplicate it.
TEST(HParam, CopiesShareTheDomain) {
  std::vector<Value> many;
  for (int i = 0; i < 1000; ++i) many.emplace_back(i);
  const HParam big("width", Discrete(many));
  const HParam copy = big;  // NOLINT: the copy is the point
  ASSERT_TRUE(copy.domain().has_value());
  EXPECT_EQ(&*copy.domain(), &*big.domain());
  const HParams trial = {{big, 7}};
  EXPECT_EQ(&*trial.entries()[0].hparam()->domain(), &*big.domain());
  EXPECT_EQ(std::get<Discrete>(*copy.domain()).values().size(), 1000u);
  EXPECT_FALSE(HParam("free").domain().has_value());
  EXPECT_FALSE(HParam(HParam("free")).domain().has_value());
}

TEST(Metric, SettersChainAndShareTheGettersNames) {
  const Metric m = Metric("epoch_accuracy")
                       .group("validation")
                       .display_name("Accuracy")
                       .description("top-1")
                       .dataset_type(DATASET_VALIDATION);
  EXPECT_EQ(m.tag(), "epoch_accuracy");
  EXPECT_EQ(m.group(), "validation");
  EXPECT_EQ(m.display_name(), "Accuracy");
  EXPECT_EQ(m.description(), "top-1");
  EXPECT_EQ(m.dataset_type(), DATASET_VALIDATION);
  Metric variable("loss");
  variable.group("train").display_name("Loss");  // lvalue chaining
  EXPECT_EQ(variable.group(), "train");
  EXPECT_EQ(variable.display_name(), "Loss");
  EXPECT_EQ(METRICS[0].display_name(), "Accuracy");
}

TEST(Metric, RejectsEmptyTagAndUnknownDatasetType) {
  EXPECT_EQ(Metric("").validate().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Metric("a").dataset_type(static_cast<DatasetType>(9)).validate().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Metric("a", "g", "d", "x", DATASET_TRAINING).validate().ok());
}

TEST(CheckTrial, AcceptsTheSeedTrials) {
  for (int i = 0; i < 8; ++i) {
    EXPECT_TRUE(check_trial(testing::seed_hparams(), testing::seed_trial(i)).ok()) << i;
  }
  // String keys are checked against the config's domains too.
  EXPECT_TRUE(
      check_trial(testing::seed_hparams(), {{"num_units", 32}, {"dropout", 0.15}, {"optimizer", "sgd"}})
          .ok());
}

TEST(CheckTrial, NamesAMissingHParam) {
  const absl::Status s = check_trial(testing::seed_hparams(), {{HP_NUM_UNITS, 16}, {HP_DROPOUT, 0.1}});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(mentions(s, "optimizer")) << s;
}

TEST(CheckTrial, NamesAnExtraHParam) {
  HParams trial = testing::seed_trial(0);
  trial.add("momentum", 0.9);
  const absl::Status s = check_trial(testing::seed_hparams(), trial);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(mentions(s, "momentum") && mentions(s, "0.9")) << s;
}

TEST(CheckTrial, NamesAValueOutsideTheConfigDomain) {
  const absl::Status s =
      check_trial(testing::seed_hparams(), {{"num_units", 16.0}, {"dropout", 0.1}, {"optimizer", "adam"}});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(mentions(s, "num_units") && mentions(s, "16.0")) << s;
}

TEST(CheckTrial, RejectsADuplicateInTheConfig) {
  EXPECT_EQ(check_trial({HP_DROPOUT, HP_DROPOUT}, {{HP_DROPOUT, 0.1}}).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace hp
