#!/usr/bin/env bash
# The benchmark harness: builds random-weight models of real sizes from the real
# config.json files in test/fixtures/real, then measures every stage with the
# thread count given (default 2). Results go to stdout and bench/out/results.txt.
#
#   bench/run.sh [THREADS]
#
# Numbers are medians; on a shared machine compare two programs in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine bc; do
  command -v $tool >/dev/null || { echo "bench/run.sh needs $tool (apt-get install hyperfine bc)" >&2; exit 2; }
done
threads=${1:-2}
out=bench/out
models=$out/models
mkdir -p "$models"
exec > >(tee "$out/results.txt") 2>&1

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target xfmr xfmr_make_random_model xfmr_bench_tokenize xfmr_bench_encoder \
  xfmr_bench_decoder xfmr_bench_seq2seq >/dev/null
xfmr=build/cli/xfmr
real=test/fixtures/real

make_model() {  # make_model NAME CONFIG_FOLDER
  [ -f "$models/$1/model.safetensors" ] || build/bench/xfmr_make_random_model "$2" "$models/$1" >/dev/null
}
make_model distilbert-sst2 "$real/distilbert--distilbert-base-uncased-finetuned-sst-2-english"
make_model gpt2 "$real/openai-community--gpt2"
make_model opus-mt-zh-en "$real/Helsinki-NLP--opus-mt-zh-en"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, threads $threads"
echo "== git: $(git rev-parse --short HEAD)"

echo; echo "== tokenizers: 10 MB of English, one thread"
build/bench/xfmr_bench_tokenize 10

echo; echo "== encoder: distilbert-base (random weights), 43-token sentences, sequence classification"
build/bench/xfmr_bench_encoder -m "$models/distilbert-sst2" -t "$threads" -r 11

echo; echo "== xfmr classify end to end (tokenize + model + JSON), 512 sentences of 43 tokens ([CLS] and [SEP] included)"
sentence="the movie was not as good as the book but the actors did a fine job and the music was lovely , so we stayed until the very end of the long evening show with all of our old friends ."
for _ in $(seq 512); do echo "$sentence"; done >"$out/sentences.txt"
for batch in 1 8 32; do
  start=$(date +%s.%N)
  "$xfmr" classify -m "$models/distilbert-sst2" -t "$threads" --batch-size $batch -o jsonl -f "$out/sentences.txt" >/dev/null
  end=$(date +%s.%N)
  echo "batch $batch: $(echo "512 / ($end - $start)" | bc -l | xargs printf '%.1f') sentences/s"
done

echo; echo "== start-up: echo x | xfmr classify (distilbert-base), wall time and peak RSS"
hyperfine --warmup 3 --runs 20 "echo 'I love this movie' | $xfmr classify -m $models/distilbert-sst2 -t $threads -o jsonl" |
  grep -E "Time|Range"
/usr/bin/time -f "peak RSS %M KB (weights file $(du -k "$models/distilbert-sst2/model.safetensors" | cut -f1) KB)" \
  "$xfmr" classify -m "$models/distilbert-sst2" -t "$threads" -o jsonl "I love this movie" >/dev/null

echo; echo "== decoder: gpt2 (random weights), greedy decode of 128 new tokens, prefill of 128 tokens"
build/bench/xfmr_bench_decoder -m "$models/gpt2" -t "$threads" -r 3

echo; echo "== xfmr generate end to end: gpt2, 128 new tokens"
/usr/bin/time -f "wall %e s, peak RSS %M KB" "$xfmr" generate -m "$models/gpt2" -t "$threads" -o jsonl \
  --max-new-tokens 128 --min-new-tokens 128 "Once upon a time" >/dev/null

echo; echo "== encoder-decoder: opus-mt (random weights), beam 4, 4 sentences x 32 new tokens"
build/bench/xfmr_bench_seq2seq -m "$models/opus-mt-zh-en" -t "$threads" -r 3
