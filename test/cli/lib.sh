# Shared helpers for the command-line tests (sourced, not run).
# CTest sets XFMR (the binary), FIXTURES (test/fixtures) and SOURCE_DIR.
set -euo pipefail
: "${XFMR:?XFMR must point at the xfmr binary}"
: "${FIXTURES:?FIXTURES must point at test/fixtures}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C.UTF-8
unset XFMR_MODEL
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: expected [$3], got [$2]"; fi
}

# expect_exit NAME CODE COMMAND...: runs the command, checks its exit status.
# Its stdout and stderr are left in $TMP/out and $TMP/err.
expect_exit() {
  local name=$1 code=$2; shift 2
  set +e
  "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
  local status=$?
  set -e
  if [ "$status" -eq "$code" ]; then pass "$name (exit $status)"; else
    fail "$name: exit $status, expected $code; stderr: $(head -c 500 "$TMP/err")"; fi
}

# expect_match NAME FILE REGEX
expect_match() {
  if grep -Eq -- "$3" "$2"; then pass "$1"; else fail "$1: [$3] not in $(head -c 500 "$2")"; fi
}

finish() {
  if [ "$failures" -ne 0 ]; then echo "$failures failure(s)" >&2; exit 1; fi
  echo "all passed"
}

# expect_close NAME ACTUAL_JSON EXPECTED_JSON [TOLERANCE]: the same JSON structure,
# strings and integers equal, numbers within TOLERANCE (default 1e-4).
expect_close() {
  local verdict
  verdict=$(jq -n --argjson a "$2" --argjson b "$3" --argjson tol "${4:-1e-4}" '
    def close($a; $b):
      if ($a|type) == "number" and ($b|type) == "number" then (($a - $b) | fabs) <= $tol
      elif ($a|type) == "array" and ($b|type) == "array" then
        ($a|length) == ($b|length) and ([range(0; $a|length) as $i | close($a[$i]; $b[$i])] | all)
      elif ($a|type) == "object" and ($b|type) == "object" then
        ($a|keys) == ($b|keys) and ([$a|keys[] as $k | close($a[$k]; $b[$k])] | all)
      else $a == $b end;
    close($a; $b)') || verdict=false
  if [ "$verdict" == "true" ]; then pass "$1"; else fail "$1: expected $(head -c 600 <<<"$3") got $(head -c 600 <<<"$2")"; fi
}
