#!/usr/bin/env bash
# Prints the path of a Terraform CLI for tests and the demo: the one on PATH,
# or else Terraform 1.5.7 built from source into a cache folder (later
# releases cannot be built with `go install`): 3 to 4 minutes on two cores,
# once. Nothing is downloaded from releases.hashicorp.com, which CI machines
# may not reach; the Go module proxy must be.
set -euo pipefail

if command -v terraform >/dev/null 2>&1; then
  command -v terraform
  exit 0
fi

cache="${PARTNERCENTER_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-partnercenter}/terraform-1.5.7"
if [ ! -x "$cache/terraform" ]; then
  echo "Terraform CLI not on PATH: building terraform v1.5.7 into $cache (once; 3 to 4 minutes on two cores," >&2
  echo "about 160 modules from the Go module proxy, then a silent compile)" >&2
  mkdir -p "$cache"
  GOBIN="$cache" GOFLAGS=-buildvcs=false go install github.com/hashicorp/terraform@v1.5.7 >&2
fi
echo "$cache/terraform"
