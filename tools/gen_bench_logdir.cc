// hparams_gen_bench_logdir: writes a large synthetic logdir (a config, then
// RUNS trial runs, each with a session start, SCALARS scalar events spread
// over TAGS tags, and a session end) for timing `hparams show`.
//
// usage: hparams_gen_bench_logdir OUT_DIR [RUNS=10000] [SCALARS=100] [TAGS=10]
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "hparams/hparam.h"
#include "hparams/search.h"
#include "hparams/writer.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 5) {
    std::cerr << "usage: hparams_gen_bench_logdir OUT_DIR [RUNS=10000] [SCALARS=100] [TAGS=10]\n";
    return 2;
  }
  const std::string out = argv[1];
  const long runs = argc > 2 ? std::atol(argv[2]) : 10000;
  const long scalars = argc > 3 ? std::atol(argv[3]) : 100;
  const long tags = argc > 4 ? std::atol(argv[4]) : 10;
  if (runs <= 0 || scalars < 0 || tags <= 0) {
    std::cerr << "RUNS and TAGS must be positive, SCALARS non-negative\n";
    return 2;
  }
  const std::vector<hp::HParam> hparams = {
      hp::HParam("num_units", hp::Domain(hp::Discrete({16, 32, 64, 128}))),
      hp::HParam("dropout", hp::Domain(hp::RealInterval(0.1, 0.5))),
      hp::HParam("optimizer", hp::Domain(hp::Discrete({"adam", "sgd", "rmsprop"}))),
  };
  std::vector<hp::Metric> metrics;
  for (long t = 0; t < tags; ++t) metrics.emplace_back(absl::StrFormat("metric_%d", t));
  hp::WriterOptions options;
  options.clock = [] { return 1600000000.0; };
  {
    auto writer = hp::SummaryWriter::create(out, options);
    if (!writer.ok()) {
      std::cerr << writer.status() << "\n";
      return 2;
    }
    absl::Status s = (*writer)->hparams_config(hparams, metrics);
    if (s.ok()) s = (*writer)->close();
    if (!s.ok()) {
      std::cerr << s << "\n";
      return 2;
    }
  }
  auto trials = hp::random_search(hparams, static_cast<size_t>(runs), /*seed=*/42);
  if (!trials.ok()) {
    std::cerr << trials.status() << "\n";
    return 2;
  }
  for (long r = 0; r < runs; ++r) {
    auto writer = hp::SummaryWriter::create(absl::StrFormat("%s/run-%05d", out, r), options);
    if (!writer.ok()) {
      std::cerr << writer.status() << "\n";
      return 2;
    }
    absl::Status s = (*writer)->hparams((*trials)[r]);
    for (long i = 0; s.ok() && i < scalars; ++i) {
      s = (*writer)->scalar(absl::StrFormat("metric_%d", i % tags), 0.5 + 0.001 * (r % 500), i / tags);
    }
    if (s.ok()) s = (*writer)->session_end(hp::STATUS_SUCCESS);
    if (s.ok()) s = (*writer)->close();
    if (!s.ok()) {
      std::cerr << s << "\n";
      return 2;
    }
  }
  return 0;
}
