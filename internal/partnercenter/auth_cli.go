package partnercenter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// AzureCLIConfig configures access tokens from the signed-in Azure CLI
// user.
type AzureCLIConfig struct {
	// Audience is the API the token is for: Cloud.TokenAudience().
	Audience string
	// TenantID, when set, asks for a token in that tenant rather than the
	// CLI's default one.
	TenantID string
	// Command is the Azure CLI executable; empty means "az" on PATH.
	Command string
}

type azureCLITokenSource struct {
	cfg AzureCLIConfig
}

// NewAzureCLITokenSource returns a TokenSource that runs
// `az account get-access-token` for each token.
func NewAzureCLITokenSource(cfg AzureCLIConfig) TokenSource {
	if cfg.Command == "" {
		cfg.Command = "az"
	}
	cfg.Audience = strings.TrimRight(cfg.Audience, "/")
	return &azureCLITokenSource{cfg: cfg}
}

// azWaitDelay bounds how long Wait waits for the CLI's output pipes after
// the process was killed, in case a child process still holds them.
const azWaitDelay = 2 * time.Second

// Token runs the Azure CLI; cancelling ctx kills it.
func (s *azureCLITokenSource) Token(ctx context.Context) (*oauth2.Token, error) {
	args := []string{"account", "get-access-token", "--resource", s.cfg.Audience, "--output", "json"}
	if s.cfg.TenantID != "" {
		args = append(args, "--tenant", s.cfg.TenantID)
	}
	cmd := exec.CommandContext(ctx, s.cfg.Command, args...)
	cmd.WaitDelay = azWaitDelay
	stdout, stderr := &cappedBuffer{limit: maxAzureCLIOutput}, &cappedBuffer{limit: maxAzureCLIOutput}
	cmd.Stdout, cmd.Stderr = stdout, stderr

	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("running the Azure CLI: %w", ctx.Err())
	}
	if err != nil {
		return nil, azureCLIError(s.cfg.Command, err, stderr.buf.String())
	}
	if stdout.overflowed {
		return nil, &AuthenticationError{
			Reason: fmt.Sprintf("the Azure CLI printed more than %d KiB, which is not an access token", maxAzureCLIOutput>>10),
			Hint:   "check which program the provider runs as az (PATH), or choose another credential",
		}
	}
	return parseAzureCLIToken(stdout.buf.Bytes())
}

// maxAzureCLIOutput bounds what is kept of the CLI's output: its token JSON
// is a few kilobytes.
const maxAzureCLIOutput = 1 << 20

// cappedBuffer keeps the first limit bytes written to it and drops the
// rest, still accepting them so that the writer never blocks on a full pipe.
// The buffer is a field, not embedded: an embedded ReadFrom would let
// io.Copy bypass Write and the cap.
type cappedBuffer struct {
	buf        bytes.Buffer
	limit      int
	overflowed bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.buf.Len(); len(p) > room {
		b.overflowed = true
		b.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.buf.Write(p)
}

func azureCLIError(command string, err error, stderr string) error {
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
		return &AuthenticationError{
			Reason: fmt.Sprintf("the Azure CLI (%s) was not found", command),
			Hint:   "install the Azure CLI and run az login, or choose another credential",
			Err:    err,
		}
	}
	// The CLI writes no token to stderr, but a JWT-shaped string is
	// removed anyway, and the text is capped, as with every server or tool
	// message shown to users.
	msg := sanitizeServerText(stderr)
	ae := &AuthenticationError{
		Reason: "the Azure CLI could not get an access token",
		Hint:   "check the Azure CLI's message, or choose another credential",
		Err:    err,
	}
	lower := strings.ToLower(msg)
	if strings.Contains(lower, "az login") || strings.Contains(lower, "not logged in") {
		ae.Reason = "the Azure CLI is not signed in, or its sign-in has expired"
		ae.Hint = "run az login (with --tenant for the partner tenant), or choose another credential"
	}
	// Description is reserved for Entra ID's words, so the CLI's own
	// message goes into the reason.
	if msg != "" {
		ae.Reason += " (az said: " + msg + ")"
	} else {
		ae.Reason += " (" + err.Error() + ")"
	}
	return ae
}

// azureCLIToken is the JSON that `az account get-access-token` prints.
// Newer versions print expires_on (Unix seconds, sometimes as a string);
// older ones only expiresOn in local time.
type azureCLIToken struct {
	AccessToken string          `json:"accessToken"`
	TokenType   string          `json:"tokenType"`
	ExpiresOn   string          `json:"expiresOn"`
	ExpiresOnTS json.RawMessage `json:"expires_on"`
}

func parseAzureCLIToken(out []byte) (*oauth2.Token, error) {
	var raw azureCLIToken
	if err := json.Unmarshal(out, &raw); err != nil {
		// The output is not quoted: it may hold a token.
		return nil, &AuthenticationError{
			Reason: "the Azure CLI's output is not the expected JSON",
			Hint:   "update the Azure CLI, or choose another credential",
		}
	}
	if raw.AccessToken == "" {
		return nil, &AuthenticationError{
			Reason: "the Azure CLI returned no access token",
			Hint:   "run az login, or choose another credential",
		}
	}
	tokenType := raw.TokenType
	if tokenType == "" {
		tokenType = "Bearer"
	}
	return &oauth2.Token{AccessToken: raw.AccessToken, TokenType: tokenType, Expiry: azureCLIExpiry(raw)}, nil
}

// azureCLIExpiry returns the zero time when the expiry cannot be read:
// the token then counts as valid until the API rejects it, and the 401
// renews it. Refusing a working token over a format change would be worse.
func azureCLIExpiry(raw azureCLIToken) time.Time {
	if ts := strings.Trim(strings.TrimSpace(string(raw.ExpiresOnTS)), `"`); ts != "" && ts != "null" {
		if secs, err := strconv.ParseInt(ts, 10, 64); err == nil {
			return time.Unix(secs, 0)
		}
	}
	if raw.ExpiresOn != "" {
		// The CLI prints expiresOn in the machine's local time zone.
		if t, err := time.ParseInLocation("2006-01-02 15:04:05.999999", raw.ExpiresOn, time.Local); err == nil {
			return t
		}
	}
	return time.Time{}
}
