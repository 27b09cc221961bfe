#!/usr/bin/env bash
# Runs every Go fuzz target briefly ($1: an execution count such as 5000x,
# the default, or a duration) so that new inputs found by the fuzzer are
# exercised as regression tests. A count, not a duration: with a duration,
# Go 1.26's fuzzing coordinator can report "context deadline exceeded" at
# the deadline on a loaded machine without any failing input (golang/go#75804,
# fixed in Go 1.27).
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${1:-5000x}"
grep -rl --include='*_test.go' '^func Fuzz' internal | while read -r file; do
  pkg="./$(dirname "$file")"
  for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //'); do
    echo "==> fuzz $pkg $target for $fuzztime"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"
  done
done
