package partnercenter

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

func TestGetCustomerByDomain(t *testing.T) {
	item := func(id, domain string) string {
		return fmt.Sprintf(`{"id":%q,"companyProfile":{"tenantId":%q,"domain":%q}}`, id, id, domain)
	}
	tests := []struct {
		name      string
		domain    string
		items     []string
		wantID    string   // for one match
		wantIDs   []string // for an ambiguous domain
		wantNotFd bool
	}{
		{name: "no candidates", domain: "contoso.com", wantNotFd: true},
		{name: "prefix matches only", domain: "contoso.com",
			items: []string{item("c1", "contoso.com.au"), item("c2", "contoso.community")}, wantNotFd: true},
		{name: "one exact match among prefixes", domain: "contoso.com",
			items: []string{item("c1", "contoso.com.au"), item(fixtureCustomerID, "contoso.com")}, wantID: fixtureCustomerID},
		{name: "match ignores case and spaces", domain: " CONTOSO.com ",
			items: []string{item(fixtureCustomerID, "Contoso.COM")}, wantID: fixtureCustomerID},
		{name: "a repeated item is one customer", domain: "contoso.com",
			items: []string{item(fixtureCustomerID, "contoso.com"), item(strings.ToUpper(fixtureCustomerID), "contoso.com")}, wantID: fixtureCustomerID},
		{name: "two customers", domain: "contoso.com",
			items:   []string{item("c1", "contoso.com"), item("c2", "CONTOSO.COM"), item("c3", "contoso.com.au")},
			wantIDs: []string{"c1", "c2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fixture := apiFixture(t)
			var gets atomic.Int32
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/v1/customers/"+fixtureCustomerID {
					gets.Add(1)
					writeJSON(w, http.StatusOK, string(fixture))
					return
				}
				want := fmt.Sprintf(`{"Field":"Domain","Value":%q,"Operator":"starts_with"}`, strings.TrimSpace(tt.domain))
				if got := r.URL.Query().Get("filter"); got != want {
					t.Errorf("filter %s, want %s", got, want)
				}
				writeJSON(w, http.StatusOK, `{"items":[`+strings.Join(tt.items, ",")+`]}`)
			}))
			got, err := env.client.GetCustomerByDomain(t.Context(), tt.domain)
			switch {
			case tt.wantNotFd:
				var nf *CustomerDomainNotFoundError
				if !errors.As(err, &nf) || !errors.Is(err, ErrNotFound) || nf.Domain != strings.TrimSpace(tt.domain) {
					t.Fatalf("err = %v, want *CustomerDomainNotFoundError matching ErrNotFound", err)
				}
			case tt.wantIDs != nil:
				var amb *AmbiguousDomainError
				if !errors.As(err, &amb) || !reflect.DeepEqual(amb.TenantIDs, tt.wantIDs) {
					t.Fatalf("err = %v, want *AmbiguousDomainError with %v", err, tt.wantIDs)
				}
				if !strings.Contains(err.Error(), "c1, c2") || errors.Is(err, ErrNotFound) {
					t.Errorf("message %q", err)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if *got.ID != tt.wantID || got.BillingProfile == nil || gets.Load() != 1 {
					t.Errorf("got %s after %d reads; want the full record of %s", dumpCustomer(got), gets.Load(), tt.wantID)
				}
			}
		})
	}
}

func TestGetCustomerByDomainRejectsBadInput(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"items":[{"companyProfile":{"domain":"contoso.com"}}]}`)
	}))
	if _, err := env.client.GetCustomerByDomain(t.Context(), "  "); err == nil {
		t.Error("a blank domain was accepted")
	}
	_, err := env.client.GetCustomerByDomain(t.Context(), "contoso.com")
	var ire *InvalidResponseError
	if !errors.As(err, &ire) || !strings.Contains(err.Error(), "has no id") {
		t.Errorf("err = %v, want an invalid response for a match without id", err)
	}
}

func TestCheckDomainName(t *testing.T) {
	for _, ok := range []string{"contoso.com", "contoso.onmicrosoft.com.", "xn--bcher-kva.example", "a-b.c1.de", strings.Repeat("a", 63) + ".com"} {
		if err := CheckDomainName(ok); err != nil {
			t.Errorf("CheckDomainName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{
		"", "contoso", ".contoso.com", "contoso..com", "contoso.com..", "-contoso.com", "contoso-.com", "con toso.com",
		"contoso.com/x", "bücher.de", "contoso_x.com", strings.Repeat("a", 64) + ".com", strings.Repeat("a.", 127) + "com",
	} {
		if err := CheckDomainName(bad); err == nil {
			t.Errorf("CheckDomainName(%.40q) accepted", bad)
		}
	}
	var requests int
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests++ }))
	if _, err := env.client.GetCustomerByDomain(t.Context(), strings.Repeat("a", 1<<20)+".com"); err == nil || requests != 0 {
		t.Errorf("a megabyte domain: %d requests, err = %v", requests, err)
	}
}
