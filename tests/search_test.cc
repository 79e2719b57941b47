// Grid and random search: the seed's nested-loop order, reproducible draws.
#include "hparams/search.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "hparams/summary.h"
#include "hparams_test_support.h"

namespace hp {
namespace {

// The grid over the seed experiment is the golden run-0..7 order: trial i's
// group name equals Python's for hparams_trial_i.
TEST(GridSearch, ReproducesTheSeedTrialOrder) {
  absl::StatusOr<std::vector<HParams>> grid = grid_search(testing::seed_hparams());
  ASSERT_TRUE(grid.ok()) << grid.status();
  ASSERT_EQ(grid->size(), 8u);
  const testing::Json names = testing::read_json("group_names.json");
  for (size_t i = 0; i < grid->size(); ++i) {
    EXPECT_EQ(group_name((*grid)[i]).value(), names.at("hparams_trial_" + std::to_string(i)).text)
        << i << ": " << (*grid)[i].repr();
    ASSERT_NE((*grid)[i].entries()[0].hparam(), nullptr);  // keyed by HParam
  }
}

TEST(GridSearch, IntervalsContributeTheirEnds) {
  EXPECT_EQ(grid_values(HParam("n", IntInterval(2, 9))).value(), (std::vector<Value>{2, 9}));
  EXPECT_EQ(grid_values(HParam("n", IntInterval(4, 4))).value(), (std::vector<Value>{4}));
  EXPECT_EQ(grid_values(HParam("x", RealInterval(0.5, 0.5))).value(), (std::vector<Value>{0.5}));
}

TEST(GridSearch, NoHParamsGiveOneEmptyTrial) {
  absl::StatusOr<std::vector<HParams>> grid = grid_search({});
  ASSERT_TRUE(grid.ok());
  ASSERT_EQ(grid->size(), 1u);
  EXPECT_TRUE((*grid)[0].empty());
}

TEST(GridSearch, RejectsUnsearchableHParams) {
  const absl::Status no_domain = grid_search({HParam("free")}).status();
  EXPECT_EQ(no_domain.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(no_domain.message().find("free"), absl::string_view::npos);
  EXPECT_EQ(grid_search({HParam("bad", Discrete(std::vector<Value>{}))}).status().code(),
            absl::StatusCode::kInvalidArgument);
  const HParam a("a", Discrete({1, 2}));
  EXPECT_EQ(grid_search({a, a}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(GridSearch, RefusesAnOversizedGrid) {
  const HParam ten("a", Discrete({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  const HParam b("b", ten.domain()), c("c", ten.domain());
  EXPECT_EQ(grid_search({ten, b, c}, 999).status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(grid_search({ten, b, c}, 1000).value().size(), 1000u);
}

// 65,536 trials over two 256-value domains: every trial's keys share the
// two domains instead of copying their 512 values (about 2 GB in all).
TEST(GridSearch, LargeDomainsAreNotCopiedIntoEveryTrial) {
  std::vector<Value> values;
  for (int i = 0; i < 256; ++i) values.emplace_back(i);
  const HParam a("a", Discrete(values)), b("b", Discrete(values));
  absl::StatusOr<std::vector<HParams>> grid = grid_search({a, b});
  ASSERT_TRUE(grid.ok()) << grid.status();
  ASSERT_EQ(grid->size(), 65536u);
  const HParams& last = grid->back();
  EXPECT_EQ(*last.find("a"), Value(255));
  EXPECT_EQ(&*last.entries()[1].hparam()->domain(), &*b.domain());
}

TEST(RandomSearch, DrawsInDomainAndReproducibly) {
  const std::vector<HParam> hparams = {testing::hp_num_units(), testing::hp_dropout(),
                                       testing::hp_optimizer(), HParam("layers", IntInterval(1, 4))};
  absl::StatusOr<std::vector<HParams>> a = random_search(hparams, 50, 1234);
  absl::StatusOr<std::vector<HParams>> b = random_search(hparams, 50, 1234);
  absl::StatusOr<std::vector<HParams>> c = random_search(hparams, 50, 99);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  std::set<std::string> distinct;
  bool any_differs = false;
  for (size_t i = 0; i < a->size(); ++i) {
    EXPECT_TRUE(check_trial(hparams, (*a)[i]).ok()) << (*a)[i].repr();
    EXPECT_EQ((*a)[i].repr(), (*b)[i].repr());
    any_differs |= (*a)[i].repr() != (*c)[i].repr();
    distinct.insert((*a)[i].repr());
  }
  EXPECT_TRUE(any_differs);
  EXPECT_GT(distinct.size(), 40u);  // dropout is continuous
}

TEST(RandomSearch, RejectsAnHParamWithoutDomain) {
  EXPECT_EQ(random_search({HParam("free")}, 3, 1).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace hp
