// Command mockpartnercenter serves the mock Partner Center on a loopback
// address for the demo, benchmarks and manual experiments.
//
// It prints "mock Partner Center listening on http://127.0.0.1:PORT", then
// the credentials it accepts as environment variables and as a provider
// block, how to run Terraform with the provider built from source (with
// -cli-config, the dev_overrides file to use) and how to confirm a new
// customer's Microsoft Customer Agreement; it serves until SIGINT or SIGTERM
// and then exits 0. With -ready-file it also writes the base URL to that file,
// once listening and its instructions are printed, so scripts can wait for it. With -credentials-file it writes
// the credentials it accepts as shell variable assignments (tenant_id='…'), so
// scripts need not repeat them.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mockpartnercenter:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends; main cancels it on SIGINT or SIGTERM. Usage
// and flag errors go to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mockpartnercenter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to listen on")
	readyFile := fs.String("ready-file", "", "write the base URL to this file once listening")
	credentialsFile := fs.String("credentials-file", "", "write the accepted credentials to this file as shell variable assignments")
	cliConfig := fs.String("cli-config", "", "the Terraform CLI configuration whose dev_overrides run the provider built from source (scripts/dev-cli-config.sh writes one), printed as TF_CLI_CONFIG_FILE")
	var opts mockpartnercenter.Options
	fs.IntVar(&opts.GeneratedCustomers, "customers", 0, "number of generated customers besides the documented one")
	fs.DurationVar(&opts.Latency, "latency", 0, "latency added to every request, e.g. 50ms")
	fs.DurationVar(&opts.TokenLifetime, "token-lifetime", mockpartnercenter.DefaultTokenLifetime, "access token lifetime")
	fs.StringVar(&opts.TenantID, "tenant-id", mockpartnercenter.DefaultTenantID, "partner tenant id accepted by the token endpoint")
	fs.StringVar(&opts.ClientID, "client-id", mockpartnercenter.DefaultClientID, "application (client) id")
	fs.StringVar(&opts.ClientSecret, "client-secret", mockpartnercenter.DefaultClientSecret, "application secret")
	fs.StringVar(&opts.RefreshToken, "refresh-token", mockpartnercenter.DefaultRefreshToken, "initially valid refresh token")
	fs.BoolVar(&opts.RotateRefreshToken, "rotate-refresh-token", false, "issue a new refresh token with every token response")
	fs.IntVar(&opts.MaxPageSize, "max-page-size", mockpartnercenter.DefaultMaxPageSize, "largest accepted ?size= on the customer list")
	fs.IntVar(&opts.SubscriptionPageSize, "subscription-page-size", 0, "page each customer's subscription list this many to a page (0: whole, as documented)")
	fs.IntVar(&opts.OrderPendingReads, "order-pending-reads", mockpartnercenter.DefaultOrderPendingReads, "reads a new order answers pending before it completes (negative: completed at once)")
	fs.StringVar(&opts.Audience, "audience", mockpartnercenter.DefaultAudience, "token audience (v1 resource, v2 scope prefix)")
	fs.StringVar(&opts.GraphAddress, "graph-addr", "", "loopback address of the Microsoft Graph listener (default: a free port on -addr's host)")
	fs.StringVar(&opts.GraphAudience, "graph-audience", mockpartnercenter.DefaultGraphAudience, "Microsoft Graph's token audience")
	fs.BoolVar(&opts.UnversionedLinks, "unversioned-links", false, `list links as the documentation's samples write them ("/customers?..."), not as the live service does ("/v1/customers?...")`)
	fs.BoolVar(&opts.IntegrationSandbox, "integration-sandbox", false, "act as an integration sandbox account, where DELETE /v1/customers/{id} deletes the customer")
	fs.Func("rate-limit", "throttle API requests like the live service: requests/window, e.g. 50/5s (default off)", func(v string) error {
		limit, err := mockpartnercenter.ParseRateLimit(v)
		opts.RateLimit = limit
		return err
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	srv, err := mockpartnercenter.Listen(opts, *addr)
	if err != nil {
		return err
	}
	defer srv.Close()
	if *credentialsFile != "" {
		if err := writeAtomically(*credentialsFile, credentialAssignments(srv, opts)); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintln(stdout, "mock Partner Center listening on", srv.URL()); err != nil {
		return err
	}
	if _, err := fmt.Fprintln(stdout, "mock Microsoft Graph listening on", srv.GraphURL()); err != nil {
		return err
	}
	if _, err := io.WriteString(stdout, setupInstructions(srv, opts, *cliConfig)); err != nil {
		return err
	}
	// Last, so that whoever waits for the file also finds the instructions printed.
	if *readyFile != "" {
		if err := writeAtomically(*readyFile, srv.URL()+"\n"); err != nil {
			return err
		}
	}
	<-ctx.Done()
	return nil
}

// credentialAssignments renders what the mock accepts, and where its CI
// ID-token endpoints are, as lines a shell can source.
func credentialAssignments(srv *mockpartnercenter.Server, opts mockpartnercenter.Options) string {
	var b strings.Builder
	for _, kv := range [][2]string{
		{"tenant_id", opts.TenantID},
		{"client_id", opts.ClientID},
		{"client_secret", opts.ClientSecret},
		{"refresh_token", opts.RefreshToken},
		{"audience", opts.Audience},
		{"graph_url", srv.GraphURL()},
		{"graph_audience", opts.GraphAudience},
		{"github_actions_request_url", srv.GitHubActionsRequestURL()},
		{"azure_devops_request_url", srv.AzureDevOpsRequestURL()},
		{"oidc_request_token", mockpartnercenter.DefaultOIDCRequestToken},
		{"service_connection_id", mockpartnercenter.DefaultServiceConnectionID},
	} {
		b.WriteString(kv[0] + "=" + shellQuote(kv[1]) + "\n")
	}
	return b.String()
}

// shellQuote quotes v for a POSIX shell.
func shellQuote(v string) string {
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

// setupInstructions tells a person at the terminal what the mock accepts and
// how to point the provider and Terraform at it, ready to paste.
func setupInstructions(srv *mockpartnercenter.Server, opts mockpartnercenter.Options, cliConfig string) string {
	url := srv.URL()
	var b strings.Builder
	fmt.Fprintf(&b, `
Credentials it accepts: tenant %[2]s, client %[3]s with secret %[4]s;
App+User with the refresh token %[5]s, App-only without it.

In another shell, for the provider (leave out PARTNERCENTER_REFRESH_TOKEN for App-only):

export PARTNERCENTER_ENDPOINT=%[1]s PARTNERCENTER_AUTHORITY_HOST=%[1]s
export PARTNERCENTER_TENANT_ID=%[2]s PARTNERCENTER_CLIENT_ID=%[3]s
export PARTNERCENTER_CLIENT_SECRET=%[6]s PARTNERCENTER_REFRESH_TOKEN=%[7]s

or in the configuration:

provider "partnercenter" {
  endpoint       = %[8]q
  authority_host = %[8]q
  tenant_id      = %[9]q
  client_id      = %[10]q
  client_secret  = %[11]q
  refresh_token  = %[12]q
}
`, url, opts.TenantID, opts.ClientID, opts.ClientSecret, opts.RefreshToken,
		shellQuote(opts.ClientSecret), shellQuote(opts.RefreshToken),
		url, opts.TenantID, opts.ClientID, opts.ClientSecret, opts.RefreshToken)
	if cliConfig != "" {
		fmt.Fprintf(&b, `
Terraform runs the provider built from source through dev_overrides (no registry needed):

export TF_CLI_CONFIG_FILE=%s

`, shellQuote(cliConfig))
	} else {
		b.WriteString(`
To run the provider built from source: make build, then
export TF_CLI_CONFIG_FILE="$(scripts/dev-cli-config.sh .cache/mock/cli bin/terraform-provider-partnercenter)"

`)
	}
	fmt.Fprintf(&b, `Terraform: the one on PATH, or "$(scripts/terraform-path.sh)", which builds one when PATH has none.

A customer created here cannot buy (error 13605) until its Microsoft Customer Agreement is confirmed
(App+User, as Microsoft documents the call):

token="$(curl -fsS %[1]s/%[2]s/oauth2/v2.0/token -d grant_type=refresh_token --data-urlencode refresh_token=%[6]s \
  -d client_id=%[3]s --data-urlencode client_secret=%[4]s --data-urlencode scope=%[5]s \
  | sed 's/.*"access_token":"\([^"]*\)".*/\1/')"
curl -fsS -X POST %[1]s/v1/customers/CUSTOMER_ID/agreements -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"type": "MicrosoftCustomerAgreement", "templateId": "117a69e4-8ef6-4b3c-a1b4-d4f7a4b2f2a1",
  "dateAgreed": "2026-12-07T00:00:00Z", "primaryContact": {"firstName": "Avery", "lastName": "Howard", "email": "avery@contoso.example"}}'

Counters: curl %[1]s/_mock/stats
`, url, opts.TenantID, opts.ClientID, shellQuote(opts.ClientSecret), shellQuote(strings.TrimSuffix(opts.Audience, "/")+"/user_impersonation"), shellQuote(opts.RefreshToken))
	return b.String()
}

// writeAtomically writes via a temporary file and a rename, so a script
// polling for the file never reads it half written.
func writeAtomically(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mockpartnercenter-*")
	if err != nil {
		return fmt.Errorf("ready file: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("ready file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("ready file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("ready file: %w", err)
	}
	return nil
}
