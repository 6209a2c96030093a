#!/usr/bin/env bash
# Installs what xfmr needs from Debian 12's packages, builds it and runs a demo.
# Run as root (or with sudo available) from anywhere in the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make pkg-config libopenblas-dev libsentencepiece-dev libcli11-dev
          nlohmann-json3-dev libfmt-dev doctest-dev
          jq expect parallel groff-base man-db bsdextrautils bash-completion zsh fish)
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"

# The demo: the built-in tokenizer, then two tasks on the tiny random-weight test
# models (their answers are gibberish but exactly those of transformers).
demo() {
  echo "\$ xfmr $*"
  ./build/cli/xfmr "$@"
}
demo tokenize -o text "I love NLP!"
demo classify -m test/fixtures/models/tiny-bert-sst2 -o jsonl "I love this movie"
demo generate -m test/fixtures/models/tiny-gpt2 -o jsonl --max-new-tokens 8 "Once upon a time"
