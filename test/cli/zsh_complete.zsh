# zsh_complete.zsh FUNCTIONS_DIR LINE (helper of completions.sh, run with zsh -f):
# types LINE and Tab into an interactive zsh that has compinit'd FUNCTIONS_DIR,
# and prints the candidates the completion system found, one per line.
zmodload zsh/zpty || exit 2
zpty -b probe zsh -f -i
zpty -w probe 'PS1="" RPS1=""; unsetopt beep'
zpty -w probe "fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
# Every candidate offered to compadd is also printed, after a marker.
zpty -w probe 'compadd() { local -a __found; if [[ " $* " != *" -"[OAD]" "* ]]; then builtin compadd -O __found "$@"; print -rl -- "" "${(@)__found/#/CANDIDATE:}"; fi; builtin compadd "$@"; }'
# The end marker is split in the source so that the echoed command line cannot match it.
zpty -w probe 'comppostfuncs=(_probe_done); _probe_done() { print -r -- "PROBE""-DONE"; }'
zpty -n -w probe "$2"$'\t'
local out
zpty -r -m probe out '*PROBE-DONE*' || { print -u2 "zsh_complete: no completion ran"; exit 1; }
zpty -d probe
print -r -- "$out" | tr -d '\r' | grep -a '^CANDIDATE:' | sed 's/^CANDIDATE://' | sort -u
