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
//
// The administrator's password comes only in this answer, so an answer that
// carries it but is otherwise unusable (a member of the wrong type, no id)
// returns an InvalidResponseError together with a CreatedCustomer holding
// the credentials and what could be read of the customer: the tenant exists
// and the caller must keep the password while it finds the customer.
func (c *Client) CreateCustomer(ctx context.Context, nc NewCustomer) (*CreatedCustomer, error) {
	operation := fmt.Sprintf("create customer with domain %q", nc.CompanyProfile.Domain)
	if strings.TrimSpace(nc.CompanyProfile.Domain) == "" {
		return nil, fmt.Errorf("%s: the domain is empty", operation)
	}
	body, err := json.Marshal(nc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", operation, err)
	}
	var raw json.RawMessage
	info, err := c.do(ctx, &request{
		operation: operation, method: http.MethodPost, url: c.baseURL + "/v1/customers", body: body,
		accept: []int{http.StatusCreated, http.StatusOK}, out: &raw,
		repeatable: "customer creation is idempotent on MS-RequestId, which every attempt of one creation shares",
	})
	// First, so that nothing can show the password, not even an error
	// about this very response.
	credentials := decodeAdminCredentials(raw)
	c.redact.add(credentials.Password)
	if err != nil {
		return nil, err
	}
	invalid := func(reason string, cause error) *InvalidResponseError {
		return &InvalidResponseError{Operation: operation, Reason: reason, StatusCode: info.StatusCode,
			RequestID: info.RequestID, CorrelationID: info.CorrelationID, Err: cause}
	}
	var created CreatedCustomer
	created.Credentials = credentials
	decodeErr := json.Unmarshal(raw, &created.Customer)
	switch {
	case credentials.Password == "":
		return nil, invalid("the new customer's answer lacks its administrator's password", decodeErr)
	case decodeErr != nil:
		return &created, invalid("the new customer's answer could not be read", decodeErr)
	case created.Customer.ID == nil || strings.TrimSpace(*created.Customer.ID) == "":
		return &created, invalid("the new customer's answer lacks its id", nil)
	}
	return &created, nil
}

// decodeAdminCredentials takes userCredentials from a creation's answer,
// whatever else the answer holds; a member it cannot read is empty.
func decodeAdminCredentials(raw json.RawMessage) AdminCredentials {
	var body struct {
		UserCredentials map[string]json.RawMessage `json:"userCredentials"`
	}
	if json.Unmarshal(raw, &body) != nil {
		return AdminCredentials{}
	}
	text := func(name string) string {
		var s string
		if json.Unmarshal(body.UserCredentials[name], &s) != nil {
			return ""
		}
		return s
	}
	return AdminCredentials{UserName: text("userName"), Password: text("password")}
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
