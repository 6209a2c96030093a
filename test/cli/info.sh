# xfmr info: the values it reports are those of the model's files (safetensors
# headers, config.json, tokenizer, generation config).
source "$(dirname "$0")/lib.sh"
M="$FIXTURES/models"

# The tensors of a safetensors file, from its header: u64 length, then JSON.
header() {
  local n
  n=$(od -An -t u8 -N 8 "$1" | tr -d ' ')
  head -c "$((n + 8))" "$1" | tail -c +9
}
params_in() { header "$1" | jq '[to_entries[] | select(.key != "__metadata__") | .value.shape | reduce .[] as $d (1; . * $d)] | add'; }
tensors_in() { header "$1" | jq '[keys[] | select(. != "__metadata__")] | length'; }
dtypes_in() { header "$1" | jq -c '[to_entries[] | select(.key != "__metadata__") | .value] | group_by(.dtype) |
  map({(.[0].dtype): (map(.shape | reduce .[] as $d (1; . * $d)) | add)}) | add'; }

for model in tiny-bert-sst2 tiny-bert-ner tiny-distilbert-qa tiny-albert-mlm tiny-roberta-mlm tiny-gpt2 tiny-llama tiny-t5 tiny-bart tiny-marian; do
  dir="$M/$model"
  expect_exit "$model: info exits 0" 0 "$XFMR" info -o json -m "$dir"
  info=$(cat "$TMP/out")
  expect_eq "$model: one JSON object" "$(jq -r type <<<"$info")" "object"
  expect_eq "$model: parameters = sum of the tensors' sizes" "$(jq .parameters <<<"$info")" "$(params_in "$dir/model.safetensors")"
  expect_eq "$model: tensors" "$(jq .tensors <<<"$info")" "$(tensors_in "$dir/model.safetensors")"
  expect_eq "$model: dtypes" "$(jq -c .dtypes <<<"$info")" "$(dtypes_in "$dir/model.safetensors")"
  expect_eq "$model: architecture" "$(jq -r .architecture <<<"$info")" "$(jq -r '.architectures[0]' "$dir/config.json")"
  expect_eq "$model: model_type" "$(jq -r .model_type <<<"$info")" "$(jq -r .model_type "$dir/config.json")"
  expect_eq "$model: vocab_size" "$(jq .vocab_size <<<"$info")" "$(jq .vocab_size "$dir/config.json")"
  expect_eq "$model: model.safetensors size" "$(jq '.files[] | select(.name == "model.safetensors") | .bytes' <<<"$info")" \
    "$(stat -c %s "$dir/model.safetensors")"
  expect_eq "$model: total_bytes" "$(jq '[.files[].bytes] | add' <<<"$info")" "$(jq .total_bytes <<<"$info")"
  expect_eq "$model: no notes" "$(jq -c .notes <<<"$info")" "[]"
done

# Labels in id order, from id2label.
expect_eq "sst2 labels" "$("$XFMR" info -o jsonl "$M/tiny-bert-sst2" | jq -c .labels)" '["NEGATIVE","POSITIVE"]'
expect_eq "ner labels = id2label in id order" "$("$XFMR" info -o jsonl "$M/tiny-bert-ner" | jq -c .labels)" \
  "$(jq -c '.id2label | to_entries | sort_by(.key | tonumber) | map(.value)' "$M/tiny-bert-ner/config.json")"
expect_eq "default LABEL_n of a generative model are not labels" "$("$XFMR" info -o jsonl "$M/tiny-bart" | jq -c .labels)" "null"

# Tokenizer: its kind and vocabulary (BERT: one token per line of vocab.txt).
info=$("$XFMR" info -o jsonl "$M/tiny-bert-sst2")
expect_eq "bert tokenizer" "$(jq -c '[.tokenizer.kind, .tokenizer.vocab_size]' <<<"$info")" "[\"wordpiece\",$(wc -l <"$M/tiny-bert-sst2/vocab.txt")]"
expect_eq "gpt2 tokenizer" "$("$XFMR" info -o jsonl "$M/tiny-gpt2" | jq -c '[.tokenizer.kind, .tokenizer.vocab_size]')" \
  "[\"byte-level-bpe\",$(jq '.model.vocab | length' "$M/tiny-gpt2/tokenizer.json")]"
expect_eq "t5 tokenizer" "$("$XFMR" info -o jsonl "$M/tiny-t5" | jq -r .tokenizer.kind)" "unigram"

# Lengths, sizes, dtype on disk.
expect_eq "bert max positions" "$(jq .max_position_embeddings <<<"$info")" "512"
expect_eq "gpt2 n_positions" "$("$XFMR" info -o jsonl "$M/tiny-gpt2" | jq .max_position_embeddings)" "$(jq .n_positions "$M/tiny-gpt2/config.json")"
expect_eq "t5: relative positions" "$("$XFMR" info -o jsonl "$M/tiny-t5" | jq .max_position_embeddings)" "null"
expect_eq "llama is stored in BF16" "$("$XFMR" info -o jsonl "$M/tiny-llama" | jq -r .dtype)" "BF16"
expect_eq "bert sizes" "$(jq -c '[.hidden_size, .num_hidden_layers, .num_attention_heads]' <<<"$info")" \
  "$(jq -c '[.hidden_size, .num_hidden_layers, .num_attention_heads]' "$M/tiny-bert-sst2/config.json")"
expect_eq "gpt2 sizes (n_embd, n_layer, n_head)" "$("$XFMR" info -o jsonl "$M/tiny-gpt2" | jq -c '[.hidden_size, .num_hidden_layers, .num_attention_heads]')" \
  "$(jq -c '[.n_embd, .n_layer, .n_head]' "$M/tiny-gpt2/config.json")"

# Generation defaults (generative models only) and task parameters.
gpt2=$("$XFMR" info -o jsonl "$M/tiny-gpt2")
expect_eq "gpt2 bos from generation_config.json" "$(jq -c .generation.bos_token_id <<<"$gpt2")" \
  "{\"value\":$(jq .bos_token_id "$M/tiny-gpt2/generation_config.json"),\"source\":\"generation_config.json\"}"
expect_eq "gpt2 max_length is the default" "$(jq -c .generation.max_length <<<"$gpt2")" '{"value":20,"source":"default"}'
expect_eq "an encoder has no generation defaults" "$(jq .generation <<<"$info")" "null"
expect_eq "t5 task parameters" "$("$XFMR" info -o jsonl "$M/tiny-t5" | jq -c .task_specific_params)" "$(jq -c .task_specific_params "$M/tiny-t5/config.json")"

# Text output: readable lines; tsv: field/value rows.
"$XFMR" info -o text "$M/tiny-bert-ner" >"$TMP/text"
n=$(params_in "$M/tiny-bert-ner/model.safetensors")
grouped=$(sed ':a; s/\B[0-9]\{3\}\>/,&/; ta' <<<"$n")
expect_match "text: parameter count with separators" "$TMP/text" "^parameters +$grouped \("
expect_match "text: labels" "$TMP/text" "^labels +0 O, 1 B-MISC, 2 I-MISC"
expect_match "text: tokenizer" "$TMP/text" "^tokenizer +wordpiece"
expect_match "text: files" "$TMP/text" "model.safetensors +3\.7 MiB"
"$XFMR" info -o text "$M/tiny-t5" >"$TMP/text"
expect_match "text: task parameters" "$TMP/text" "summarization: .*\"prefix\":\"summarize: \""
expect_eq "tsv: parameters row" "$("$XFMR" info -o tsv "$M/tiny-bert-ner" | grep '^parameters')" "parameters	$n"
expect_eq "two models: two JSONL lines" "$("$XFMR" info -o jsonl "$M/tiny-gpt2" "$M/tiny-t5" | jq -r .model_type | tr '\n' ' ')" "gpt2 t5 "
expect_eq "two models, -o json: an array" "$("$XFMR" info -o json "$M/tiny-gpt2" "$M/tiny-t5" | jq -r 'type, length' | tr '\n' ' ')" "array 2 "

# A Hub id in the cache; XFMR_MODEL.
commit=0123456789abcdef0123456789abcdef01234567
repo="$TMP/hub/models--test-org--tiny-ner"
mkdir -p "$repo/refs" "$repo/snapshots/$commit"
echo "$commit" >"$repo/refs/main"
for f in config.json model.safetensors tokenizer.json tokenizer_config.json vocab.txt; do
  ln -s "$M/tiny-bert-ner/$f" "$repo/snapshots/$commit/$f"
done
expect_eq "Hub id from the cache" "$(HF_HUB_CACHE="$TMP/hub" "$XFMR" info -o jsonl -m test-org/tiny-ner | jq -c '[.model, .parameters]')" "[\"test-org/tiny-ner\",$n]"
expect_eq "symlinked files: their targets' sizes" "$(HF_HUB_CACHE="$TMP/hub" "$XFMR" info -o jsonl test-org/tiny-ner | jq '.files[] | select(.name == "model.safetensors") | .bytes')" \
  "$(stat -c %s "$M/tiny-bert-ner/model.safetensors")"
expect_eq "XFMR_MODEL" "$(XFMR_MODEL="$M/tiny-gpt2" "$XFMR" info -o jsonl | jq -r .model_type)" "gpt2"

# A sharded checkpoint (two safetensors files named by the index), no tokenizer.
write_safetensors() {  # FILE HEADER_JSON DATA_BYTES
  local n=${#2} i bytes=""
  for ((i = 0; i < 8; i++)); do bytes+=$(printf '\\x%02x' $(((n >> (8 * i)) & 255))); done
  { printf "$bytes"; printf '%s' "$2"; head -c "$3" /dev/zero; } >"$1"
}
mkdir -p "$TMP/sharded"
write_safetensors "$TMP/sharded/model-00001-of-00002.safetensors" '{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}' 24
write_safetensors "$TMP/sharded/model-00002-of-00002.safetensors" '{"b":{"dtype":"F16","shape":[4,5],"data_offsets":[0,40]},"c":{"dtype":"F16","shape":[3],"data_offsets":[40,46]}}' 46
echo '{"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors", "c": "model-00002-of-00002.safetensors"}}' \
  >"$TMP/sharded/model.safetensors.index.json"
echo '{"model_type": "bert", "architectures": ["BertModel"], "vocab_size": 10}' >"$TMP/sharded/config.json"
expect_exit "sharded: exit 0" 0 "$XFMR" info -o jsonl "$TMP/sharded"
expect_eq "sharded: parameters of both shards" "$(jq -c '[.parameters, .tensors, .dtype, .dtypes]' "$TMP/out")" '[29,3,"F16",{"F16":23,"F32":6}]'
expect_eq "sharded: files" "$(jq -c '[.files[].name]' "$TMP/out")" \
  '["config.json","model.safetensors.index.json","model-00001-of-00002.safetensors","model-00002-of-00002.safetensors"]'
expect_match "sharded: no tokenizer is a note" "$TMP/out" '"notes":\["tokenizer: '

# Errors: no model (2), a model that is not there (3), a corrupt safetensors file (3).
expect_exit "no model given" 2 "$XFMR" info
expect_exit "missing model" 3 "$XFMR" info -m "$TMP/nope"
mkdir -p "$TMP/corrupt" && cp "$M/tiny-bert-sst2/config.json" "$TMP/corrupt/"
head -c 100 "$M/tiny-bert-sst2/model.safetensors" >"$TMP/corrupt/model.safetensors"
expect_exit "corrupt safetensors" 3 "$XFMR" info "$TMP/corrupt"
expect_match "the message names the file" "$TMP/err" "model.safetensors"
finish
