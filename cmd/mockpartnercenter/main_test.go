package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// syncBuffer lets the test read what run prints while run is still going.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunServesUntilCancelled(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(t.Context())
	var out syncBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"-customers", "3", "-ready-file", ready, "-latency", "1ms", "-rate-limit", "50/5s", "-order-pending-reads", "5"}, &out, io.Discard)
	}()

	var url string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(ready); err == nil {
			url = strings.TrimSpace(string(b))
			break
		}
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("ready file URL %q", url)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url+"/_mock/stats", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var stats struct {
		RateLimit         string `json:"rate_limit"`
		OrderPendingReads int    `json:"order_pending_reads"`
	}
	err = json.NewDecoder(resp.Body).Decode(&stats)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("stats: %d %v", resp.StatusCode, err)
	}
	if stats.RateLimit != "50/5s" || stats.OrderPendingReads != 5 {
		t.Errorf("rate limit %q and order pending reads %d in force, want the flags' 50/5s and 5", stats.RateLimit, stats.OrderPendingReads)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("run: %v", err)
	}
	if want := "mock Partner Center listening on " + url + "\n"; !strings.HasPrefix(out.String(), want) {
		t.Fatalf("stdout %q, want it to begin with %q", out.String(), want)
	}
}

func TestRunRefusesBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"},
		{"-addr", ":8080"},
		{"-no-such-flag"},
		{"extra"},
		{"-rate-limit", "50"},
		{"-rate-limit", "0/5s"},
		{"-rate-limit", "50/soon"},
	} {
		var out, errOut bytes.Buffer
		if err := run(t.Context(), args, &out, &errOut); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
		// An unknown flag is answered with the usage, so the user sees the flags there are.
		if args[0] == "-no-such-flag" && !strings.Contains(errOut.String(), "-customers") {
			t.Errorf("run(%q) wrote no usage to stderr: %q", args, errOut.String())
		}
	}
}

func TestRunWritesCredentials(t *testing.T) {
	dir := t.TempDir()
	ready, credentials := filepath.Join(dir, "url"), filepath.Join(dir, "credentials")
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	stdout := &syncBuffer{}
	go func() {
		errc <- run(ctx, []string{"-ready-file", ready, "-credentials-file", credentials, "-client-secret", "it's-secret"}, stdout, io.Discard)
	}()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(ready); err == nil {
			break
		}
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("run: %v", err)
	}
	got, err := os.ReadFile(credentials)
	if err != nil {
		t.Fatal(err)
	}
	url, err := os.ReadFile(ready)
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSpace(string(url))
	_, graphURL, _ := strings.Cut(stdout.String(), "mock Microsoft Graph listening on ")
	graphURL, _, _ = strings.Cut(graphURL, "\n")
	if !strings.HasPrefix(graphURL, "http://127.0.0.1:") || graphURL == base {
		t.Fatalf("Graph URL %q: want its own loopback listener beside %s", graphURL, base)
	}
	want := "tenant_id='" + mockpartnercenter.DefaultTenantID + "'\nclient_id='" + mockpartnercenter.DefaultClientID +
		"'\nclient_secret='it'\\''s-secret'\nrefresh_token='" + mockpartnercenter.DefaultRefreshToken +
		"'\naudience='" + mockpartnercenter.DefaultAudience +
		"'\ngraph_url='" + graphURL + "'\ngraph_audience='" + mockpartnercenter.DefaultGraphAudience +
		"'\ngithub_actions_request_url='" + base + "/github-actions/_apis/distributedtask/hubs/Actions/plans/1/jobs/1/idtoken?api-version=2.0" +
		"'\nazure_devops_request_url='" + base + "/azure-devops/_apis/distributedtask/hubs/build/plans/1/jobs/1/oidctoken" +
		"'\noidc_request_token='" + mockpartnercenter.DefaultOIDCRequestToken +
		"'\nservice_connection_id='" + mockpartnercenter.DefaultServiceConnectionID + "'\n"
	if string(got) != want {
		t.Fatalf("credentials file:\n%s\nwant:\n%s", got, want)
	}
}

