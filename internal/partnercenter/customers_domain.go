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
	if domain == "" {
		return nil, errors.New("get customer by domain: the domain is empty")
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
		id := tenantID(&cust)
		if id == "" {
			return nil, &InvalidResponseError{
				Operation: fmt.Sprintf("get customer by domain %q", domain),
				Reason:    "the matching customer has no id",
			}
		}
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

// tenantID is the customer's id, or its company profile's tenant id when
// the id is missing.
func tenantID(c *Customer) string {
	if c.ID != nil && *c.ID != "" {
		return *c.ID
	}
	if c.CompanyProfile != nil && c.CompanyProfile.TenantID != nil {
		return *c.CompanyProfile.TenantID
	}
	return ""
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
