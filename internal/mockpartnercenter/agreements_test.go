package mockpartnercenter

import (
	"encoding/json"
	"net/http"
	"testing"
)

// agreementBody is the documented confirmation of the Microsoft Customer
// Agreement.
func agreementBody() []byte {
	return []byte(`{"primaryContact": {"firstName": "Avery", "lastName": "Howard", "email": "avery@contoso.example"},
		"templateId": "117a69e4-8ef6-4b3c-a1b4-d4f7a4b2f2a1", "dateAgreed": "2026-12-07T10:00:00Z", "type": "MicrosoftCustomerAgreement"}`)
}

func agreementsPath(customerID string) string { return "/v1/customers/" + customerID + "/agreements" }

// A customer created through the API cannot buy until its agreement is
// confirmed: checkout answers 400 code 13605 and buys nothing, then the same
// cart buys once POST .../agreements has recorded the acceptance.
func TestNewCustomerBuysOnlyOnceItsAgreementIsConfirmed(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	resp, body := mustSend(t, http.MethodPost, ts.URL+"/v1/customers", tok,
		map[string]string{"MS-RequestId": "7f1b2c3d-0000-4000-8000-0000000000a1"}, createRequest(t, "needsagreement", "", ""))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var c createdCustomer
	decodeJSON(t, body, &c)

	cart := createCart(t, ts.URL, tok, c.ID, cartBody(businessBasicItem, 2, "P1Y", "monthly"))
	status, out := checkoutCart(t, ts.URL, tok, c.ID, cart.ID)
	if e := pcErrorOf(t, out); status != http.StatusBadRequest || e.Code != float64(pcCodeNoCustomerAgreement) {
		t.Fatalf("checkout before the agreement: %d %s, want 400 code 13605", status, out)
	}
	if s.Purchases(c.ID) != 0 || len(s.SubscriptionIDs(c.ID)) != 0 {
		t.Fatalf("a refused checkout bought: %d purchases, %d subscriptions", s.Purchases(c.ID), len(s.SubscriptionIDs(c.ID)))
	}

	resp, out = mustSend(t, http.MethodPost, ts.URL+agreementsPath(c.ID), tok, nil, agreementBody())
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("confirming the agreement: %d %s", resp.StatusCode, out)
	}
	var recorded agreementDoc
	decodeJSON(t, out, &recorded)
	if recorded.Type != agreementTypeMCA || recorded.PrimaryContact.Email != "avery@contoso.example" || recorded.DateAgreed == "" {
		t.Errorf("the answer is not the agreement recorded: %s", out)
	}
	if s.AgreementsConfirmed(c.ID) != 1 {
		t.Errorf("AgreementsConfirmed = %d, want 1", s.AgreementsConfirmed(c.ID))
	}

	status, out = checkoutCart(t, ts.URL, tok, c.ID, cart.ID)
	if status != http.StatusCreated || s.Purchases(c.ID) != 1 {
		t.Errorf("checkout of the same cart after the agreement: %d %s, %d purchases; want 201 and 1", status, out, s.Purchases(c.ID))
	}

	// The same contact again is the service's 600061, in its newer error shape.
	resp, out = mustSend(t, http.MethodPost, ts.URL+agreementsPath(c.ID), tok, nil, agreementBody())
	var dup pcNewerError
	decodeJSON(t, out, &dup)
	if resp.StatusCode != http.StatusConflict || dup.Code != pcCodeAgreementExists || dup.ErrorName != "PartnerConfirmedAgreementAlreadyExists" {
		t.Errorf("a second confirmation by the same contact: %d %s, want 409 code 600061", resp.StatusCode, out)
	}
	if s.AgreementsConfirmed(c.ID) != 1 {
		t.Errorf("AgreementsConfirmed = %d after a duplicate, want 1", s.AgreementsConfirmed(c.ID))
	}
}

// Customers the mock starts with have accepted the agreement and buy at once.
func TestExistingCustomersKeepTheirAgreement(t *testing.T) {
	s, ts := newTestServer(t, Options{GeneratedCustomers: 2})
	tok := accessToken(t, ts.URL)
	for _, id := range []string{DocumentedCustomerID, s.CustomerIDs()[1]} {
		buy(t, ts.URL, tok, id, 1)
		if s.Purchases(id) != 1 {
			t.Errorf("customer %s: %d purchases, want 1", id, s.Purchases(id))
		}
	}
}

func TestCreateAgreementRefusesIncompleteRequests(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	for name, change := range map[string]func(doc *agreementDoc){
		"Microsoft Cloud Agreement": func(doc *agreementDoc) { doc.Type = "MicrosoftCloudAgreement" },
		"no template":               func(doc *agreementDoc) { doc.TemplateID = "" },
		"no email":                  func(doc *agreementDoc) { doc.PrimaryContact.Email = "" },
		"no date":                   func(doc *agreementDoc) { doc.DateAgreed = "yesterday" },
	} {
		var doc agreementDoc
		decodeJSON(t, agreementBody(), &doc)
		change(&doc)
		body, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		resp, out := mustSend(t, http.MethodPost, ts.URL+agreementsPath(DocumentedCustomerID), tok, nil, body)
		if e := pcErrorOf(t, out); resp.StatusCode != http.StatusBadRequest || e.Code != float64(pcCodeInvalidInput) {
			t.Errorf("%s: %d %s, want 400 code %d", name, resp.StatusCode, out, pcCodeInvalidInput)
		}
	}
	resp, out := mustSend(t, http.MethodPost, ts.URL+agreementsPath(unknownID), tok, nil, agreementBody())
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown customer: %d %s, want 404", resp.StatusCode, out)
	}
	if s.AgreementsConfirmed(DocumentedCustomerID) != 0 {
		t.Errorf("refused requests recorded %d agreements", s.AgreementsConfirmed(DocumentedCustomerID))
	}
}
