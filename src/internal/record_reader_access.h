// What EventFileReader (declared in <hparams/summary.h>, defined in
// hparams_summary.cc) needs from the RecordReader it wraps, beyond the
// public interface. Defined in record_reader.cc; every RecordReader is the
// one RecordReader::open makes there.
#ifndef HPARAMS_INTERNAL_RECORD_READER_ACCESS_H_
#define HPARAMS_INTERNAL_RECORD_READER_ACCESS_H_

#include <cstdint>
#include <string>

#include "hparams/record_reader.h"

namespace hp::internal {

// The path the reader was opened on.
const std::string& record_reader_path(const RecordReader& reader);

// Adds a record the caller could not use (not a valid Event) to the
// reader's bytes_dropped().
void count_dropped_record(RecordReader* reader, uint64_t bytes);

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_RECORD_READER_ACCESS_H_
