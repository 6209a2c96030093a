# Scaling a batch job with GNU parallel: 5000 lines cut into chunks of 1000,
# two xfmr processes at a time, give the records one xfmr gives, in order.
source "$(dirname "$0")/lib.sh"
MODEL="$FIXTURES/models/tiny-bert-sst2"
command -v parallel >/dev/null || { fail "GNU parallel is not installed; run scripts/setup.sh"; finish; }
# parallel prints a citation notice unless told it was read; keep it out of the real HOME.
export HOME="$TMP/home"
mkdir -p "$HOME/.parallel" && touch "$HOME/.parallel/will-cite"

# Varied lines, so that a chunk out of place or a lost line shows.
for i in $(seq 1 5000); do
  case $((i % 4)) in
    0) echo "review $i: I loved every minute of it" ;;
    1) echo "review $i: a dull, tedious waste of time" ;;
    2) echo "review $i: the acting was fine but the plot made no sense at all" ;;
    3) echo "" ;;
  esac
done >"$TMP/in.txt"

"$XFMR" classify -m "$MODEL" -t 1 -o jsonl <"$TMP/in.txt" >"$TMP/one.jsonl"
expect_eq "one process: 5000 records" "$(wc -l <"$TMP/one.jsonl")" "5000"

parallel --will-cite --pipe --keep-order -N 1000 -j 2 "$XFMR" classify -m "$MODEL" -t 1 -o jsonl \
  <"$TMP/in.txt" >"$TMP/parallel.jsonl" 2>"$TMP/parallel.err"
expect_eq "parallel: 5000 records" "$(wc -l <"$TMP/parallel.jsonl")" "5000"
if cmp -s "$TMP/one.jsonl" "$TMP/parallel.jsonl"; then pass "parallel --pipe --keep-order = one process, byte for byte"; else
  fail "parallel output differs: $(diff "$TMP/one.jsonl" "$TMP/parallel.jsonl" | head -6)"; fi
expect_eq "parallel: nothing on stderr" "$(cat "$TMP/parallel.err")" ""

# Ids carried through JSONL let a consumer check the order too.
jq -R -c '{text: ., id: input_line_number}' <"$TMP/in.txt" >"$TMP/in.jsonl"
parallel --will-cite --pipe --keep-order -N 1000 -j 2 "$XFMR" classify -m "$MODEL" -t 1 --input jsonl -o jsonl \
  <"$TMP/in.jsonl" >"$TMP/ids.jsonl"
expect_eq "ids come back in order" "$(jq -r .id "$TMP/ids.jsonl" | tr '\n' ' ' | md5sum)" "$(seq 1 5000 | tr '\n' ' ' | md5sum)"
expect_eq "same labels with ids" "$(jq -c 'del(.id)' "$TMP/ids.jsonl" | md5sum)" "$(jq -c . "$TMP/one.jsonl" | md5sum)"

# Without --keep-order chunks may come back in any order: the check must see that.
shuf --random-source=<(yes) "$TMP/one.jsonl" >"$TMP/shuffled.jsonl"
cmp -s "$TMP/one.jsonl" "$TMP/shuffled.jsonl" && fail "the order check cannot fail" || pass "a reordered output is told apart"
finish
