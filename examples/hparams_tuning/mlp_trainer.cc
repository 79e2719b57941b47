// Forward pass, backpropagation and the two optimizers, with Eigen.
#include "mlp_trainer.h"

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <numeric>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "random.h"

namespace hparams_tuning {
namespace {

// Row-major, so a batch is `batch` contiguous images, like numpy's layout.
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Kernels are (fan_in x fan_out) as in Keras; biases are 1 x fan_out.
struct Params {
  std::array<Matrix, 4> tensors;  // kernel1, bias1, kernel2, bias2
  Matrix& kernel1() { return tensors[0]; }
  Matrix& bias1() { return tensors[1]; }
  Matrix& kernel2() { return tensors[2]; }
  Matrix& bias2() { return tensors[3]; }
  const Matrix& kernel1() const { return tensors[0]; }
  const Matrix& bias1() const { return tensors[1]; }
  const Matrix& kernel2() const { return tensors[2]; }
  const Matrix& bias2() const { return tensors[3]; }
};

Matrix glorot_uniform(int fan_in, int fan_out, Rng& rng) {
  const float limit = std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
  Matrix m(fan_in, fan_out);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform_float(-limit, limit);
  return m;
}

Params init_params(int inputs, int units, Rng& rng) {
  Params p;
  p.kernel1() = glorot_uniform(inputs, units, rng);
  p.bias1() = Matrix::Zero(1, units);
  p.kernel2() = glorot_uniform(units, kNumClasses, rng);
  p.bias2() = Matrix::Zero(1, kNumClasses);
  return p;
}

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual void apply(const Params& grads, Params& params) = 0;
};

// Keras's SGD without momentum: w -= lr * g.
class Sgd : public Optimizer {
 public:
  void apply(const Params& grads, Params& params) override {
    for (size_t i = 0; i < params.tensors.size(); ++i) {
      params.tensors[i].noalias() -= kLearningRate * grads.tensors[i];
    }
  }

 private:
  static constexpr float kLearningRate = 0.01f;
};

// Keras's Adam. The bias corrections are folded into the step size and
// epsilon is added to sqrt(v) unscaled ("epsilon hat" in Kingma & Ba):
//   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
//   w -= lr sqrt(1-b2^t) / (1-b1^t) * m / (sqrt(v) + eps)
class Adam : public Optimizer {
 public:
  explicit Adam(const Params& shapes) {
    for (size_t i = 0; i < shapes.tensors.size(); ++i) {
      m_.tensors[i] = Matrix::Zero(shapes.tensors[i].rows(), shapes.tensors[i].cols());
      v_.tensors[i] = m_.tensors[i];
    }
  }

  void apply(const Params& grads, Params& params) override {
    ++step_;
    const double t = static_cast<double>(step_);
    const float alpha = static_cast<float>(kLearningRate * std::sqrt(1.0 - std::pow(kBeta2, t)) /
                                           (1.0 - std::pow(kBeta1, t)));
    for (size_t i = 0; i < params.tensors.size(); ++i) {
      auto g = grads.tensors[i].array();
      auto m = m_.tensors[i].array();
      auto v = v_.tensors[i].array();
      m = kBeta1 * m + (1.0f - kBeta1) * g;
      v = kBeta2 * v + (1.0f - kBeta2) * g.square();
      params.tensors[i].array() -= alpha * m / (v.sqrt() + kEpsilon);
    }
  }

