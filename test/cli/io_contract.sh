# The input/output contract of docs/cli.md, on `xfmr tokenize` (no model needed).
source "$(dirname "$0")/lib.sh"

# The seed example, with the embedded bert-base-uncased tokenizer.
out=$("$XFMR" tokenize -o jsonl "I love NLP!")
expect_eq "seed ids" "$(jq -c .input_ids <<<"$out")" "[101,1045,2293,17953,2361,999,102]"
expect_eq "seed tokens" "$(jq -c .tokens <<<"$out")" '["[CLS]","i","love","nl","##p","!","[SEP]"]'
expect_eq "seed offsets" "$(jq -c .offsets <<<"$out")" "[[0,0],[0,1],[2,6],[7,9],[9,10],[10,11],[0,0]]"
expect_eq "seed masks" "$(jq -c '[.attention_mask, .token_type_ids]' <<<"$out")" "[[1,1,1,1,1,1,1],[0,0,0,0,0,0,0]]"

# The same three inputs as arguments, stdin lines, a file and JSONL give the same records.
printf 'Hello world\n\nCafé naïve\n' >"$TMP/in.txt"
args=$("$XFMR" tokenize -o jsonl "Hello world" "" "Café naïve")
stdin=$("$XFMR" tokenize -o jsonl <"$TMP/in.txt")
file=$("$XFMR" tokenize -o jsonl -f "$TMP/in.txt")
printf '{"text":"Hello world","id":1}\n{"text":"","id":"two"}\n{"text":"Café naïve","id":[3]}\n' >"$TMP/in.jsonl"
jsonl=$("$XFMR" tokenize --input jsonl -o jsonl <"$TMP/in.jsonl")
expect_eq "stdin = arguments" "$stdin" "$args"
expect_eq "file = arguments" "$file" "$args"
expect_eq "jsonl = arguments (without ids)" "$(jq -c 'del(.id)' <<<"$jsonl")" "$(jq -c . <<<"$args")"
expect_eq "ids passed through" "$(jq -c .id <<<"$jsonl" | tr '\n' ' ')" '1 "two" [3] '
expect_eq "empty line is a record" "$(wc -l <<<"$stdin")" "3"
expect_eq "--skip-empty" "$("$XFMR" tokenize -o jsonl --skip-empty <"$TMP/in.txt" | wc -l)" "2"
printf 'a\r\nb\r\n' | "$XFMR" tokenize -o jsonl >"$TMP/crlf"
expect_eq "CRLF lines" "$(jq -c .tokens "$TMP/crlf" | tr '\n' ' ')" '["[CLS]","a","[SEP]"] ["[CLS]","b","[SEP]"] '

# Global options are accepted after the subcommand too.
expect_eq "global option after subcommand" "$("$XFMR" tokenize "x" -o jsonl | jq -c .input_ids)" "[101,1060,102]"

# Order is kept over 10 000 lines (batched internally).
seq 1 10000 | sed 's/^/line /' >"$TMP/many.txt"
# WordPiece splits long numbers ("1000", "##0"): join the pieces back.
"$XFMR" tokenize -o jsonl --batch-size 64 -f "$TMP/many.txt" | jq -r '.tokens[2:-1] | join("") | gsub("##"; "")' >"$TMP/many.out"
seq 1 10000 >"$TMP/many.expected"
if cmp -s "$TMP/many.out" "$TMP/many.expected"; then pass "order of 10000 lines"; else fail "order of 10000 lines"; fi

# Invalid UTF-8: an error record and exit 4, the other lines go on.
printf 'good one\n\xff\xfe bad\nlast one\n' >"$TMP/bad.txt"
expect_exit "invalid UTF-8 exits 4" 4 "$XFMR" tokenize -o jsonl -f "$TMP/bad.txt"
expect_eq "invalid UTF-8 record" "$(jq -c 'if .error then "E:" + .error else .tokens[1] end' "$TMP/out" | tr '\n' ' ')" '"good" "E:invalid UTF-8" "last" '
expect_match "invalid UTF-8 message" "$TMP/err" "^xfmr: error: line 2: invalid UTF-8"
printf '{"text": "ok"}\nnot json\n[1,2]\n' >"$TMP/bad.jsonl"
expect_exit "bad JSONL exits 4" 4 "$XFMR" tokenize --input jsonl -o jsonl -f "$TMP/bad.jsonl"
expect_eq "bad JSONL records" "$(jq -c 'has("error")' "$TMP/out" | tr '\n' ' ')" 'false true true '
expect_exit "--fail-fast stops" 4 "$XFMR" tokenize --fail-fast -o jsonl -f "$TMP/bad.txt"
expect_eq "--fail-fast output" "$(wc -l <"$TMP/out")" "2"
printf '{"id": 7}\n' >"$TMP/nofield.jsonl"
expect_exit "missing field exits 4" 4 "$XFMR" tokenize --input jsonl -o jsonl -f "$TMP/nofield.jsonl"
expect_eq "missing field record" "$(cat "$TMP/out")" '{"id":7,"error":"missing field \"text\""}'

