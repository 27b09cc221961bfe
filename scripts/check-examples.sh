#!/usr/bin/env bash
# Checks that every example is formatted and valid against the provider built
# from this tree. Examples for data sources carry no terraform block (the
# documentation shows them bare), so one naming the provider is added beside
# them in a scratch copy.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
terraform="$("$root/scripts/terraform-path.sh")"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

go build -o "$scratch/terraform-provider-partnercenter" "$root"
export TF_CLI_CONFIG_FILE="$("$root/scripts/dev-cli-config.sh" "$scratch/cli" "$scratch/terraform-provider-partnercenter")"
export TF_IN_AUTOMATION=1
"$terraform" fmt -check -recursive -diff "$root/examples"

# The README shows the version constraint of the provider example (the
# registry's index page), which `terraform init` below checks against the
# version CHANGELOG.md is heading for.
constraint="$(sed -n 's/^ *version *= *"\(.*\)"$/\1/p' "$root/examples/provider/provider.tf")"
[ -n "$constraint" ] || { echo "examples/provider/provider.tf: required_providers gives no version constraint"; exit 1; }
grep -qF "version = \"$constraint\"" "$root/README.md" ||
  { echo "README.md: the required_providers block should say version = \"$constraint\" as examples/provider/provider.tf does"; exit 1; }

# Query files (list blocks, *.tfquery.hcl) are validated with -query, which
# Terraform 1.14 and later understand, beside a terraform block of their own.
find "$root/examples" \( -name '*.tf' -o -name '*.tfquery.hcl' \) -printf '%h\n' | sort -u | while read -r dir; do
  rel="${dir#"$root"/}"
  copy="$scratch/examples/$rel"
  mkdir -p "$copy" && cp "$dir"/*.tf "$dir"/*.tfquery.hcl "$copy/" 2>/dev/null || true
  query=()
  if compgen -G "$copy/*.tfquery.hcl" >/dev/null; then
    query=(-query)
  fi
  if ! grep -qs 'required_providers' "$copy"/*.tf; then
    cat >"$copy/zz_required_providers.tf" <<'TF'
terraform {
  required_providers {
    partnercenter = {
      source = "cspkit/partnercenter"
    }
  }
}
TF
  fi
  if ! (cd "$copy" && "$terraform" init -input=false -no-color >"$copy/init.log" 2>&1); then
    # An example may need a newer Terraform than the one built from source
    # (import blocks with for_each need 1.7).
    if grep -q "Unsupported Terraform Core version" "$copy/init.log"; then
      echo "skipped, needs a newer Terraform than $("$terraform" version | head -n 1): $rel"
      continue
    fi
    cat "$copy/init.log"
    exit 1
  fi
  (cd "$copy" && "$terraform" validate "${query[@]}" -no-color >"$copy/validate.log" 2>&1 || { cat "$copy/validate.log"; exit 1; })
  echo "valid: $rel"
done
