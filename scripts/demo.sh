#!/usr/bin/env bash
# make demo: build the provider and the bundled mock Partner Center, start the
# mock on loopback, and run terraform init + apply on examples/demo through the
# refresh-token flow (App+User), print the documented customer's domains and
# subscriptions, then read the customer again App-only (client credentials
# grant) with the client secret, onboard a new customer, confirm its Microsoft
# Customer Agreement through the mock and buy its first licence
# (examples/onboarding, two applies), offer every customer a GDAP relationship
# and assign the partner's groups where approved (examples/gdap, two applies
# through Microsoft Graph), write the whole estate's configuration with
# terraform query (examples/adopt-estate), and read again with a federated ID
# token, as an unattended pipeline would.
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
"$work/mockpartnercenter" -addr 127.0.0.1:0 -customers 25 -ready-file "$work/mock-url" \
  -credentials-file "$work/mock-credentials" >"$work/mock.log" 2>&1 &
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
# The credentials the mock accepts, as it wrote them; a real partner sets its own.
# shellcheck source=/dev/null
. "$work/mock-credentials"
export PARTNERCENTER_TENANT_ID="$tenant_id"
export PARTNERCENTER_CLIENT_ID="$client_id"
export PARTNERCENTER_CLIENT_SECRET="$client_secret"
export PARTNERCENTER_REFRESH_TOKEN="$refresh_token"

cd "$work/config"
echo "==> terraform init"
"$terraform" init -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log"; exit 1; }
echo "==> terraform apply (App+User: refresh token)"
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

# Without a refresh token the same application authenticates App-only: the
# client credentials grant, as a pipeline that cannot do MFA runs it.
unset PARTNERCENTER_REFRESH_TOKEN
echo "==> terraform apply (App-only: client secret, no refresh token)"
"$terraform" apply -input=false -auto-approve -no-color >"$work/apply-app-only.log" 2>&1 || { cat "$work/apply-app-only.log"; exit 1; }
echo
echo "Customer read App-only: $("$terraform" output -raw company_name) ($("$terraform" output -raw customer_id))"
echo

# Resources act: onboard a customer (a new tenant) in one apply; Partner Center
# refuses a new customer's purchases (13605) until its acceptance of the
# Microsoft Customer Agreement is recorded, a person's step, done here through
# the mock's agreements API; a second apply buys its first licence. A last plan
# shows that nothing would be created or bought twice.
echo "==> terraform apply on examples/onboarding (App-only): create a customer, buy nothing yet"
mkdir -p "$work/onboarding" && cp "$root/examples/onboarding/"*.tf "$work/onboarding/"
cd "$work/onboarding"
"$terraform" init -input=false -no-color >"$work/onboarding-init.log" 2>&1 || { cat "$work/onboarding-init.log"; exit 1; }
"$terraform" apply -input=false -auto-approve -no-color >"$work/onboarding.log" 2>&1 || { cat "$work/onboarding.log"; exit 1; }
customer_id="$("$terraform" output -raw customer_id)"
echo
echo "New customer: $customer_id ($("$terraform" output -raw initial_domain)), first administrator $("$terraform" output -raw admin_user_name)"
echo

echo "==> the customer's acceptance of the Microsoft Customer Agreement, recorded (POST /v1/customers/$customer_id/agreements)"
# Microsoft documents this call for App+User credentials: the refresh token's.
token="$(curl -fsS "$mock_url/$tenant_id/oauth2/v2.0/token" -d grant_type=refresh_token -d "client_id=$client_id" \
  --data-urlencode "refresh_token=$refresh_token" --data-urlencode "client_secret=$client_secret" \
  --data-urlencode "scope=${audience%/}/user_impersonation" |
  sed 's/.*"access_token":"\([^"]*\)".*/\1/')"
curl -fsS -X POST "$mock_url/v1/customers/$customer_id/agreements" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -o "$work/agreement.json" -d '{"type": "MicrosoftCustomerAgreement",
  "templateId": "117a69e4-8ef6-4b3c-a1b4-d4f7a4b2f2a1", "dateAgreed": "'"$(date -u +%Y-%m-%dT%H:%M:%SZ)"'",
  "primaryContact": {"firstName": "Avery", "lastName": "Howard", "email": "avery@contoso.example"}}'
echo "    the mock answered: $(cat "$work/agreement.json")"
echo

echo "==> terraform apply -var buy_first_licence=true: buy the first licence"
"$terraform" apply -input=false -auto-approve -no-color -var buy_first_licence=true >"$work/onboarding-buy.log" 2>&1 ||
  { cat "$work/onboarding-buy.log"; exit 1; }
echo
echo "Licence subscription bought: $("$terraform" output -raw subscription_id)"
"$terraform" plan -input=false -detailed-exitcode -no-color -var buy_first_licence=true >"$work/onboarding-plan.log" 2>&1 ||
  { echo "the last plan wants changes:"; cat "$work/onboarding-plan.log"; exit 1; }
echo "A second plan finds nothing to create or buy."
echo
cd "$work/config"

