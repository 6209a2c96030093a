#!/usr/bin/env bash
# Regenerates the files made from xfmr's own option definitions:
#   completions/xfmr.bash, completions/_xfmr, completions/xfmr.fish
#   the options part of every man/*.1 page, between its lines
#     .\" BEGIN GENERATED OPTIONS <subcommand or xfmr>
#     .\" END GENERATED OPTIONS
#   (the prose around them is written by hand).
# Run it after changing a flag, then commit what changed.
#
# Usage: scripts/regenerate-docs.sh [--check] [XFMR]
#   XFMR     the binary to ask (default: build/cli/xfmr)
#   --check  change nothing; print the differences and fail if a file is not current
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
check=0
if [[ ${1:-} == --check ]]; then check=1; shift; fi
xfmr=${1:-$root/build/cli/xfmr}
[[ -x $xfmr ]] || { echo "regenerate-docs: no xfmr binary at $xfmr (build it, or pass its path)" >&2; exit 2; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/completions" "$out/man"
"$xfmr" completions bash >"$out/completions/xfmr.bash"
"$xfmr" completions zsh >"$out/completions/_xfmr"
"$xfmr" completions fish >"$out/completions/xfmr.fish"

begin='.\" BEGIN GENERATED OPTIONS '
end='.\" END GENERATED OPTIONS'
regenerate_page() {  # PAGE: prints the page with its generated part made anew
  local line inside=0
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == "$begin"* ]]; then
      printf '%s\n' "$line"
      "$xfmr" completions --man-options "${line#"$begin"}"
      inside=1
    elif [[ $line == "$end"* ]]; then
      printf '%s\n' "$line"
      inside=0
    elif (( !inside )); then
      printf '%s\n' "$line"
    fi
  done <"$1"
  if (( inside )); then echo "regenerate-docs: $1: no '$end' line" >&2; return 1; fi
}
for page in "$root"/man/*.1; do
  regenerate_page "$page" >"$out/man/${page##*/}"
done

status=0
for generated in "$out"/completions/* "$out"/man/*; do
  target=$root/${generated#"$out"/}
  if cmp -s "$generated" "$target"; then continue; fi
  if (( check )); then
    echo "regenerate-docs: ${target#"$root"/} is not current; run scripts/regenerate-docs.sh" >&2
    diff -u "$target" "$generated" | head -40 >&2 || true
    status=1
  else
    cp "$generated" "$target"
    echo "updated ${target#"$root"/}"
  fi
done
exit $status
