package mockpartnercenter

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cspkit/terraform-provider-partnercenter/internal/fixtures"
)

func TestAPIRequiresValidToken(t *testing.T) {
	s, ts := newTestServer(t, Options{TokenLifetime: 50 * time.Millisecond})
	expiring := accessToken(t, ts.URL)
	tests := []struct {
		name   string
		auth   string
		sleep  time.Duration
		wantWA string // substring of WWW-Authenticate
	}{
		{"no header", "", 0, "Bearer"},
		{"wrong scheme", "Basic Zm9vOmJhcg==", 0, "invalid_token"},
		{"unknown token", "Bearer not-issued-by-the-mock", 0, "invalid_token"},
		{"expired token", "Bearer " + expiring, 80 * time.Millisecond, "expired"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			time.Sleep(tc.sleep)
			h := map[string]string{}
			if tc.auth != "" {
				h["Authorization"] = tc.auth
			}
			resp, body := apiGet(t, ts.URL, "", "/v1/customers/"+DocumentedCustomerID, h)
			if resp.StatusCode != http.StatusUnauthorized || len(body) != 0 {
				t.Fatalf("got %d %q, want empty 401", resp.StatusCode, body)
			}
			if wa := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(wa, "Bearer") || !strings.Contains(wa, tc.wantWA) {
				t.Fatalf("WWW-Authenticate = %q", wa)
			}
			if resp.Header.Get("MS-RequestId") == "" {
				t.Fatal("401 lacks MS-RequestId")
			}
		})
	}
	if got := s.Requests(RouteGetCustomer); got != len(tests) {
		t.Fatalf("Requests(get) = %d, want %d (401s count)", got, len(tests))
	}
}

func TestGetDocumentedCustomer(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	want, err := fixtures.FS.ReadFile("customer-get-by-id.json")
	if err != nil {
		t.Fatal(err)
	}
	var documented struct {
		ID             string `json:"id"`
		CompanyProfile struct {
			Domain string `json:"domain"`
		} `json:"companyProfile"`
	}
	decodeJSON(t, want, &documented)
	if documented.ID != DocumentedCustomerID || documented.CompanyProfile.Domain != DocumentedCustomerDomain {
		t.Fatalf("the documented customer is %s, %s; the constants say %s, %s",
			documented.ID, documented.CompanyProfile.Domain, DocumentedCustomerID, DocumentedCustomerDomain)
	}
	for _, id := range []string{DocumentedCustomerID, strings.ToUpper(DocumentedCustomerID)} {
		resp, body := apiGet(t, ts.URL, tok, "/v1/customers/"+id, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d %s", id, resp.StatusCode, body)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Fatalf("Content-Type = %q", ct)
		}
		var compactWant bytes.Buffer
		if err := json.Compact(&compactWant, want); err != nil {
			t.Fatal(err)
		}
		// Byte-faithful: the fixture's own bytes, only whitespace removed.
		if !bytes.Equal(body, compactWant.Bytes()) {
			t.Fatalf("body differs from fixture:\n%s\n%s", body, compactWant.Bytes())
		}
	}
}

func TestPartnerCenterHeaders(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	reqID, corrID := uuid.NewString(), uuid.NewString()
	resp, _ := apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, map[string]string{
		"MS-RequestId": reqID, "MS-CorrelationId": corrID, "User-Agent": "test-agent/1.0",
	})
	if resp.Header.Get("MS-RequestId") != reqID || resp.Header.Get("MS-CorrelationId") != corrID {
		t.Fatalf("ids not echoed: %v", resp.Header)
	}
	if resp.Header.Get("MS-CV") == "" || resp.Header.Get("MS-ServerId") == "" {
		t.Fatalf("MS-CV/MS-ServerId missing: %v", resp.Header)
	}
	resp, _ = apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil)
	if _, err := uuid.Parse(resp.Header.Get("MS-RequestId")); err != nil {
		t.Fatalf("generated MS-RequestId %q: %v", resp.Header.Get("MS-RequestId"), err)
	}
	rec := s.RecordedRequests()
	if len(rec) != 2 {
		t.Fatalf("recorded %d requests", len(rec))
	}
	first := rec[0]
	if first.Method != "GET" || first.Path != "/v1/customers/"+DocumentedCustomerID ||
		first.Header.Get("MS-RequestId") != reqID || first.Header.Get("User-Agent") != "test-agent/1.0" ||
		!strings.HasPrefix(first.Header.Get("Authorization"), "Bearer ") || first.Header.Get("Accept") != "application/json" {
		t.Fatalf("recorded %+v", first)
	}
}

