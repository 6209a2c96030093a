# The examples in README.md show the real output of their commands: each
# "$ xfmr ..." line in a code block is run (from the source tree, with
# M=test/fixtures/models) and its output compared with the lines that follow it.
source "$(dirname "$0")/lib.sh"
: "${SOURCE_DIR:?SOURCE_DIR must point at the source tree}"
mkdir -p "$TMP/bin" && ln -s "$XFMR" "$TMP/bin/xfmr"
export PATH="$TMP/bin:$PATH" M=test/fixtures/models
cd "$SOURCE_DIR"

# Split the code blocks into one command file and one expected-output file per example.
awk -v dir="$TMP" '
  /^```/ { in_block = !in_block; n_open = 0; next }
  !in_block { next }
  /^\$ xfmr / || /^\$ echo .*\| xfmr / { count++; printf "%s\n", substr($0, 3) > (dir "/cmd." count); n_open = 1; next }
  /^\$ / { n_open = 0; next }
  n_open { print > (dir "/expected." count) }
' README.md
count=$(ls "$TMP"/cmd.* 2>/dev/null | wc -l)
[ "$count" -ge 8 ] || fail "README.md: only $count examples found"
for ((i = 1; i <= count; i++)); do
  command=$(cat "$TMP/cmd.$i")
  touch "$TMP/expected.$i"
  # The folder line of `xfmr info` depends on where the tree is.
  actual=$(bash -c "$command" 2>&1 </dev/null | sed "s|$SOURCE_DIR|/path/to/xfmr|")
  expected=$(sed '/^$/d' "$TMP/expected.$i")
  expect_eq "README: $command" "$actual" "$expected"
done
finish
