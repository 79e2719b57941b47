// Symbol visibility of the hparams library.
//
// The library is built with -fvisibility=hidden, so only what the public
// headers declare is exported from libhparams.so: the internals (record
// framing, CRC-32C, SHA-256, group names) stay private and cannot clash
// with another copy of them in the process. Each public header wraps its
// declarations in HPARAMS_EXPORT_BEGIN / HPARAMS_EXPORT_END; HPARAMS_EXPORT
// marks a single declaration.
#ifndef HPARAMS_EXPORT_H_
#define HPARAMS_EXPORT_H_

#if defined(__GNUC__) || defined(__clang__)
#define HPARAMS_EXPORT __attribute__((visibility("default")))
#define HPARAMS_EXPORT_BEGIN _Pragma("GCC visibility push(default)")
#define HPARAMS_EXPORT_END _Pragma("GCC visibility pop")
#else
#define HPARAMS_EXPORT
#define HPARAMS_EXPORT_BEGIN
#define HPARAMS_EXPORT_END
#endif

#endif  // HPARAMS_EXPORT_H_