func TestGetCustomerErrors(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	tests := []struct {
		name   string
		path   string
		accept string
		status int
		code   any // as decoded: float64 for a number, string for a string
		desc   string
	}{
		{"not found", "/v1/customers/" + uuid.NewString(), "", 404, "60003", "Tenant not found"},
		{"not a customer", "/v1/customers/" + NonCustomerTenantID, "", 403, float64(20002), "No relationship"},
		{"not a GUID", "/v1/customers/not-a-guid", "", 400, float64(2007), "&#39;not-a-guid&#39;"},
		{"braced GUID", "/v1/customers/{" + DocumentedCustomerID + "}", "", 400, float64(2007), "not a valid GUID"},
		{"xml only", "/v1/customers/" + DocumentedCustomerID, "application/xml", 406, float64(406), "application/json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.accept != "" {
				h["Accept"] = tc.accept
			}
			resp, body := apiGet(t, ts.URL, tok, tc.path, h)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			e := pcErrorOf(t, body)
			if e.Code != tc.code || !strings.Contains(e.Description, tc.desc) {
				t.Fatalf("error %+v", e)
			}
		})
	}
	resp, body := apiGet(t, ts.URL, tok, "/v1/subscriptions", nil)
	if resp.StatusCode != 404 || len(body) != 0 {
		t.Fatalf("unknown route: %d %q", resp.StatusCode, body)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPatch, ts.URL+"/v1/customers/"+DocumentedCustomerID, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, DELETE" {
		t.Fatalf("got %d Allow=%q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func TestGeneratedCustomers(t *testing.T) {
	s, ts := newTestServer(t, Options{GeneratedCustomers: 6})
	tok := accessToken(t, ts.URL)
	ids := s.CustomerIDs()
	if len(ids) != 7 || ids[0] != DocumentedCustomerID {
		t.Fatalf("CustomerIDs = %v", ids)
	}
	var fixture map[string]any
	raw, _ := fixtures.FS.ReadFile("customer-get-by-id.json")
	decodeJSON(t, raw, &fixture)
	for i := range 6 {
		id := GeneratedCustomerID(i)
		if ids[i+1] != id || id != strings.ToLower(id) {
			t.Fatalf("id %d = %s", i, id)
		}
		if u, err := uuid.Parse(id); err != nil || u.Version() != 5 {
			t.Fatalf("id %s not a GUID: %v", id, err)
		}
		resp, body := apiGet(t, ts.URL, tok, "/v1/customers/"+id, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		var c map[string]any
		decodeJSON(t, body, &c)
		// Same shape as the documented customer: every documented key exists.
		for k := range fixture {
			if _, ok := c[k]; !ok {
				t.Errorf("customer %d lacks %q", i, k)
			}
		}
		if d := stringAt(c, "companyProfile", "domain"); d != GeneratedCustomerDomain(i) {
			t.Errorf("domain %q", d)
		}
		if got, _ := c["associatedPartnerId"].(string); got != generatedCustomerAssociatedPartnerID(i) {
			t.Errorf("associatedPartnerId %q", got)
		}
		if doms, ok := c["customDomains"].([]any); !ok || len(doms) < 2 || len(doms) > 3 {
			t.Errorf("customDomains %v", c["customDomains"])
		}
	}
	again := GeneratedCustomerID(3)
	if again != ids[4] || GeneratedCustomerDomain(42) != "customer00042.onmicrosoft.com" {
		t.Fatal("generation not deterministic")
	}
}

// Generated customers carry the documented fields the sample lacks, and one
// in ten is not covered by the partner's GDAP roles: no company address,
// company email or customDomains.
func TestGeneratedCustomersLiveFields(t *testing.T) {
	_, ts := newTestServer(t, Options{GeneratedCustomers: 10})
	tok := accessToken(t, ts.URL)
	get := func(i int) map[string]any {
		_, body := apiGet(t, ts.URL, tok, "/v1/customers/"+GeneratedCustomerID(i), nil)
		var c map[string]any
		decodeJSON(t, body, &c)
		return c
	}
	c0 := get(0)
	if tags, _ := c0["tags"].([]any); len(tags) != 2 || tags[0] != "managed" || c0["enableGDAPByDefault"] != true {
		t.Errorf("customer 0: tags %v, enableGDAPByDefault %v", c0["tags"], c0["enableGDAPByDefault"])
	}
	if stringAt(c0, "billingProfile", "defaultAddress", "middleName") != "J." ||
		stringAt(c0, "billingProfile", "defaultAddress", "emailAddress") == "" {
		t.Errorf("customer 0's billing address lacks middleName or emailAddress: %v", c0["billingProfile"])
	}
	c2 := get(2) // GB
	if stringAt(c2, "companyProfile", "organizationRegistrationNumber") == "" || stringAt(c2, "companyProfile", "address", "district") != "Westminster" {
		t.Errorf("customer 2: %v", c2["companyProfile"])
	}
	if _, ok := get(1)["tags"]; ok {
		t.Error("customer 1 has tags; only one in four should")
	}
	if !GeneratedCustomerCoveredByGDAP(8) || GeneratedCustomerCoveredByGDAP(9) {
		t.Fatal("customer 9 should be the one without GDAP coverage")
	}
	c9 := get(9)
	profile, _ := c9["companyProfile"].(map[string]any)
	for _, k := range []string{"address", "email"} {
		if _, ok := profile[k]; ok {
			t.Errorf("customer 9's company profile has %q", k)
		}
	}
	if _, ok := c9["customDomains"]; ok || stringAt(c9, "companyProfile", "domain") != GeneratedCustomerDomain(9) {
		t.Errorf("customer 9: customDomains %v, domain %q", c9["customDomains"], stringAt(c9, "companyProfile", "domain"))
	}
}

func TestAddAndRemoveCustomer(t *testing.T) {
	s, ts := newTestServer(t, Options{GeneratedCustomers: 1})
	tok := accessToken(t, ts.URL)
	id := "ABCDEF00-0000-4000-8000-000000000001"
	added := map[string]any{"id": id, "companyProfile": map[string]any{"domain": "dup.onmicrosoft.com"}, "extra": 1.5}
	if err := s.AddCustomer(added); err != nil {
		t.Fatal(err)
	}
	if err := s.AddCustomer(map[string]any{"companyProfile": map[string]any{}}); err == nil {
		t.Fatal("customer without id accepted")
	}
	if err := s.AddCustomer(map[string]any{"id": "x", "bad": func() {}}); err == nil {
		t.Fatal("unencodable customer accepted")
	}
	resp, body := apiGet(t, ts.URL, tok, "/v1/customers/"+strings.ToLower(id), nil)
	var got map[string]any
	decodeJSON(t, body, &got)
	want := map[string]any{}
	b, _ := json.Marshal(added)
	decodeJSON(t, b, &want)
	if resp.StatusCode != 200 || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	// Replacing keeps the position.
	if err := s.AddCustomer(map[string]any{"id": strings.ToLower(id)}); err != nil {
		t.Fatal(err)
	}
	if ids := s.CustomerIDs(); len(ids) != 3 || ids[2] != strings.ToLower(id) {
		t.Fatalf("ids %v", ids)
	}
	remove := func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.removeCustomerLocked(id)
	}
	if !remove() || remove() {
		t.Fatal("removeCustomerLocked result wrong")
	}
	if resp, _ := apiGet(t, ts.URL, tok, "/v1/customers/"+id, nil); resp.StatusCode != 404 {
		t.Fatalf("removed customer: %d", resp.StatusCode)
	}
}