// -integration-sandbox makes the mock an integration sandbox account, where a
// customer can be deleted; without it the delete is refused.
func TestRunIntegrationSandbox(t *testing.T) {
	for _, sandbox := range []bool{false, true} {
		ready := filepath.Join(t.TempDir(), "url")
		args := []string{"-ready-file", ready}
		if sandbox {
			args = append(args, "-integration-sandbox")
		}
		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error, 1)
		go func() { errc <- run(ctx, args, io.Discard, io.Discard) }()
		var base string
		for deadline := time.Now().Add(5 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if b, err := os.ReadFile(ready); err == nil {
				base = strings.TrimSpace(string(b))
			}
		}
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {mockpartnercenter.DefaultClientID},
			"client_secret": {mockpartnercenter.DefaultClientSecret}, "scope": {mockpartnercenter.DefaultAudience + "/.default"}}
		resp, err := http.PostForm(base+"/"+mockpartnercenter.DefaultTenantID+"/oauth2/v2.0/token", form) //nolint:noctx // test
		if err != nil {
			t.Fatal(err)
		}
		var token struct {
			AccessToken string `json:"access_token"`
		}
		err = json.NewDecoder(resp.Body).Decode(&token)
		resp.Body.Close()
		if err != nil || token.AccessToken == "" {
			t.Fatalf("token: %d %v", resp.StatusCode, err)
		}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodDelete, base+"/v1/customers/"+mockpartnercenter.DocumentedCustomerID, nil)
		req.Header.Set("Authorization", "Bearer "+token.AccessToken)
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := map[bool]int{false: http.StatusForbidden, true: http.StatusNoContent}[sandbox]
		if resp.StatusCode != want {
			t.Errorf("sandbox %v: delete answered %d, want %d", sandbox, resp.StatusCode, want)
		}
		cancel()
		if err := <-errc; err != nil {
			t.Fatalf("run: %v", err)
		}
	}
}

// What the mock prints for a person works when pasted into a shell: the
// exports give the provider's variables the values the mock accepts, and the
// agreement commands confirm a customer's Microsoft Customer Agreement.
func TestRunPrintsInstructionsThatWork(t *testing.T) {
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH", tool)
		}
	}
	dir := t.TempDir()
	ready := filepath.Join(dir, "url")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out syncBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"-ready-file", ready, "-cli-config", "/path/to/it's/terraformrc"}, &out, io.Discard)
	}()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(ready); err == nil {
			break
		}
	}
	printed := out.String()
	base := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(printed, "\n", 2)[0], "mock Partner Center listening on "))

	var exports []string
	for _, line := range strings.Split(printed, "\n") {
		if strings.HasPrefix(line, "export ") {
			exports = append(exports, line)
		}
	}
	env, err := exec.CommandContext(t.Context(), "bash", "-c", strings.Join(exports, "\n")+"\nenv").Output()
	if err != nil {
		t.Fatalf("the exports do not run: %v\n%s", err, printed)
	}
	for name, want := range map[string]string{
		"PARTNERCENTER_ENDPOINT": base, "PARTNERCENTER_AUTHORITY_HOST": base,
		"PARTNERCENTER_TENANT_ID": mockpartnercenter.DefaultTenantID, "PARTNERCENTER_CLIENT_ID": mockpartnercenter.DefaultClientID,
		"PARTNERCENTER_CLIENT_SECRET": mockpartnercenter.DefaultClientSecret, "PARTNERCENTER_REFRESH_TOKEN": mockpartnercenter.DefaultRefreshToken,
		"TF_CLI_CONFIG_FILE": "/path/to/it's/terraformrc",
	} {
		if !strings.Contains("\n"+string(env), "\n"+name+"="+want+"\n") {
			t.Errorf("after the exports, %s is not %q:\n%s", name, want, printed)
		}
	}

	_, rest, _ := strings.Cut(printed, "\ntoken=")
	commands, _, _ := strings.Cut("token="+rest, "\n\n")
	commands = strings.ReplaceAll(commands, "CUSTOMER_ID", mockpartnercenter.DocumentedCustomerID)
	answer, err := exec.CommandContext(t.Context(), "bash", "-c", commands).Output()
	if err != nil || !strings.Contains(string(answer), `"MicrosoftCustomerAgreement"`) {
		t.Errorf("the agreement commands: %v, answered %s\n%s", err, answer, commands)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("run: %v", err)
	}
}
