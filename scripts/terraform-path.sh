#!/usr/bin/env bash
# Prints the path of a Terraform CLI for tests and the demo: the one on PATH
# when it is 1.14 or later (terraform query, which the list resources' tests
# run, came in 1.14), or else Terraform built from source into a cache
# folder, once (about 6 minutes on two cores). Nothing is downloaded from releases.hashicorp.com,
# which CI machines may not reach; the Go module proxy must be.
#
# `go install github.com/hashicorp/terraform@v1.16.0` fails: the module's go.mod
# replaces the remote-state backends (s3, azurerm, gcs, ...) with nested modules
# that the proxy's copy does not hold. The module is downloaded, copied into a
# scratch folder and built there with those backends left out of
# internal/backend/init/init.go and go.mod. The local backend, which the tests
# and the demo use, stays, as do http and inmem.
set -euo pipefail

version="${TERRAFORM_VERSION:-1.16.0}"

minimum_minor=14
if [ -z "${TERRAFORM_VERSION:-}" ] && command -v terraform >/dev/null 2>&1; then
  # "Terraform v1.14.3" on the first line; a CLI configuration warning may follow.
  on_path="$(terraform version 2>/dev/null | sed -n '1s/^Terraform v\([0-9]*\)\.\([0-9]*\)\..*/\1 \2/p')"
  read -r major minor <<<"${on_path:-0 0}"
  if [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge "$minimum_minor" ]; }; then
    command -v terraform
    exit 0
  fi
fi

cache="${PARTNERCENTER_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-partnercenter}/terraform-$version"
if [ ! -x "$cache/terraform" ]; then
  echo "No Terraform 1.$minimum_minor+ on PATH: building Terraform v$version into $cache (once; about 6 minutes on two cores)" >&2
  module_dir="$(go mod download -json "github.com/hashicorp/terraform@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$module_dir" ] || { echo "go mod download gave no directory for github.com/hashicorp/terraform@v$version" >&2; exit 1; }
  source_dir="$(mktemp -d)"
  trap 'chmod -R u+w "$source_dir" && rm -rf "$source_dir"' EXIT
  cp -r "$module_dir/." "$source_dir"
  chmod -R u+w "$source_dir"
  missing='azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3'
  # Drop the imports and map entries of the backends whose modules are missing,
  # then their require and replace lines (and internal/legacy's, likewise nested
  # and imported by nothing the CLI builds).
  sed -i -E \
    -e "/\"github.com\/hashicorp\/terraform\/internal\/backend\/remote-state\/($missing)\"/d" \
    -e "/^[[:space:]]*\"($missing|azurerm)\":[[:space:]]+func\(\)/d" \
    "$source_dir/internal/backend/init/init.go"
  sed -i -E \
    -e "/github.com\/hashicorp\/terraform\/internal\/backend\/remote-state\/($missing) /d" \
    -e '/github.com\/hashicorp\/terraform\/internal\/legacy /d' \
    "$source_dir/go.mod"
  mkdir -p "$cache"
  # dev=no makes it report v$version as a release build does, not v$version-dev;
  # -trimpath keeps the build independent of the scratch folder's name.
  (cd "$source_dir" && GOFLAGS="-buildvcs=false -mod=mod" go build -trimpath \
    -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" -o "$cache/terraform.partial" .) >&2
  mv "$cache/terraform.partial" "$cache/terraform"
fi
echo "$cache/terraform"
