package customers

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// customerValues turns API customers into Terraform values of the schema's
// customer object type. It builds them directly rather than through the
// framework's struct reflection, which costs about 200 ms and 170 MB of
// allocations per 1,000 customers (it re-parses struct tags with a regexp for
// every field of every value); see DESIGN.md.
type customerValues struct {
	companyProfile, billingProfile, address tftypes.Object
}

// NewCustomerValues takes the object type of a customer from a schema.
func NewCustomerValues(customer tftypes.Object) (customerValues, error) {
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
func (v customerValues) Attributes(c *partnercenter.Customer) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"id":                      shared.StringValue(c.ID),
		"commerce_id":             shared.StringValue(c.CommerceID),
		"relationship_to_partner": shared.StringValue(c.RelationshipToPartner),
		"allow_delegated_access":  shared.BoolValue(c.AllowDelegatedAccess),
		"associated_partner_id":   shared.StringValue(c.AssociatedPartnerID),
		"enable_gdap_by_default":  shared.BoolValue(c.EnableGDAPByDefault),
		"tags":                    shared.StringListOrNull(c.Tags),
		"custom_domains":          shared.StringListOrNull(c.CustomDomains),
		// Never null: users iterate over it with for_each.
		"domains":         shared.StringList(c.Domains()),
		"company_profile": v.companyProfileValue(c.CompanyProfile),
		"billing_profile": v.BillingProfileValue(c.BillingProfile),
	}
}

func (v customerValues) companyProfileValue(p *partnercenter.CompanyProfile) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(v.companyProfile, nil)
	}
	return tftypes.NewValue(v.companyProfile, map[string]tftypes.Value{
		"tenant_id":                        shared.StringValue(p.TenantID),
		"domain":                           shared.StringValue(p.Domain),
		"company_name":                     shared.StringValue(p.CompanyName),
		"email":                            shared.StringValue(p.Email),
		"address":                          v.addressValue(p.Address),
		"organization_registration_number": shared.StringValue(p.OrganizationRegistrationNumber),
	})
}

func (v customerValues) BillingProfileValue(p *partnercenter.BillingProfile) tftypes.Value {
	if p == nil {
		return tftypes.NewValue(v.billingProfile, nil)
	}
	return tftypes.NewValue(v.billingProfile, map[string]tftypes.Value{
		"id":              shared.StringValue(p.ID),
		"first_name":      shared.StringValue(p.FirstName),
		"last_name":       shared.StringValue(p.LastName),
		"email":           shared.StringValue(p.Email),
		"culture":         shared.StringValue(p.Culture),
		"language":        shared.StringValue(p.Language),
		"company_name":    shared.StringValue(p.CompanyName),
		"default_address": v.addressValue(p.DefaultAddress),
	})
}

func (v customerValues) addressValue(a *partnercenter.Address) tftypes.Value {
	if a == nil {
		return tftypes.NewValue(v.address, nil)
	}
	return tftypes.NewValue(v.address, map[string]tftypes.Value{
		"country":       shared.StringValue(a.Country),
		"region":        shared.StringValue(a.Region),
		"city":          shared.StringValue(a.City),
		"state":         shared.StringValue(a.State),
		"district":      shared.StringValue(a.District),
		"address_line1": shared.StringValue(a.AddressLine1),
		"address_line2": shared.StringValue(a.AddressLine2),
		"address_line3": shared.StringValue(a.AddressLine3),
		"postal_code":   shared.StringValue(a.PostalCode),
		"first_name":    shared.StringValue(a.FirstName),
		"middle_name":   shared.StringValue(a.MiddleName),
		"last_name":     shared.StringValue(a.LastName),
		"email_address": shared.StringValue(a.EmailAddress),
		"phone_number":  shared.StringValue(a.PhoneNumber),
	})
}