# Usage errors exit 2, with CLI11's message.
expect_exit "unknown flag" 2 "$XFMR" tokenize --no-such-flag x
expect_match "unknown flag message" "$TMP/err" "^xfmr: error: .*no-such-flag"
expect_exit "bad output format" 2 "$XFMR" tokenize -o yaml x
expect_exit "no subcommand" 2 "$XFMR"
expect_exit "missing input file" 2 "$XFMR" tokenize -f "$TMP/nope.txt"
expect_exit "--help exits 0" 0 "$XFMR" --help
expect_match "--help has an example per subcommand" "$TMP/out" "xfmr choose"
expect_exit "--version" 0 "$XFMR" --version
expect_match "--version prints it" "$TMP/out" "^xfmr [0-9]+\.[0-9]+\.[0-9]+"

# A missing model folder exits 3 and says where it looked.
expect_exit "missing model" 3 env HF_HUB_CACHE="$TMP/cache" "$XFMR" tokenize -m no-org/no-model x
expect_match "missing model lists places" "$TMP/err" "models--no-org--no-model"
expect_match "missing model says how to get it" "$TMP/err" "huggingface-cli download no-org/no-model"
expect_exit "missing path" 3 "$XFMR" tokenize -m "$TMP/absent/folder" x

# Output formats.
expect_eq "text output" "$("$XFMR" tokenize -o text "I love NLP!")" "[CLS](101) i(1045) love(2293) nl(17953) ##p(2361) !(999) [SEP](102)"
expect_eq "json output is one array" "$("$XFMR" tokenize -o json a b | jq -c 'map(.input_ids)')" "[[101,1037,102],[101,1038,102]]"
expect_eq "json output, no inputs" "$("$XFMR" tokenize -o json </dev/null | jq -c .)" "[]"
expect_eq "tsv header" "$("$XFMR" tokenize -o tsv a | head -1)" "$(printf 'index\tinput_ids\ttokens\tattention_mask\ttoken_type_ids\toffsets')"
expect_eq "tsv row" "$("$XFMR" tokenize -o tsv a | tail -1)" "$(printf '0\t101 1037 102\t[CLS] a [SEP]\t1 1 1\t0 0 0\t0-0 0-1 0-0')"

# A closed pipe ends the run quietly with status 0.
set +e
seq 1 200000 | "$XFMR" tokenize -o jsonl 2>"$TMP/pipe.err" | head -1 >/dev/null
status=("${PIPESTATUS[@]}")
set -e
expect_eq "| head -1 exit status" "${status[1]}" "0"
expect_eq "| head -1 is quiet" "$(cat "$TMP/pipe.err")" ""

# Ctrl-C while waiting for input: what was read is answered and flushed, exit 130.
mkfifo "$TMP/fifo"
"$XFMR" tokenize -o jsonl <"$TMP/fifo" >"$TMP/sigint.out" 2>"$TMP/sigint.err" &
pid=$!
exec 3>"$TMP/fifo"
echo "first line" >&3
for _ in $(seq 50); do [ -s "$TMP/sigint.out" ] && break; sleep 0.1; done
kill -INT $pid
set +e
wait $pid
status=$?
set -e
exec 3>&-
expect_eq "SIGINT exit status" "$status" "130"
expect_eq "SIGINT keeps the answered records" "$(jq -c .tokens "$TMP/sigint.out")" '["[CLS]","first","line","[SEP]"]'

# Decoding ids back into text.
expect_eq "--decode" "$("$XFMR" tokenize --decode -o jsonl "101 1045 2293 17953 2361 999 102" | jq -r .text)" "[CLS] i love nlp! [SEP]"
expect_eq "--decode --skip-special-tokens" "$("$XFMR" tokenize --decode --skip-special-tokens -o jsonl "[101, 1045, 2293, 102]" | jq -r .text)" "i love"
expect_exit "--decode bad id" 4 "$XFMR" tokenize --decode -o jsonl "99999999"

# Pairs, truncation, padding.
expect_eq "--pair" "$("$XFMR" tokenize -o jsonl --pair "b c" "a" | jq -c '[.input_ids, .token_type_ids]')" "[[101,1037,102,1038,1039,102],[0,0,0,1,1,1]]"
expect_eq "--truncation" "$("$XFMR" tokenize -o jsonl --truncation --max-length 4 "a b c d e" | jq -c .input_ids)" "[101,1037,1038,102]"
expect_eq "--padding" "$("$XFMR" tokenize -o jsonl --padding --max-length 5 "a" | jq -c '[.input_ids,.attention_mask]')" "[[101,1037,102,0,0],[1,1,1,0,0]]"
expect_eq "--no-special-tokens" "$("$XFMR" tokenize -o jsonl --no-special-tokens "a b" | jq -c .input_ids)" "[1037,1038]"

finish
