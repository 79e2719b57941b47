// CRC-32C throughput at record-sized, page-sized and large buffers.
#include "internal/crc32c.h"

#include <string>

#include "benchmark/benchmark.h"

namespace {

void run(benchmark::State& state, uint32_t (*fn)(uint32_t, const char*, size_t)) {
  const std::string data(static_cast<size_t>(state.range(0)), 'x');
  uint32_t crc = 0;
  for (auto _ : state) {
    crc = fn(crc, data.data(), data.size());
    benchmark::DoNotOptimize(crc);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

// What the library uses: the best implementation for this CPU.
void BM_Crc32c(benchmark::State& state) { run(state, &hp::internal::crc32c_extend); }
BENCHMARK(BM_Crc32c)->Arg(64)->Arg(4096)->Arg(1 << 20);

// The table fallback, for comparison.
void BM_Crc32cPortable(benchmark::State& state) { run(state, &hp::internal::crc32c_extend_portable); }
BENCHMARK(BM_Crc32cPortable)->Arg(64)->Arg(4096)->Arg(1 << 20);

}  // namespace
