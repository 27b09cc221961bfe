package partnercenter

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestCustomerDomains(t *testing.T) {
	tests := []struct {
		name     string
		customer *Customer
		want     []string
	}{
		{"nil customer", nil, nil},
		{"nothing", &Customer{}, []string{}},
		{"profile domain first", &Customer{
			CompanyProfile: &CompanyProfile{Domain: new("contoso.onmicrosoft.com")},
			CustomDomains:  []string{"contoso.com", "contoso.de"},
		}, []string{"contoso.onmicrosoft.com", "contoso.com", "contoso.de"}},
		{"repeats ignoring case keep the first spelling", &Customer{
			CompanyProfile: &CompanyProfile{Domain: new("Contoso.com")},
			CustomDomains:  []string{"contoso.COM", "fabrikam.com", "FABRIKAM.com"},
		}, []string{"Contoso.com", "fabrikam.com"}},
		{"blanks skipped", &Customer{
			CompanyProfile: &CompanyProfile{Domain: new("")},
			CustomDomains:  []string{"", " ", "a.com"},
		}, []string{"a.com"}},
		{"profile without domain", &Customer{
			CompanyProfile: &CompanyProfile{},
			CustomDomains:  []string{"a.com"},
		}, []string{"a.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.customer.Domains(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Domains() = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestCustomerDomainsWithheld(t *testing.T) {
	tests := []struct {
		body string
		want bool
	}{
		{`{"id":"c1"}`, true},
		{`{"id":"c1","customDomains":null}`, true},
		{`{"id":"c1","customDomains":[]}`, false},
		{`{"id":"c1","customDomains":["a.example"]}`, false},
	}
	for _, tt := range tests {
		var c Customer
		if err := json.Unmarshal([]byte(tt.body), &c); err != nil {
			t.Fatal(err)
		}
		if got := c.CustomDomainsWithheld(); got != tt.want {
			t.Errorf("%s: CustomDomainsWithheld() = %v, want %v", tt.body, got, tt.want)
		}
	}
	var none *Customer
	if none.CustomDomainsWithheld() {
		t.Error("a nil customer withholds nothing")
	}
}
