package customers

import (
	"strings"
	"testing"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

func textOf(s string) *string { return &s }

// What Partner Center answers is held against the configuration: "" for a
// member never set is null, a code in another letter case keeps the
// configuration's, and any other difference stays, to show as drift.
func TestReconcileBillingProfile(t *testing.T) {
	configured := &partnercenter.BillingProfile{Culture: textOf("en-US"), CompanyName: textOf("Contoso"),
		DefaultAddress: &partnercenter.Address{Country: textOf("us"), City: textOf("Redmond")}}
	read := &partnercenter.BillingProfile{ID: textOf("p1"), Culture: textOf("EN-US"), CompanyName: textOf("Contoso Ltd"), Email: textOf(""),
		DefaultAddress: &partnercenter.Address{Country: textOf("US"), City: textOf("REDMOND"), PhoneNumber: textOf("")}}
	got := reconcileBillingProfile(read, configured)
	for name, tc := range map[string]struct{ got, want *string }{
		"culture, case only":   {got.Culture, textOf("en-US")},
		"company name changed": {got.CompanyName, textOf("Contoso Ltd")},
		"empty email":          {got.Email, nil},
		"id":                   {got.ID, textOf("p1")},
		"country, case only":   {got.DefaultAddress.Country, textOf("us")},
		"city is no code":      {got.DefaultAddress.City, textOf("REDMOND")},
		"empty phone number":   {got.DefaultAddress.PhoneNumber, nil},
	} {
		if (tc.got == nil) != (tc.want == nil) || (tc.got != nil && *tc.got != *tc.want) {
			t.Errorf("%s: got %v, want %v", name, orNil(tc.got), orNil(tc.want))
		}
	}
	if *read.Culture != "EN-US" || read.DefaultAddress.PhoneNumber == nil {
		t.Error("reconciling changed the profile read")
	}
	if reconcileBillingProfile(nil, configured) != nil {
		t.Error("no profile read must stay none")
	}
}

// orNil shows a nil pointer as such in a failure message.
func orNil(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// An update sets what the configuration sets: what it leaves null is left
// as Partner Center has it (never sent as ""), and so are the profile's own
// names.
func TestBillingProfileChanges(t *testing.T) {
	ch := billingProfileChanges(&partnercenter.BillingProfile{FirstName: textOf("kept out"), Email: textOf("a@b.example"),
		DefaultAddress: &partnercenter.Address{City: textOf("Oslo")}})
	if ch.FirstName != nil || ch.LastName != nil {
		t.Error("the computed names are sent")
	}
	if orNil(ch.Email) != "a@b.example" || ch.Culture != nil {
		t.Errorf("email %q, culture %v", orNil(ch.Email), ch.Culture)
	}
	if orNil(ch.DefaultAddress.City) != "Oslo" || ch.DefaultAddress.PhoneNumber != nil {
		t.Errorf("address %+v", ch.DefaultAddress)
	}
}

func TestNewTenantDomain(t *testing.T) {
	for domain, want := range map[string]string{
		"contoso":                 "contoso.onmicrosoft.com",
		"Contoso":                 "contoso.onmicrosoft.com",
		"contoso.onmicrosoft.com": "contoso.onmicrosoft.com",
		// The root's final dot and letter case name the same tenant.
		"trail.onmicrosoft.com.": "trail.onmicrosoft.com",
		"Trail.OnMicrosoft.com.": "trail.onmicrosoft.com",
		strings.Repeat("a", 27):  strings.Repeat("a", 27) + ".onmicrosoft.com",
	} {
		if err := checkNewTenantDomain(domain); err != nil {
			t.Errorf("%q refused: %v", domain, err)
		}
		if got := initialDomain(domain); got != want {
			t.Errorf("initialDomain(%q) = %q, want %q", domain, got, want)
		}
	}
	// A new tenant has only its initial domain: custom and deeper names
	// are added after its creation.
	for _, domain := range []string{"", ".onmicrosoft.com", "con_toso", "con-toso", "contoso..com", "cöntoso", strings.Repeat("a", 28),
		"contoso.com", "contoso.sub.onmicrosoft.com", "a.b", "xyz.ccsctp.net", "onmicrosoft.com"} {
		if checkNewTenantDomain(domain) == nil {
			t.Errorf("%q accepted", domain)
		}
	}
}
