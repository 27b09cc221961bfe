package customers

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// initialDomainSuffix completes a bare domain prefix into the tenant's
// initial domain, as Partner Center does when it creates the tenant.
const initialDomainSuffix = ".onmicrosoft.com"

// maxNewTenantPrefix is the longest domain prefix Partner Center takes for
// a new tenant's initial (.onmicrosoft.com) domain.
const maxNewTenantPrefix = 27

// initialDomain is the tenant domain a configured domain stands for:
// "contoso" is contoso.onmicrosoft.com, a dotted name is itself. Lower case
// and without a final dot (the root), as DNS names compare without either:
// "Contoso.onmicrosoft.com." is the same tenant.
func initialDomain(domain string) string {
	d := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
	if d != "" && !strings.Contains(d, ".") {
		d += initialDomainSuffix
	}
	return d
}

// checkNewTenantDomain reports why domain cannot name a new tenant: a new
// tenant has only its initial domain, <prefix>.onmicrosoft.com, whose
// prefix must be 1 to 27 letters and digits. A custom domain (contoso.com)
// or a deeper name is added to a tenant after its creation, never created
// with it. An existing customer's domain (adopted or imported) may hold
// hyphens or be custom: this rule is for creation only.
func checkNewTenantDomain(domain string) error {
	full := initialDomain(domain)
	if err := partnercenter.CheckDomainName(full); err != nil {
		return err
	}
	prefix, isInitial := strings.CutSuffix(full, initialDomainSuffix)
	if !isInitial || strings.Contains(prefix, ".") {
		return fmt.Errorf("a new tenant's domain is its initial domain, a prefix such as contoso or "+
			"contoso%s; %q is not one (custom domains are added to a tenant after its creation)", initialDomainSuffix, full)
	}
	for _, c := range prefix {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return fmt.Errorf("the domain prefix %q of a new tenant may hold only letters and digits", prefix)
		}
	}
	if len(prefix) > maxNewTenantPrefix {
		return fmt.Errorf("the domain prefix %q is %d characters long; a new tenant's prefix has at most %d",
			prefix, len(prefix), maxNewTenantPrefix)
	}
	return nil
}

// domainValidator checks at plan time, without a request, that a domain is
// a domain name or a bare prefix. Whether it can name a new tenant is
// checked once the plan knows the apply creates one.
type domainValidator struct{}

func (domainValidator) Description(context.Context) string {
	return "must be a domain prefix such as contoso, or a domain name such as contoso.onmicrosoft.com"
}

func (v domainValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v domainValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := partnercenter.CheckDomainName(initialDomain(req.ConfigValue.ValueString())); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid domain", fmt.Sprintf("%s: %s.", err, v.Description(ctx)))
	}
}

// patternValidator refuses a string that does not match pattern, saying
// what the value must be.
type patternValidator struct {
	pattern *regexp.Regexp
	want    string
}

func (v patternValidator) Description(context.Context) string { return "must be " + v.want }

func (v patternValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v patternValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || v.pattern.MatchString(req.ConfigValue.ValueString()) {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
		fmt.Sprintf("%q is not valid here: it must be %s.", req.ConfigValue.ValueString(), v.want))
}

// emailValidator takes one address: a local part, "@", and a domain of at
// least two labels, without spaces.
var emailValidator = patternValidator{
	pattern: regexp.MustCompile(`^[^@\s]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`),
	want:    "an email address such as billing@contoso.com",
}

// cultureValidator takes a culture name as Partner Center's billing profile
// holds it: a language code and a region, such as en-US or zh-Hant-TW.
var cultureValidator = patternValidator{
	pattern: regexp.MustCompile(`^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?-(?:[A-Za-z]{2}|[0-9]{3})$`),
	want:    "a culture name of a language and a region, such as en-US or fr-FR",
}

// languageValidator takes an ISO 639 language code such as en, optionally
// with a region (en-US).
var languageValidator = patternValidator{
	pattern: regexp.MustCompile(`^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$`),
	want:    "a language code such as en or de",
}

// countryValidator takes an ISO 3166-1 alpha-2 country code, in any letter
// case (Partner Center answers codes in either).
type countryValidator struct{}

func (countryValidator) Description(context.Context) string {
	return "must be an ISO 3166-1 alpha-2 country code such as US or DE"
}

func (v countryValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v countryValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	code := req.ConfigValue.ValueString()
	if len(code) == 2 && strings.Contains(iso3166Alpha2, strings.ToUpper(code)+" ") {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid country", fmt.Sprintf("%q is not a country code: it %s.", code, v.Description(ctx)))
}

// iso3166Alpha2 lists the officially assigned ISO 3166-1 alpha-2 codes, each
// followed by a space.
const iso3166Alpha2 = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS " +
	"BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ " +
	"FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT " +
	"JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP " +
	"MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE " +
	"RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
	"TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW "
