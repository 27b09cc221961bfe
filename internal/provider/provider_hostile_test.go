package provider

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// Servers that misbehave on purpose: they redirect credentials elsewhere,
// echo them back, flood pages or point next links outside the collection.

// hostileServer counts the requests it answers.
type hostileServer struct {
	*httptest.Server
	requests atomic.Int32
}

func startHostile(t *testing.T, tls bool, handler http.HandlerFunc) *hostileServer {
	t.Helper()
	h := &hostileServer{}
	counting := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.requests.Add(1)
		handler(w, r)
	})
	if tls {
		h.Server = httptest.NewTLSServer(counting)
	} else {
		h.Server = httptest.NewServer(counting)
	}
	t.Cleanup(h.Close)
	return h
}

// expectErrorWithout runs config in one step that must fail with an error
// matching pattern and showing none of forbidden. ExpectError cannot say
// that something is absent; ErrorCheck sees the whole CLI output.
func expectErrorWithout(t *testing.T, config string, pattern *regexp.Regexp, forbidden ...string) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		ErrorCheck:               acctest.ErrorWithout(pattern, forbidden...),
		Steps:                    []resource.TestStep{acctest.FailingStep(config)},
	})
}

func refreshFlowConfig(endpoint, authority, extra string) string {
	return fmt.Sprintf(`
provider "partnercenter" {
  endpoint       = %q
  authority_host = %q
  tenant_id      = %q
  client_id      = %q
  %s
}

data "partnercenter_customer" "test" {
  id = %q
}
`, endpoint, authority, acctest.MockTenantID, acctest.MockClientID, extra, acctest.DocumentedID)
}

func accessTokenConfig(endpoint, token, dataSources string) string {
	return fmt.Sprintf(`
provider "partnercenter" {
  endpoint     = %q
  access_token = %q
}
`, endpoint, token) + dataSources
}

const customerByID = `
data "partnercenter_customer" "test" {
  id = "` + acctest.DocumentedID + `"
}
`

// A token endpoint answering 307 or 308 would have the whole form (secret,
// refresh token) re-posted to the Location; token requests never follow a
// redirect, and the error names the status and the place.
func TestAccProvider_tokenRedirectsNeverFollowed(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const secret, refreshToken = "redirected-secret-4d2a", "redirected-refresh-9c1e"
	collector := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) })
	plain := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, collector.URL+"/collect", http.StatusTemporaryRedirect)
	})
	secure := startHostile(t, true, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, collector.URL+"/collect", http.StatusPermanentRedirect)
	})
	credentials := fmt.Sprintf("client_secret = %q\n  refresh_token = %q", secret, refreshToken)
	for _, tt := range []struct {
		authority string
		status    int
	}{{plain.URL, 307}, {secure.URL, 308}} {
		expectErrorWithout(t, refreshFlowConfig(mock.URL(), tt.authority, credentials),
			acctest.ErrorPattern(fmt.Sprintf(`Partner Center authentication failed.*redirect to %s, which is never followed.*HTTP %d`,
				regexp.QuoteMeta(collector.URL), tt.status)))
	}
	if n := collector.requests.Load(); n != 0 {
		t.Errorf("the redirect target received %d token requests", n)
	}
	if secure.requests.Load() != 1 || plain.requests.Load() != 1 {
		t.Errorf("token endpoints answered %d (http) and %d (https) requests; want 1 each", plain.requests.Load(), secure.requests.Load())
	}
}

// With HTTP_PROXY set, credentials for LOCALHOST or localhost. must not
// reach the proxy. net/http reads the proxy variables once per process, so
// the read runs in a child process of this test binary with them set.
func TestAccProvider_loopbackAliasesNeverProxied(t *testing.T) {
	if os.Getenv("PARTNERCENTER_TEST_PROXY_CHILD") != "" {
		mock := acctest.StartMock(t, mockpartnercenter.Options{})
		port := mock.URL()[strings.LastIndex(mock.URL(), ":")+1:]
		config := refreshFlowConfig("http://LOCALHOST:"+port, "http://localhost.:"+port,
			fmt.Sprintf("client_secret = %q\n  refresh_token = %q", acctest.MockClientSecret, acctest.MockRefreshToken))
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.TestAccProviders,
			Steps: []resource.TestStep{{
				Config: config,
				Check:  resource.TestCheckResourceAttr("data.partnercenter_customer.test", "id", acctest.DocumentedID),
			}},
		})
		if mock.TokenRequests() == 0 || mock.TotalAPIRequests() == 0 {
			t.Errorf("the mock answered %d token and %d API requests; want both directly", mock.TokenRequests(), mock.TotalAPIRequests())
		}
		return
	}
	acctest.StartMock(t, mockpartnercenter.Options{}) // skips without TF_ACC
	var proxied atomic.Int32
	proxy := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
		// Only requests for this machine count: the CLI itself may try others.
		if host := strings.ToLower(strings.TrimSuffix(hostOnly(r), ".")); host == "localhost" {
			proxied.Add(1)
		}
		http.Error(w, "proxy", http.StatusBadGateway)
	})
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestAccProvider_loopbackAliasesNeverProxied$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "PARTNERCENTER_TEST_PROXY_CHILD=1",
		"HTTP_PROXY="+proxy.URL, "http_proxy="+proxy.URL, "HTTPS_PROXY="+proxy.URL, "https_proxy="+proxy.URL, "NO_PROXY=", "no_proxy=")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestAccProvider_loopbackAliasesNeverProxied") {
		t.Fatalf("the read with HTTP_PROXY set failed: %v\n%s", err, out)
	}
	if n := proxied.Load(); n != 0 {
		t.Errorf("%d requests for a loopback alias went through the proxy", n)
	}
}

func hostOnly(r *http.Request) string {
	host := r.Host
	if r.URL.Host != "" {
		host = r.URL.Host
	}
	if i := strings.LastIndex(host, ":"); i >= 0 {
		host = host[:i]
	}
	return host
}

