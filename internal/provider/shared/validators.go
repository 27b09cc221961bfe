package shared

import (
	"context"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// GUIDPattern matches a GUID in any letter case, as Partner Center accepts.
var GUIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func GUIDValidator() validator.String {
	return stringvalidator.RegexMatches(GUIDPattern, "must be a GUID such as eebd1b55-5360-4438-a11d-5c06918c3014")
}

// EndpointURLValidator rejects, at plan time, URLs the client would refuse:
// anything but https, except plain http to a loopback host. A CI ID-token
// URL may also carry a query string.
type EndpointURLValidator struct {
	AllowQuery bool
}

func (EndpointURLValidator) Description(context.Context) string {
	return "must be an https URL, or http to a loopback address"
}

func (v EndpointURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v EndpointURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	check := partnercenter.CheckEndpointURL
	if v.AllowQuery {
		check = partnercenter.CheckRequestURL
	}
	if err := check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL", err.Error())
	}
}

// IsTenantID accepts what Entra ID takes as a tenant in a token URL: a GUID
// or a domain name.
func IsTenantID(s string) bool {
	return GUIDPattern.MatchString(s) || partnercenter.CheckDomainName(s) == nil
}

// TenantIDValidator rejects, at plan time, a tenant that is neither a GUID
// nor a domain name.
type TenantIDValidator struct{}

func (TenantIDValidator) Description(context.Context) string {
	return "must be a GUID or a domain name such as contoso.onmicrosoft.com"
}

func (v TenantIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v TenantIDValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || IsTenantID(req.ConfigValue.ValueString()) {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid tenant ID", fmt.Sprintf("%q %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
}

// DomainNameValidator rejects, at plan time and without a request, a value
// that is not a DNS name: a megabyte of text would otherwise become a
// megabyte of query string.
type DomainNameValidator struct{}

func (DomainNameValidator) Description(context.Context) string {
	return "must be a domain name such as contoso.onmicrosoft.com"
}

func (v DomainNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (DomainNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := partnercenter.CheckDomainName(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid domain name", err.Error())
	}
}

// WholeNumberValidator accepts whole numbers from min to max. Counts are
// Number attributes checked here because an Int64 attribute turns 1.5 into
// an error that reads as a provider bug.
type WholeNumberValidator struct{ Min, Max int64 }

func (v WholeNumberValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a whole number from %d to %d", v.Min, v.Max)
}

func (v WholeNumberValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v WholeNumberValidator) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	f := req.ConfigValue.ValueBigFloat()
	if n, ok := WholeNumber(f); !ok || n < v.Min || n > v.Max {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid number", fmt.Sprintf("%s %s.", f.Text('g', -1), v.Description(ctx)))
	}
}

// WholeNumber returns f as an int64 when it is a whole number that fits.
func WholeNumber(f *big.Float) (int64, bool) {
	if f == nil || !f.IsInt() {
		return 0, false
	}
	n, accuracy := f.Int64()
	return n, accuracy == big.Exact
}

// positiveDurationValidator rejects a zero or negative timeouts.read at plan
// time: such a read could only end as a time-out. Unparsable values are left
// to the timeouts block's own validator.
type positiveDurationValidator struct{}

func (positiveDurationValidator) Description(context.Context) string {
	return "must be a duration longer than zero, such as 30s or 5m"
}

func (v positiveDurationValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v positiveDurationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err == nil && d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid timeout", fmt.Sprintf("%q %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}

// CatalogItemParts splits a new-commerce catalog item id,
// product:sku:availability, each part non-empty and free of white space.
func CatalogItemParts(id string) (product, sku, availability string, ok bool) {
	parts := strings.Split(id, ":")
	if len(parts) != 3 {
		return "", "", "", false
	}
	for _, p := range parts {
		if p == "" || strings.ContainsFunc(p, unicode.IsSpace) {
			return "", "", "", false
		}
	}
	return parts[0], parts[1], parts[2], true
}

// CatalogItemIDValidator rejects, at plan time, a catalog item id that is
// not product:sku:availability.
type CatalogItemIDValidator struct{}

func (CatalogItemIDValidator) Description(context.Context) string {
	return "must be product:sku:availability, such as CFQ7TTC0LH18:0001:CFQ7TTC0K971 (the catalog_item_id of partnercenter_product_availabilities)"
}

func (v CatalogItemIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v CatalogItemIDValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, _, _, ok := CatalogItemParts(req.ConfigValue.ValueString()); !ok {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid catalog item ID", fmt.Sprintf("%q %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}

// FriendlyNameValidator refuses an empty friendly_name: Partner Center
// keeps the current name when sent an empty one, so the plan would show
// the same change after every apply.
type FriendlyNameValidator struct{}

func (FriendlyNameValidator) Description(context.Context) string {
	return "must not be empty or blank (leave the argument out to keep the current name)"
}

func (v FriendlyNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v FriendlyNameValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || strings.TrimSpace(req.ConfigValue.ValueString()) != "" {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Empty friendly_name", fmt.Sprintf("friendly_name is %q: it %s. Partner Center "+
		"keeps the subscription's current name when sent an empty one, so the change would never be made and every plan "+
		"would show it again. Nothing was sent.", req.ConfigValue.ValueString(), v.Description(ctx)))
}
