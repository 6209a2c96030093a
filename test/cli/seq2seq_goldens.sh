# Encoder-decoder models (tiny T5, BART, Marian): `xfmr generate` is plain
# model.generate() on the source as given; translate and summarize are the
# pipelines, with the task prefix and task_specific_params from config.json
# (test/fixtures/models/tiny-{t5,bart,marian}/golden.json).
source "$(dirname "$0")/lib.sh"
M="$FIXTURES/models"

flags_of() { jq -r 'to_entries[] | "--\(.key | gsub("_"; "-"))\n\(.value)"' <<<"$1"; }

for model in tiny-t5 tiny-bart tiny-marian; do
  golden="$M/$model/golden.json"
  cases=$(jq '.cases | length' "$golden")
  for ((c = 0; c < cases; c++)); do
    source_text=$(jq -r ".cases[$c].source" "$golden")
    runs=$(jq ".cases[$c].generate | length" "$golden")
    for ((g = 0; g < runs; g++)); do
      run=$(jq -c ".cases[$c].generate[$g]" "$golden")
      mapfile -t flags < <(flags_of "$(jq -c .generate_kwargs <<<"$run")")
      actual=$("$XFMR" generate -m "$M/$model" -o jsonl --show-ids --show-scores "${flags[@]}" "$source_text")
      name="$model case $c ${flags[*]}"
      expect_eq "$name: ids" "$(jq -c .token_ids <<<"$actual")" "$(jq -c .sequences <<<"$run")"
      if jq -e 'has("sequences_scores")' <<<"$run" >/dev/null; then
        expect_close "$name: beam scores" "$(jq -c .scores <<<"$actual")" "$(jq -c .sequences_scores <<<"$run")"
      fi
    done
  done

  # The same runs in one process, batched, the options per JSONL record.
  jq -c '.cases[] | .source as $s | .generate[] | {text: $s} + .generate_kwargs' "$golden" >"$TMP/in.jsonl"
  actual=$("$XFMR" generate -m "$M/$model" --input jsonl -o json --show-ids --batch-size 4 <"$TMP/in.jsonl" | jq -c 'map(.token_ids)')
  expect_eq "$model per-record options (JSONL, batched)" "$actual" "$(jq -c '[.cases[].generate[].sequences]' "$golden")"

  # The pipeline: each call's extra arguments as flags, on the pipeline's input.
  task=$(jq -r .pipeline.task "$golden")
  case $task in
    summarization) command=(summarize) key=summary_text ;;
    translation_*_to_*) command=(translate --src-lang "$(cut -d_ -f2 <<<"$task")" --tgt-lang "$(cut -d_ -f4 <<<"$task")") key=translation_text ;;
    translation) command=(translate) key=translation_text ;;
  esac
  input=$(jq -r .pipeline.input "$golden")
  calls=$(jq '.pipeline.calls | length' "$golden")
  for ((i = 0; i < calls; i++)); do
    mapfile -t flags < <(flags_of "$(jq -c ".pipeline.calls[$i]" "$golden")")
    actual=$("$XFMR" "${command[@]}" -m "$M/$model" -o jsonl "${flags[@]}" "$input" | jq -c ".$key")
    expect_eq "$model ${command[*]} ${flags[*]:-(task defaults)}" "$actual" "$(jq -c ".pipeline.outputs[$i][0].$key" "$golden")"
  done
done

# The task defaults come from the config: --print-config says where each value is from.
config=$("$XFMR" translate -m "$M/tiny-t5" --src-lang en --tgt-lang fr --print-config)
expect_eq "T5 translation: num_beams from the task params" "$(jq -c '.num_beams' <<<"$config")" '{"source":"task_specific_params","value":4}'
expect_eq "T5 translation: max_length from the task params" "$(jq -c '.max_length.value' <<<"$config")" '300'
config=$("$XFMR" summarize -m "$M/tiny-bart" --print-config)
expect_eq "BART-CNN summarization defaults" "$(jq -c '[.num_beams.value, .length_penalty.value, .max_length.value, .min_length.value, .no_repeat_ngram_size.value]' <<<"$config")" '[4,2,142,56,3]'
config=$("$XFMR" generate -m "$M/tiny-t5" --print-config)
expect_eq "generate on T5: no task defaults" "$(jq -c '.num_beams.source' <<<"$config")" '"default"'

# --no-prefix feeds the input as it is: the same as generate with the task's defaults.
a=$("$XFMR" translate -m "$M/tiny-t5" --src-lang en --tgt-lang fr --no-prefix --max-new-tokens 8 -o jsonl --show-ids "translate English to French: Hello" | jq -c .token_ids)
b=$("$XFMR" translate -m "$M/tiny-t5" --src-lang en --tgt-lang fr --max-new-tokens 8 -o jsonl --show-ids "Hello" | jq -c .token_ids)
expect_eq "--no-prefix with the prefix typed in = the prefix added" "$a" "$b"
expect_exit "unknown language pair" 2 "$XFMR" translate -m "$M/tiny-t5" --src-lang en --tgt-lang xx "Hello"
expect_match "unknown language pair lists the known ones" "$TMP/err" "translation_en_to_de"
# Sources longer than the encoder's positions (256 for tiny-marian) are cut, with one warning per run.
long=$(printf 'word %.0s' $(seq 400))
"$XFMR" translate -m "$M/tiny-marian" --max-new-tokens 4 -o jsonl "$long" "$long" >"$TMP/out" 2>"$TMP/err"
expect_eq "long sources: two records" "$(jq -c 'has("translation_text")' "$TMP/out" | tr '\n' ' ')" "true true "
expect_eq "long sources: one warning" "$(grep -c "warning: inputs longer than 256 tokens are truncated" "$TMP/err")" "1"
expect_exit "translate needs an encoder-decoder" 3 "$XFMR" translate -m "$M/tiny-gpt2" "Hello"
finish
