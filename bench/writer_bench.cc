// The writer's hot path and end-to-end rate.
//
// BM_ScalarCallerLatency times each scalar() call with the TSC and reports
// the median and p99 in nanoseconds (timer overhead subtracted, reported
// separately). BM_SustainedScalars logs 10,000,000 scalars to a file in /tmp
// timed through close(), and reports the rate, the bytes per scalar record
// and the process's peak RSS (run it alone to see the writer's own peak).
#include "hparams/writer.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "hparams/hparam.h"

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace {

// Under $HPARAMS_BENCH_DIR, default /tmp. /dev/shm (tmpfs) takes the disk
// out of the figures: what is left is the library and write(2).
std::string temp_logdir(const char* name) {
  const char* base = std::getenv("HPARAMS_BENCH_DIR");
  return std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/hparams_bench_" + name + "_" +
         std::to_string(::getpid());
}

void remove_logdir(const std::string& dir) {
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

inline uint64_t ticks() {
#if defined(__x86_64__)
  _mm_lfence();
  const uint64_t t = __rdtsc();
  _mm_lfence();
  return t;
#else
  return static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

// Nanoseconds per tick, measured against steady_clock.
double ns_per_tick() {
  const auto t0 = std::chrono::steady_clock::now();
  const uint64_t c0 = ticks();
  while (std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(200)) {
  }
  const uint64_t c1 = ticks();
  const auto ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  return ns / static_cast<double>(c1 - c0);
}

double percentile(std::vector<uint32_t>& v, double p) {
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(k), v.end());
  return v[k];
}

// Resident set now, from /proc/self/statm (0 where it does not exist).
long current_rss_kib() {
  long pages = 0, resident = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  std::fclose(f);
  return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

// Threads of this process, from /proc/self/status (0 where it does not exist).
long thread_count() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  long threads = 0;
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    if (std::sscanf(line, "Threads: %ld", &threads) == 1) break;
  }
  std::fclose(f);
  return threads;
}

long peak_rss_kib() {
  struct rusage usage;
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

void BM_ScalarCallerLatency(benchmark::State& state) {
  const double tick_ns = ns_per_tick();
  const std::string dir = temp_logdir("latency");
  auto writer = hp::SummaryWriter::create(dir);
  if (!writer.ok()) {
    state.SkipWithError(std::string(writer.status().message()).c_str());
    return;
  }
  std::vector<uint32_t> samples;
  samples.reserve(static_cast<size_t>(state.max_iterations));
  std::vector<uint32_t> overhead;
  overhead.reserve(100000);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t a = ticks();
    const uint64_t b = ticks();
    overhead.push_back(static_cast<uint32_t>(b - a));
  }
  const double timer_ticks = percentile(overhead, 0.5);
  int64_t step = 0;
  for (auto _ : state) {
    const uint64_t a = ticks();
    absl::Status s = (*writer)->scalar("loss", 0.5, step++);
    const uint64_t b = ticks();
    benchmark::DoNotOptimize(s);
    samples.push_back(static_cast<uint32_t>(std::min<uint64_t>(b - a, UINT32_MAX)));
  }
  (void)(*writer)->close();
  remove_logdir(dir);
  const double median = (percentile(samples, 0.5) - timer_ticks) * tick_ns;
  const double p99 = (percentile(samples, 0.99) - timer_ticks) * tick_ns;
  const double p999 = (percentile(samples, 0.999) - timer_ticks) * tick_ns;
  state.counters["median_ns"] = median;
  state.counters["p99_ns"] = p99;
  state.counters["p999_ns"] = p999;
  state.counters["timer_overhead_ns"] = timer_ticks * tick_ns;
}
BENCHMARK(BM_ScalarCallerLatency)->Iterations(2000000)->Unit(benchmark::kMillisecond);

// The caller's cost per scalar() in a plain loop (no per-call timer): CPU
// time of the calling thread over 10,000,000 calls, the writer's thread
// working on the other core.
void BM_ScalarCallerCost(benchmark::State& state) {
  const std::string dir = temp_logdir("caller");
  auto writer = hp::SummaryWriter::create(dir);
  if (!writer.ok()) {
    state.SkipWithError(std::string(writer.status().message()).c_str());
    return;
  }
  int64_t step = 0;
  for (auto _ : state) {
    absl::Status s = (*writer)->scalar("loss", 0.5, step++);
    benchmark::DoNotOptimize(s);
  }
  (void)(*writer)->close();
  writer->reset();
  remove_logdir(dir);
}
BENCHMARK(BM_ScalarCallerCost)->Iterations(10000000);

// Four threads share one writer, 2,500,000 scalars each (own tag per
// thread), timed from the start through close().
void BM_FourThreadsOneWriter(benchmark::State& state) {
  constexpr int kThreads = 4;
  constexpr int64_t kPerThread = 2500000;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string dir = temp_logdir("threads");
    auto writer = hp::SummaryWriter::create(dir);
    if (!writer.ok()) {
      state.SkipWithError(std::string(writer.status().message()).c_str());
      return;
    }
    state.ResumeTiming();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([w = writer->get(), t] {
        const std::string tag = "loss/" + std::to_string(t);
        for (int64_t step = 0; step < kPerThread; ++step) (void)w->scalar(tag, 0.5, step);
      });
    }
    for (std::thread& th : threads) th.join();
    const absl::Status closed = (*writer)->close();
    state.PauseTiming();
    if (!closed.ok()) state.SkipWithError(std::string(closed.message()).c_str());
    writer->reset();
    remove_logdir(dir);
    state.ResumeTiming();
  }
  state.counters["scalars_per_s"] =
      benchmark::Counter(static_cast<double>(kThreads * kPerThread) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FourThreadsOneWriter)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// 1,000 writers open at once, 100 scalars each, then all closed: the
