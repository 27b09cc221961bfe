package provider

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// Regressions found by probing the credential flows as an attacker would.

// An authority issuing megabyte tokens that expire at once, and an API that
// quotes each token back in a 503 asking to retry in a second: every retry
// renews the token, so one read sees a new huge token per attempt. The
// redactor once recompiled one pattern over every token it saw, until the
// pattern failed to compile and the panic printed every secret. Now the read
// fails with the 503, showing no secret. The retries, not timing, make the
// renewals, so the count is the same on a loaded machine.
func TestAccProvider_refusedHugeTokensNeverCrash(t *testing.T) {
	acctest.StartMock(t, mockpartnercenter.Options{}) // skips without TF_ACC
	const secret, refreshToken = "huge+token/secret=", "0.huge+refresh/token=="
	const retries = 9
	var issued atomic.Int32
	authority := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
		n := issued.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"access_token": fmt.Sprintf("%04d", n) + strings.Repeat("Tk+/", 225_000), // 900 KB, distinct each time
			// Renewed halfway through its life, so before each retry below.
			"token_type": "Bearer", "expires_in": 1,
		})
	})
	api := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusServiceUnavailable)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"code": "ServiceUnavailable", "description": "Busy; token " + url.QueryEscape(token) + " noted", "data": []string{token},
		})
	})
	t.Setenv("PARTNERCENTER_CLIENT_SECRET", secret)
	t.Setenv("PARTNERCENTER_REFRESH_TOKEN", refreshToken)
	config := refreshFlowConfig(api.URL, authority.URL, fmt.Sprintf("max_retries = %d", retries))
	expectErrorWithout(t, config, acctest.ErrorPattern(`503`), acctest.SecretForms(secret, refreshToken)...)
	if n := issued.Load(); n < retries {
		t.Errorf("%d tokens issued; the test wants one renewal per retry (%d retries)", n, retries)
	}
}

// .NET's serializers escape + and the like as \u002B: an authority echoing
// the secret that way shows it no more than any other.
func TestAccProvider_echoedSecretsRedactedDotNetStyle(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const secret, refreshToken = "Zx8Q~dotnet+secret/part=", "0.AXoA+dotnet/refresh==token"
	dotNet := func(s string) string {
		return strings.NewReplacer("+", `\u002B`, "/", `\u002F`, "=", `\u003D`, "~", `\u007E`).Replace(s)
	}
	authority := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		// Written by hand: Go's encoder would escape the backslashes again.
		fmt.Fprintf(w, `{"error":"invalid_client","error_codes":[7000215],"error_description":"AADSTS7000215: Invalid client secret %s for %s, twice encoded %s"}`,
			dotNet(form.Get("client_secret")), dotNet(form.Get("refresh_token")), url.QueryEscape(url.QueryEscape(form.Get("client_secret"))))
	})
	t.Setenv("PARTNERCENTER_CLIENT_SECRET", secret)
	t.Setenv("PARTNERCENTER_REFRESH_TOKEN", refreshToken)
	expectErrorWithout(t, refreshFlowConfig(mock.URL(), authority.URL, ""),
		acctest.ErrorPattern(`AADSTS7000215.*Invalid client secret \[redacted\] for \[redacted\], twice encoded \[redacted\]`),
		append(acctest.SecretForms(secret, refreshToken), dotNet(secret), dotNet(refreshToken), url.QueryEscape(url.QueryEscape(secret)))...)
}

// ARM_USE_OIDC left in the environment (for azurerm) does not replace the
// client secret written in the provider block, and the CI request token goes
// nowhere: configuration wins, as it does over use_cli.
func TestAccProvider_oidcFromEnvironmentKeepsConfiguredSecret(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	ci := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	t.Setenv("ARM_USE_OIDC", "true")
	t.Setenv("ARM_OIDC_REQUEST_URL", ci.URL+"/idtoken")
	t.Setenv("ARM_OIDC_REQUEST_TOKEN", "ci-request-token")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: appOnlyCustomerConfig(mock, fmt.Sprintf("client_secret = %q", acctest.MockClientSecret)),
			Check:  readsDocumentedCustomer,
		}},
	})
	checkAppOnlyGrants(t, mock, "client_secret")
	if n := ci.requests.Load(); n != 0 {
		t.Errorf("the CI request URL from the environment was called %d times", n)
	}
}

