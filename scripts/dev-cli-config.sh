#!/usr/bin/env bash
# Usage: dev-cli-config.sh DIR PROVIDER_BINARY
# Writes DIR/terraformrc, a Terraform CLI configuration that runs
# PROVIDER_BINARY for cspkit/partnercenter without any registry: dev_overrides
# points plan and apply at the binary, and a local filesystem mirror holding
# the same binary lets `terraform init` succeed offline. The mirror offers it as
# the version CHANGELOG.md is heading for, so the examples' version constraint
# must admit that version. Prints the file's path.
set -euo pipefail
dir="$(mkdir -p "$1" && cd "$1" && pwd)"
binary="$2"
changelog="$(dirname "$0")/../CHANGELOG.md"
version="$(sed -n '/^## [0-9]/{s/^## \([0-9][0-9.]*\).*/\1/p;q;}' "$changelog")"
[ -n "$version" ] || { echo "no '## x.y.z' heading in $changelog" >&2; exit 1; }
platform="$(go env GOOS)_$(go env GOARCH)"
mirror="$dir/mirror/registry.terraform.io/cspkit/partnercenter/$version/$platform"
mkdir -p "$dir/override" "$mirror"
cp "$binary" "$dir/override/terraform-provider-partnercenter"
cp "$binary" "$mirror/terraform-provider-partnercenter"
cat >"$dir/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "cspkit/partnercenter" = "$dir/override"
  }
  filesystem_mirror {
    path    = "$dir/mirror"
    include = ["registry.terraform.io/cspkit/partnercenter"]
  }
}
RC
echo "$dir/terraformrc"
