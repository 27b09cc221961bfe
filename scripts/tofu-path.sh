#!/usr/bin/env bash
# Prints the path of an OpenTofu CLI for the acceptance tests: `tofu` on PATH,
# or else OpenTofu built from source into a cache folder, once (about 6 minutes
# on two cores). `go install` refuses OpenTofu's module because its go.mod has
# replace directives, so the module is downloaded from the Go module proxy and
# built inside a writable copy of it. Nothing is fetched from GitHub releases.
set -euo pipefail

version="${OPENTOFU_VERSION:-1.12.6}"

if [ -z "${OPENTOFU_VERSION:-}" ] && command -v tofu >/dev/null 2>&1; then
  command -v tofu
  exit 0
fi

cache="${PARTNERCENTER_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-partnercenter}/opentofu-$version"
if [ ! -x "$cache/tofu" ]; then
  echo "OpenTofu CLI not on PATH: building OpenTofu v$version into $cache (once; about 6 minutes on two cores)" >&2
  module_dir="$(go mod download -json "github.com/opentofu/opentofu@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$module_dir" ] || { echo "go mod download gave no directory for github.com/opentofu/opentofu@v$version" >&2; exit 1; }
  source_dir="$(mktemp -d)"
  trap 'chmod -R u+w "$source_dir" && rm -rf "$source_dir"' EXIT
  cp -r "$module_dir/." "$source_dir"
  chmod -R u+w "$source_dir"
  mkdir -p "$cache"
  # The module's own go.mod and go.sum pin every dependency; -trimpath keeps
  # the build independent of the scratch folder's name, and version.dev=no
  # makes it report v$version as a release build does, not v$version-dev.
  (cd "$source_dir" && GOFLAGS=-buildvcs=false go build -trimpath \
    -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$cache/tofu.partial" ./cmd/tofu) >&2
  mv "$cache/tofu.partial" "$cache/tofu"
fi
echo "$cache/tofu"
