# `cmake --install` puts the binary, the man pages and the completion scripts
# where man, bash-completion, zsh and fish find them.
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$(dirname "$XFMR")/.." && pwd)  # XFMR is <build>/cli/xfmr
[ -f "$build/CMakeCache.txt" ] || { fail "no CMake build folder above $XFMR"; finish; }
prefix="$TMP/prefix"
expect_exit "cmake --install" 0 cmake --install "$build" --prefix "$prefix"
export HOME="$TMP/home" PATH="$prefix/bin:$PATH" XDG_DATA_DIRS="$prefix/share:/usr/share"
mkdir -p "$HOME"

expect_eq "installed binary runs" "$(xfmr --version | cut -d' ' -f1)" "xfmr"
for page in "$SOURCE_DIR"/man/*.1; do
  [ -f "$prefix/share/man/man1/${page##*/}" ] || fail "${page##*/} not installed"
done
MANPATH="$prefix/share/man" MANWIDTH=100 man xfmr-info 2>/dev/null | col -bx >"$TMP/page" || true
expect_match "man xfmr-info" "$TMP/page" "xfmr-info - what a model holds"

# bash-completion's loader finds share/bash-completion/completions/xfmr on XDG_DATA_DIRS.
framework=/usr/share/bash-completion/bash_completion
if [ -f "$framework" ]; then
  got=$(bash --norc --noprofile -c '
    source "$1"; __load_completion xfmr || _completion_loader xfmr
    COMP_WORDS=(xfmr cl); COMP_CWORD=1; _xfmr; echo "${COMPREPLY[*]}"' _ "$framework" 2>&1 || true)
  expect_eq "bash finds the installed completion" "$got" "classify"
else
  fail "bash-completion is not installed; run scripts/setup.sh"
fi
# fish reads vendor_completions.d of every XDG_DATA_DIRS entry.
expect_eq "fish finds the installed completion" "$(fish -c 'complete -C"xfmr cl"' | cut -f1)" "classify"
# zsh: the installed folder on fpath (/usr/local/share/zsh/site-functions is there by default).
zdir=$(dirname "$(find "$prefix/share/zsh" -name _xfmr | head -1)")
expect_eq "zsh finds the installed completion" "$(timeout 60 zsh -f "$HERE/zsh_complete.zsh" "$zdir" 'xfmr cl' </dev/null)" "classify"
finish
