package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// billingProfileFields and addressFields pair each attribute of
// billing_profile and its default_address with the member it sets, so that
// reading a value, reconciling and building a change walk one list.
func billingProfileFields(p *partnercenter.BillingProfile) map[string]**string {
	return map[string]**string{
		"id": &p.ID, "first_name": &p.FirstName, "last_name": &p.LastName, "email": &p.Email,
		"culture": &p.Culture, "language": &p.Language, "company_name": &p.CompanyName,
	}
}

func addressFields(a *partnercenter.Address) map[string]**string {
	return map[string]**string{
		"country": &a.Country, "region": &a.Region, "city": &a.City, "state": &a.State, "district": &a.District,
		"address_line1": &a.AddressLine1, "address_line2": &a.AddressLine2, "address_line3": &a.AddressLine3,
		"postal_code": &a.PostalCode, "first_name": &a.FirstName, "middle_name": &a.MiddleName,
		"last_name": &a.LastName, "email_address": &a.EmailAddress, "phone_number": &a.PhoneNumber,
	}
}

// billingProfileFromValue reads billing_profile from a plan or state; nil
// when it is null. Unknown members read as null.
func billingProfileFromValue(v tftypes.Value) (*partnercenter.BillingProfile, error) {
	if v.IsNull() || !v.IsKnown() {
		return nil, nil
	}
	attrs := map[string]tftypes.Value{}
	if err := v.As(&attrs); err != nil {
		return nil, fmt.Errorf("billing_profile: %w", err)
	}
	p := &partnercenter.BillingProfile{}
	if err := readStrings(attrs, billingProfileFields(p)); err != nil {
		return nil, fmt.Errorf("billing_profile: %w", err)
	}
	if address := attrs["default_address"]; !address.IsNull() && address.IsKnown() {
		inner := map[string]tftypes.Value{}
		if err := address.As(&inner); err != nil {
			return nil, fmt.Errorf("billing_profile.default_address: %w", err)
		}
		p.DefaultAddress = &partnercenter.Address{}
		if err := readStrings(inner, addressFields(p.DefaultAddress)); err != nil {
			return nil, fmt.Errorf("billing_profile.default_address: %w", err)
		}
	}
	return p, nil
}

func readStrings(attrs map[string]tftypes.Value, fields map[string]**string) error {
	for name, field := range fields {
		v := attrs[name]
		if v.IsNull() || !v.IsKnown() {
			continue
		}
		var s string
		if err := v.As(&s); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		*field = &s
	}
	return nil
}

// caseInsensitiveFields are codes Partner Center may answer in another
// letter case than sent (en-US, EN-US); the configuration's spelling stays.
var caseInsensitiveFields = map[string]bool{"culture": true, "language": true, "country": true}

// reconcileBillingProfile is the profile Partner Center answered, as the
// state holds it against what the configuration (or the prior state) says:
// an empty member is null, as the service answers "" for what was never set,
// and a code differing only in letter case keeps the configuration's case,
// so neither shows as a change.
func reconcileBillingProfile(read, configured *partnercenter.BillingProfile) *partnercenter.BillingProfile {
	if read == nil {
		return nil
	}
	out := *read
	if configured == nil {
		configured = &partnercenter.BillingProfile{}
	}
	reconcileFields(billingProfileFields(&out), billingProfileFields(configured))
	if read.DefaultAddress != nil {
		address := *read.DefaultAddress
		configuredAddress := configured.DefaultAddress
		if configuredAddress == nil {
			configuredAddress = &partnercenter.Address{}
		}
		reconcileFields(addressFields(&address), addressFields(configuredAddress))
		out.DefaultAddress = &address
	}
	return &out
}

func reconcileFields(read, configured map[string]**string) {
	for name, field := range read {
		switch want := *configured[name]; {
		case *field != nil && **field == "":
			*field = nil
		case *field != nil && want != nil && caseInsensitiveFields[name] && strings.EqualFold(**field, *want):
			*field = want
		}
	}
}

// billingProfileChanges is the whole profile the configuration sets, as the
// change that replaces the profile just read: a member the configuration
// leaves null is sent empty, which clears it. The computed members (the
// profile's own names) are left as they are.
func billingProfileChanges(p *partnercenter.BillingProfile) partnercenter.BillingProfileChanges {
	orEmpty := func(s *string) *string {
		if s == nil {
			return new(string)
		}
		return s
	}
	address := &partnercenter.Address{}
	if p.DefaultAddress != nil {
		*address = *p.DefaultAddress
	}
	for _, field := range addressFields(address) {
		*field = orEmpty(*field)
	}
	return partnercenter.BillingProfileChanges{
		Email: orEmpty(p.Email), Culture: orEmpty(p.Culture), Language: orEmpty(p.Language), CompanyName: orEmpty(p.CompanyName),
		DefaultAddress: address,
	}
}

// newCustomerRequest is what creating the configured customer sends.
func newCustomerRequest(domain, registrationNumber string, enableGDAP bool, p *partnercenter.BillingProfile) partnercenter.NewCustomer {
	a := p.DefaultAddress
	if a == nil {
		a = &partnercenter.Address{}
	}
	return partnercenter.NewCustomer{
		CompanyProfile: partnercenter.NewCompanyProfile{Domain: domain, OrganizationRegistrationNumber: registrationNumber},
		BillingProfile: partnercenter.NewBillingProfile{
			Email: deref(p.Email), Culture: deref(p.Culture), Language: deref(p.Language), CompanyName: deref(p.CompanyName),
			DefaultAddress: partnercenter.PostalAddress{
				FirstName: deref(a.FirstName), LastName: deref(a.LastName), AddressLine1: deref(a.AddressLine1),
				AddressLine2: deref(a.AddressLine2), AddressLine3: deref(a.AddressLine3), City: deref(a.City),
				State: deref(a.State), Region: deref(a.Region), District: deref(a.District), PostalCode: deref(a.PostalCode),
				Country: deref(a.Country), PhoneNumber: deref(a.PhoneNumber),
			},
		},
		EnableGDAPByDefault: enableGDAP,
	}
}
