// The scalar encoder alone: what scalar() pays on the caller's thread before
// the record reaches the ring. Built only inside the source tree: it times an
// internal function the installed package does not expose.
#include <cstddef>
#include <cstdint>

#include "benchmark/benchmark.h"
#include "internal/scalar_event.h"

namespace {

void BM_EncodeScalarRecord(benchmark::State& state) {
  char buf[256];
  int64_t step = 0;
  for (auto _ : state) {
    const size_t n = hp::internal::encode_scalar_record(buf, 1.7e9, step++, "loss", 0.5f, false);
    benchmark::DoNotOptimize(n);
    benchmark::ClobberMemory();
  }
  state.counters["record_bytes"] =
      static_cast<double>(hp::internal::encode_scalar_record(buf, 1.7e9, 1000, "loss", 0.5f, false));
}
BENCHMARK(BM_EncodeScalarRecord);

}  // namespace