// In Azure DevOps, a GitHub Actions request URL left by another step never
// receives SYSTEM_ACCESSTOKEN: each CI system's token goes to its own URL.
func TestAccProvider_ciRequestTokenStaysWithItsURL(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	stray := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	t.Setenv("ACTIONS_ID_TOKEN_REQUEST_URL", stray.URL+"/idtoken?api-version=2.0")
	t.Setenv("SYSTEM_OIDCREQUESTURI", mock.AzureDevOpsRequestURL())
	t.Setenv("SYSTEM_ACCESSTOKEN", mockpartnercenter.DefaultOIDCRequestToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{{
			Config: appOnlyCustomerConfig(mock, fmt.Sprintf("use_oidc = true\n  ado_pipeline_service_connection_id = %q",
				mockpartnercenter.DefaultServiceConnectionID)),
			Check: readsDocumentedCustomer,
		}},
	})
	checkIDTokenPerAccessToken(t, mock)
	if n := stray.requests.Load(); n != 0 {
		t.Errorf("the stray GitHub Actions URL received %d requests", n)
	}
}

// Credential files are read only when they are small regular files: a FIFO
// would block past every timeout, /dev/zero or a huge file would exhaust
// memory. Each is refused quickly, naming the argument.
func TestAccProvider_credentialFilesBounded(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	dir := t.TempDir()
	fifo := filepath.Join(dir, "token-fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	huge := filepath.Join(dir, "huge-token")
	if err := os.WriteFile(huge, []byte(strings.Repeat("x", 2<<20)), 0o600); err != nil {
		t.Fatal(err)
	}
	oidcFile := func(path string) string {
		return appOnlyCustomerConfig(mock, fmt.Sprintf("use_oidc = true\n  oidc_token_file_path = %q", path))
	}
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: oidcFile(fifo), ExpectError: acctest.ErrorPattern(`federated token file cannot be read: .*token-fifo is not a regular file \(a named pipe\).*oidc_token_file_path`)},
			{Config: oidcFile("/dev/zero"), ExpectError: acctest.ErrorPattern(`/dev/zero is not a regular file \(a device\)`)},
			{Config: oidcFile(huge), ExpectError: acctest.ErrorPattern(`huge-token is larger than 1024 KiB`)},
			{Config: appOnlyCustomerConfig(mock, `client_certificate_path = "/dev/zero"`),
				ExpectError: acctest.ErrorPattern(`Unreadable client certificate.*/dev/zero is not a regular file \(a device\)`)},
			{Config: appOnlyCustomerConfig(mock, fmt.Sprintf("client_certificate_path = %q", fifo)),
				ExpectError: acctest.ErrorPattern(`Unreadable client certificate.*not a regular file \(a named pipe\)`)},
		},
	})
	if elapsed := time.Since(start); elapsed > 2*time.Minute {
		t.Errorf("refusing the files took %s", elapsed)
	}
}

// A blank oidc_token is named as the argument, not as a Go field.
func TestAccProvider_blankOIDCToken(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	expectErrorWithout(t, appOnlyCustomerConfig(mock, "use_oidc = true\n  oidc_token = \"   \""),
		acctest.ErrorPattern(`Blank oidc_token.*The oidc_token argument: the value holds only white space`), "FederatedToken", "Token, File and RequestURL")
}

// An expired certificate is refused before any token request, naming its
// expiry; a not yet valid one names the date it starts.
func TestAccProvider_certificateOutsideValidity(t *testing.T) {
	cert, key := newTestCertificate(t)
	mock := acctest.StartMock(t, mockpartnercenter.Options{ClientCertificate: cert})
	bundle := func(notBefore, notAfter time.Time) string {
		template := *cert
		template.NotBefore, template.NotAfter = notBefore, notAfter
		der, err := x509.CreateCertificate(rand.Reader, &template, &template, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		keyDER, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		pemBundle := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
			pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
		return base64.StdEncoding.EncodeToString(pemBundle)
	}
	expiredOn := time.Now().Add(-48 * time.Hour).Truncate(time.Second).UTC()
	startsOn := time.Now().Add(48 * time.Hour).Truncate(time.Second).UTC()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{Config: appOnlyCustomerConfig(mock, fmt.Sprintf("client_certificate = %q", bundle(expiredOn.Add(-time.Hour), expiredOn))),
				ExpectError: acctest.ErrorPattern(`expired on ` + expiredOn.Format("2006-01-02 15:04:05") + ` UTC`)},
			{Config: appOnlyCustomerConfig(mock, fmt.Sprintf("client_certificate = %q", bundle(startsOn, startsOn.Add(time.Hour)))),
				ExpectError: acctest.ErrorPattern(`not valid before ` + startsOn.Format("2006-01-02 15:04:05") + ` UTC`)},
		},
	})
	if grants := mock.TokenRequests(); grants != 0 {
		t.Errorf("%d token requests with an invalid certificate", grants)
	}
}
