// libFuzzer harness for RecordReader and EventFileReader: any bytes, any
// size cap (including none), read in pieces of any size. Must never crash,
// hang, allocate what a length field claims, or let an exception out.
// The first two bytes choose the options; the rest is the file.
#include "hparams/record_reader.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_env.h"
#include "hparams/summary.h"  // EventFileReader

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t caps = data[0];
  const size_t piece = size_t{1} + data[1] * 37u;
  const std::string_view file(reinterpret_cast<const char*>(data + 2), size - 2);
  hp::fuzz::MemoryEnv env(file, piece);
  hp::RecordReaderOptions options;
  options.env = &env;
  options.buffer_bytes = 4096;  // the smallest allowed: more refills, and fast runs
  switch (caps & 3) {
    case 0:
      break;  // the default cap
    case 1:
      options.max_record_bytes = SIZE_MAX;
      break;  // no cap
    case 2:
      options.max_record_bytes = caps;
      break;  // a tiny one
    case 3:
      options.max_record_bytes = 1 << 12;
      break;
  }
  options.resync_after_corruption = (caps & 4) == 0;
  uint64_t reported = 0;
  options.on_corruption = [&reported](const hp::CorruptionReport& r) { reported += r.bytes_dropped; };

  if ((caps & 8) == 0) {
    auto reader = hp::RecordReader::open("fuzz", options);
    if (!reader.ok()) return 0;
    uint64_t bytes = 0;
    for (;;) {
      absl::StatusOr<std::string_view> record = (*reader)->read_record();
      if (!record.ok()) break;
      bytes += record->size();
      if (bytes > file.size()) __builtin_trap();  // records are made of the file's bytes
    }
    if ((*reader)->bytes_dropped() > file.size()) __builtin_trap();
  } else {
    auto reader = hp::EventFileReader::open("fuzz", options);
    if (!reader.ok()) return 0;
    hp::proto::Event event;
    for (;;) {
      absl::StatusOr<bool> more = (*reader)->next(&event);
      if (!more.ok() || !*more) break;
    }
  }
  return 0;
}