# GDAP through Microsoft Graph, with the same credential (App+User here): one
# relationship offered to every customer, locked for the customer's approval;
# two customers approve (a person's step, played by the mock's admin endpoint);
# the next apply assigns the partner's security groups in those two; a last
# plan finds nothing to do.
export PARTNERCENTER_REFRESH_TOKEN="$refresh_token"
export PARTNERCENTER_GRAPH_ENDPOINT="$graph_url"
echo "==> terraform apply on examples/gdap (App+User, Microsoft Graph): a GDAP relationship for every customer"
mkdir -p "$work/gdap" && cp "$root/examples/gdap/"*.tf "$work/gdap/"
cd "$work/gdap"
"$terraform" init -input=false -no-color >"$work/gdap-init.log" 2>&1 || { cat "$work/gdap-init.log"; exit 1; }
"$terraform" apply -input=false -auto-approve -no-color >"$work/gdap.log" 2>&1 || { cat "$work/gdap.log"; exit 1; }
links="$("$terraform" output -json approval_links | tr ',' '\n' | sed -n 's/.*"\(https:[^"]*\)".*/\1/p')"
echo
echo "Relationships awaiting the customers' approval: $(echo "$links" | grep -c .); the first link to send:"
echo "  $(echo "$links" | head -1)"
echo
echo "==> two customers approve (the mock's POST /_mock/gdap/relationships/{id}/approve)"
for id in $(echo "$links" | head -2 | sed 's#.*/##'); do
  curl -fsS -X POST "$mock_url/_mock/gdap/relationships/$id/approve"
  echo "    approved $id"
done
echo "==> terraform apply on examples/gdap: assign the partner's groups where approved"
"$terraform" apply -input=false -auto-approve -no-color >"$work/gdap-assign.log" 2>&1 || { cat "$work/gdap-assign.log"; exit 1; }
echo
echo "Active relationships: $("$terraform" output -json active_customers | tr ',' '\n' | grep -c :)," \
  "group assignments: $("$terraform" state list | grep -c '^partnercenter_gdap_access_assignment\.')"
"$terraform" plan -input=false -detailed-exitcode -no-color >"$work/gdap-plan.log" 2>&1 ||
  { echo "the last plan wants changes:"; cat "$work/gdap-plan.log"; exit 1; }
echo "A last plan finds nothing to offer, assign or change."
echo

# The whole estate adopted (Terraform 1.14+): terraform query lists every
# customer and subscription and writes their resource and import blocks; the
# plan of that configuration only imports.
echo "==> terraform query on examples/adopt-estate: every customer and subscription, as configuration"
mkdir -p "$work/estate" && cp "$root/examples/adopt-estate/"*.tf "$root/examples/adopt-estate/"*.tfquery.hcl "$work/estate/"
cd "$work/estate"
"$terraform" init -input=false -no-color >"$work/estate-init.log" 2>&1 || { cat "$work/estate-init.log"; exit 1; }
"$terraform" query -generate-config-out=estate.tf -no-color >"$work/estate-query.log" 2>&1 || { cat "$work/estate-query.log"; exit 1; }
echo "Found $(grep -c '^list\.partnercenter_customer\.all' "$work/estate-query.log") customers and" \
  "$(grep -c '^list\.partnercenter_customer_subscription\.all' "$work/estate-query.log") subscriptions;" \
  "estate.tf holds $(grep -c '^import {' estate.tf) import blocks; the first of each:"
grep -m1 '^list\.partnercenter_customer\.all' "$work/estate-query.log" | sed 's/^/  /'
grep -m1 '^list\.partnercenter_customer_subscription\.all' "$work/estate-query.log" | sed 's/^/  /'
"$terraform" plan -input=false -no-color >"$work/estate-plan.log" 2>&1 || { cat "$work/estate-plan.log"; exit 1; }
echo "Its plan: $(grep '^Plan:' "$work/estate-plan.log")"
echo
unset PARTNERCENTER_REFRESH_TOKEN
cd "$work/config"

# No secret at all: workload identity federation, with the ID token requested
# from the mock's GitHub Actions-style endpoint as a job with the permission
# id-token: write would.
unset PARTNERCENTER_CLIENT_SECRET
export ARM_USE_OIDC=true
export ACTIONS_ID_TOKEN_REQUEST_URL="$github_actions_request_url"
export ACTIONS_ID_TOKEN_REQUEST_TOKEN="$oidc_request_token"
echo "==> terraform apply (App-only: federated ID token from a GitHub Actions-style endpoint, no secret)"
"$terraform" apply -input=false -auto-approve -no-color >"$work/apply-oidc.log" 2>&1 || { cat "$work/apply-oidc.log"; exit 1; }
echo
echo "Customer read App-only without a secret: $("$terraform" output -raw company_name) ($("$terraform" output -raw customer_id))"
echo
echo "Requests served by the mock: $(curl -fsS "$mock_url/_mock/stats" 2>/dev/null || echo unavailable)"
