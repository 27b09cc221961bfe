package partnercenter

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fakeAz writes a shell script standing in for the Azure CLI. It records
// its arguments in a file next to it, then runs body.
func fakeAz(t *testing.T, body string) (command, argsFile string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake Azure CLI is a POSIX shell script")
	}
	dir := t.TempDir()
	argsFile = filepath.Join(dir, "args")
	command = filepath.Join(dir, "az")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + argsFile + "'\n" + body + "\n"
	if err := os.WriteFile(command, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return command, argsFile
}

const fakeAzToken = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJhcGkifQ.fake-cli-signature"

func TestAzureCLITokenSource(t *testing.T) {
	localExpiry := time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.Local)
	tests := []struct {
		name       string
		body       string
		want       time.Time
		wantReason string // non-empty: an error is expected
		wantHint   string
	}{
		{
			name: "expires_on number",
			body: `echo '{"accessToken":"` + fakeAzToken + `","expiresOn":"2000-01-01 00:00:00.000000","expires_on":1893456000,"tenant":"t","tokenType":"Bearer"}'`,
			want: time.Unix(1893456000, 0),
		},
		{
			name: "expires_on string",
			body: `echo '{"accessToken":"` + fakeAzToken + `","expires_on":"1893456000","tokenType":"Bearer"}'`,
			want: time.Unix(1893456000, 0),
		},
		{
			name: "expiresOn local time only",
			body: `echo '{"accessToken":"` + fakeAzToken + `","expiresOn":"2030-01-02 03:04:05.123456","tokenType":"Bearer"}'`,
			want: localExpiry,
		},
		{
			name: "no expiry",
			body: `echo '{"accessToken":"` + fakeAzToken + `"}'`,
		},
		{
			name:       "not logged in",
			body:       `echo "ERROR: Please run 'az login' to setup account." >&2; exit 1`,
			wantReason: "not signed in",
			wantHint:   "run az login",
		},
		{
			name:       "other failure",
			body:       `echo '{"accessToken":"` + fakeAzToken + `"}'; echo "  ERROR: The command failed with an unexpected error.  " >&2; exit 2`,
			wantReason: "could not get an access token (az said: ERROR: The command failed with an unexpected error.)",
			wantHint:   "another credential",
		},
		{
			name:       "failure without message",
			body:       `exit 3`,
			wantReason: "exit status 3",
		},
		{
			name:       "not JSON",
			body:       `echo 'accessToken=` + fakeAzToken + `'`,
			wantReason: "not the expected JSON",
		},
		{
			name:       "no access token",
			body:       `echo '{"expires_on":1893456000}'`,
			wantReason: "no access token",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			command, _ := fakeAz(t, tt.body)
			src := NewAzureCLITokenSource(AzureCLIConfig{Audience: "https://api.partnercenter.microsoft.com", Command: command})
			tok, err := src.Token(t.Context())
			if tt.wantReason != "" {
				var ae *AuthenticationError
				if !errors.As(err, &ae) || !errors.Is(err, ErrAuthentication) {
					t.Fatalf("error = %v (%T), want an AuthenticationError", err, err)
				}
				if !strings.Contains(ae.Reason, tt.wantReason) || !strings.Contains(ae.Hint, tt.wantHint) {
					t.Errorf("Reason %q, Hint %q", ae.Reason, ae.Hint)
				}
				if strings.Contains(err.Error(), fakeAzToken) {
					t.Errorf("error leaks the token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken != fakeAzToken || tok.TokenType != "Bearer" {
				t.Errorf("token %+v", tok)
			}
			if !tok.Expiry.Equal(tt.want) {
				t.Errorf("expiry %v, want %v", tok.Expiry, tt.want)
			}
		})
	}
}

func TestAzureCLITokenSourceArguments(t *testing.T) {
	command, argsFile := fakeAz(t, `echo '{"accessToken":"x","expires_on":1893456000}'`)
	for _, tt := range []struct {
		tenant string
		want   string
	}{
		{"", "account get-access-token --resource https://api.partnercenter.microsoft.com --output json"},
		{"contoso.onmicrosoft.com", "account get-access-token --resource https://api.partnercenter.microsoft.com --output json --tenant contoso.onmicrosoft.com"},
	} {
		src := NewAzureCLITokenSource(AzureCLIConfig{Audience: "https://api.partnercenter.microsoft.com/", TenantID: tt.tenant, Command: command})
		if _, err := src.Token(t.Context()); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(argsFile)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(strings.Fields(string(raw)), " "); got != tt.want {
			t.Errorf("args %q, want %q", got, tt.want)
		}
	}
}

func TestAzureCLITokenSourceMissing(t *testing.T) {
	for _, command := range []string{
		filepath.Join(t.TempDir(), "az"),      // a path that does not exist
		"az-not-installed-partnercenter-test", // a name not on PATH
	} {
		_, err := NewAzureCLITokenSource(AzureCLIConfig{Audience: "https://api.partnercenter.microsoft.com", Command: command}).Token(t.Context())
		var ae *AuthenticationError
		if !errors.As(err, &ae) {
			t.Fatalf("%s: error %v (%T)", command, err, err)
		}
		if !strings.Contains(ae.Reason, "was not found") || !strings.Contains(ae.Hint, "install the Azure CLI") || !strings.Contains(ae.Hint, "another credential") {
			t.Errorf("%s: %+v", command, ae)
		}
	}
}

func TestAzureCLITokenSourceDefaultCommand(t *testing.T) {
	src, ok := NewAzureCLITokenSource(AzureCLIConfig{Audience: "a"}).(*azureCLITokenSource)
	if !ok || src.cfg.Command != "az" {
		t.Errorf("default command %q", src.cfg.Command)
	}
}

func TestAzureCLITokenSourceCancellation(t *testing.T) {
	command, _ := fakeAz(t, "exec sleep 5")
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := NewAzureCLITokenSource(AzureCLIConfig{Audience: "a", Command: command}).Token(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v: the CLI was not stopped", d)
	}
}

// A program printing without end in place of az is cut off at a bound
// instead of filling memory.
func TestAzureCLITokenSourceBoundsOutput(t *testing.T) {
	command, _ := fakeAz(t, "head -c 3000000 /dev/zero | tr '\\0' x")
	_, err := NewAzureCLITokenSource(AzureCLIConfig{Command: command, Audience: "https://api.partnercenter.microsoft.com"}).Token(t.Context())
	if err == nil || !strings.Contains(err.Error(), "printed more than 1024 KiB") {
		t.Errorf("got %v", err)
	}
}
