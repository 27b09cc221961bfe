package customers

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// customerModel holds the attributes a customer's read computes, which the
// data source and the resource share (customerAttributes). The nested
// objects are types.Object: a plan may leave them unknown.
type customerModel struct {
	ID                    types.String `tfsdk:"id"`
	CommerceID            types.String `tfsdk:"commerce_id"`
	RelationshipToPartner types.String `tfsdk:"relationship_to_partner"`
	AllowDelegatedAccess  types.Bool   `tfsdk:"allow_delegated_access"`
	AssociatedPartnerID   types.String `tfsdk:"associated_partner_id"`
	EnableGDAPByDefault   types.Bool   `tfsdk:"enable_gdap_by_default"`
	Tags                  types.List   `tfsdk:"tags"`
	CustomDomains         types.List   `tfsdk:"custom_domains"`
	Domains               types.List   `tfsdk:"domains"`
	CompanyProfile        types.Object `tfsdk:"company_profile"`
	BillingProfile        types.Object `tfsdk:"billing_profile"`
}

type companyProfileModel struct {
	TenantID                       types.String `tfsdk:"tenant_id"`
	Domain                         types.String `tfsdk:"domain"`
	CompanyName                    types.String `tfsdk:"company_name"`
	Email                          types.String `tfsdk:"email"`
	Address                        types.Object `tfsdk:"address"`
	OrganizationRegistrationNumber types.String `tfsdk:"organization_registration_number"`
}

type billingProfileModel struct {
	ID             types.String `tfsdk:"id"`
	FirstName      types.String `tfsdk:"first_name"`
	LastName       types.String `tfsdk:"last_name"`
	Email          types.String `tfsdk:"email"`
	Culture        types.String `tfsdk:"culture"`
	Language       types.String `tfsdk:"language"`
	CompanyName    types.String `tfsdk:"company_name"`
	DefaultAddress types.Object `tfsdk:"default_address"`
}

type addressModel struct {
	Country      types.String `tfsdk:"country"`
	Region       types.String `tfsdk:"region"`
	City         types.String `tfsdk:"city"`
	State        types.String `tfsdk:"state"`
	District     types.String `tfsdk:"district"`
	AddressLine1 types.String `tfsdk:"address_line1"`
	AddressLine2 types.String `tfsdk:"address_line2"`
	AddressLine3 types.String `tfsdk:"address_line3"`
	PostalCode   types.String `tfsdk:"postal_code"`
	FirstName    types.String `tfsdk:"first_name"`
	MiddleName   types.String `tfsdk:"middle_name"`
	LastName     types.String `tfsdk:"last_name"`
	EmailAddress types.String `tfsdk:"email_address"`
	PhoneNumber  types.String `tfsdk:"phone_number"`
}

// The attribute types of the nested objects, taken from the schema so that
// their names are written only there. The resource's billing_profile has
// the same names and types.
var (
	companyProfileTypes = shared.AttributeTypes(companyProfileAttribute().GetType())
	billingProfileTypes = shared.AttributeTypes(billingProfileAttribute().GetType())
	addressTypes        = shared.AttributeTypes(addressAttribute("").GetType())
)

// Conversions from Partner Center's customer to the model; what the API
// left out is null. Their errors, a model out of step with its schema, go
// to diags.

func customerModelOf(c *partnercenter.Customer, diags *diag.Diagnostics) customerModel {
	return customerModel{
		ID:                    types.StringPointerValue(c.ID),
		CommerceID:            types.StringPointerValue(c.CommerceID),
		RelationshipToPartner: types.StringPointerValue(c.RelationshipToPartner),
		AllowDelegatedAccess:  types.BoolPointerValue(c.AllowDelegatedAccess),
		AssociatedPartnerID:   types.StringPointerValue(c.AssociatedPartnerID),
		EnableGDAPByDefault:   types.BoolPointerValue(c.EnableGDAPByDefault),
		Tags:                  shared.StringListOrNullOf(c.Tags, diags),
		CustomDomains:         shared.StringListOrNullOf(c.CustomDomains, diags),
		// Never null: users iterate over it with for_each.
		Domains:        shared.StringListOf(c.Domains(), diags),
		CompanyProfile: companyProfileValue(c.CompanyProfile, diags),
		BillingProfile: billingProfileValue(c.BillingProfile, diags),
	}
}

