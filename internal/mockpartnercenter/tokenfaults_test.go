package mockpartnercenter

import (
	"net/http"
	"testing"
)

func TestTokenFaults(t *testing.T) {
	tests := []struct {
		name    string
		fault   TokenFault
		status  int
		errName string
		code    int
	}{
		{"expired refresh token", TokenFault{Kind: TokenFaultExpiredRefreshToken, Times: 2}, 400, "invalid_grant", 700082},
		{"revoked refresh token", TokenFault{Kind: TokenFaultRevokedRefreshToken, Times: 2}, 400, "invalid_grant", 50173},
		{"server error", TokenFault{Kind: TokenFaultServerError, Times: 2}, 500, "temporarily_unavailable", 90033},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{})
			s.SetTokenFault(tc.fault)
			for range tc.fault.Times {
				resp, body := postForm(t, tokenURL(ts.URL), validTokenForm())
				checkEntraError(t, resp, body, tc.status, tc.errName, tc.code)
				mustNotContain(t, body, DefaultRefreshToken, DefaultClientSecret)
			}
			if resp, body := postForm(t, tokenURL(ts.URL), validTokenForm()); resp.StatusCode != http.StatusOK {
				t.Fatalf("after %d faults: %d %s", tc.fault.Times, resp.StatusCode, body)
			}
		})
	}
}

func TestTokenFaultUntilCleared(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	s.SetTokenFault(TokenFault{Kind: TokenFaultExpiredRefreshToken})
	for range 3 {
		if resp, _ := postForm(t, tokenURL(ts.URL), validTokenForm()); resp.StatusCode != 400 {
			t.Fatalf("status %d, want 400", resp.StatusCode)
		}
	}
	// A request failing earlier checks does not consume the refresh token
	// fault: it is about the grant, not the client.
	s.SetTokenFault(TokenFault{Kind: TokenFaultRevokedRefreshToken, Times: 1})
	bad := validTokenForm()
	bad.Set("client_secret", "wrong")
	if resp, _ := postForm(t, tokenURL(ts.URL), bad); resp.StatusCode != 401 {
		t.Fatalf("status %d, want 401", resp.StatusCode)
	}
	if resp, _ := postForm(t, tokenURL(ts.URL), validTokenForm()); resp.StatusCode != 400 {
		t.Fatalf("status %d, want 400 (revoked)", resp.StatusCode)
	}
	s.clearFaults()
	if resp, _ := postForm(t, tokenURL(ts.URL), validTokenForm()); resp.StatusCode != 200 {
		t.Fatalf("status %d after clear", resp.StatusCode)
	}
}

func TestTokenFaultKindNames(t *testing.T) {
	seen := map[string]bool{}
	for k, n := range tokenFaultKindNames {
		if k.String() != n || seen[n] {
			t.Errorf("%d: String() = %q, name %q (seen before: %v)", int(k), k.String(), n, seen[n])
		}
		seen[n] = true
	}
	if TokenFaultKind(99).String() != "TokenFaultKind(99)" {
		t.Error("unknown kind handling")
	}
}
