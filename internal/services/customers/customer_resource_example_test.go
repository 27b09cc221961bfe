package customers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// The onboarding example in its two applies: the first creates the tenant
// and buys nothing; buying before the customer's agreement is recorded is
// refused with 13605 and buys nothing; once the agreement is confirmed
// (POST /v1/customers/{id}/agreements, as the guide shows against the mock)
// the second apply buys once, and a plan after it changes nothing.
func TestAccOnboardingExample_agreementBetweenTwoApplies(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	example, err := os.ReadFile("../../../examples/onboarding/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	// The in-process provider is not the registry's, and the mock needs its
	// own settings: the example's terraform and provider blocks give way.
	body := regexp.MustCompile(`(?ms)^terraform \{.*?^\}\n`).ReplaceAllString(string(example), "")
	body = strings.Replace(body, "provider \"partnercenter\" {}\n", "", 1)
	exampleConfig := acctest.ProviderBlock(mock, "") + body
	buy := config.Variables{"buy_first_licence": config.BoolVariable(true)}

	// newCustomer is the tenant the first apply created.
	newCustomer := func() (string, error) {
		ids := mock.CustomerIDs()
		if mock.CustomersCreated() != 1 || len(ids) < 2 {
			return "", fmt.Errorf("the mock created %d tenants, want 1", mock.CustomersCreated())
		}
		return ids[len(ids)-1], nil
	}
	// Writes are counted from the start: the customer's POST, then a cart
	// and its checkout per purchase attempt, and the agreement's POST.
	tenantsAndPurchases := func(purchases, writes int) statecheck.StateCheck {
		return acctest.MockCheck(func() error {
			id, err := newCustomer()
			if err != nil {
				return err
			}
			if got, gotWrites := mock.Purchases(id), mock.WriteRequests(); got != purchases || gotWrites != writes {
				return fmt.Errorf("the mock counted %d purchases for the new customer and %d writes, want %d and %d", got, gotWrites, purchases, writes)
			}
			return nil
		})
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.TestAccProviders,
		Steps: []resource.TestStep{
			{
				Config: exampleConfig,
				ConfigStateChecks: []statecheck.StateCheck{
					tenantsAndPurchases(0, 1),
					statecheck.ExpectKnownOutputValue("initial_domain", knownvalue.StringExact("contosoretail.onmicrosoft.com")),
				},
			},
			{
				// Skipping the person's step: Partner Center refuses, and
				// nothing is bought.
				Config:          exampleConfig,
				ConfigVariables: buy,
				ExpectError:     regexp.MustCompile(`13605`),
			},
			{
				PreConfig: func() {
					id, err := newCustomer()
					if err != nil {
						t.Fatal(err)
					}
					if got, writes := mock.Purchases(id), mock.WriteRequests(); got != 0 || writes != 3 {
						t.Fatalf("the refused apply bought %d times with %d writes in all; want none, and 3 writes (customer, cart, checkout)", got, writes)
					}
					confirmAgreement(t, mock, id)
				},
				Config:          exampleConfig,
				ConfigVariables: buy,
				ConfigStateChecks: []statecheck.StateCheck{
					tenantsAndPurchases(1, 6),
					acctest.MockCheck(func() error {
						id, err := newCustomer()
						if err != nil {
							return err
						}
						return storedLicence(mock, id, 10)
					}),
					statecheck.ExpectKnownOutputValue("subscription_id", knownvalue.NotNull()),
				},
			},
			{
				// A plan after the purchase would create and buy nothing.
				Config:          exampleConfig,
				ConfigVariables: buy,
				PlanOnly:        true,
			},
		},
	})
	if id, err := newCustomer(); err != nil || mock.Purchases(id) != 1 || mock.AgreementsConfirmed(id) != 1 {
		t.Errorf("at the end: %v, %d purchases and %d agreements for the new customer; want 1 and 1", err, mock.Purchases(id), mock.AgreementsConfirmed(id))
	}
}

// confirmAgreement records the customer's acceptance of the Microsoft
// Customer Agreement through the documented API, with the token the provider
// was last issued, as a person following the guide does with curl.
func confirmAgreement(t *testing.T, mock *mockpartnercenter.Server, customerID string) {
	t.Helper()
	tokens := mock.IssuedAccessTokens()
	if len(tokens) == 0 {
		t.Fatal("the mock issued no access token to confirm the agreement with")
	}
	body := `{"primaryContact": {"firstName": "Avery", "lastName": "Howard", "email": "avery@contoso.example"},
		"templateId": "117a69e4-8ef6-4b3c-a1b4-d4f7a4b2f2a1", "dateAgreed": "2026-12-07T10:00:00Z", "type": "MicrosoftCustomerAgreement"}`
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, mock.URL()+"/v1/customers/"+customerID+"/agreements", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tokens[len(tokens)-1])
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("confirming the agreement: %s", resp.Status)
	}
}

// storedLicence checks the mock holds exactly one subscription for the
// customer, of the quantity asked for.
func storedLicence(mock *mockpartnercenter.Server, customerID string, quantity int) error {
	docs := mock.Subscriptions(customerID)
	if len(docs) != 1 {
		return fmt.Errorf("the mock holds %d subscriptions for the new customer, want 1", len(docs))
	}
	var sub struct {
		Quantity     int    `json:"quantity"`
		TermDuration string `json:"termDuration"`
		BillingCycle string `json:"billingCycle"`
	}
	if err := json.Unmarshal(docs[0], &sub); err != nil {
		return err
	}
	if sub.Quantity != quantity || sub.TermDuration != "P1Y" || sub.BillingCycle != "monthly" {
		return fmt.Errorf("the mock's subscription has %d seats, term %q, cycle %q; want %d, P1Y, monthly", sub.Quantity, sub.TermDuration, sub.BillingCycle, quantity)
	}
	return nil
}
