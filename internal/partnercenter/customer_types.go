package partnercenter

import (
	"encoding/json"
	"strings"
)

// Customer is a Partner Center customer. Every scalar is a pointer so that
// a field the API left out stays distinguishable from an empty one.
type Customer struct {
	// ID is the customer's Entra ID tenant id.
	ID                    *string         `json:"id"`
	CommerceID            *string         `json:"commerceId"`
	CompanyProfile        *CompanyProfile `json:"companyProfile"`
	BillingProfile        *BillingProfile `json:"billingProfile"`
	RelationshipToPartner *string         `json:"relationshipToPartner"`
	AllowDelegatedAccess  *bool           `json:"allowDelegatedAccess"`
	CustomDomains         []string        `json:"customDomains"`
	// AssociatedPartnerID is the indirect reseller's id, when there is one.
	AssociatedPartnerID *string  `json:"associatedPartnerId"`
	EnableGDAPByDefault *bool    `json:"enableGDAPByDefault"`
	Tags                []string `json:"tags"`
}

// CompanyProfile is the customer's organisation as Partner Center knows it.
type CompanyProfile struct {
	TenantID    *string  `json:"tenantId"`
	Domain      *string  `json:"domain"`
	CompanyName *string  `json:"companyName"`
	Email       *string  `json:"email"`
	Address     *Address `json:"address"`
	// OrganizationRegistrationNumber is required for customers in some countries.
	OrganizationRegistrationNumber *string `json:"organizationRegistrationNumber"`
}

// BillingProfile is the customer's billing contact. List results omit it.
type BillingProfile struct {
	ID             *string  `json:"id"`
	FirstName      *string  `json:"firstName"`
	LastName       *string  `json:"lastName"`
	Email          *string  `json:"email"`
	Culture        *string  `json:"culture"`
	Language       *string  `json:"language"`
	CompanyName    *string  `json:"companyName"`
	DefaultAddress *Address `json:"defaultAddress"`
	// Attributes carry the profile's etag, which a replacement of the
	// profile must send as If-Match.
	Attributes *ProfileAttributes `json:"attributes"`
}

// ProfileAttributes are a profile's service members.
type ProfileAttributes struct {
	// ETag is kept as sent: Partner Center writes it as a string, but a
	// number must not make the whole customer unreadable.
	ETag json.RawMessage `json:"etag"`
}

// ETag is the profile's etag, "" when Partner Center sent none.
func (p *BillingProfile) ETag() string {
	if p == nil || p.Attributes == nil {
		return ""
	}
	return sanitizeServerText(rawText(p.Attributes.ETag))
}

// Address is a postal address with its contact.
type Address struct {
	Country      *string `json:"country"`
	Region       *string `json:"region"`
	City         *string `json:"city"`
	State        *string `json:"state"`
	District     *string `json:"district"`
	AddressLine1 *string `json:"addressLine1"`
	AddressLine2 *string `json:"addressLine2"`
	AddressLine3 *string `json:"addressLine3"`
	PostalCode   *string `json:"postalCode"`
	FirstName    *string `json:"firstName"`
	MiddleName   *string `json:"middleName"`
	LastName     *string `json:"lastName"`
	EmailAddress *string `json:"emailAddress"`
	PhoneNumber  *string `json:"phoneNumber"`
}

// CustomDomainsWithheld reports that the response left customDomains out,
// which Partner Center does when the partner's DAP or GDAP roles do not
// cover the customer (it then also leaves out the company address and
// email). An empty list is not withheld: the customer has no custom domain.
func (c *Customer) CustomDomainsWithheld() bool {
	return c != nil && c.CustomDomains == nil
}

// Domains returns the company profile's domain followed by the custom
// domains, without blank strings and without repeats (compared ignoring
// letter case; the first spelling is kept).
func (c *Customer) Domains() []string {
	if c == nil {
		return nil
	}
	var candidates []string
	if c.CompanyProfile != nil && c.CompanyProfile.Domain != nil {
		candidates = append(candidates, *c.CompanyProfile.Domain)
	}
	candidates = append(candidates, c.CustomDomains...)
	out := make([]string, 0, len(candidates))
	seen := make(map[string]bool, len(candidates))
	for _, d := range candidates {
		key := strings.ToLower(d)
		if strings.TrimSpace(d) == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, d)
	}
	return out
}
