package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// NewCustomer is what "Create a customer" takes. Empty strings are left
// out of the request.
type NewCustomer struct {
	CompanyProfile NewCompanyProfile `json:"companyProfile"`
	BillingProfile NewBillingProfile `json:"billingProfile"`
	// EnableGDAPByDefault asks for the default GDAP relationship.
	EnableGDAPByDefault bool `json:"enableGDAPByDefault"`
}

// NewCompanyProfile is the new tenant's organisation; read-only once created.
type NewCompanyProfile struct {
	// Domain is the new .onmicrosoft.com prefix or full name.
	Domain string `json:"domain"`
	// OrganizationRegistrationNumber is required for the billing address's
	// country in some countries (ErrRegistrationNumber otherwise).
	OrganizationRegistrationNumber string `json:"organizationRegistrationNumber,omitempty"`
}

// NewBillingProfile is the new customer's billing contact.
type NewBillingProfile struct {
	Email          string        `json:"email"`
	Culture        string        `json:"culture"`
	Language       string        `json:"language"`
	CompanyName    string        `json:"companyName"`
	DefaultAddress PostalAddress `json:"defaultAddress"`
}

// PostalAddress is an address to send; empty members are left out.
type PostalAddress struct {
	FirstName    string `json:"firstName,omitempty"`
	LastName     string `json:"lastName,omitempty"`
	AddressLine1 string `json:"addressLine1,omitempty"`
	AddressLine2 string `json:"addressLine2,omitempty"`
	AddressLine3 string `json:"addressLine3,omitempty"`
	City         string `json:"city,omitempty"`
	State        string `json:"state,omitempty"`
	Region       string `json:"region,omitempty"`
	District     string `json:"district,omitempty"`
	PostalCode   string `json:"postalCode,omitempty"`
	Country      string `json:"country,omitempty"`
	PhoneNumber  string `json:"phoneNumber,omitempty"`
}

// CreatedCustomer is a new customer and the first administrator of its
// tenant.
type CreatedCustomer struct {
	Customer Customer
	// Credentials are returned once, by the creation only: no read or
	// import can recover them. The password is registered with the
	// client's redactor before CreateCustomer returns.
	Credentials AdminCredentials
}

// AdminCredentials are a new tenant's first administrator's.
type AdminCredentials struct {
	UserName string
	Password string
}

// DomainAvailable reports whether domain (e.g. contoso.onmicrosoft.com)
// can be a new customer's: HEAD /v1/domains/{domain} answers 404 when it
// is free and 200 when it is taken.
func (c *Client) DomainAvailable(ctx context.Context, domain string) (bool, error) {
	operation := fmt.Sprintf("check availability of domain %q", domain)
	if err := CheckDomainName(domain); err != nil {
		return false, fmt.Errorf("%s: %w", operation, err)
	}
	_, err := c.do(ctx, &request{operation: operation, method: http.MethodHead,
		url: c.baseURL + "/v1/domains/" + url.PathEscape(domain)})
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, ErrNotFound):
		return true, nil
	}
	return false, err
}

// CreateCustomer creates a customer tenant. Every retry of it sends the
// same MS-RequestId, on which the service makes the creation idempotent.
// Refused registration numbers match ErrRegistrationNumber.
func (c *Client) CreateCustomer(ctx context.Context, nc NewCustomer) (*CreatedCustomer, error) {
	operation := fmt.Sprintf("create customer with domain %q", nc.CompanyProfile.Domain)
	if strings.TrimSpace(nc.CompanyProfile.Domain) == "" {
		return nil, fmt.Errorf("%s: the domain is empty", operation)
	}
	body, err := json.Marshal(nc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", operation, err)
	}
	var created createdCustomerBody
	info, err := c.do(ctx, &request{
		operation: operation, method: http.MethodPost, url: c.baseURL + "/v1/customers", body: body,
		accept: []int{http.StatusCreated, http.StatusOK}, out: &created,
		repeatable: "customer creation is idempotent on MS-RequestId, which every attempt of one creation shares",
	})
	// First, so that nothing can show the password, not even an error
	// about this very response.
	if created.UserCredentials != nil {
		c.redact.add(created.UserCredentials.Password)
	}
	if err != nil {
		return nil, err
	}
	if created.ID == nil || strings.TrimSpace(*created.ID) == "" || created.UserCredentials == nil ||
		created.UserCredentials.Password == "" {
		return nil, &InvalidResponseError{Operation: operation,
			Reason:     "the new customer lacks its id or its administrator's credentials",
			StatusCode: info.StatusCode, RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	return &CreatedCustomer{Customer: created.Customer, Credentials: AdminCredentials{
		UserName: created.UserCredentials.UserName, Password: created.UserCredentials.Password,
	}}, nil
}

// createdCustomerBody is the creation's answer: the customer and the
// administrator's credentials.
type createdCustomerBody struct {
	Customer
	UserCredentials *struct {
		UserName string `json:"userName"`
		Password string `json:"password"`
	} `json:"userCredentials"`
}

// DeleteCustomer deletes a customer. Only the integration sandbox allows
// it; production refuses, and that refusal is returned as it comes.
func (c *Client) DeleteCustomer(ctx context.Context, customerID string) error {
	operation := fmt.Sprintf("delete customer %q", customerID)
	if strings.TrimSpace(customerID) == "" {
		return fmt.Errorf("%s: the customer id is empty", operation)
	}
	_, err := c.do(ctx, &request{
		operation: operation, method: http.MethodDelete, url: c.baseURL + "/v1/customers/" + url.PathEscape(customerID),
		accept:     []int{http.StatusOK, http.StatusNoContent, http.StatusAccepted},
		repeatable: "a customer is deleted once: a repeat finds nothing left to delete (404)",
	})
	return err
}
