package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// customerModel holds the attributes that partnercenter_customer and each
// element of partnercenter_customers share.
type customerModel struct {
	ID                    types.String         `tfsdk:"id"`
	CommerceID            types.String         `tfsdk:"commerce_id"`
	RelationshipToPartner types.String         `tfsdk:"relationship_to_partner"`
	AllowDelegatedAccess  types.Bool           `tfsdk:"allow_delegated_access"`
	AssociatedPartnerID   types.String         `tfsdk:"associated_partner_id"`
	CustomDomains         types.List           `tfsdk:"custom_domains"`
	Domains               types.List           `tfsdk:"domains"`
	CompanyProfile        *companyProfileModel `tfsdk:"company_profile"`
	BillingProfile        *billingProfileModel `tfsdk:"billing_profile"`
}

type companyProfileModel struct {
	TenantID    types.String  `tfsdk:"tenant_id"`
	Domain      types.String  `tfsdk:"domain"`
	CompanyName types.String  `tfsdk:"company_name"`
	Email       types.String  `tfsdk:"email"`
	Address     *addressModel `tfsdk:"address"`
}

type billingProfileModel struct {
	ID             types.String  `tfsdk:"id"`
	FirstName      types.String  `tfsdk:"first_name"`
	LastName       types.String  `tfsdk:"last_name"`
	Email          types.String  `tfsdk:"email"`
	Culture        types.String  `tfsdk:"culture"`
	Language       types.String  `tfsdk:"language"`
	CompanyName    types.String  `tfsdk:"company_name"`
	DefaultAddress *addressModel `tfsdk:"default_address"`
}

type addressModel struct {
	Country      types.String `tfsdk:"country"`
	Region       types.String `tfsdk:"region"`
	City         types.String `tfsdk:"city"`
	State        types.String `tfsdk:"state"`
	AddressLine1 types.String `tfsdk:"address_line1"`
	AddressLine2 types.String `tfsdk:"address_line2"`
	AddressLine3 types.String `tfsdk:"address_line3"`
	PostalCode   types.String `tfsdk:"postal_code"`
	FirstName    types.String `tfsdk:"first_name"`
	LastName     types.String `tfsdk:"last_name"`
	PhoneNumber  types.String `tfsdk:"phone_number"`
}

// newCustomerModel maps the API's customer; what the response lacks is null.
func newCustomerModel(ctx context.Context, c *partnercenter.Customer) (customerModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := customerModel{
		ID:                    types.StringPointerValue(c.ID),
		CommerceID:            types.StringPointerValue(c.CommerceID),
		RelationshipToPartner: types.StringPointerValue(c.RelationshipToPartner),
		AllowDelegatedAccess:  types.BoolPointerValue(c.AllowDelegatedAccess),
		AssociatedPartnerID:   types.StringPointerValue(c.AssociatedPartnerID),
		CompanyProfile:        newCompanyProfileModel(c.CompanyProfile),
		BillingProfile:        newBillingProfileModel(c.BillingProfile),
		CustomDomains:         types.ListNull(types.StringType),
	}
	if c.CustomDomains != nil {
		var d diag.Diagnostics
		m.CustomDomains, d = types.ListValueFrom(ctx, types.StringType, c.CustomDomains)
		diags.Append(d...)
	}
	domains, d := types.ListValueFrom(ctx, types.StringType, nonNil(c.Domains()))
	diags.Append(d...)
	m.Domains = domains
	return m, diags
}

// nonNil keeps domains a known, empty list when a customer has none: users
// iterate over it with for_each.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func newCompanyProfileModel(p *partnercenter.CompanyProfile) *companyProfileModel {
	if p == nil {
		return nil
	}
	return &companyProfileModel{
		TenantID:    types.StringPointerValue(p.TenantID),
		Domain:      types.StringPointerValue(p.Domain),
		CompanyName: types.StringPointerValue(p.CompanyName),
		Email:       types.StringPointerValue(p.Email),
		Address:     newAddressModel(p.Address),
	}
}

func newBillingProfileModel(p *partnercenter.BillingProfile) *billingProfileModel {
	if p == nil {
		return nil
	}
	return &billingProfileModel{
		ID:             types.StringPointerValue(p.ID),
		FirstName:      types.StringPointerValue(p.FirstName),
		LastName:       types.StringPointerValue(p.LastName),
		Email:          types.StringPointerValue(p.Email),
		Culture:        types.StringPointerValue(p.Culture),
		Language:       types.StringPointerValue(p.Language),
		CompanyName:    types.StringPointerValue(p.CompanyName),
		DefaultAddress: newAddressModel(p.DefaultAddress),
	}
}

func newAddressModel(a *partnercenter.Address) *addressModel {
	if a == nil {
		return nil
	}
	return &addressModel{
		Country:      types.StringPointerValue(a.Country),
		Region:       types.StringPointerValue(a.Region),
		City:         types.StringPointerValue(a.City),
		State:        types.StringPointerValue(a.State),
		AddressLine1: types.StringPointerValue(a.AddressLine1),
		AddressLine2: types.StringPointerValue(a.AddressLine2),
		AddressLine3: types.StringPointerValue(a.AddressLine3),
		PostalCode:   types.StringPointerValue(a.PostalCode),
		FirstName:    types.StringPointerValue(a.FirstName),
		LastName:     types.StringPointerValue(a.LastName),
		PhoneNumber:  types.StringPointerValue(a.PhoneNumber),
	}
}