 private:
  static constexpr float kLearningRate = 0.001f;
  static constexpr float kBeta1 = 0.9f;
  static constexpr float kBeta2 = 0.999f;
  static constexpr float kEpsilon = 1e-7f;
  Params m_, v_;
  int64_t step_ = 0;
};

// Copies images `indices[begin, end)` into `x`, scaled to [0, 1].
void gather_batch(const ImageSet& set, const std::vector<uint32_t>& indices, size_t begin, size_t end,
                  Matrix& x, std::vector<uint8_t>& labels) {
  const Eigen::Index n = static_cast<Eigen::Index>(end - begin);
  const Eigen::Index pixels = static_cast<Eigen::Index>(set.pixels_per_image);
  x.resize(n, pixels);
  labels.resize(static_cast<size_t>(n));
  for (Eigen::Index r = 0; r < n; ++r) {
    const uint32_t index = indices[begin + static_cast<size_t>(r)];
    const uint8_t* image = set.pixels.data() + size_t{index} * set.pixels_per_image;
    x.row(r) =
        Eigen::Map<const Eigen::Matrix<uint8_t, 1, Eigen::Dynamic>>(image, pixels).cast<float>() / 255.0f;
    labels[static_cast<size_t>(r)] = set.labels[index];
  }
}

// Turns logits into probabilities in place (row-wise softmax, shifted by
// the row maximum for stability) and returns the summed cross-entropy and
// the number of correct argmax predictions.
struct BatchStats {
  double loss_sum = 0;
  int64_t correct = 0;
};
BatchStats softmax_cross_entropy(Matrix& logits, const std::vector<uint8_t>& labels) {
  BatchStats stats;
  for (Eigen::Index r = 0; r < logits.rows(); ++r) {
    auto row = logits.row(r);
    Eigen::Index argmax = 0;
    const float max = row.maxCoeff(&argmax);
    row.array() -= max;
    const float label_logit = row(labels[static_cast<size_t>(r)]);
    row = row.array().exp();
    const float sum = row.sum();
    row /= sum;
    // -log softmax(z)_y = log(sum exp(z - max)) - (z_y - max)
    stats.loss_sum += std::log(sum) - label_logit;
    if (argmax == labels[static_cast<size_t>(r)]) ++stats.correct;
  }
  return stats;
}

// Buffers reused from batch to batch.
struct Workspace {
  Matrix pre, hidden, logits, d_logits, d_hidden;
};

// One training step's forward and backward pass for the batch-mean loss.
// `mask` is the dropout mask (0, or 1/keep for a kept unit: inverted
// dropout, so inference needs no rescaling); the relu derivative (1 where
// the pre-activation > 0, as TensorFlow's ReluGrad) is folded into it.
BatchStats compute_gradients(const Params& p, const Matrix& x, const std::vector<uint8_t>& labels,
                             Matrix& mask, Workspace& w, Params& grads) {
  const Eigen::Index n = x.rows();
  w.pre.noalias() = x * p.kernel1();
  w.pre.rowwise() += p.bias1().row(0);
  mask.array() = (w.pre.array() > 0.0f).select(mask.array(), 0.0f);
  w.hidden = w.pre.cwiseProduct(mask);
  w.logits.noalias() = w.hidden * p.kernel2();
  w.logits.rowwise() += p.bias2().row(0);
  const BatchStats stats = softmax_cross_entropy(w.logits, labels);

  // dL/dlogits = (softmax - onehot(y)) / n.
  w.d_logits = w.logits;
  for (Eigen::Index r = 0; r < n; ++r) w.d_logits(r, labels[static_cast<size_t>(r)]) -= 1.0f;
  w.d_logits /= static_cast<float>(n);
  grads.kernel2().noalias() = w.hidden.transpose() * w.d_logits;
  grads.bias2() = w.d_logits.colwise().sum();
  w.d_hidden.noalias() = w.d_logits * p.kernel2().transpose();
  w.d_hidden = w.d_hidden.cwiseProduct(mask);
  grads.kernel1().noalias() = x.transpose() * w.d_hidden;
  grads.bias1() = w.d_hidden.colwise().sum();
  return stats;
}

struct Evaluation {
  double loss = 0;
  double accuracy = 0;
};

// Inference mode: no dropout. Larger chunks than Keras's 32 change only
// float rounding, not the result.
Evaluation evaluate(const Params& p, const ImageSet& set) {
  constexpr size_t kChunk = 1000;
  std::vector<uint32_t> indices(set.count);
  std::iota(indices.begin(), indices.end(), 0u);
  Matrix x, hidden, logits;
  std::vector<uint8_t> labels;
  BatchStats total;
  for (size_t begin = 0; begin < set.count; begin += kChunk) {
    const size_t end = std::min(set.count, begin + kChunk);
    gather_batch(set, indices, begin, end, x, labels);
    hidden.noalias() = x * p.kernel1();
    hidden.rowwise() += p.bias1().row(0);
    hidden = hidden.cwiseMax(0.0f);
    logits.noalias() = hidden * p.kernel2();
    logits.rowwise() += p.bias2().row(0);
    const BatchStats stats = softmax_cross_entropy(logits, labels);
    total.loss_sum += stats.loss_sum;
    total.correct += stats.correct;
  }
  const double n = static_cast<double>(std::max<size_t>(set.count, 1));
  return {total.loss_sum / n, static_cast<double>(total.correct) / n};
}

absl::Status check_config(const FashionMnist& data, const TrainConfig& config) {
  if (config.num_units <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("num_units must be positive, got ", config.num_units));
  }
  if (!(config.dropout >= 0.0 && config.dropout < 1.0)) {
    return absl::InvalidArgumentError(absl::StrCat("dropout must be in [0, 1), got ", config.dropout));
  }
  if (config.epochs <= 0 || config.batch_size <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("epochs (", config.epochs, ") and batch_size (",
                                                   config.batch_size, ") must be positive"));
  }
  if (data.train.count == 0 || data.test.count == 0) {
    return absl::InvalidArgumentError("need at least one training and one test image");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<OptimizerKind> parse_optimizer(std::string_view name) {
  if (name == "adam") return OptimizerKind::kAdam;
  if (name == "sgd") return OptimizerKind::kSgd;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown optimizer \"", std::string(name), "\": use \"adam\" or \"sgd\""));
}

