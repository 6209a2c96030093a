# -m org/name through a Hugging Face cache folder built here, as huggingface_hub lays it out.
source "$(dirname "$0")/lib.sh"

commit=0123456789abcdef0123456789abcdef01234567
other=fedcba9876543210fedcba9876543210fedcba98
make_repo() {  # make_repo CACHE_ROOT
  local repo="$1/models--test-org--tiny-gpt2"
  mkdir -p "$repo/refs" "$repo/blobs" "$repo/snapshots/$commit" "$repo/snapshots/$other"
  echo "$commit" >"$repo/refs/main"
  echo "$other" >"$repo/refs/v2"
  for f in tokenizer.json config.json vocab.json merges.txt tokenizer_config.json; do
    local hash
    hash=$(sha256sum "$FIXTURES/models/tiny-gpt2/$f" | cut -c1-64)
    cp "$FIXTURES/models/tiny-gpt2/$f" "$repo/blobs/$hash"
    ln -s "../../blobs/$hash" "$repo/snapshots/$commit/$f"
  done
  # The v2 snapshot holds a BERT tokenizer, so the test can tell which one was read.
  for f in tokenizer.json config.json tokenizer_config.json vocab.txt; do
    cp "$FIXTURES/models/tiny-bert-sst2/$f" "$repo/snapshots/$other/$f"
  done
}

gpt2_ids='[15496,995]'
bert_ids='[101,7592,2088,102]'

make_repo "$TMP/hubcache"
expect_eq "HF_HUB_CACHE" "$(HF_HUB_CACHE="$TMP/hubcache" "$XFMR" tokenize -m test-org/tiny-gpt2 -o jsonl "Hello world" | jq -c .input_ids)" "$gpt2_ids"
expect_eq "--revision tag" "$(HF_HUB_CACHE="$TMP/hubcache" "$XFMR" tokenize -m test-org/tiny-gpt2 --revision v2 -o jsonl "Hello world" | jq -c .input_ids)" "$bert_ids"
expect_eq "--revision commit" "$(HF_HUB_CACHE="$TMP/hubcache" "$XFMR" tokenize -m test-org/tiny-gpt2 --revision $other -o jsonl "Hello world" | jq -c .input_ids)" "$bert_ids"
expect_eq "XFMR_MODEL" "$(HF_HUB_CACHE="$TMP/hubcache" XFMR_MODEL=test-org/tiny-gpt2 "$XFMR" tokenize -o jsonl "Hello world" | jq -c .input_ids)" "$gpt2_ids"

mkdir -p "$TMP/hfhome/hub"
make_repo "$TMP/hfhome/hub"
expect_eq "HF_HOME/hub" "$(env -u HF_HUB_CACHE HF_HOME="$TMP/hfhome" "$XFMR" tokenize -m test-org/tiny-gpt2 -o jsonl "Hello world" | jq -c .input_ids)" "$gpt2_ids"

mkdir -p "$TMP/home/.cache/huggingface/hub"
make_repo "$TMP/home/.cache/huggingface/hub"
expect_eq "~/.cache/huggingface/hub" "$(env -u HF_HUB_CACHE -u HF_HOME -u XDG_CACHE_HOME HOME="$TMP/home" "$XFMR" tokenize -m test-org/tiny-gpt2 -o jsonl "Hello world" | jq -c .input_ids)" "$gpt2_ids"

# HF_HUB_CACHE wins over HF_HOME.
expect_exit "HF_HUB_CACHE first" 3 env HF_HUB_CACHE="$TMP/empty" HF_HOME="$TMP/hfhome" "$XFMR" tokenize -m test-org/tiny-gpt2 x
expect_match "names the cache it looked in" "$TMP/err" "$TMP/empty/models--test-org--tiny-gpt2/refs/main"

expect_exit "unknown revision" 3 env HF_HUB_CACHE="$TMP/hubcache" "$XFMR" tokenize -m test-org/tiny-gpt2 --revision nope x
expect_match "unknown revision message" "$TMP/err" "refs/nope"

# A local path wins, and a folder without config.json is refused.
expect_eq "local path" "$("$XFMR" tokenize -m "$FIXTURES/models/tiny-gpt2" -o jsonl "Hello world" | jq -c .input_ids)" "$gpt2_ids"
mkdir -p "$TMP/not-a-model"
expect_exit "folder without config.json" 3 "$XFMR" tokenize -m "$TMP/not-a-model" x
finish
