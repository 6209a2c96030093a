#pragma once
// The bridge between a family's weight-name table and a checkpoint.
//
// A family describes its weights once, as code that walks its table and calls
// binder.bind(name, shape, init) for every tensor (core/encoder_weights.cpp
// for the encoder). Two binders run that same walk:
//  - StoreBinder fetches each tensor from Weights and checks its shape: a
//    missing tensor or a wrong shape throws ModelError naming the tensor, the
//    file and the model type;
//  - SpecRecorder only records (name, shape, init): the list of tensors a
//    checkpoint of this config holds, used by bench/make_random_model.
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/tensor.hpp"
#include "core/weights.hpp"

namespace xfmr {

// How a random model initialises a tensor.
enum class Init { normal, ones, zeros };

struct TensorSpec {
  std::string name;
  Shape shape;
  Init init = Init::normal;
};

class WeightBinder {
 public:
  virtual ~WeightBinder() = default;
  // Whether the checkpoint holds `name` (SpecRecorder: always).
  virtual bool has(const std::string& name) const = 0;
  virtual Tensor bind(const std::string& name, const Shape& shape, Init init) = 0;
};

class StoreBinder : public WeightBinder {
 public:
  StoreBinder(const Weights& weights, const ModelConfig& config) : weights_(weights), config_(config) {}
  bool has(const std::string& name) const override;
  Tensor bind(const std::string& name, const Shape& shape, Init init) override;

 private:
  const Weights& weights_;
  const ModelConfig& config_;
};

class SpecRecorder : public WeightBinder {
 public:
  bool has(const std::string&) const override { return true; }
  Tensor bind(const std::string& name, const Shape& shape, Init init) override;
  const std::vector<TensorSpec>& specs() const { return specs_; }

 private:
  std::vector<TensorSpec> specs_;
};

}  // namespace xfmr
