# completions/ and the OPTIONS sections of man/ are generated from the CLI
# definitions (scripts/regenerate-docs.sh): they must be current.
source "$(dirname "$0")/lib.sh"
: "${SOURCE_DIR:?SOURCE_DIR must point at the source tree}"

set +e
bash "$SOURCE_DIR/scripts/regenerate-docs.sh" --check "$XFMR" >"$TMP/out" 2>"$TMP/err"
status=$?
set -e
if [ "$status" -eq 0 ]; then pass "completions/ and man/ OPTIONS are current"; else
  fail "generated docs are stale (run scripts/regenerate-docs.sh build/cli/xfmr):"$'\n'"$(head -60 "$TMP/err")"; fi

# Each script is exactly what `xfmr completions SHELL` prints (the check above
# compares the files; this says which subcommand output they come from).
for pair in bash:xfmr.bash zsh:_xfmr fish:xfmr.fish; do
  shell=${pair%%:*} file=${pair#*:}
  "$XFMR" completions "$shell" >"$TMP/$file"
  if cmp -s "$TMP/$file" "$SOURCE_DIR/completions/$file"; then pass "completions/$file = xfmr completions $shell"; else
    fail "completions/$file differs from xfmr completions $shell"; fi
done

# The check must be able to fail: a page whose generated part was edited by hand.
mkdir -p "$TMP/tree/scripts" "$TMP/tree/man" "$TMP/tree/completions"
cp "$SOURCE_DIR/scripts/regenerate-docs.sh" "$TMP/tree/scripts/"
cp "$SOURCE_DIR"/completions/* "$TMP/tree/completions/"
cp "$SOURCE_DIR"/man/*.1 "$TMP/tree/man/"
sed -i 's/^How tokens are merged into entities\.$/Edited by hand./' "$TMP/tree/man/xfmr-ner.1"
expect_exit "a hand-edited OPTIONS section is caught" 1 bash "$TMP/tree/scripts/regenerate-docs.sh" --check "$XFMR"
expect_match "the message names the page" "$TMP/err" "man/xfmr-ner.1 is not current"
expect_exit "regenerating repairs it" 0 bash "$TMP/tree/scripts/regenerate-docs.sh" "$XFMR"
if cmp -s "$TMP/tree/man/xfmr-ner.1" "$SOURCE_DIR/man/xfmr-ner.1"; then pass "regenerated page = committed page"; else
  fail "regenerated page differs from the committed one"; fi
finish
