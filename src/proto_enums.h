// The public enums (hparams/domain.h, hparams/hparam.h) and the proto enums
// they mirror, tied value by value: every cast between the two goes through
// these functions, so a renumbered or added enumerator fails to compile here
// instead of silently mislabelling data.
#ifndef HPARAMS_SRC_PROTO_ENUMS_H_
#define HPARAMS_SRC_PROTO_ENUMS_H_

#include "hparams/domain.h"
#include "hparams/hparam.h"
#include "hparams/proto/hparams_api.pb.h"

namespace hp::internal {

static_assert(DATA_TYPE_UNSET == static_cast<int>(proto::hparams::DATA_TYPE_UNSET));
static_assert(DATA_TYPE_STRING == static_cast<int>(proto::hparams::DATA_TYPE_STRING));
static_assert(DATA_TYPE_BOOL == static_cast<int>(proto::hparams::DATA_TYPE_BOOL));
static_assert(DATA_TYPE_FLOAT64 == static_cast<int>(proto::hparams::DATA_TYPE_FLOAT64));
static_assert(proto::hparams::DataType_MIN == proto::hparams::DATA_TYPE_UNSET &&
                  proto::hparams::DataType_MAX == proto::hparams::DATA_TYPE_FLOAT64,
              "proto DataType gained a value: add it to hp::DataType");

static_assert(DATASET_UNKNOWN == static_cast<int>(proto::hparams::DATASET_UNKNOWN));
static_assert(DATASET_TRAINING == static_cast<int>(proto::hparams::DATASET_TRAINING));
static_assert(DATASET_VALIDATION == static_cast<int>(proto::hparams::DATASET_VALIDATION));
static_assert(proto::hparams::DatasetType_MIN == proto::hparams::DATASET_UNKNOWN &&
                  proto::hparams::DatasetType_MAX == proto::hparams::DATASET_VALIDATION,
              "proto DatasetType gained a value: add it to hp::DatasetType");

static_assert(STATUS_UNKNOWN == static_cast<int>(proto::hparams::STATUS_UNKNOWN));
static_assert(STATUS_SUCCESS == static_cast<int>(proto::hparams::STATUS_SUCCESS));
static_assert(STATUS_FAILURE == static_cast<int>(proto::hparams::STATUS_FAILURE));
static_assert(STATUS_RUNNING == static_cast<int>(proto::hparams::STATUS_RUNNING));
static_assert(proto::hparams::Status_MIN == proto::hparams::STATUS_UNKNOWN &&
                  proto::hparams::Status_MAX == proto::hparams::STATUS_RUNNING,
              "proto Status gained a value: add it to hp::SessionStatus");

// Values outside the enumerators (read from a file) keep their number both
// ways: the enums are int-based, as protobuf's open enums are.
inline proto::hparams::DataType to_proto(DataType t) { return static_cast<proto::hparams::DataType>(t); }
inline proto::hparams::DatasetType to_proto(DatasetType t) {
  return static_cast<proto::hparams::DatasetType>(t);
}
inline proto::hparams::Status to_proto(SessionStatus s) { return static_cast<proto::hparams::Status>(s); }
inline DataType from_proto(proto::hparams::DataType t) { return static_cast<DataType>(t); }
inline DatasetType from_proto(proto::hparams::DatasetType t) { return static_cast<DatasetType>(t); }
inline SessionStatus from_proto(proto::hparams::Status s) { return static_cast<SessionStatus>(s); }

}  // namespace hp::internal

#endif  // HPARAMS_SRC_PROTO_ENUMS_H_
