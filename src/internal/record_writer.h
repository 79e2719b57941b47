// The write side of the TFRecord format (see record_format.h): the framed
// bytes of a record whose data is already serialized. The writer appends
// framed records to its file through the writer service, so no class writes
// records to a file; the scalar and hparams encoders frame in place with
// record_format.h's header and footer functions.
//
// Thread safety: pure functions.
#ifndef HPARAMS_INTERNAL_RECORD_WRITER_H_
#define HPARAMS_INTERNAL_RECORD_WRITER_H_

#include <string>
#include <string_view>

namespace hp::internal {

// Appends the framed form of `data` (header, data, footer) to `*out`.
void append_framed_record(std::string_view data, std::string* out);

// Returns the framed form of `data`.
std::string frame_record(std::string_view data);

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_RECORD_WRITER_H_