func companyProfileValue(p *partnercenter.CompanyProfile, diags *diag.Diagnostics) types.Object {
	if p == nil {
		return types.ObjectNull(companyProfileTypes)
	}
	return shared.ObjectOf(companyProfileTypes, companyProfileModel{
		TenantID:                       types.StringPointerValue(p.TenantID),
		Domain:                         types.StringPointerValue(p.Domain),
		CompanyName:                    types.StringPointerValue(p.CompanyName),
		Email:                          types.StringPointerValue(p.Email),
		Address:                        addressValue(p.Address, diags),
		OrganizationRegistrationNumber: types.StringPointerValue(p.OrganizationRegistrationNumber),
	}, diags)
}

func billingProfileValue(p *partnercenter.BillingProfile, diags *diag.Diagnostics) types.Object {
	if p == nil {
		return types.ObjectNull(billingProfileTypes)
	}
	return shared.ObjectOf(billingProfileTypes, billingProfileModel{
		ID:             types.StringPointerValue(p.ID),
		FirstName:      types.StringPointerValue(p.FirstName),
		LastName:       types.StringPointerValue(p.LastName),
		Email:          types.StringPointerValue(p.Email),
		Culture:        types.StringPointerValue(p.Culture),
		Language:       types.StringPointerValue(p.Language),
		CompanyName:    types.StringPointerValue(p.CompanyName),
		DefaultAddress: addressValue(p.DefaultAddress, diags),
	}, diags)
}

func addressValue(a *partnercenter.Address, diags *diag.Diagnostics) types.Object {
	if a == nil {
		return types.ObjectNull(addressTypes)
	}
	return shared.ObjectOf(addressTypes, addressModel{
		Country:      types.StringPointerValue(a.Country),
		Region:       types.StringPointerValue(a.Region),
		City:         types.StringPointerValue(a.City),
		State:        types.StringPointerValue(a.State),
		District:     types.StringPointerValue(a.District),
		AddressLine1: types.StringPointerValue(a.AddressLine1),
		AddressLine2: types.StringPointerValue(a.AddressLine2),
		AddressLine3: types.StringPointerValue(a.AddressLine3),
		PostalCode:   types.StringPointerValue(a.PostalCode),
		FirstName:    types.StringPointerValue(a.FirstName),
		MiddleName:   types.StringPointerValue(a.MiddleName),
		LastName:     types.StringPointerValue(a.LastName),
		EmailAddress: types.StringPointerValue(a.EmailAddress),
		PhoneNumber:  types.StringPointerValue(a.PhoneNumber),
	}, diags)
}

// Conversions from a plan or state's billing_profile to Partner Center's.

// billingProfileOf is the billing profile a plan or state holds; nil when it
// is null or unknown. Unknown members read as null.
func billingProfileOf(ctx context.Context, v types.Object, diags *diag.Diagnostics) *partnercenter.BillingProfile {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	var m billingProfileModel
	if diags.Append(v.As(ctx, &m, basetypes.ObjectAsOptions{})...); diags.HasError() {
		return nil
	}
	p := &partnercenter.BillingProfile{
		ID: knownString(m.ID), FirstName: knownString(m.FirstName), LastName: knownString(m.LastName),
		Email: knownString(m.Email), Culture: knownString(m.Culture), Language: knownString(m.Language),
		CompanyName: knownString(m.CompanyName),
	}
	if m.DefaultAddress.IsNull() || m.DefaultAddress.IsUnknown() {
		return p
	}
	var a addressModel
	if diags.Append(m.DefaultAddress.As(ctx, &a, basetypes.ObjectAsOptions{})...); diags.HasError() {
		return nil
	}
	p.DefaultAddress = &partnercenter.Address{
		Country: knownString(a.Country), Region: knownString(a.Region), City: knownString(a.City),
		State: knownString(a.State), District: knownString(a.District), AddressLine1: knownString(a.AddressLine1),
		AddressLine2: knownString(a.AddressLine2), AddressLine3: knownString(a.AddressLine3),
		PostalCode: knownString(a.PostalCode), FirstName: knownString(a.FirstName), MiddleName: knownString(a.MiddleName),
		LastName: knownString(a.LastName), EmailAddress: knownString(a.EmailAddress), PhoneNumber: knownString(a.PhoneNumber),
	}
	return p
}

// knownString is s, nil when it is null or unknown.
func knownString(s types.String) *string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	return s.ValueStringPointer()
}
