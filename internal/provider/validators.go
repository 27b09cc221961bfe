package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// guidPattern matches a GUID in any letter case, as Partner Center accepts.
var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func guidValidator() validator.String {
	return stringvalidator.RegexMatches(guidPattern, "must be a GUID such as eebd1b55-5360-4438-a11d-5c06918c3014")
}

// endpointURLValidator rejects, at plan time, URLs the client would refuse:
// anything but https, except plain http to a loopback host. A CI ID-token
// URL may also carry a query string.
type endpointURLValidator struct {
	allowQuery bool
}

func (endpointURLValidator) Description(context.Context) string {
	return "must be an https URL, or http to a loopback address"
}

func (v endpointURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v endpointURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	check := partnercenter.CheckEndpointURL
	if v.allowQuery {
		check = partnercenter.CheckRequestURL
	}
	if err := check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL", err.Error())
	}
}
