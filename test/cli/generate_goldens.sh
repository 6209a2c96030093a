# xfmr generate on the tiny decoder models gives transformers' generate() ids
# (test/fixtures/models/tiny-{gpt2,llama}/golden.json): greedy, repetition
# penalty, no-repeat-ngram, beam search, length penalty, early stopping,
# min_new_tokens, several returned sequences; beam scores within 1e-4.
source "$(dirname "$0")/lib.sh"
M="$FIXTURES/models"

# generate_kwargs as command-line flags: {"num_beams": 4} → --num-beams 4.
flags_of() { jq -r '.generate_kwargs | to_entries[] | "--\(.key | gsub("_"; "-"))\n\(.value)"' <<<"$1"; }

for model in tiny-gpt2 tiny-llama; do
  golden="$M/$model/golden.json"
  cases=$(jq '.cases | length' "$golden")
  for ((c = 0; c < cases; c++)); do
    prompt=$(jq -r ".cases[$c].prompt" "$golden")
    runs=$(jq ".cases[$c].generate | length" "$golden")
    for ((g = 0; g < runs; g++)); do
      run=$(jq -c ".cases[$c].generate[$g]" "$golden")
      mapfile -t flags < <(flags_of "$run")
      actual=$("$XFMR" generate -m "$M/$model" -o jsonl --show-ids --show-scores "${flags[@]}" "$prompt")
      name="$model case $c ${flags[*]}"
      expect_eq "$name: ids" "$(jq -c .token_ids <<<"$actual")" "$(jq -c .sequences <<<"$run")"
      if jq -e 'has("sequences_scores")' <<<"$run" >/dev/null; then
        expect_close "$name: beam scores" "$(jq -c .scores <<<"$actual")" "$(jq -c .sequences_scores <<<"$run")"
      fi
    done
  done

  # The same runs in one process, the options given per record in JSONL (batched where they can share).
  jq -c '.cases[] | .prompt as $p | .generate[] | {text: $p} + .generate_kwargs' "$golden" >"$TMP/in.jsonl"
  actual=$("$XFMR" generate -m "$M/$model" --input jsonl -o json --show-ids --batch-size 4 <"$TMP/in.jsonl" | jq -c 'map(.token_ids)')
  expect_eq "$model per-record options (JSONL, batched)" "$actual" "$(jq -c '[.cases[].generate[].sequences]' "$golden")"
done

# A left-padded batch in transformers equals each prompt decoded alone: the
# golden rows without their padding are what xfmr gives for the batch.
golden="$M/tiny-gpt2/golden.json"
jq -r '.left_padded_batch_greedy.prompts[]' "$golden" >"$TMP/prompts.txt"
new_tokens=$(jq '.left_padded_batch_greedy | (.sequences[0] | length) - (.input_ids[0] | length)' "$golden")
actual=$("$XFMR" generate -m "$M/tiny-gpt2" -o json --show-ids --batch-size 3 --max-new-tokens "$new_tokens" -f "$TMP/prompts.txt" | jq -c 'map(.token_ids[0])')
expected=$(jq -c '.left_padded_batch_greedy | [range(0; .sequences | length) as $i |
  (.attention_mask[$i] | map(select(. == 0)) | length) as $pad | .sequences[$i][$pad:]]' "$golden")
expect_eq "left-padded batch (3 prompts, one run)" "$actual" "$expected"

# Text output: prompt + continuation, and the continuation alone with --no-prompt.
run=$(jq -c '.cases[0].generate[0]' "$golden")
prompt=$(jq -r '.cases[0].prompt' "$golden")
expect_eq "generated_text" "$("$XFMR" generate -m "$M/tiny-gpt2" -o jsonl --max-new-tokens 20 "$prompt" | jq -r .generated_text)" "$(jq -r '.texts[0]' <<<"$run")"
expect_eq "--no-prompt" "$prompt$("$XFMR" generate -m "$M/tiny-gpt2" -o jsonl --max-new-tokens 20 --no-prompt "$prompt" | jq -r .generated_text)" "$(jq -r '.texts[0]' <<<"$run")"
expect_eq "several sequences" "$("$XFMR" generate -m "$M/tiny-gpt2" -o jsonl --max-new-tokens 5 --num-beams 4 --num-return-sequences 2 "$prompt" | jq -c '.generated_texts | length')" "2"

