# man/: a page per subcommand, each documenting every flag the subcommand
# accepts (read from the CLI definitions), and every page clean for groff and man.
source "$(dirname "$0")/lib.sh"
: "${SOURCE_DIR:?SOURCE_DIR must point at the source tree}"
MAN="$SOURCE_DIR/man"

# The subcommands, from the CLI itself (the bash script lists them for completion).
subcommands=$("$XFMR" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
expect_match "subcommands listed by --help" <(echo "$subcommands") "^classify$"

render() {  # PAGE: the page as man shows it, on lines too wide to break a flag
  MANWIDTH=1000 MAN_KEEP_FORMATTING= man -l "$1" 2>"$TMP/man.err" | col -bx
}

for sub in xfmr $subcommands; do
  page="$MAN/xfmr-$sub.1"
  [ "$sub" == xfmr ] && page="$MAN/xfmr.1"
  if [ ! -f "$page" ]; then fail "no man page for $sub (${page#"$SOURCE_DIR"/})"; continue; fi
  warnings=$(groff -man -ww -z "$page" 2>&1)
  expect_eq "groff -man -ww -z ${page##*/}" "$warnings" ""
  render "$page" >"$TMP/page.txt"
  expect_eq "man -l ${page##*/} prints no warning" "$(cat "$TMP/man.err")" ""
  for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" ENVIRONMENT EXAMPLES "SEE ALSO"; do
    grep -q "^$section\$" "$TMP/page.txt" || fail "${page##*/} has no $section section"
  done
  flags=$("$XFMR" completions --list-flags "$sub")
  [ -n "$flags" ] || fail "no flags listed for $sub"
  missing=""
  for flag in $flags; do
    # A whole word: --top-k must not be found inside --top-k-something.
    grep -qE -- "(^|[^-[:alnum:]])$flag([^-[:alnum:]]|\$)" "$TMP/page.txt" || missing+=" $flag"
  done
  expect_eq "${page##*/} documents all $(wc -w <<<"$flags") flags of $sub" "$missing" ""
  if [ "$sub" != xfmr ]; then
    grep -q "Default: " "$TMP/page.txt" || [ "$sub" == info ] || [ "$sub" == completions ] || fail "${page##*/} shows no default"
    grep -q "xfmr-$sub(1)" <(render "$MAN/xfmr.1") || fail "xfmr.1 does not refer to xfmr-$sub(1)"
    grep -q "^ *0 \+Every input was answered" "$TMP/page.txt" || fail "${page##*/}: exit status 0 not described"
  fi
done

# Exit statuses and environment, on every page.
for page in "$MAN"/*.1; do
  render "$page" >"$TMP/page.txt"
  for word in 130 HF_HOME HF_HUB_CACHE XFMR_MODEL; do
    grep -qw -- "$word" "$TMP/page.txt" || fail "${page##*/} does not mention $word"
  done
done

# The check can fail: a flag that no page documents is reported.
sed 's/\\-\\-aggregation/\\-\\-aggr/g' "$MAN/xfmr-ner.1" >"$TMP/xfmr-ner.1"
render "$TMP/xfmr-ner.1" >"$TMP/page.txt"
if grep -qE -- "(^|[^-[:alnum:]])--aggregation([^-[:alnum:]]|\$)" "$TMP/page.txt"; then fail "the flag check cannot fail"; else
  pass "a page without --aggregation is caught"; fi

# A page is installed where man finds it: a MANPATH with the man1 folder.
mkdir -p "$TMP/share/man/man1"
cp "$MAN"/*.1 "$TMP/share/man/man1/"
MANPATH="$TMP/share/man" MANWIDTH=100 man xfmr-ner 2>/dev/null | col -bx >"$TMP/installed.txt" || true
expect_match "man xfmr-ner finds the installed page" "$TMP/installed.txt" "xfmr-ner - named entities"
finish