int64_t batches_per_epoch(size_t num_examples, int batch_size) {
  if (batch_size <= 0) return 0;
  return static_cast<int64_t>((num_examples + static_cast<size_t>(batch_size) - 1) /
                              static_cast<size_t>(batch_size));
}

absl::StatusOr<TrainResult> train_and_evaluate(const FashionMnist& data, const TrainConfig& config,
                                               hp::Callback& callback) {
  if (absl::Status s = check_config(data, config); !s.ok()) return s;
  const ImageSet& train = data.train;
  const int inputs = static_cast<int>(train.pixels_per_image);
  const float keep = static_cast<float>(1.0 - config.dropout);
  const float rate = static_cast<float>(config.dropout);

  Rng rng(config.seed);
  Params params = init_params(inputs, config.num_units, rng);
  std::unique_ptr<Optimizer> optimizer;
  if (config.optimizer == OptimizerKind::kAdam) {
    optimizer = std::make_unique<Adam>(params);
  } else {
    optimizer = std::make_unique<Sgd>();
  }

  TrainResult result;
  result.batches_per_epoch = batches_per_epoch(train.count, config.batch_size);
  result.logging_status.Update(callback.on_train_begin());

  std::vector<uint32_t> order(train.count);
  Matrix x, mask;
  Workspace work;
  Params grads = params;
  std::vector<uint8_t> labels;
  hp::Logs logs;
  for (int epoch = 0; epoch < config.epochs; ++epoch) {
    result.logging_status.Update(callback.on_epoch_begin(epoch));
    std::iota(order.begin(), order.end(), 0u);
    rng.shuffle(order);
    double loss_sum = 0;
    int64_t correct = 0;
    size_t seen = 0;
    for (int64_t batch = 0; batch < result.batches_per_epoch; ++batch) {
      const size_t begin = static_cast<size_t>(batch) * static_cast<size_t>(config.batch_size);
      const size_t end = std::min(train.count, begin + static_cast<size_t>(config.batch_size));
      gather_batch(train, order, begin, end, x, labels);

      mask.resize(x.rows(), config.num_units);
      for (Eigen::Index i = 0; i < mask.size(); ++i) {
        mask.data()[i] = rng.uniform_float() < rate ? 0.0f : 1.0f / keep;
      }
      const BatchStats stats = compute_gradients(params, x, labels, mask, work, grads);
      optimizer->apply(grads, params);

      loss_sum += stats.loss_sum;
      correct += stats.correct;
      seen += labels.size();
      const double loss = loss_sum / static_cast<double>(seen);
      if (!std::isfinite(loss)) {
        absl::Status failure = absl::InternalError(
            absl::StrFormat("training diverged: loss is %f at epoch %d, batch %d", loss, epoch, batch));
        result.logging_status.Update(callback.on_train_failed(failure));
        return failure;
      }
      logs = hp::Logs{{"loss", loss}, {"accuracy", static_cast<double>(correct) / seen}};
      result.logging_status.Update(callback.on_train_batch_end(batch, logs));
    }
    result.train_loss = *logs.get("loss");
    result.train_accuracy = *logs.get("accuracy");
    const Evaluation test = evaluate(params, data.test);
    result.test_loss = test.loss;
    result.test_accuracy = test.accuracy;
    logs.set("val_loss", test.loss);
    logs.set("val_accuracy", test.accuracy);
    result.logging_status.Update(callback.on_epoch_end(epoch, logs));
  }
  result.logging_status.Update(callback.on_train_end(logs));
  return result;
}

}  // namespace hparams_tuning
