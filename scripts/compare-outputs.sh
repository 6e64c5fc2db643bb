#!/usr/bin/env bash
# Compares two forlop binaries on the same extracts: the long table (`indicators`), the
# data-quality report (`check`, text and JSON) and the validated canonical tables (`tables`)
# must be byte-identical, with one reading thread and with two.
#
#   bash scripts/compare-outputs.sh OLD_BINARY NEW_BINARY DIR...
#
# A DIR with an `input/` folder is a golden fixture (its settings.json is used); any other DIR
# is an extract (e.g. from `forlop synth`). Exits 1 when any output differs.
set -u
old=$1; new=$2; shift 2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail=0; n=0
for d in "$@"; do
  data=$d; set_args=()
  if [ -d "$d/input" ]; then
    data=$d/input
    [ -f "$d/settings.json" ] && set_args=(--settings "$d/settings.json")
  fi
  for t in 1 2; do
    for b in old new; do
      bin=${!b}; o=$work/cur; rm -rf "$o" "$work/$b"; mkdir -p "$o"
      "$bin" indicators --data "$data" "${set_args[@]}" --threads $t > "$o/long.csv" 2> "$o/ind.err"; echo "rc=$?" >> "$o/ind.err"
      "$bin" check --data "$data" --lang en --threads $t > "$o/check.txt" 2>&1; echo "rc=$?" >> "$o/check.txt"
      "$bin" check --data "$data" --json --threads $t > "$o/check.json" 2>&1
      "$bin" tables --data "$data" --threads $t --out "$o/tables" > "$o/tables.log" 2>&1; echo "rc=$?" >> "$o/tables.log"
      mv "$o" "$work/$b"
    done
    n=$((n+1))
    if diff -r "$work/old" "$work/new" > "$work/diff.txt"; then
      echo "same  $d threads=$t"
    else
      echo "DIFF  $d threads=$t"; head -20 "$work/diff.txt"; fail=$((fail+1))
    fi
  done
done
echo "$n compared, $fail different"
[ "$fail" -eq 0 ]