// An https endpoint redirecting a read to plain http on another host would
// hand over the token and plant that host's answer in the plan.
func TestAccProvider_apiRedirectToAnotherOriginRefused(t *testing.T) {
	acctest.StartMock(t, mockpartnercenter.Options{}) // skips without TF_ACC
	forger := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"id":%q,"companyProfile":{"companyName":"Forged"}}`, acctest.DocumentedID)
	})
	endpoint := startHostile(t, true, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, forger.URL+r.URL.Path, http.StatusFound)
	})
	expectErrorWithout(t, accessTokenConfig(endpoint.URL, "redirect-test-token", customerByID),
		acctest.ErrorPattern(fmt.Sprintf(`HTTP 302 with a redirect from %s to %s`, regexp.QuoteMeta(endpoint.URL), regexp.QuoteMeta(forger.URL))))
	if n := forger.requests.Load(); n != 0 {
		t.Errorf("the other host received %d requests", n)
	}
}

// echoingAuthority answers every token request with an error that quotes
// the request body as sent (form-encoded) and the secret JSON-escaped.
func echoingAuthority(t *testing.T) *hostileServer {
	return startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		nested, _ := json.Marshal(map[string]string{"client_secret": form.Get("client_secret"), "refresh_token": form.Get("refresh_token")})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"error": "invalid_client",
			"error_description": "AADSTS7000215: Invalid client secret provided. Request: " + string(body) +
				" Parsed: " + strings.ReplaceAll(string(nested), "/", `\/`),
			"error_codes": []int{7000215},
		})
	})
}

// Entra ID secrets and refresh tokens hold +, / and =; echoed form-encoded
// or JSON-escaped, they must still be redacted.
func TestAccProvider_echoedSecretsRedacted(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	const secret, refreshToken = "Zx8Q~echo+secret/part=", "0.AXoA+echo/refresh==token"
	authority := echoingAuthority(t)
	t.Setenv("PARTNERCENTER_CLIENT_SECRET", secret)
	t.Setenv("PARTNERCENTER_REFRESH_TOKEN", refreshToken)
	expectErrorWithout(t, refreshFlowConfig(mock.URL(), authority.URL, ""),
		acctest.ErrorPattern(`Partner Center authentication failed.*AADSTS7000215.*Request: client_id=.*\[redacted\]`),
		acctest.SecretForms(secret, refreshToken)...)
}

// echoingAPI answers every read with a 401 that quotes the Authorization
// header and the bare token, as some gateways do.
func echoingAPI(t *testing.T) *hostileServer {
	return startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		token := strings.TrimPrefix(auth, "Bearer ")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"code":        "Unauthorized", // no code with advice of its own: the generic 401 diagnostic
			"description": "The header Authorization: " + auth + " was refused; token " + url.QueryEscape(token) + " is not valid",
			"data":        []string{token},
		})
	})
}

// An API error quoting the issued access token, or a configured one, shows
// neither.
func TestAccProvider_echoedAccessTokenRedacted(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	api := echoingAPI(t)
	const configured = "opaque+configured/access=token"
	t.Setenv("PARTNERCENTER_ACCESS_TOKEN", configured)
	expectErrorWithout(t, fmt.Sprintf("provider \"partnercenter\" {\n  endpoint = %q\n}\n", api.URL)+customerByID,
		acctest.ErrorPattern(`Partner Center rejected the credentials.*Authorization: Bearer \[redacted\]`), acctest.SecretForms(configured)...)

	t.Setenv("PARTNERCENTER_ACCESS_TOKEN", "")
	t.Setenv("PARTNERCENTER_CLIENT_SECRET", acctest.MockClientSecret)
	t.Setenv("PARTNERCENTER_REFRESH_TOKEN", acctest.MockRefreshToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		ErrorCheck: func(err error) error {
			return acctest.ErrorWithout(acctest.ErrorPattern(`Partner Center rejected the credentials.*\[redacted\]`),
				acctest.SecretForms(mock.IssuedAccessTokens()...)...)(err)
		},
		Steps: []resource.TestStep{acctest.FailingStep(refreshFlowConfig(api.URL, mock.URL(), ""))},
	})
	if len(mock.IssuedAccessTokens()) == 0 {
		t.Error("no access token was issued: the echo had nothing to redact")
	}
}

// A page of 100,000 empty items (500 asked for) is refused while it is
// decoded, and so is an item without an id.
func TestAccCustomersDataSource_floodedPageRefused(t *testing.T) {
	acctest.StartMock(t, mockpartnercenter.Options{}) // skips without TF_ACC
	for page, want := range map[string]string{
		`{"totalCount":100000,"items":[` + strings.Repeat(`{},`, 99999) + `{}]}`:              `the page holds more than \d+ items, though \d+ were asked for`,
		`{"totalCount":2,"items":[{"id":"a"},{"companyProfile":{"domain":"b.example.com"}}]}`: `item 2 of the page has no id`,
	} {
		api := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, page)
		})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.TestAccProviders,
			Steps: []resource.TestStep{{
				Config:      accessTokenConfig(api.URL, "flood-test-token", `data "partnercenter_customers" "all" {}`),
				ExpectError: acctest.ErrorPattern(`Unexpected response from Partner Center.*` + want),
			}},
		})
	}
}

// A next link outside the collection being listed would receive the bearer
// token; the list stops at the first page.
func TestAccCustomersDataSource_nextLinkOutsideCollectionRefused(t *testing.T) {
	acctest.StartMock(t, mockpartnercenter.Options{}) // skips without TF_ACC
	for _, next := range []string{"/customers/" + acctest.DocumentedID + "/subscriptions", "/../../oauth2/v2.0/token"} {
		api := startHostile(t, false, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprintf(w, `{"totalCount":1,"items":[{"id":%q}],"links":{"next":{"uri":%q,"method":"GET","headers":[]}}}`, acctest.DocumentedID, next)
		})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.TestAccProviders,
			Steps: []resource.TestStep{{
				Config:      accessTokenConfig(api.URL, "next-link-test-token", `data "partnercenter_customers" "all" {}`),
				ExpectError: acctest.ErrorPattern(`Unexpected response from Partner Center.*leaves the collection /v1/customers`),
			}},
		})
		if n := api.requests.Load(); n != 1 {
			t.Errorf("next %q: %d requests; want the first page only", next, n)
		}
	}
}
