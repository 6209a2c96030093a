# The completion scripts of completions/ offer the right candidates in bash
# (plain, and through bash-completion's loader), zsh and fish.
source "$(dirname "$0")/lib.sh"
: "${SOURCE_DIR:?SOURCE_DIR must point at the source tree}"
HERE=$(cd "$(dirname "$0")" && pwd)
COMPLETIONS="$SOURCE_DIR/completions"

# fish keeps state under HOME: not the real one.
export HOME="$TMP/home"
mkdir -p "$HOME"

# `xfmr` on the PATH, as the scripts call it back for the cached Hub ids.
mkdir -p "$TMP/bin"
ln -s "$XFMR" "$TMP/bin/xfmr"
export PATH="$TMP/bin:$PATH"

# A Hugging Face cache holding one model, laid out as huggingface_hub does.
commit=0123456789abcdef0123456789abcdef01234567
repo="$TMP/hub/models--test-org--tiny-sst2"
mkdir -p "$repo/refs" "$repo/snapshots/$commit"
echo "$commit" >"$repo/refs/main"
cp "$FIXTURES/models/tiny-bert-sst2/config.json" "$repo/snapshots/$commit/"
export HF_HUB_CACHE="$TMP/hub"
expect_eq "xfmr completions --list-models" "$("$XFMR" completions --list-models)" "test-org/tiny-sst2"

# Files and folders to complete, in the folder the tests run in.
mkdir -p "$TMP/work/models-here" && touch "$TMP/work/inputs.txt"
cd "$TMP/work"

# bash_complete WORDS...: the candidates of `_xfmr` for the last word.
bash_complete() {
  bash --norc --noprofile -c '
    source "$1"; shift
    complete -p xfmr >/dev/null || exit 3
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _xfmr xfmr "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$COMPLETIONS/xfmr.bash" "$@" | tr '\n' ' ' | sed 's/ $//'
}
expect_eq "bash: xfmr cl<TAB>" "$(bash_complete xfmr cl)" "classify"
expect_eq "bash: xfmr ner --aggregation <TAB>" "$(bash_complete xfmr ner --aggregation '')" "average first max none simple"
expect_eq "bash: xfmr generate --num-<TAB>" "$(bash_complete xfmr generate --num-)" "--num-beams --num-return-sequences"
expect_eq "bash: xfmr generate --early-stopping <TAB>" "$(bash_complete xfmr generate --early-stopping '')" "false never true"
expect_eq "bash: xfmr -o <TAB>" "$(bash_complete xfmr -o '')" "json jsonl text tsv"
expect_eq "bash: xfmr classify --output=js<TAB> (split at =)" "$(bash_complete xfmr classify --output = js)" "json jsonl"
expect_eq "bash: -m <TAB> offers the cached Hub id" "$(bash_complete xfmr -m test)" "test-org/tiny-sst2"
expect_eq "bash: -m <TAB> offers folders" "$(bash_complete xfmr ner -m models)" "models-here"
expect_eq "bash: -f <TAB> offers files" "$(bash_complete xfmr classify -f inp)" "inputs.txt"
expect_eq "bash: global option values are skipped" "$(bash_complete xfmr -m ner classify --fun)" "--function"
expect_eq "bash: xfmr completions <TAB>" "$(bash_complete xfmr completions '')" "bash fish zsh"
expect_eq "bash: xfmr info <TAB> offers models" "$(bash_complete xfmr info test-)" "test-org/tiny-sst2"
expect_eq "bash: hidden options stay hidden" "$(bash_complete xfmr completions --list)" ""

# Installed as bash-completion expects (share/bash-completion/completions/xfmr),
# it is found by bash-completion's on-demand loader.
framework=/usr/share/bash-completion/bash_completion
if [ -f "$framework" ]; then
  mkdir -p "$TMP/data/bash-completion/completions"
  cp "$COMPLETIONS/xfmr.bash" "$TMP/data/bash-completion/completions/xfmr"
  loaded=$(XDG_DATA_DIRS="$TMP/data" bash --norc --noprofile -c '
    source "$1"
    __load_completion xfmr || _completion_loader xfmr
    complete -p xfmr
    COMP_WORDS=(xfmr ner --aggregation f); COMP_CWORD=3; _xfmr
    echo "${COMPREPLY[*]}"' _ "$framework" 2>&1 || true)
  expect_eq "bash-completion loads it" "$loaded" "complete -F _xfmr xfmr"$'\n'"first"
else
  fail "bash-completion is not installed ($framework); run scripts/setup.sh"
fi

# fish: `complete -C` lists what Tab would offer.
fish_complete() {
  fish --no-config -c "source $COMPLETIONS/xfmr.fish; complete -C'$1'" | cut -f1 | sort | tr '\n' ' ' | sed 's/ $//'
}
if command -v fish >/dev/null; then
  expect_eq "fish: xfmr cl<TAB>" "$(fish_complete 'xfmr cl')" "classify"
  expect_eq "fish: xfmr ner --aggregation <TAB>" "$(fish_complete 'xfmr ner --aggregation ')" "average first max none simple"
  expect_eq "fish: xfmr generate --num-<TAB>" "$(fish_complete 'xfmr generate --num-')" "--num-beams --num-return-sequences"
  expect_eq "fish: -m <TAB> offers the cached Hub id" "$(fish_complete 'xfmr -m test')" "test-org/tiny-sst2"
  expect_eq "fish: options of one subcommand only" "$(fish_complete 'xfmr classify --agg')" ""
else
  fail "fish is not installed; run scripts/setup.sh"
fi

# zsh: an interactive zsh in a pseudo-terminal, Tab pressed (zsh_complete.zsh).
if command -v zsh >/dev/null; then
  mkdir -p "$TMP/zfunc" && cp "$COMPLETIONS/_xfmr" "$TMP/zfunc/"
  zsh -n "$COMPLETIONS/_xfmr" && pass "zsh: _xfmr parses" || fail "zsh: _xfmr does not parse"
  zsh_complete() {
    timeout 60 zsh -f "$HERE/zsh_complete.zsh" "$TMP/zfunc" "$1" </dev/null | tr '\n' ' ' | sed 's/ $//'
  }
  expect_eq "zsh: xfmr cl<TAB>" "$(zsh_complete 'xfmr cl')" "classify"
  expect_eq "zsh: xfmr ner --aggregation <TAB>" "$(zsh_complete 'xfmr ner --aggregation ')" "average first max none simple"
  expect_eq "zsh: xfmr generate --num-<TAB>" "$(zsh_complete 'xfmr generate --num-')" "--num-beams --num-return-sequences"
  expect_eq "zsh: -m <TAB> offers the cached Hub id" "$(zsh_complete 'xfmr -m test-')" "test-org/tiny-sst2"
else
  fail "zsh is not installed; run scripts/setup.sh"
fi
finish
