package partnercenter

import (
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestTokenSourceForRefreshTokenSharesRotation(t *testing.T) {
	var n int
	entra := newFakeEntra(t, func(form url.Values) (int, any) {
		n++
		// Every redemption rotates the refresh token.
		return http.StatusOK, entraToken("access-"+string(rune('0'+n)), "refresh-token-"+string(rune('1'+n)))
	})
	pc, err := NewRefreshTokenSource(testRefreshConfig(entra.srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	graph, err := TokenSourceFor(newTokenCache(pc, 0), "https://graph.microsoft.com/")
	if err != nil {
		t.Fatal(err)
	}
	// Graph, then Partner Center, then Graph: each uses the refresh token
	// the previous redemption, by either source, rotated to.
	for _, src := range []TokenSource{graph, pc, graph} {
		if _, err := src.Token(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	want := []struct{ scope, refresh string }{
		{"https://graph.microsoft.com/.default offline_access", "refresh-token-1"},
		{"https://api.partnercenter.microsoft.com/user_impersonation offline_access", "refresh-token-2"},
		{"https://graph.microsoft.com/.default offline_access", "refresh-token-3"},
	}
	for i, w := range want {
		form := entra.form(i)
		if form.Get("scope") != w.scope || form.Get("refresh_token") != w.refresh || form.Get("grant_type") != "refresh_token" ||
			form.Get("client_id") != "client-1" || form.Get("client_secret") != "secret-value-1" {
			t.Errorf("request %d form %v, want scope %q and refresh token %q", i, form, w.scope, w.refresh)
		}
	}
	// One redactor: the rotated refresh token is hidden from either
	// client's error text.
	if redactorOf(graph) != redactorOf(pc) || strings.Contains(redactorOf(pc).text("x refresh-token-3 y"), "refresh-token-3") {
		t.Error("the Graph source does not share the Partner Center source's redactor")
	}
}

func TestTokenSourceForClientCredentials(t *testing.T) {
	entra := newFakeEntra(t, func(url.Values) (int, any) { return http.StatusOK, entraToken("access", "") })
	pc, err := NewClientCredentialsSource(testClientCredentialsConfig(entra.srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	graph, err := TokenSourceFor(pc, "https://graph.microsoft.us")
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []TokenSource{graph, pc} {
		if _, err := src.Token(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if got := entra.form(0); got.Get("scope") != "https://graph.microsoft.us/.default" || got.Get("grant_type") != "client_credentials" ||
		got.Get("client_secret") != "secret-value-1" {
		t.Errorf("Graph form %v", got)
	}
	if got := entra.form(1).Get("scope"); got != "https://api.partnercenter.microsoft.com/.default" {
		t.Errorf("Partner Center scope %q: the sibling changed it", got)
	}
	if redactorOf(graph) != redactorOf(pc) {
		t.Error("the Graph source does not share the redactor")
	}
}

func TestTokenSourceForAzureCLI(t *testing.T) {
	command, argsFile := fakeAz(t, `echo '{"accessToken":"x","expires_on":1893456000}'`)
	pc := NewAzureCLITokenSource(AzureCLIConfig{Audience: "https://api.partnercenter.microsoft.com", TenantID: "contoso.onmicrosoft.com", Command: command})
	graph, err := TokenSourceFor(pc, "https://graph.microsoft.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := graph.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatal(err)
	}
	want := "account get-access-token --resource https://graph.microsoft.com --output json --tenant contoso.onmicrosoft.com"
	if got := strings.Join(strings.Fields(string(raw)), " "); got != want {
		t.Errorf("args %q, want %q", got, want)
	}
}

func TestTokenSourceForStaticToken(t *testing.T) {
	for _, src := range []TokenSource{NewStaticTokenSource("abc"), &apiTestTokens{}} {
		if got, err := TokenSourceFor(src, "https://graph.microsoft.com"); got != nil || !errors.Is(err, ErrTokenAudience) {
			t.Errorf("TokenSourceFor(%T) = %v, %v; want ErrTokenAudience", src, got, err)
		}
	}
	if _, err := TokenSourceFor(NewAzureCLITokenSource(AzureCLIConfig{}), " "); err == nil {
		t.Error("an empty audience was accepted")
	}
}
