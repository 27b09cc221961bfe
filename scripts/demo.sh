#!/usr/bin/env bash
# make demo: build the provider and the bundled mock Partner Center, start the
# mock on loopback, and run terraform init + apply on examples/demo through the
# refresh-token flow, then print the documented customer's domains and
# subscriptions.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.cache/demo"
rm -rf "$work" && mkdir -p "$work/bin" "$work/config"

terraform="$("$root/scripts/terraform-path.sh")"
echo "==> building the provider and the mock Partner Center"
go build -o "$work/bin/terraform-provider-partnercenter" "$root"
go build -o "$work/mockpartnercenter" "$root/cmd/mockpartnercenter"

echo "==> starting the mock Partner Center"
# -customers counts generated customers besides the documented one: 26 in all.
"$work/mockpartnercenter" -addr 127.0.0.1:0 -customers 25 -ready-file "$work/mock-url" >"$work/mock.log" 2>&1 &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  [ -s "$work/mock-url" ] && break
  kill -0 "$mock_pid" 2>/dev/null || { cat "$work/mock.log"; exit 1; }
  sleep 0.1
done
mock_url="$(cat "$work/mock-url")"
echo "    $mock_url"

# No registry is needed: a dev_overrides CLI configuration runs the binary just built.
cli_config="$("$root/scripts/dev-cli-config.sh" "$work/cli" "$work/bin/terraform-provider-partnercenter")"
cp "$root/examples/demo/"*.tf "$work/config/"

export TF_CLI_CONFIG_FILE="$cli_config"
export TF_IN_AUTOMATION=1
export PARTNERCENTER_ENDPOINT="$mock_url"
export PARTNERCENTER_AUTHORITY_HOST="$mock_url"
# The mock's built-in App+User credentials; a real partner sets its own.
export PARTNERCENTER_TENANT_ID="11111111-1111-1111-1111-111111111111"
export PARTNERCENTER_CLIENT_ID="00000000-0000-0000-0000-0000000000c1"
export PARTNERCENTER_CLIENT_SECRET="mock-client-secret"
export PARTNERCENTER_REFRESH_TOKEN="mock-refresh-token"

cd "$work/config"
echo "==> terraform init"
"$terraform" init -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log"; exit 1; }
echo "==> terraform apply"
"$terraform" apply -input=false -auto-approve -no-color >"$work/apply.log" 2>&1 || { cat "$work/apply.log"; exit 1; }

echo
echo "Customer: $("$terraform" output -raw company_name)"
echo "Domains:"
"$terraform" output -json domains | tr -d '[]"' | tr ',' '\n' | sed 's/^/  - /'
echo "Customers of the partner: $("$terraform" output -raw customer_count)"
echo "Subscriptions (offer name, quantity, status):"
"$terraform" output -raw subscription_report
echo
echo
echo "Requests served by the mock: $(curl -fsS "$mock_url/_mock/stats" 2>/dev/null || echo unavailable)"
