package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// initialDomainSuffix completes a bare domain prefix into the tenant's
// initial domain, as Partner Center does when it creates the tenant.
const initialDomainSuffix = ".onmicrosoft.com"

// initialDomain is the tenant domain a configured domain stands for:
// "contoso" is contoso.onmicrosoft.com, a dotted name is itself. Lower case,
// as domains compare without regard to it.
func initialDomain(domain string) string {
	d := strings.ToLower(strings.TrimSpace(domain))
	if !strings.Contains(d, ".") {
		d += initialDomainSuffix
	}
	return d
}

// checkNewTenantDomain reports why domain cannot name a new tenant: its
// first label, the prefix, must be letters and digits only, and the whole a
// domain name.
func checkNewTenantDomain(domain string) error {
	prefix, _, _ := strings.Cut(domain, ".")
	if prefix == "" {
		return fmt.Errorf("%q has no domain prefix", domain)
	}
	for _, c := range prefix {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return fmt.Errorf("the domain prefix %q may hold only letters and digits", prefix)
		}
	}
	return partnercenter.CheckDomainName(initialDomain(domain))
}

// newTenantDomainValidator checks at plan time, without a request, that a
// domain can name a new tenant.
type newTenantDomainValidator struct{}

func (newTenantDomainValidator) Description(context.Context) string {
	return "must be a domain prefix of letters and digits, such as contoso, or a name such as contoso.onmicrosoft.com"
}

func (v newTenantDomainValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v newTenantDomainValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkNewTenantDomain(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid domain", fmt.Sprintf("%s: %s.", err, v.Description(ctx)))
	}
}
