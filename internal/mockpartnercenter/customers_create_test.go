package mockpartnercenter

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/fixtures"
)

// keysOf returns the keys of a JSON object, nested objects as "a.b".
func keysOf(t *testing.T, raw []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	decodeJSON(t, raw, &m)
	var keys []string
	for k, v := range m {
		keys = append(keys, k)
		if len(v) > 0 && v[0] == '{' {
			for _, sub := range keysOf(t, v) {
				keys = append(keys, k+"."+sub)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

func TestCreateCustomerAnswersTheDocumentedShape(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	resp, body := mustSend(t, http.MethodPost, ts.URL+"/v1/customers", tok,
		map[string]string{"MS-RequestId": "7f1b2c3d-0000-4000-8000-000000000001"}, createRequest(t, "newco", "", ""))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	documented, err := fixtures.FS.ReadFile("customer-create-response.json")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := keysOf(t, body), keysOf(t, documented); !slices.Equal(got, want) {
		t.Errorf("answer's fields differ from the documented ones:\n got %v\nwant %v", got, want)
	}
	var c createdCustomer
	decodeJSON(t, body, &c)
	if c.CompanyProfile.Domain != "newco.onmicrosoft.com" || c.UserCredentials.UserName == "" {
		t.Errorf("domain %q, admin %q", c.CompanyProfile.Domain, c.UserCredentials.UserName)
	}
	if p := c.UserCredentials.Password; len(p) != 16 || !strings.ContainsAny(p, `"`) || !strings.ContainsAny(p, "&") || !strings.ContainsAny(p, "+") {
		t.Errorf("password %q lacks the characters encodings change", p)
	}
	if s.CustomersCreated() != 1 || !slices.Equal(s.IssuedAdminPasswords(), []string{c.UserCredentials.Password}) {
		t.Errorf("created %d tenants, passwords %q; want 1 and the answer's", s.CustomersCreated(), s.IssuedAdminPasswords())
	}

	// Every read sees the new customer, none of them the password.
	_, byID := apiGet(t, ts.URL, tok, "/v1/customers/"+c.ID, nil)
	var read createdCustomer
	decodeJSON(t, byID, &read)
	if read.ID != c.ID || read.CompanyProfile.Domain != c.CompanyProfile.Domain {
		t.Errorf("by-id read: %s", byID)
	}
	filter := url.QueryEscape(`{"Field":"Domain","Value":"newco.onmicrosoft","Operator":"starts_with"}`)
	_, list := apiGet(t, ts.URL, tok, "/v1/customers?size=500&filter="+filter, nil)
	if !strings.Contains(string(list), c.ID) || strings.Contains(string(list), DocumentedCustomerID) {
		t.Errorf("by-domain filter: %s", list)
	}
	resp, subs := apiGet(t, ts.URL, tok, subscriptionsPath(c.ID), nil)
	var collection struct {
		TotalCount int               `json:"totalCount"`
		Items      []json.RawMessage `json:"items"`
	}
	decodeJSON(t, subs, &collection)
	if resp.StatusCode != http.StatusOK || collection.TotalCount != 0 || collection.Items == nil {
		t.Errorf("subscriptions of the new customer: %d %s", resp.StatusCode, subs)
	}
	for _, b := range [][]byte{byID, list, subs} {
		mustNotContain(t, b, c.UserCredentials.Password)
		if strings.Contains(string(b), "userCredentials") {
			t.Errorf("a read carries the credentials: %s", b)
		}
	}
	if resp, _ := apiRequest(t, http.MethodHead, ts.URL, tok, "/v1/domains/newco", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("the new domain is not taken: %d", resp.StatusCode)
	}
}

func TestCreateCustomerIsIdempotentOnRequestID(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	same := map[string]string{"MS-RequestId": "7f1b2c3d-0000-4000-8000-000000000002"}
	_, first := mustSend(t, http.MethodPost, ts.URL+"/v1/customers", tok, same, createRequest(t, "twice", "", ""))
	resp, again := mustSend(t, http.MethodPost, ts.URL+"/v1/customers", tok, same, createRequest(t, "twice", "", ""))
	if resp.StatusCode != http.StatusCreated || string(again) != string(first) {
		t.Errorf("replay: %d %s, want the first answer %s", resp.StatusCode, again, first)
	}
	if s.CustomersCreated() != 1 || len(s.CustomerIDs()) != 2 {
		t.Errorf("created %d, customers %d; want 1 and 2", s.CustomersCreated(), len(s.CustomerIDs()))
	}
	// Another request for the same domain is a second tenant, refused.
	resp, body := mustSend(t, http.MethodPost, ts.URL+"/v1/customers", tok,
		map[string]string{"MS-RequestId": "7f1b2c3d-0000-4000-8000-000000000003"}, createRequest(t, "twice", "", ""))
	if resp.StatusCode != http.StatusConflict || s.CustomersCreated() != 1 {
		t.Errorf("second request for the domain: %d %s, created %d", resp.StatusCode, body, s.CustomersCreated())
	}
}

// TestCreateCustomerInterruptedAfterCreation checks each fault that loses
// the answer after the write: the tenant exists although the caller got no
// answer, and a retry with the same MS-RequestId gets that tenant without
// creating another.
func TestCreateCustomerInterruptedAfterCreation(t *testing.T) {
	for _, tc := range []struct {
		fault      Fault
		wantStatus int // 0: no answer at all
	}{
		{Fault{Kind: FaultDropConnection}, 0},
		{Fault{Kind: FaultServerError, AfterCommit: true}, http.StatusInternalServerError},
		{Fault{Kind: FaultHang, AfterCommit: true}, 0},
	} {
		t.Run(tc.fault.Kind.String(), func(t *testing.T) {
			s, ts := newTestServer(t, Options{})
			tok := accessToken(t, ts.URL)
			tc.fault.Times, tc.fault.Route = 1, RouteCreateCustomer
			s.SetFault("", tc.fault)
			id := map[string]string{"MS-RequestId": "7f1b2c3d-0000-4000-8000-000000000004"}
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			resp, _, err := sendRequest(ctx, http.MethodPost, ts.URL+"/v1/customers", tok, id, createRequest(t, "lost", "", ""))
			cancel()
			switch {
			case tc.wantStatus == 0 && err == nil:
				t.Fatalf("got an answer (%d), want none", resp.StatusCode)
			case tc.wantStatus != 0 && (err != nil || resp.StatusCode != tc.wantStatus):
				t.Fatalf("got %v %v, want %d", resp, err, tc.wantStatus)
			}
			if s.CustomersCreated() != 1 {
				t.Fatalf("created %d, want 1 before the retry", s.CustomersCreated())
			}
			resp, body := mustSend(t, http.MethodPost, ts.URL+"/v1/customers", tok, id, createRequest(t, "lost", "", ""))
			var c createdCustomer
			decodeJSON(t, body, &c)
			if resp.StatusCode != http.StatusCreated || c.ID != s.CustomerIDs()[1] || c.UserCredentials.Password == "" {
				t.Errorf("retry: %d %s", resp.StatusCode, body)
			}
			if s.CustomersCreated() != 1 {
				t.Errorf("created %d after the retry, want 1", s.CustomersCreated())
			}
		})
	}
}

func TestCreateCustomerRegistrationNumbers(t *testing.T) {
	for _, tc := range []struct {
		name, country, number string
		wantStatus            int
		wantCode              float64
		wantInDescription     string
	}{
		{"required and missing", "PL", "", http.StatusBadRequest, 600049, "PL"},
		{"wrong format", "PL", "12-34", http.StatusBadRequest, 600050, `^\d{10}$`},
		{"wrong format, default pattern", "TR", "x", http.StatusBadRequest, 600050, "expected pattern"},
		{"not taken by the country", "US", "1234567890", http.StatusBadRequest, 600002, "US"},
		{"required and right", "PL", "1234567890", http.StatusCreated, 0, ""},
		{"not required, not given", "US", "", http.StatusCreated, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{})
			tok := accessToken(t, ts.URL)
			resp, body := mustSend(t, http.MethodPost, ts.URL+"/v1/customers", tok, nil, createRequest(t, "regno", tc.country, tc.number))
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d %s, want %d", resp.StatusCode, body, tc.wantStatus)
			}
			if tc.wantStatus != http.StatusCreated {
				e := pcErrorOf(t, body)
				if e.Code != tc.wantCode || !strings.Contains(e.Description, tc.wantInDescription) {
					t.Errorf("error %v %q, want code %v mentioning %q", e.Code, e.Description, tc.wantCode, tc.wantInDescription)
				}
			}
			if wantCreated := map[bool]int{true: 1}[tc.wantStatus == http.StatusCreated]; s.CustomersCreated() != wantCreated {
				t.Errorf("created %d, want %d", s.CustomersCreated(), wantCreated)
			}
		})
	}
}

func TestCreateCustomerRefusesAnIncompleteRequest(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	noEmail := strings.Replace(string(createRequest(t, "fine", "", "")), `"email":"test@outlook.com",`, "", 1)
	for name, body := range map[string][]byte{
		"domain with an underscore": createRequest(t, "not_valid", "", ""),
		"custom domain":             createRequest(t, "contoso.com", "", ""),
		"deeper initial domain":     createRequest(t, "contoso.sub.onmicrosoft.com", "", ""),
		"two-label name":            createRequest(t, "a.b", "", ""),
		"no billing email":          []byte(noEmail),
		"not JSON":                  []byte("{"),
	} {
		resp, answer := mustSend(t, http.MethodPost, ts.URL+"/v1/customers", tok, nil, body)
		if resp.StatusCode != http.StatusBadRequest || pcErrorOf(t, answer).Code != float64(pcCodeInvalidInput) {
			t.Errorf("%s: %d %s", name, resp.StatusCode, answer)
		}
	}
	if s.CustomersCreated() != 0 {
		t.Errorf("created %d, want 0", s.CustomersCreated())
	}
}

func TestDomainAvailability(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	s.TakeDomain("elsewhere")
	for domain, want := range map[string]int{
		DocumentedCustomerDomain:          http.StatusOK,
		"ABCDEFGH1234.ccsctp.net":         http.StatusOK,
		"elsewhere":                       http.StatusOK,
		"elsewhere.onmicrosoft.com":       http.StatusOK,
		"Elsewhere.onmicrosoft.com.":      http.StatusOK, // the DNS root's dot
		"free":                            http.StatusNotFound,
		"free.onmicrosoft.com":            http.StatusNotFound,
		"elsewhere.onmicrosoft.com.other": http.StatusNotFound,
	} {
		resp, body := apiRequest(t, http.MethodHead, ts.URL, tok, "/v1/domains/"+domain, nil)
		if resp.StatusCode != want || len(body) != 0 {
			t.Errorf("%s: %d %q, want %d and no body", domain, resp.StatusCode, body, want)
		}
	}
	if s.Requests(RouteDomainAvailability) != 8 {
		t.Errorf("counted %d", s.Requests(RouteDomainAvailability))
	}
}

// With a list lag, the look-up by domain leaves a new customer out of its
// next reads, while the customer can be read by id and its domain is taken.
func TestNewCustomerListLag(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	s.SetNewCustomerListLag(2)
	resp, body := mustSend(t, http.MethodPost, ts.URL+"/v1/customers", tok,
		map[string]string{"MS-RequestId": "7f1b2c3d-0000-4000-8000-000000000009"}, createRequest(t, "lagging", "", ""))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	filter := url.QueryEscape(`{"Field":"Domain","Value":"lagging.onmicrosoft.com","Operator":"starts_with"}`)
	for read, want := range []int{0, 0, 1} {
		_, body := apiGet(t, ts.URL, tok, "/v1/customers?size=10&filter="+filter, nil)
		var page struct {
			Items []json.RawMessage `json:"items"`
		}
		decodeJSON(t, body, &page)
		if len(page.Items) != want {
			t.Errorf("read %d listed %d customers, want %d", read+1, len(page.Items), want)
		}
	}
	if resp, _ := apiRequest(t, http.MethodHead, ts.URL, tok, "/v1/domains/lagging.onmicrosoft.com", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("domain availability %d, want 200 (taken)", resp.StatusCode)
	}
}

func TestDeleteCustomer(t *testing.T) {
	for _, sandbox := range []bool{false, true} {
		_, ts := newTestServer(t, Options{IntegrationSandbox: sandbox})
		tok := accessToken(t, ts.URL)
		resp, body := apiRequest(t, http.MethodDelete, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil)
		after, _ := apiGet(t, ts.URL, tok, "/v1/customers/"+DocumentedCustomerID, nil)
		switch {
		case !sandbox && (resp.StatusCode != http.StatusForbidden || pcErrorOf(t, body).Code != float64(http.StatusForbidden) || after.StatusCode != http.StatusOK):
			t.Errorf("production: %d %s, then read %d", resp.StatusCode, body, after.StatusCode)
		case sandbox && (resp.StatusCode != http.StatusNoContent || len(body) != 0 || after.StatusCode != http.StatusNotFound):
			t.Errorf("sandbox: %d %s, then read %d", resp.StatusCode, body, after.StatusCode)
		}
		if resp, _ := apiRequest(t, http.MethodDelete, ts.URL, tok, "/v1/customers/"+GeneratedCustomerID(0), nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("sandbox %v: unknown customer %d", sandbox, resp.StatusCode)
		}
	}
}
