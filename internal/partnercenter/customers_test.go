package partnercenter

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestGetCustomerDecodesTheFixture(t *testing.T) {
	fixture := apiFixture(t)
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/v1/customers/"+fixtureCustomerID || r.URL.RawQuery != "" {
			t.Errorf("request %s %s", r.Method, r.URL)
		}
		writeJSON(w, http.StatusOK, string(fixture))
	}))
	got, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
	if err != nil {
		t.Fatal(err)
	}
	want := &Customer{
		ID:         new(fixtureCustomerID),
		CommerceID: new("99e6a635-48e7-424d-9059-c9db944e3c54"),
		CompanyProfile: &CompanyProfile{
			TenantID:    new(fixtureCustomerID),
			Domain:      new("abcdefgh1234.ccsctp.net"),
			CompanyName: new("1kl as kjk"),
			Email:       new("a@a.com"),
			Address: &Address{
				Country: new("US"), Region: new("wa"), City: new("redmond"), AddressLine1: new("1 ms way"),
				PostalCode: new("98052"), PhoneNumber: new("1234567890"),
			},
		},
		BillingProfile: &BillingProfile{
			ID:          new("eeada110-69d6-4cc9-b093-75feb7ca9d3f"),
			FirstName:   new("Jasond0d89d776d03471c819bf772191ed728"),
			LastName:    new("kjkAJJAAAAAAAAAAAAAAAAAAAA"),
			Email:       new("a@a.com"),
			Culture:     new("en-US"),
			Language:    new("en"),
			CompanyName: new("1kl as kjkAAAAAAAAAAAAAAAJJJJJJJJJJJAAAAAJJJJJJJJJJJAAJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJAJJJJJAJJAAAAJAJJAAAAAAAAAAAAAAAAAAAA"),
			DefaultAddress: &Address{
				Country: new("US"), City: new("redmond"), State: new("WA"), AddressLine1: new("1 ms way"),
				PostalCode: new("98052"), FirstName: new("1kl as"), LastName: new("kjk"), PhoneNumber: new("1234567890"),
			},
			Attributes: &ProfileAttributes{ETag: json.RawMessage(`"-4242348048554929329"`)},
		},
		RelationshipToPartner: new("reseller"),
		AllowDelegatedAccess:  new(true),
		CustomDomains:         []string{"abcdefgh1234.ccsctp.net"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded customer differs:\ngot  %s\nwant %s", dumpCustomer(got), dumpCustomer(want))
	}
	if got.AssociatedPartnerID != nil || got.CompanyProfile.Address.State != nil || got.BillingProfile.DefaultAddress.Region != nil {
		t.Error("fields absent from the fixture must stay nil")
	}
}

func TestGetCustomerKeepsAbsentFieldsNil(t *testing.T) {
	tests := []struct {
		name, body string
		want       Customer
	}{
		{"only an id", `{"id":"c1"}`, Customer{ID: new("c1")}},
		{"empty objects", `{"id":"c1","companyProfile":{},"billingProfile":{"defaultAddress":{}}}`,
			Customer{ID: new("c1"), CompanyProfile: &CompanyProfile{}, BillingProfile: &BillingProfile{DefaultAddress: &Address{}}}},
		{"empty strings and false stay set", `{"id":"c1","commerceId":"","allowDelegatedAccess":false,"customDomains":[]}`,
			Customer{ID: new("c1"), CommerceID: new(""), AllowDelegatedAccess: new(false), CustomDomains: []string{}}},
		{"explicit nulls", `{"id":"c1","commerceId":null,"companyProfile":null,"associatedPartnerId":null}`,
			Customer{ID: new("c1")}},
		{"indirect reseller", `{"id":"c1","associatedPartnerId":"p9"}`, Customer{ID: new("c1"), AssociatedPartnerID: new("p9")}},
		{"documented fields beyond the sample",
			`{"id":"c1","enableGDAPByDefault":false,"tags":["a","b"],"companyProfile":{"organizationRegistrationNumber":"R1",` +
				`"address":{"district":"D","middleName":"M","emailAddress":"e@x"}},"billingProfile":{"defaultAddress":{"middleName":""}}}`,
			Customer{
				ID: new("c1"), EnableGDAPByDefault: new(false), Tags: []string{"a", "b"},
				CompanyProfile: &CompanyProfile{
					OrganizationRegistrationNumber: new("R1"),
					Address:                        &Address{District: new("D"), MiddleName: new("M"), EmailAddress: new("e@x")},
				},
				BillingProfile: &BillingProfile{DefaultAddress: &Address{MiddleName: new("")}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, tt.body)
			}))
			got, err := env.client.GetCustomer(t.Context(), "c1")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %s\nwant %s", dumpCustomer(got), dumpCustomer(&tt.want))
			}
		})
	}
}

func TestGetCustomerChecksTheID(t *testing.T) {
	tests := []struct {
		name, body, wantErr string
	}{
		{"same id in another case", `{"id":"EEBD1B55-5360-4438-A11D-5C06918C3014"}`, ""},
		{"another customer", `{"id":"0f8fad5b-d9cb-469f-a165-70867728950e"}`, `the response is for id "0f8fad5b-d9cb-469f-a165-70867728950e"`},
		{"no id", `{"commerceId":"x"}`, "the response is for no id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, tt.body)
			}))
			_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ire *InvalidResponseError
			if !errors.As(err, &ire) || !strings.Contains(err.Error(), tt.wantErr) || ire.RequestID != "resp-request-id" {
				t.Fatalf("err = %v, want *InvalidResponseError containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestGetCustomerEscapesTheID(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.EscapedPath() != "/v1/customers/a%2Fb%20c%3F" {
			t.Errorf("path %q", r.URL.EscapedPath())
		}
		writeJSON(w, http.StatusOK, `{"id":"a/b c?"}`)
	}))
	if _, err := env.client.GetCustomer(t.Context(), "a/b c?"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.client.GetCustomer(t.Context(), " "); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("blank id: err = %v", err)
	}
}

// dumpCustomer shows pointer fields by value in failure messages.
func dumpCustomer(c *Customer) string {
	if c == nil {
		return "<nil>"
	}
	var b strings.Builder
	var walk func(v reflect.Value, name string)
	walk = func(v reflect.Value, name string) {
		switch {
		case v.Kind() == reflect.Pointer && v.IsNil():
		case v.Kind() == reflect.Pointer:
			walk(v.Elem(), name)
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), name+"."+v.Type().Field(i).Name)
			}
		default:
			fmt.Fprintf(&b, "%s=%q ", name, fmt.Sprint(v.Interface()))
		}
	}
	walk(reflect.ValueOf(c), "")
	return b.String()
}
