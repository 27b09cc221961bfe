package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// customerValues turns API customers into Terraform values of the schema's
// customer object type. It builds them directly rather than through the
// framework's struct reflection, which costs about 200 ms and 170 MB of
// allocations per 1,000 customers (it re-parses struct tags with a regexp for
// every field of every value); see DESIGN.md.
type customerValues struct {
	companyProfile, billingProfile, address tftypes.Object
}

// newCustomerValues takes the object type of a customer from a schema.
func newCustomerValues(customer tftypes.Object) (customerValues, error) {
	var v customerValues
	var ok bool
	if v.companyProfile, ok = customer.AttributeTypes["company_profile"].(tftypes.Object); !ok {
		return v, fmt.Errorf("company_profile is %s, not an object", customer.AttributeTypes["company_profile"])
	}
	if v.billingProfile, ok = customer.AttributeTypes["billing_profile"].(tftypes.Object); !ok {
		return v, fmt.Errorf("billing_profile is %s, not an object", customer.AttributeTypes["billing_profile"])
	}
	if v.address, ok = v.companyProfile.AttributeTypes["address"].(tftypes.Object); !ok {
		return v, fmt.Errorf("company_profile.address is %s, not an object", v.companyProfile.AttributeTypes["address"])
	}
	return v, nil
}

// attributes returns the customer's attributes; what the API left out is null.
func (v customerValues) attributes(c *partnercenter.Customer) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"id":                      stringValue(c.ID),
		"commerce_id":             stringValue(c.CommerceID),
		"relationship_to_partner": stringValue(c.RelationshipToPartner),
		"allow_delegated_access":  boolValue(c.AllowDelegatedAccess),
		"associated_partner_id":   stringValue(c.AssociatedPartnerID),
		"enable_gdap_by_default":  boolValue(c.EnableGDAPByDefault),
		"tags":                    stringListOrNull(c.Tags),
		"custom_domains":          stringListOrNull(c.CustomDomains),
		// Never null: users iterate over it with for_each.
		"domains":         stringList(c.Domains()),
		"company_profile": v.companyProfileValue(c.CompanyProfile),
		"billing_profile": v.billingProfileValue(c.BillingProfile),
	}
}

func (v customerValues) companyProfileValue(p *partnercenter.CompanyProfile) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(v.companyProfile, nil)
	}
	return tftypes.NewValue(v.companyProfile, map[string]tftypes.Value{
		"tenant_id":                        stringValue(p.TenantID),
		"domain":                           stringValue(p.Domain),
		"company_name":                     stringValue(p.CompanyName),
		"email":                            stringValue(p.Email),
		"address":                          v.addressValue(p.Address),
		"organization_registration_number": stringValue(p.OrganizationRegistrationNumber),
	})
}

func (v customerValues) billingProfileValue(p *partnercenter.BillingProfile) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(v.billingProfile, nil)
	}
	return tftypes.NewValue(v.billingProfile, map[string]tftypes.Value{
		"id":              stringValue(p.ID),
		"first_name":      stringValue(p.FirstName),
		"last_name":       stringValue(p.LastName),
		"email":           stringValue(p.Email),
		"culture":         stringValue(p.Culture),
		"language":        stringValue(p.Language),
		"company_name":    stringValue(p.CompanyName),
		"default_address": v.addressValue(p.DefaultAddress),
	})
}

func (v customerValues) addressValue(a *partnercenter.Address) tftypes.Value {
	if a == nil {
		return tftypes.NewValue(v.address, nil)
	}
	return tftypes.NewValue(v.address, map[string]tftypes.Value{
		"country":       stringValue(a.Country),
		"region":        stringValue(a.Region),
		"city":          stringValue(a.City),
		"state":         stringValue(a.State),
		"district":      stringValue(a.District),
		"address_line1": stringValue(a.AddressLine1),
		"address_line2": stringValue(a.AddressLine2),
		"address_line3": stringValue(a.AddressLine3),
		"postal_code":   stringValue(a.PostalCode),
		"first_name":    stringValue(a.FirstName),
		"middle_name":   stringValue(a.MiddleName),
		"last_name":     stringValue(a.LastName),
		"email_address": stringValue(a.EmailAddress),
		"phone_number":  stringValue(a.PhoneNumber),
	})
}
