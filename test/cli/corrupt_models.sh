# Broken model folders: every one exits 3 with a message that names the file
# and what is wrong, never a crash. Also run under ASan/UBSan (scripts/test.sh).
source "$(dirname "$0")/lib.sh"
SRC="$FIXTURES/models/tiny-bert-sst2"

fresh() {  # fresh NAME: a writable copy of the model folder
  rm -rf "$TMP/$1"
  cp -r "$SRC" "$TMP/$1"
  chmod -R u+w "$TMP/$1"
  echo "$TMP/$1"
}

header_length() { od -An -t u8 -N 8 "$1" | tr -d ' '; }

# rewrite_header FILE JQ_FILTER: edits the JSON header in place, padding it
# with spaces to its old length (the format allows that) so offsets stay valid.
rewrite_header() {
  local file=$1 n
  n=$(header_length "$file")
  dd if="$file" bs=1 skip=8 count="$n" status=none | jq -c "$2" >"$TMP/header.json"
  local size
  size=$(stat -c %s "$TMP/header.json")
  # jq ends with a newline: the newline and the padding are whitespace after the object.
  [ "$size" -le "$n" ] || { echo "edited header does not fit" >&2; exit 1; }
  { head -c 8 "$file"; cat "$TMP/header.json"; head -c $((n - size)) /dev/zero | tr '\0' ' '; tail -c +$((9 + n)) "$file"; } >"$TMP/rewritten"
  mv "$TMP/rewritten" "$file"
}

run_broken() {  # run_broken NAME FOLDER REGEX
  expect_exit "$1 exits 3" 3 "$XFMR" classify -m "$2" -o jsonl "I love NLP!"
  expect_match "$1 message" "$TMP/err" "^xfmr: error: .*$3"
  if grep -qiE "AddressSanitizer|runtime error|Segmentation" "$TMP/err"; then fail "$1: sanitizer report"; fi
}

d=$(fresh intact)
expect_exit "the intact copy works" 0 "$XFMR" classify -m "$d" -o jsonl "I love NLP!"

d=$(fresh truncated)
truncate -s -1000 "$d/model.safetensors"
run_broken "truncated file" "$d" "model.safetensors"

d=$(fresh tiny-file)
head -c 5 "$SRC/model.safetensors" >"$d/model.safetensors"
run_broken "file shorter than 8 bytes" "$d" "model.safetensors"

d=$(fresh header-past-end)
{ printf '\xff\xff\xff\x00\x00\x00\x00\x00'; tail -c +9 "$SRC/model.safetensors"; } >"$d/model.safetensors"
run_broken "header length past the end" "$d" "model.safetensors"

d=$(fresh not-json)
n=$(header_length "$d/model.safetensors")
{ head -c 8 "$SRC/model.safetensors"; head -c "$n" /dev/zero | tr '\0' 'x'; tail -c +$((9 + n)) "$SRC/model.safetensors"; } >"$d/model.safetensors"
run_broken "header not JSON" "$d" "model.safetensors"

d=$(fresh overlap)
rewrite_header "$d/model.safetensors" '.["classifier.weight"].data_offsets[0] -= 4 | .["classifier.weight"].data_offsets[1] -= 4'
run_broken "overlapping offsets" "$d" "classifier.weight"

d=$(fresh dtype-size)
rewrite_header "$d/model.safetensors" '.["classifier.weight"].dtype = "F16"'
run_broken "wrong dtype size" "$d" "classifier.weight"

d=$(fresh bad-dtype)
rewrite_header "$d/model.safetensors" '.["classifier.bias"].dtype = "C64" | .["classifier.bias"].shape = [1]'
run_broken "unsupported dtype" "$d" "classifier.bias"

d=$(fresh missing-tensor)
rewrite_header "$d/model.safetensors" 'with_entries(if .key == "classifier.weight" then .key = "classifier.weighx" else . end)'
run_broken "missing tensor" "$d" "classifier.weight"

d=$(fresh no-weights)
rm "$d/model.safetensors"
run_broken "no weights file" "$d" "model.safetensors"

d=$(fresh bad-config)
echo '{"model_type": "bert", ' >"$d/config.json"
run_broken "config.json not JSON" "$d" "config.json"

d=$(fresh unknown-type)
jq '.model_type = "perceiver"' "$SRC/config.json" >"$d/config.json"
run_broken "unknown model_type" "$d" "perceiver"

d=$(fresh missing-field)
jq 'del(.hidden_size)' "$SRC/config.json" >"$d/config.json"
run_broken "config.json without hidden_size" "$d" "hidden_size"

d=$(fresh bad-tokenizer)
echo '{"model": ' >"$d/tokenizer.json"
run_broken "tokenizer.json not JSON" "$d" "tokenizer.json"

# Random byte flips in the header: any exit but a crash (>= 128) is fine.
crashes=0
n=$(header_length "$SRC/model.safetensors")
for seed in $(seq 1 40); do
  d=$(fresh flip)
  offset=$((8 + (seed * 7919) % n))
  printf "\\x$(printf %02x $(((seed * 31) % 256)))" | dd of="$d/model.safetensors" bs=1 seek=$offset conv=notrunc status=none
  set +e
  "$XFMR" classify -m "$d" -o jsonl "I love NLP!" >/dev/null 2>"$TMP/flip.err"
  status=$?
  set -e
  if [ $status -ge 128 ] || grep -qE "AddressSanitizer|runtime error" "$TMP/flip.err"; then crashes=$((crashes + 1)); fi
done
expect_eq "40 header byte flips, no crash" "$crashes" "0"
finish
