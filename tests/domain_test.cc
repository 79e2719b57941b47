// Discrete, IntInterval and RealInterval: validation, order, membership,
// enumeration and seeded sampling.
#include "hparams/domain.h"

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "hparams/proto/hparams_api.pb.h"

namespace hp {
namespace {

TEST(Discrete, BuildsFromBracedLiteralsOfEachKind) {
  const Discrete ints({16, 32});
  const Discrete strings({"adam", "sgd"});
  const Discrete bools({true, false});
  EXPECT_TRUE(ints.status().ok());
  EXPECT_TRUE(strings.values()[0].is_string());
  EXPECT_TRUE(bools.values()[0].is_bool());
  EXPECT_EQ(ints.data_type(), DATA_TYPE_FLOAT64);
  EXPECT_EQ(strings.data_type(), DATA_TYPE_STRING);
  EXPECT_EQ(bools.data_type(), DATA_TYPE_BOOL);
}

TEST(Discrete, SortsAndKeepsDuplicatesAsPython) {
  const Discrete d({32, 16, 32, 8});
  EXPECT_EQ(d.values(), (std::vector<Value>{8, 16, 32, 32}));
  const Discrete s({"sgd", "adam", "Adam", "sgd"});
  EXPECT_EQ(s.values(), (std::vector<Value>{"Adam", "adam", "sgd", "sgd"}));
  const Discrete b({true, false, true});
  EXPECT_EQ(b.values(), (std::vector<Value>{false, true, true}));
  EXPECT_EQ(d.repr(), "Discrete([8, 16, 32, 32])");
}

TEST(Discrete, MixesIntsAndFloatsButKeepsEachKind) {
  const Discrete d({2.5, 1, 1.0, 0.5});
  ASSERT_TRUE(d.status().ok()) << d.status();
  // 1 and 1.0 are equal in Python: the stable sort keeps both, in order.
  EXPECT_EQ(d.values(), (std::vector<Value>{0.5, 1, 1.0, 2.5}));
  EXPECT_TRUE(d.values()[1].is_int());
  EXPECT_TRUE(d.values()[2].is_float());
  const Discrete zeros({0.0, -0.0, 0.0});
  EXPECT_EQ(zeros.values().size(), 3u);
  EXPECT_TRUE(zeros.contains(-0.0));
  EXPECT_TRUE(zeros.contains(0.0));
}

TEST(Discrete, InvalidDomainsReportWhy) {
  struct Case {
    Discrete domain;
    std::string mentions;
  };
  const Case cases[] = {
      {Discrete(std::vector<Value>{}), "empty"},
      {Discrete({1, "a"}), "mixes kinds"},
      {Discrete({true, 1}), "mixes kinds"},
      {Discrete({0.5, std::nan("")}), "NaN"},
      {Discrete({"ok", std::string("\xc3")}), "UTF-8"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.domain.status().code(), absl::StatusCode::kInvalidArgument) << c.mentions;
    EXPECT_NE(c.domain.status().message().find(c.mentions), std::string::npos) << c.domain.status();
    EXPECT_EQ(c.domain.data_type(), DATA_TYPE_UNSET);
  }
  EXPECT_FALSE(Discrete::create({}).ok());
  EXPECT_TRUE(Discrete::create({1, 2}).ok());
}

TEST(Discrete, ContainsOnlyTheSameKind) {
  const Discrete d({16, 32});
  EXPECT_TRUE(d.contains(16));
  EXPECT_FALSE(d.contains(16.0));
  EXPECT_FALSE(d.contains(24));
  EXPECT_FALSE(d.contains("16"));
  EXPECT_FALSE(Discrete({true}).contains(1));
}

TEST(IntInterval, ValidatesAndEnumerates) {
  EXPECT_EQ(IntInterval(3, 1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(IntInterval::create(3, 1).ok());
  const IntInterval d(-1, 2);
  EXPECT_EQ(d.values().value(), (std::vector<Value>{-1, 0, 1, 2}));
  EXPECT_TRUE(d.contains(2));
  EXPECT_FALSE(d.contains(3));
  EXPECT_FALSE(d.contains(1.0));
  EXPECT_EQ(IntInterval(0, std::numeric_limits<int64_t>::max()).values().status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(IntInterval(5, 1).values().status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(d.repr(), "IntInterval(-1, 2)");
}

TEST(RealInterval, RejectsNonFiniteAndReversedBounds) {
  EXPECT_EQ(RealInterval(0.2, 0.1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RealInterval(std::nan(""), 1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RealInterval(0, HUGE_VAL).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(RealInterval(0.1, 0.1).status().ok());
  EXPECT_EQ(RealInterval(0.1, 0.2).repr(), "RealInterval(0.1, 0.2)");
}

TEST(RealInterval, ContainsIntsAndFloatsInRange) {
  const RealInterval d(0.5, 2.0);
  EXPECT_TRUE(d.contains(1));
  EXPECT_TRUE(d.contains(2.0));
  // An int equal to either bound is inside, as in Python (s05).
  EXPECT_TRUE(RealInterval(1.0, 2.0).contains(1));
  EXPECT_TRUE(RealInterval(1.0, 2.0).contains(2));
  EXPECT_TRUE(RealInterval(0.0, 0.5).contains(0));
  EXPECT_TRUE(RealInterval(-0.0, 0.0).contains(0));
  EXPECT_FALSE(RealInterval(1.0, 2.0).contains(0));
  EXPECT_FALSE(RealInterval(1.0, 2.0).contains(3));
  EXPECT_FALSE(d.contains(2.0000001));
  EXPECT_FALSE(d.contains(std::nan("")));
  EXPECT_FALSE(d.contains("1"));
  EXPECT_FALSE(d.contains(true));
}

TEST(Domain, SamplingStaysInTheDomainAndCoversIt) {
  std::mt19937_64 rng(7);
  const Domain domains[] = {Discrete({"a", "b", "c"}), IntInterval(-2, 2), RealInterval(0.1, 0.2)};
  for (const Domain& d : domains) {
    std::map<std::string, int> seen;
    for (int i = 0; i < 2000; ++i) {
      absl::StatusOr<Value> v = domain_sample_uniform(d, rng);
      ASSERT_TRUE(v.ok()) << v.status();
      ASSERT_TRUE(domain_contains(d, *v)) << domain_repr(d) << " " << *v;
      ++seen[v->repr()];
    }
    if (!std::holds_alternative<RealInterval>(d)) {
      EXPECT_EQ(seen.size(), std::holds_alternative<Discrete>(d) ? 3u : 5u) << domain_repr(d);
      for (const auto& [value, count] : seen) EXPECT_GT(count, 200) << value;  // roughly uniform
    }
  }
}

TEST(Domain, SamplingIsReproducibleFromTheSeed) {
  const Domain d = RealInterval(-1, 1);
  std::mt19937_64 a(42), b(42), c(43);
  for (int i = 0; i < 10; ++i) {
    const Value x = domain_sample_uniform(d, a).value();
    EXPECT_EQ(x, domain_sample_uniform(d, b).value());
    EXPECT_NE(x, domain_sample_uniform(d, c).value());
  }
}

TEST(Domain, FullRangeIntervalsSampleWithoutOverflow) {
  std::mt19937_64 rng(1);
  const IntInterval all(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(all.contains(all.sample_uniform(rng).value()));
  const RealInterval wide(-1e308, 1e308);
  const Value x = wide.sample_uniform(rng).value();
  EXPECT_TRUE(std::isfinite(x.as_double()));
}

TEST(Domain, InvalidDomainsRefuseToSample) {
  std::mt19937_64 rng(1);
  EXPECT_EQ(Discrete(std::vector<Value>{}).sample_uniform(rng).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(IntInterval(2, 1).sample_uniform(rng).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RealInterval(2, 1).sample_uniform(rng).status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace hp
