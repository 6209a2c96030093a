# The progress bar: drawn on stderr when it is a terminal (here a pseudo-terminal
# made by script(1)), never in the records on stdout, never on a pipe, never
# with --no-progress or -q.
source "$(dirname "$0")/lib.sh"
MODEL="$FIXTURES/models/tiny-bert-sst2"
command -v script >/dev/null || { fail "script (util-linux) is needed"; finish; }

seq 1 2000 | sed 's/^/review number /' >"$TMP/in.txt"
"$XFMR" classify -m "$MODEL" -o jsonl -f "$TMP/in.txt" >"$TMP/plain.jsonl" 2>"$TMP/plain.err"
expect_eq "reference run: 2000 records" "$(wc -l <"$TMP/plain.jsonl")" "2000"
expect_eq "nothing on stderr when it is not a terminal" "$(wc -c <"$TMP/plain.err")" "0"

# in_terminal COMMAND: runs COMMAND (a shell line) with stdin, stdout and stderr on
# a pseudo-terminal; what the terminal showed goes to $TMP/terminal.
in_terminal() {
  script -qfec "$1" /dev/null </dev/null >"$TMP/terminal" 2>&1
}

# stderr on a terminal, stdout to a file: the bar is drawn, the file has only records.
in_terminal "'$XFMR' classify -m '$MODEL' -o jsonl -f '$TMP/in.txt' >'$TMP/tty.jsonl'"
if cmp -s "$TMP/tty.jsonl" "$TMP/plain.jsonl"; then pass "stdout is byte-identical with a bar on the terminal"; else
  fail "stdout differs when stderr is a terminal: $(diff "$TMP/plain.jsonl" "$TMP/tty.jsonl" | head -5)"; fi
tr '\r' '\n' <"$TMP/terminal" | sed 's/\x1b\[K//g' >"$TMP/frames"
expect_match "the bar counts against the total" "$TMP/frames" "^ *[0-9]+% \[[#.]+\] [0-9]+/2000 [0-9.]+/s [0-9]+:[0-9]{2}"
expect_match "the bar shows an ETA while running" "$TMP/frames" "/2000 .* ETA [0-9]+:[0-9]{2}"
expect_match "the bar ends at 100%" "$TMP/frames" "^100% \[#+\] 2000/2000 "
grep -q '"label"' "$TMP/terminal" && fail "records reached the terminal" || pass "no record on the terminal"
expect_match "the bar is redrawn in place" "$TMP/terminal" $'\r\x1b\\[K'

# --no-progress and -q: nothing on the terminal.
in_terminal "'$XFMR' classify -m '$MODEL' -o jsonl -f '$TMP/in.txt' --no-progress >'$TMP/tty.jsonl'"
expect_eq "--no-progress draws nothing" "$(wc -c <"$TMP/terminal")" "0"
in_terminal "'$XFMR' classify -m '$MODEL' -o jsonl -f '$TMP/in.txt' -q >'$TMP/tty.jsonl'"
expect_eq "-q draws nothing" "$(wc -c <"$TMP/terminal")" "0"
# stderr redirected away from the terminal: nothing there either.
in_terminal "'$XFMR' classify -m '$MODEL' -o jsonl -f '$TMP/in.txt' >'$TMP/tty.jsonl' 2>'$TMP/tty.err'"
expect_eq "no bar when stderr is a file" "$(wc -c <"$TMP/tty.err")" "0"
# A few inputs finish before a bar helps.
in_terminal "'$XFMR' classify -m '$MODEL' -o jsonl a b c >'$TMP/tty.jsonl'"
expect_eq "no bar for 3 inputs" "$(wc -c <"$TMP/terminal")" "0"

# Records and bar on the same terminal: every record starts on a clean line.
in_terminal "'$XFMR' classify -m '$MODEL' -o text -f '$TMP/in.txt'"
records=$(tr '\r' '\n' <"$TMP/terminal" | sed 's/\x1b\[K//g' | grep -cE '^(POSITIVE|NEGATIVE) [0-9.e-]+$' || true)
expect_eq "2000 clean text records next to the bar" "$records" "2000"
mixed=$(tr '\r' '\n' <"$TMP/terminal" | grep -cE '/s.*(POSITIVE|NEGATIVE)|(POSITIVE|NEGATIVE).*%' || true)
expect_eq "no line mixes a record and the bar" "$mixed" "0"

# --progress forces it onto a pipe: plain status lines, no escape sequences.
"$XFMR" classify -m "$MODEL" -o jsonl -f "$TMP/in.txt" --progress 2>"$TMP/forced.err" >"$TMP/forced.jsonl"
expect_match "--progress on a pipe prints status lines" "$TMP/forced.err" "^xfmr: 100% 2000/2000 "
grep -q $'\x1b' "$TMP/forced.err" && fail "escape sequences on a pipe" || pass "no escape sequences on a pipe"
if cmp -s "$TMP/forced.jsonl" "$TMP/plain.jsonl"; then pass "--progress leaves stdout alone"; else fail "--progress changed stdout"; fi
finish
