#include "core/tensor.hpp"

#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

#include <fmt/format.h>

namespace xfmr {
namespace {

constexpr size_t kAlignment = 64;

float* allocate_floats(int64_t count) {
  size_t bytes = static_cast<size_t>(count > 0 ? count : 1) * sizeof(float);
  bytes = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  void* memory = std::aligned_alloc(kAlignment, bytes);
  if (!memory) throw std::bad_alloc();
  return static_cast<float*>(memory);
}

void free_floats(float* p) { std::free(p); }

}  // namespace

std::string shape_to_string(const Shape& shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

int64_t shape_numel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

Tensor::Tensor(Shape shape) : shape_(std::move(shape)) {
  for (int64_t d : shape_) {
    if (d < 0) throw std::invalid_argument("Tensor: negative dimension in " + shape_to_string(shape_));
  }
  numel_ = shape_numel(shape_);
  float* buffer = allocate_floats(numel_);
  storage_ = std::shared_ptr<float>(buffer, free_floats);
  data_ = buffer;
}

Tensor Tensor::zeros(Shape shape) {
  Tensor t(std::move(shape));
  if (t.numel_ > 0) std::memset(t.data_, 0, static_cast<size_t>(t.numel_) * sizeof(float));
  return t;
}

Tensor Tensor::view(const float* data, Shape shape, std::shared_ptr<const void> keep_alive) {
  Tensor t;
  t.shape_ = std::move(shape);
  t.numel_ = shape_numel(t.shape_);
  t.storage_ = std::move(keep_alive);
  t.data_ = const_cast<float*>(data);  // weights are views of read-only pages; see header
  return t;
}

Tensor Tensor::clone() const {
  Tensor copy(shape_);
  if (numel_ > 0) std::memcpy(copy.data_, data_, static_cast<size_t>(numel_) * sizeof(float));
  return copy;
}

Tensor Tensor::reshaped(Shape shape) const {
  if (shape_numel(shape) != numel_) {
    throw std::invalid_argument(fmt::format("Tensor: cannot reshape {} to {}", shape_to_string(shape_),
                                            shape_to_string(shape)));
  }
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

Tensor Tensor::first_rows(int64_t n) const {
  if (shape_.empty() || n < 0 || n > shape_[0]) {
    throw std::invalid_argument(fmt::format("Tensor: cannot take {} rows of {}", n, shape_to_string(shape_)));
  }
  Tensor t = *this;
  t.shape_[0] = n;
  t.numel_ = shape_numel(t.shape_);
  return t;
}

float* Scratch::get(int64_t count) {
  if (count > capacity_) {
    buffer_ = {allocate_floats(count), free_floats};
    capacity_ = count;
  }
  return buffer_.get();
}

}  // namespace xfmr
