# classify, ner, qa, fill-mask and choose on the tiny encoder models print what
# transformers' pipelines print (test/fixtures/models/*/golden.json).
source "$(dirname "$0")/lib.sh"
M="$FIXTURES/models"

# classify: best label, all labels, and the raw logits of a batch of 8 (--function none).
for model in tiny-bert-sst2 tiny-distilbert-sst2; do
  golden="$M/$model/golden.json"
  jq -c '.cases[] | {text}' "$golden" >"$TMP/in.jsonl"
  actual=$("$XFMR" classify -m "$M/$model" --input jsonl -o json <"$TMP/in.jsonl")
  expect_close "$model classify top 1" "$actual" "$(jq -c '[.pipeline.top_k_1[] | .[0]]' "$golden")"
  actual=$("$XFMR" classify -m "$M/$model" --input jsonl -o json --all-scores <"$TMP/in.jsonl" | jq -c 'map(.labels)')
  expect_close "$model classify --all-scores" "$actual" "$(jq -c '.pipeline.top_k_all' "$golden")"
  actual=$("$XFMR" classify -m "$M/$model" --input jsonl -o json --all-scores --function none --batch-size 8 <"$TMP/in.jsonl" |
    jq -c 'map(.labels | map({(.label): .score}) | add | [.NEGATIVE, .POSITIVE])')
  expect_close "$model padded-batch logits, --batch-size 8" "$actual" "$(jq -c '.batched_logits' "$golden")"
  actual=$("$XFMR" classify -m "$M/$model" --input jsonl -o json --top-k 1 <"$TMP/in.jsonl" | jq -c 'map(.labels)')
  expect_close "$model classify --top-k 1" "$actual" "$(jq -c '.pipeline.top_k_1' "$golden")"
done

# Scores print with at most 6 significant digits (cli.md), whatever the value.
seq 1 3000 | sed 's/^/sentence number /' >"$TMP/many.txt"
long=$("$XFMR" classify -m "$M/tiny-bert-sst2" --all-scores -o jsonl -f "$TMP/many.txt" | grep -cE '[0-9.]{9,}' || true)
expect_eq "6 significant digits in 3000 records" "$long" "0"

# ner: every case with every aggregation strategy.
golden="$M/tiny-bert-ner/golden.json"
for aggregation in none simple first average max; do
  jq -c '.cases[] | {text}' "$golden" >"$TMP/in.jsonl"
  actual=$("$XFMR" ner -m "$M/tiny-bert-ner" --aggregation $aggregation --input jsonl -o json <"$TMP/in.jsonl" | jq -c 'map(.entities)')
  expect_close "ner --aggregation $aggregation" "$actual" "$(jq -c --arg a $aggregation '[.cases[].pipeline[$a]]' "$golden")"
done

# A text longer than the model's 512 positions runs as overlapping chunks:
# every one of its 1000 words gets exactly one entity, none is cut off.
text=$(printf 'Berlin %.0s' $(seq 1000))
actual=$("$XFMR" ner -m "$M/tiny-bert-ner" --aggregation none --ignore-labels "" -o jsonl "$text" |
  jq -c '[(.entities | length), .entities[-1].end, ([.entities[].start] | unique | length)]')
expect_eq "ner over 1000 words: chunks with stride" "$actual" "[1000,6999,1000]"

# qa: every case (several with doc stride over a long context), top 1 and top 3.
golden="$M/tiny-distilbert-qa/golden.json"
count=$(jq '.cases | length' "$golden")
for ((i = 0; i < count; i++)); do
  read -r seq stride answer_len < <(jq -r ".cases[$i] | \"\(.max_seq_len) \(.doc_stride) \(.max_answer_len)\"" "$golden")
  jq -c ".cases[$i] | {question, context}" "$golden" >"$TMP/in.jsonl"
  flags=(--max-seq-len "$seq" --doc-stride "$stride" --max-answer-len "$answer_len" --input jsonl -o jsonl)
  actual=$("$XFMR" qa -m "$M/tiny-distilbert-qa" "${flags[@]}" <"$TMP/in.jsonl")
  expect_close "qa case $i top 1" "$actual" "$(jq -c ".cases[$i].top_k_1[0]" "$golden")"
  actual=$("$XFMR" qa -m "$M/tiny-distilbert-qa" "${flags[@]}" --top-k 3 <"$TMP/in.jsonl" | jq -c .answers)
  expect_close "qa case $i --top-k 3" "$actual" "$(jq -c ".cases[$i].top_k_3" "$golden")"
