package mockpartnercenter

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/cspkit/terraform-provider-partnercenter/internal/fixtures"
)

// createRequest is the documented create body with domain, and with the
// address's country and the registration number when they are not empty.
func createRequest(t *testing.T, domain, country, registrationNumber string) []byte {
	t.Helper()
	raw, err := fixtures.FS.ReadFile("customer-create-request.json")
	if err != nil {
		t.Fatal(err)
	}
	var req map[string]any
	decodeJSON(t, raw, &req)
	company := objectAt(t, req, "companyProfile")
	company["domain"] = domain
	if registrationNumber != "" {
		company["organizationRegistrationNumber"] = registrationNumber
	}
	if country != "" {
		objectAt(t, objectAt(t, req, "billingProfile"), "defaultAddress")["country"] = country
	}
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// objectAt returns the object under key, failing the test if there is none.
func objectAt(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	obj, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("no object %q in %v", key, m)
	}
	return obj
}

// apiSend is apiRequest with a JSON body; it returns the error of a request
// that got no answer instead of failing, for the interruption tests.
func sendRequest(ctx context.Context, method, url, token string, headers map[string]string, body []byte) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp, data, err
}

// mustSend is apiSend failing the test when no answer comes.
func mustSend(t *testing.T, method, url, token string, headers map[string]string, body []byte) (*http.Response, []byte) {
	t.Helper()
	resp, data, err := sendRequest(t.Context(), method, url, token, headers, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return resp, data
}

// createdCustomer is the part of the create answer the tests read.
type createdCustomer struct {
	ID             string `json:"id"`
	CompanyProfile struct {
		Domain string `json:"domain"`
	} `json:"companyProfile"`
	BillingProfile struct {
		Attributes struct {
			ETag string `json:"etag"`
		} `json:"attributes"`
	} `json:"billingProfile"`
	UserCredentials struct {
		UserName string `json:"userName"`
		Password string `json:"password"`
	} `json:"userCredentials"`
}

// routeExample is a request TestEveryRouteIsCounted can send to a route that
// needs more than a bare request, and the status it expects.
type routeExample struct {
	body    func(t *testing.T) []byte
	headers func(s *Server) map[string]string
	status  int
	// methodStatus overrides status for a method, where a route's methods
	// answer the example differently.
	methodStatus map[string]int
}

// routeExamples are the routes whose example differs from a bodiless
// request answered 200.
var routeExamples = map[Route]routeExample{
	RouteCreateCustomer: {
		body:   func(t *testing.T) []byte { return createRequest(t, "routeexample", "", "") },
		status: http.StatusCreated,
	},
	// Production refuses the delete; the refusal is still the route's.
	RouteDeleteCustomer: {status: http.StatusForbidden},
	RouteUpdateBillingProfile: {
		body: func(t *testing.T) []byte {
			raw, _ := fixtures.FS.ReadFile("customer-get-by-id.json")
			var doc map[string]json.RawMessage
			decodeJSON(t, raw, &doc)
			return doc["billingProfile"]
		},
		headers: func(s *Server) map[string]string {
			c, _ := s.lookupCustomer(DocumentedCustomerID)
			return map[string]string{"If-Match": stringAt(c.doc, "billingProfile", "attributes", "etag")}
		},
		status: http.StatusOK,
	},
	// Commerce writes sent without a body, and reads of objects that do not
	// exist, get their handler's Partner Center error, which shows the row's
	// handler answered.
	RouteUpdateSubscription:    {status: http.StatusBadRequest},
	RouteCreateCart:            {status: http.StatusBadRequest},
	RouteCreateAgreement:       {status: http.StatusBadRequest},
	RouteSubscriptionOperation: {status: http.StatusNotFound},
	RouteGetCart:               {status: http.StatusNotFound},
	RouteCheckout:              {status: http.StatusNotFound},
	RouteCreateTransition:      {status: http.StatusBadRequest},
	RouteGetOrder:              {status: http.StatusNotFound},
	RouteListOrders:            {status: http.StatusOK},
	RouteAvailabilities:        {status: http.StatusBadRequest}, // no ?country=
	RouteCustomTermEndDates:    {status: http.StatusBadRequest}, // no ?term_duration=
	// Graph's routes: a create without a body is refused; the others name a
	// relationship that does not exist.
	RouteGDAPRelationships:          {status: http.StatusOK, methodStatus: map[string]int{http.MethodPost: http.StatusBadRequest}},
	RouteGDAPRelationship:           {status: http.StatusNotFound},
	RouteGDAPRelationshipRequests:   {status: http.StatusNotFound},
	RouteGDAPRelationshipOperations: {status: http.StatusNotFound},
	RouteGDAPAccessAssignments:      {status: http.StatusNotFound},
	RouteGDAPAccessAssignment:       {status: http.StatusNotFound},
}
