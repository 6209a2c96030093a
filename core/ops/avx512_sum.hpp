#pragma once
// Horizontal sum of an AVX-512 register. (_mm512_reduce_add_ps and the
// unmasked shuffles trip GCC 12's -Wmaybe-uninitialized inside its own
// headers; the zero-masked forms do not.)
#if defined(__AVX512F__)
#include <immintrin.h>

namespace xfmr {

inline float horizontal_sum(__m512 v) {
  constexpr __mmask16 kAll = 0xFFFF;
  v = _mm512_add_ps(v, _mm512_maskz_shuffle_f32x4(kAll, v, v, _MM_SHUFFLE(1, 0, 3, 2)));
  v = _mm512_add_ps(v, _mm512_maskz_shuffle_f32x4(kAll, v, v, _MM_SHUFFLE(2, 3, 0, 1)));
  v = _mm512_add_ps(v, _mm512_maskz_permute_ps(kAll, v, _MM_SHUFFLE(1, 0, 3, 2)));
  v = _mm512_add_ps(v, _mm512_maskz_permute_ps(kAll, v, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm512_cvtss_f32(v);
}

}  // namespace xfmr
#endif
