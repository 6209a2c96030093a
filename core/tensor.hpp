#pragma once
// Tensor: a float32, row-major (C order), contiguous buffer plus its shape.
//
// A tensor is a handle: copying it shares the buffer (use clone() for a deep
// copy). The buffer is either owned (allocated by the tensor, 64-byte aligned,
// freed with the last handle) or a view of memory owned by someone else — e.g.
// a float32 weight used in place inside an mmapped safetensors file; the view
// keeps its owner alive through `keep_alive`. Weight views point at read-only
// pages: never write through a weight.
//
//   Tensor x({tokens, hidden});          // owned, uninitialised
//   Tensor z = Tensor::zeros({2, 3});
//   float* r = x.row(5);                 // rank-2 row pointer
//   Tensor w = Tensor::view(ptr, {768, 768}, mapping);
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace xfmr {

using Shape = std::vector<int64_t>;

// "[2, 3, 4]", for messages.
std::string shape_to_string(const Shape& shape);
// Product of the dims; 1 for a scalar (rank 0).
int64_t shape_numel(const Shape& shape);

class Tensor {
 public:
  Tensor() = default;
  // Owned and uninitialised.
  explicit Tensor(Shape shape);
  Tensor(std::initializer_list<int64_t> shape) : Tensor(Shape(shape)) {}

  static Tensor zeros(Shape shape);
  // A view of memory this tensor does not own; keep_alive (may be null) is held
  // as long as any handle to the view lives.
  static Tensor view(const float* data, Shape shape, std::shared_ptr<const void> keep_alive = {});

  Tensor clone() const;
  // Same buffer, another shape with the same number of elements.
  Tensor reshaped(Shape shape) const;
  // Same buffer, the first n rows (dim 0) only.
  Tensor first_rows(int64_t n) const;

  float* data() { return data_; }
  const float* data() const { return data_; }
  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int i) const { return shape_[static_cast<size_t>(i)]; }
  int64_t numel() const { return numel_; }
  bool empty() const { return data_ == nullptr; }

  // Row i of a tensor seen as [dim(0), numel / dim(0)].
  float* row(int64_t i) { return data_ + i * row_stride(); }
  const float* row(int64_t i) const { return data_ + i * row_stride(); }
  int64_t row_stride() const { return shape_.empty() || shape_[0] == 0 ? 0 : numel_ / shape_[0]; }

  std::span<float> values() { return {data_, static_cast<size_t>(numel_)}; }
  std::span<const float> values() const { return {data_, static_cast<size_t>(numel_)}; }

 private:
  std::shared_ptr<const void> storage_;
  float* data_ = nullptr;
  Shape shape_;
  int64_t numel_ = 0;
};

// A growable scratch buffer reused across calls, so that steady-state forward
// passes allocate nothing. Contents are not preserved when it grows.
class Scratch {
 public:
  float* get(int64_t count);

 private:
  std::unique_ptr<float[], void (*)(float*)> buffer_{nullptr, [](float*) {}};
  int64_t capacity_ = 0;
};

}  // namespace xfmr