# Sampling is reproducible: same seed, same ids, at any thread count and batch size.
printf 'Hello world\nThe\nOnce upon a time\n' >"$TMP/p.txt"
sample() { "$XFMR" generate -m "$M/tiny-llama" -o jsonl --show-ids --do-sample --max-new-tokens 12 --seed 7 "$@" -f "$TMP/p.txt" | jq -c .token_ids; }
a=$(sample --threads 1 --batch-size 1); b=$(sample --threads 2 --batch-size 3); d=$(sample --threads 2 --batch-size 2)
expect_eq "--seed: threads 1 vs 2, batch 1 vs 3" "$b" "$a"
expect_eq "--seed: batch 2" "$d" "$a"
expect_eq "--seed: a second run" "$(sample --threads 1 --batch-size 1)" "$a"
other=$("$XFMR" generate -m "$M/tiny-llama" -o jsonl --show-ids --do-sample --max-new-tokens 12 --seed 8 -f "$TMP/p.txt" | jq -c .token_ids)
if [ "$other" != "$a" ]; then pass "another seed, other samples"; else fail "another seed gave the same samples"; fi
# top-k 1 sampling is greedy.
expect_eq "--do-sample --top-k 1 = greedy" \
  "$("$XFMR" generate -m "$M/tiny-gpt2" -o jsonl --show-ids --do-sample --top-k 1 --max-new-tokens 20 "$prompt" | jq -c .token_ids)" \
  "$(jq -c .sequences <<<"$run")"

# Stop strings end the output at the token that completes them.
text=$("$XFMR" generate -m "$M/tiny-gpt2" -o jsonl --max-new-tokens 20 --stop "township" --no-prompt "$prompt" | jq -r .generated_text)
expect_eq "--stop" "$text" "ppa continued township"

# --bad-words: the greedy run's first new token ("ppa", id 44989) never appears.
ids=$("$XFMR" generate -m "$M/tiny-gpt2" -o jsonl --show-ids --max-new-tokens 20 --bad-words ppa "$prompt" | jq -c '.token_ids[0][10:]')
if jq -e 'index(44989) == null' <<<"$ids" >/dev/null; then pass "--bad-words"; else fail "--bad-words: 44989 in $ids"; fi

# --stream prints the text as it is generated: the same lines in the end.
for model in tiny-gpt2 tiny-llama tiny-t5; do
  streamed=$("$XFMR" generate -m "$M/$model" --max-new-tokens 12 -o text --stream "Hello world" "我爱你")
  expect_eq "$model --stream = text output" "$streamed" "$("$XFMR" generate -m "$M/$model" --max-new-tokens 12 -o text "Hello world" "我爱你")"
done

# Usage errors and bad records.
expect_exit "bad option value" 2 "$XFMR" generate -m "$M/tiny-gpt2" --top-p 2 x
expect_exit "beams < returned sequences" 2 "$XFMR" generate -m "$M/tiny-gpt2" --num-beams 2 --num-return-sequences 3 x
printf '{"text": "Hello", "max_new_tokens": 2}\n{"text": "Hello", "num_beams": "four"}\n{"text": "Hello", "no_such_option": 1}\n' >"$TMP/bad.jsonl"
expect_exit "bad per-record options exit 4" 4 "$XFMR" generate -m "$M/tiny-gpt2" --input jsonl -o jsonl -f "$TMP/bad.jsonl"
expect_eq "bad per-record options: records" "$(jq -c 'has("error")' "$TMP/out" | tr '\n' ' ')" "false true true "
expect_exit "generate on an encoder" 3 "$XFMR" generate -m "$M/tiny-bert-sst2" x
finish
