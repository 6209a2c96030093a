#!/usr/bin/env bash
# Builds (incrementally) and runs the whole test suite with CTest:
#   1. the Release build: every unit, golden and command-line test;
#   2. an AddressSanitizer + UBSan build: the parsers' tests (safetensors,
#      config.json, tokenizers, corrupt model folders, fuzz loops).
# Extra arguments go to the first ctest run (e.g. -R cli).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs" "$@"

if [ $# -eq 0 ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXFMR_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$jobs" --target xfmr xfmr_core_tests xfmr_tokenize_tests
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -R '^(unit\.(core|tokenize)|cli\.(corrupt_models|io_contract))$'
fi
