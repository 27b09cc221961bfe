#!/usr/bin/env bash
# Runs every Go fuzz target for a short time ($1, default 5s) so that new
# inputs found by the fuzzer are exercised as regression tests.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${1:-5s}"
grep -rl --include='*_test.go' '^func Fuzz' internal | while read -r file; do
  pkg="./$(dirname "$file")"
  for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //'); do
    echo "==> fuzz $pkg $target for $fuzztime"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"
  done
done