done
# The same through --question / --context flags and with the context on stdin.
q=$(jq -r '.cases[1].question' "$golden"); c=$(jq -r '.cases[1].context' "$golden")
expect_close "qa --question --context" "$("$XFMR" qa -m "$M/tiny-distilbert-qa" -o jsonl --question "$q" --context "$c")" "$(jq -c '.cases[1].top_k_1[0]' "$golden")"
expect_close "qa --question, context on stdin" "$(echo "$c" | "$XFMR" qa -m "$M/tiny-distilbert-qa" -o jsonl --question "$q")" "$(jq -c '.cases[1].top_k_1[0]' "$golden")"

# fill-mask: top 5 (one list per mask when there are several) and --targets.
for model in tiny-bert-mlm tiny-roberta-mlm tiny-albert-mlm; do
  golden="$M/$model/golden.json"
  targets="dwarf,massive,spiral"
  # RoBERTa's vocabulary has the words with their leading space (as the golden's targets were given).
  [ $model == tiny-roberta-mlm ] && targets=" dwarf, massive, spiral"
  jq -c '.cases[] | {text}' "$golden" >"$TMP/in.jsonl"
  actual=$("$XFMR" fill-mask -m "$M/$model" --input jsonl -o json <"$TMP/in.jsonl" | jq -c 'map(.predictions)')
  expect_close "$model fill-mask top 5" "$actual" "$(jq -c '[.cases[].pipeline_top_k_5]' "$golden")"
  jq -c '.cases[] | select(.pipeline_targets != null) | {text}' "$golden" >"$TMP/in.jsonl"
  actual=$("$XFMR" fill-mask -q -m "$M/$model" --targets "$targets" --input jsonl -o json <"$TMP/in.jsonl" | jq -c 'map(.predictions)')
  expect_close "$model fill-mask --targets" "$actual" "$(jq -c '[.cases[] | select(.pipeline_targets != null) | .pipeline_targets]' "$golden")"
done
expect_exit "fill-mask without a mask" 4 "$XFMR" fill-mask -m "$M/tiny-bert-mlm" -o jsonl "no mask here"
expect_match "fill-mask without a mask: record" "$TMP/out" '"error":"no mask token \[MASK\] in the input"'

# choose: the prediction and the probabilities over the choices.
golden="$M/tiny-bert-choice/golden.json"
jq -c '.cases[] | {prompt, choices: .candidates}' "$golden" >"$TMP/in.jsonl"
actual=$("$XFMR" choose -m "$M/tiny-bert-choice" --input jsonl -o json <"$TMP/in.jsonl" | jq -c 'map([.choice, .scores])')
expect_close "choose" "$actual" "$(jq -c '[.cases[] | [.predicted, .probs]]' "$golden")"
p=$(jq -r '.cases[0].prompt' "$golden")
actual=$("$XFMR" choose -m "$M/tiny-bert-choice" -o jsonl --prompt "$p" --choice "$(jq -r '.cases[0].candidates[0]' "$golden")" --choice "$(jq -r '.cases[0].candidates[1]' "$golden")")
expect_close "choose --prompt --choice" "$(jq -c '[.choice, .scores]' <<<"$actual")" "$(jq -c '.cases[0] | [.predicted, .probs]' "$golden")"

# A model without the head a subcommand needs is refused with exit 3.
expect_exit "classify on a masked-LM model" 3 "$XFMR" classify -m "$M/tiny-bert-mlm" x
expect_match "names what it needs" "$TMP/err" "classify needs a sequence-classification model"
finish
