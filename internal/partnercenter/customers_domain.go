package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// CustomerDomainNotFoundError says that no customer of the partner has the
// domain. It matches ErrNotFound with errors.Is.
type CustomerDomainNotFoundError struct {
	Domain string
}

// Error names the domain.
func (e *CustomerDomainNotFoundError) Error() string {
	return fmt.Sprintf("no customer has the domain %q", e.Domain)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *CustomerDomainNotFoundError) Is(target error) bool { return target == ErrNotFound }

// AmbiguousDomainError says that more than one customer has the domain, so
// the caller must choose by tenant id.
type AmbiguousDomainError struct {
	Domain    string
	TenantIDs []string
}

// Error names the domain and the matching tenants.
func (e *AmbiguousDomainError) Error() string {
	return fmt.Sprintf("%d customers have the domain %q (tenant ids %s); use a customer id instead",
		len(e.TenantIDs), e.Domain, strings.Join(e.TenantIDs, ", "))
}

// GetCustomerByDomain finds the customer whose company profile domain is
// domain, ignoring letter case, and returns its full record. The service
// can only filter by prefix, so the exact match is made here: a search for
// contoso.com must not pick contoso.com.au.
func (c *Client) GetCustomerByDomain(ctx context.Context, domain string) (*Customer, error) {
	domain = strings.TrimSpace(domain)
	if err := CheckDomainName(domain); err != nil {
		return nil, fmt.Errorf("get customer by domain: %w", err)
	}
	candidates, err := c.ListCustomers(ctx, ListCustomersOptions{
		Filter: &CustomerFilter{Field: CustomerFilterDomain, Value: domain},
	})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, cust := range candidates {
		p := cust.CompanyProfile
		if p == nil || p.Domain == nil || !strings.EqualFold(*p.Domain, domain) {
			continue
		}
		id := *cust.ID // ListCustomers refuses items without one
		// Paging can repeat an item; one customer is not ambiguous.
		if !containsFold(ids, id) {
			ids = append(ids, id)
		}
	}
	switch len(ids) {
	case 0:
		return nil, &CustomerDomainNotFoundError{Domain: domain}
	case 1:
		// List items lack the billing profile and more: read the record.
		return c.GetCustomer(ctx, ids[0])
	default:
		return nil, &AmbiguousDomainError{Domain: domain, TenantIDs: ids}
	}
}

// CheckDomainName reports why name is not a DNS domain name such as
// contoso.onmicrosoft.com, or nil when it is: at most 253 characters (and one
// trailing dot), at least two labels of 1 to 63 letters, digits or hyphens,
// none starting or ending with a hyphen. International names are written in
// their ASCII (xn--) form, as Partner Center stores them.
func CheckDomainName(name string) error {
	if name == "" {
		return errors.New("the domain name is empty")
	}
	trimmed := strings.TrimSuffix(name, ".")
	if len(trimmed) > 253 {
		return fmt.Errorf("the domain name is %d characters long; a DNS name has at most 253", len(trimmed))
	}
	labels := strings.Split(trimmed, ".")
	if len(labels) < 2 {
		return fmt.Errorf("%q is not a domain name such as contoso.onmicrosoft.com", name)
	}
	for _, label := range labels {
		switch {
		case label == "":
			return fmt.Errorf("%q has an empty label (two dots in a row, or a leading dot)", name)
		case len(label) > 63:
			return fmt.Errorf("%q has a label of %d characters; a DNS label has at most 63", name, len(label))
		case strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-"):
			return fmt.Errorf("%q has a label that starts or ends with a hyphen", name)
		case strings.ContainsFunc(label, func(r rune) bool { return !isDNSLabelRune(r) }):
			return fmt.Errorf("%q contains a character other than letters, digits, hyphens and dots "+
				"(write international names in their xn-- form)", name)
		}
	}
	return nil
}

func isDNSLabelRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-'
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