// threads the process runs while they are open and its peak RSS (run it
// alone to see the writers' own peak).
void BM_ThousandWriters(benchmark::State& state) {
  constexpr int kWriters = 1000;
  long threads_open = 0;
  for (auto _ : state) {
    const std::string dir = temp_logdir("many");
    std::vector<std::unique_ptr<hp::SummaryWriter>> writers;
    writers.reserve(kWriters);
    for (int i = 0; i < kWriters; ++i) {
      auto writer = hp::SummaryWriter::create(dir + "/run-" + std::to_string(i));
      if (!writer.ok()) {
        state.SkipWithError(std::string(writer.status().message()).c_str());
        break;
      }
      writers.push_back(std::move(*writer));
    }
    for (int64_t step = 0; step < 100; ++step) {
      for (auto& w : writers) (void)w->scalar("loss", 0.5, step);
    }
    threads_open = thread_count();
    for (auto& w : writers) (void)w->close();
    writers.clear();
    remove_logdir(dir);
  }
  state.counters["threads"] = static_cast<double>(threads_open);
  state.counters["peak_rss_MiB"] = static_cast<double>(peak_rss_kib()) / 1024.0;
}
BENCHMARK(BM_ThousandWriters)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// 10,000,000 scalars from one thread to one writer, timed through close()
// (which fsyncs): the rate, the bytes per scalar record and the process's
// peak RSS (run it alone, --benchmark_filter=Sustained, to see the writer's
// own peak).
void BM_SustainedScalars(benchmark::State& state) {
  const int64_t n = state.range(0);
  double bytes_per_scalar = 0;
  double loop_seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string dir = temp_logdir("sustained");
    auto writer = hp::SummaryWriter::create(dir);
    if (!writer.ok()) {
      state.SkipWithError(std::string(writer.status().message()).c_str());
      return;
    }
    state.ResumeTiming();
    const auto loop_start = std::chrono::steady_clock::now();
    for (int64_t step = 0; step < n; ++step) {
      if (!(*writer)->scalar("loss", static_cast<double>(step) * 1e-3, step).ok()) {
        state.SkipWithError("scalar failed");
        break;
      }
    }
    loop_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - loop_start).count();
    const absl::Status closed = (*writer)->close();
    state.PauseTiming();
    if (!closed.ok()) state.SkipWithError(std::string(closed.message()).c_str());
    // Everything after the file_version record, per scalar.
    FILE* f = std::fopen((*writer)->path().c_str(), "rb");
    if (f != nullptr) {
      std::fseek(f, 0, SEEK_END);
      const long size = std::ftell(f);
      std::fclose(f);
      bytes_per_scalar = static_cast<double>(size) / static_cast<double>(n);
    }
    writer->reset();
    remove_logdir(dir);
    state.ResumeTiming();
  }
  state.counters["scalars_per_s"] = benchmark::Counter(
      static_cast<double>(n) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["bytes_per_scalar"] = bytes_per_scalar;
  // The calls alone, without close()'s fsync of ~500 MB (which the disk,
  // not the library, decides).
  state.counters["calls_per_s"] = static_cast<double>(n) / loop_seconds;
  state.counters["peak_rss_MiB"] = static_cast<double>(peak_rss_kib()) / 1024.0;
}
BENCHMARK(BM_SustainedScalars)->Arg(10000000)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// hparams() of a 3-hparam trial (a float, an int and a string, each with its
// domain), the per-trial call of a sweep: validation, the session group
// name (canonical JSON + SHA-256), encoding and the hand-off. Reports the
// growth of the resident set over the timed calls (after 100,000 warm-up
// calls, both measured after a flush()), which must stay flat.
void BM_HParams(benchmark::State& state) {
  const std::string dir = temp_logdir("hparams");
  auto writer = hp::SummaryWriter::create(dir);
  if (!writer.ok()) {
    state.SkipWithError(std::string(writer.status().message()).c_str());
    return;
  }
  const hp::HParam lr("learning_rate", hp::RealInterval(1e-4, 1e-1));
  const hp::HParam layers("num_layers", hp::IntInterval(1, 8));
  const hp::HParam optimizer("optimizer", hp::Discrete({"adam", "sgd"}));
  const hp::HParams trial{{lr, 0.01}, {layers, 3}, {optimizer, "adam"}};
  // 100,000 calls first, so the queue's buffers have reached their size:
  // whatever the peak grows by afterwards would be a leak.
  for (int i = 0; i < 100000; ++i) (void)(*writer)->hparams(trial, std::nullopt, 1.7e9);
  (void)(*writer)->flush();
  const long rss_before = current_rss_kib();
  for (auto _ : state) {
    if (!(*writer)->hparams(trial, std::nullopt, 1.7e9).ok()) {
      state.SkipWithError("hparams failed");
      break;
    }
  }
  (void)(*writer)->flush();
  state.counters["rss_growth_KiB"] = static_cast<double>(current_rss_kib() - rss_before);
  (void)(*writer)->close();
  writer->reset();
  remove_logdir(dir);
}
BENCHMARK(BM_HParams);

}  // namespace
