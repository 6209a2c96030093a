#pragma once
// Conversions of half-precision weights to float32, done once at load.
#include <cstddef>
#include <cstdint>
#include <span>

namespace xfmr {

float half_to_float(uint16_t bits);
float bfloat16_to_float(uint16_t bits);

// `in` holds out.size() little-endian 16-bit values (any alignment).
void convert_f16_to_f32(const std::byte* in, std::span<float> out);
void convert_bf16_to_f32(const std::byte* in, std::span<float> out);

}  // namespace xfmr
