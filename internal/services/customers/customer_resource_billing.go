package customers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
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

// billingProfileChanges are the members the configuration sets, to be laid
// over the profile as read; a member it leaves null is left as Partner
// Center has it. The computed members (the profile's own names) are left as
// they are.
func billingProfileChanges(p *partnercenter.BillingProfile) partnercenter.BillingProfileChanges {
	var address *partnercenter.Address
	if p.DefaultAddress != nil {
		a := *p.DefaultAddress
		address = &a
	}
	return partnercenter.BillingProfileChanges{
		Email: p.Email, Culture: p.Culture, Language: p.Language, CompanyName: p.CompanyName, DefaultAddress: address,
	}
}

// profileDifferences names each member the plan sets that the profile
// holds otherwise, as "member: planned X, Partner Center Y".
func profileDifferences(profile, planned *partnercenter.BillingProfile) []string {
	var out []string
	if planned == nil {
		return nil
	}
	have := profile
	if have == nil {
		have = &partnercenter.BillingProfile{}
	}
	compare := func(prefix string, haveFields, wantFields map[string]**string) {
		for _, name := range sortedKeys(wantFields) {
			want, got := *wantFields[name], *haveFields[name]
			if want == nil || prefix == "" && slices.Contains(billingProfileComputed, name) {
				continue
			}
			if got == nil || *got != *want {
				out = append(out, fmt.Sprintf("%s%s: planned %q, Partner Center %s", prefix, name, *want, quotedOrNone(got)))
			}
		}
	}
	compare("", billingProfileFields(have), billingProfileFields(planned))
	if planned.DefaultAddress != nil {
		address := have.DefaultAddress
		if address == nil {
			address = &partnercenter.Address{}
		}
		compare("default_address.", addressFields(address), addressFields(planned.DefaultAddress))
	}
	return out
}

// withPlannedMembers is profile with every member the plan sets taken from
// the plan.
func withPlannedMembers(profile, planned *partnercenter.BillingProfile) *partnercenter.BillingProfile {
	out := partnercenter.BillingProfile{}
	if profile != nil {
		out = *profile
	}
	lay := func(to, from map[string]**string) {
		for name, field := range from {
			if *field != nil {
				*to[name] = *field
			}
		}
	}
	keepComputed := out
	lay(billingProfileFields(&out), billingProfileFields(planned))
	out.ID, out.FirstName, out.LastName = keepComputed.ID, keepComputed.FirstName, keepComputed.LastName
	if planned.DefaultAddress != nil {
		address := partnercenter.Address{}
		if out.DefaultAddress != nil {
			address = *out.DefaultAddress
		}
		lay(addressFields(&address), addressFields(planned.DefaultAddress))
		out.DefaultAddress = &address
	}
	return &out
}

func quotedOrNone(s *string) string {
	if s == nil {
		return "none"
	}
	return fmt.Sprintf("%q", *s)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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
			Email: shared.Deref(p.Email), Culture: shared.Deref(p.Culture), Language: shared.Deref(p.Language), CompanyName: shared.Deref(p.CompanyName),
			DefaultAddress: partnercenter.PostalAddress{
				FirstName: shared.Deref(a.FirstName), LastName: shared.Deref(a.LastName), AddressLine1: shared.Deref(a.AddressLine1),
				AddressLine2: shared.Deref(a.AddressLine2), AddressLine3: shared.Deref(a.AddressLine3), City: shared.Deref(a.City),
				State: shared.Deref(a.State), Region: shared.Deref(a.Region), District: shared.Deref(a.District), PostalCode: shared.Deref(a.PostalCode),
				Country: shared.Deref(a.Country), PhoneNumber: shared.Deref(a.PhoneNumber),
			},
		},
		EnableGDAPByDefault: enableGDAP,
	}
}
