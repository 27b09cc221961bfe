package mockpartnercenter

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const (
	documentedAzurePlanID = "3f15978e-005c-b763-bb78-2a8fab289c58"
	documentedAddOnID     = "968BA1CF-C146-4ADF-A300-308DCF718EEE"
)

type subscriptionCollection struct {
	TotalCount int               `json:"totalCount"`
	Items      []json.RawMessage `json:"items"`
	Links      struct {
		Next *link `json:"next"`
	} `json:"links"`
}

func subscriptionsPath(customerID string) string {
	return "/v1/customers/" + customerID + "/subscriptions"
}

func TestSubscriptionsOfTheDocumentedCustomer(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	token := accessToken(t, ts.URL)
	resp, body := apiGet(t, ts.URL, token, subscriptionsPath(DocumentedCustomerID), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var col subscriptionCollection
	decodeJSON(t, body, &col)
	if col.TotalCount != 7 || len(col.Items) != 7 || col.Links.Next != nil {
		t.Fatalf("totalCount %d, %d items, next %v; want the 7 documented subscriptions on one page", col.TotalCount, len(col.Items), col.Links.Next)
	}
	// Served as documented, letter case and odd date spacing included.
	for _, want := range []string{`"creationDate":"2015-11-25T06: 41: 12Z"`, `"id":"A356AC8C-E310-44F4-BF85-C7F29044AF99"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the list lacks %s", want)
		}
	}

	resp, one := apiGet(t, ts.URL, token, subscriptionsPath(DocumentedCustomerID)+"/"+strings.ToLower(documentedAddOnID), nil)
	if resp.StatusCode != http.StatusOK || string(one) != string(col.Items[2]) {
		t.Errorf("get by id (status %d) differs from its list item:\n%s\n%s", resp.StatusCode, one, col.Items[2])
	}

	resp, body = apiGet(t, ts.URL, token, subscriptionsPath(DocumentedCustomerID)+"/"+documentedAzurePlanID+"/azureentitlements", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"id":"899ae6f1-8a74-4d5e-b6c6-e6b5019bbff8"`) {
		t.Errorf("entitlements: status %d, %s", resp.StatusCode, body)
	}
}

func TestSubscriptionErrors(t *testing.T) {
	s, ts := newTestServer(t, Options{GeneratedCustomers: 1})
	token := accessToken(t, ts.URL)
	other := GeneratedCustomerID(0)
	tests := []struct {
		name, path string
		status     int
		code       any // a number or a string, as the service sends either
	}{
		{"another customer's subscription", subscriptionsPath(other) + "/" + documentedAddOnID, http.StatusNotFound, pcCodeSubscriptionNotFound},
		{"entitlements of a subscription that is not an Azure plan", subscriptionsPath(DocumentedCustomerID) + "/" + documentedAddOnID + "/azureEntitlements",
			http.StatusBadRequest, pcCodeNotAzurePlan},
		{"entitlements of another customer's plan", subscriptionsPath(other) + "/" + documentedAzurePlanID + "/azureEntitlements",
			http.StatusNotFound, pcCodeSubscriptionNotFound},
		{"unknown customer", subscriptionsPath("0f0e0d0c-0b0a-4909-8807-060504030201"), http.StatusNotFound, pcCodeTenantNotFound},
		{"malformed subscription id", subscriptionsPath(DocumentedCustomerID) + "/not-a-guid", http.StatusBadRequest, pcCodeInvalidID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := apiGet(t, ts.URL, token, tt.path, nil)
			if resp.StatusCode != tt.status || fmt.Sprint(pcErrorOf(t, body).Code) != fmt.Sprint(tt.code) {
				t.Errorf("status %d, body %s; want %d with code %v", resp.StatusCode, body, tt.status, tt.code)
			}
		})
	}
	if n := s.Requests(RouteGetSubscription); n != 2 {
		t.Errorf("%d get-subscription requests counted, want 2", n)
	}
}

// Paged, the list's next links alternate between the uri form without /v1
// and the one with it; following them yields every subscription once.
func TestSubscriptionPaging(t *testing.T) {
	s, ts := newTestServer(t, Options{SubscriptionPageSize: 2})
	token := accessToken(t, ts.URL)
	path, headers := subscriptionsPath(DocumentedCustomerID), map[string]string(nil)
	var ids, uris []string
	for range 10 {
		resp, body := apiGet(t, ts.URL, token, path, headers)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		var col subscriptionCollection
		decodeJSON(t, body, &col)
		for _, item := range col.Items {
			var sub struct{ ID string }
			decodeJSON(t, item, &sub)
			ids = append(ids, sub.ID)
		}
		if col.Links.Next == nil {
			break
		}
		uris = append(uris, col.Links.Next.URI)
		path = col.Links.Next.URI
		if !strings.HasPrefix(path, "/v1/") {
			path = "/v1" + path
		}
		headers = map[string]string{col.Links.Next.Headers[0].Key: col.Links.Next.Headers[0].Value}
	}
	if strings.Join(ids, ",") != strings.Join(s.SubscriptionIDs(DocumentedCustomerID), ",") {
		t.Errorf("paged ids %v, want %v", ids, s.SubscriptionIDs(DocumentedCustomerID))
	}
	if len(uris) != 3 || strings.HasPrefix(uris[0], "/v1/") || !strings.HasPrefix(uris[1], "/v1/") {
		t.Errorf("next links %q: want three, alternating without and with /v1", uris)
	}
}

func TestGeneratedSubscriptions(t *testing.T) {
	s, ts := newTestServer(t, Options{GeneratedCustomers: 4})
	token := accessToken(t, ts.URL)
	wantCounts := []int{2, 1, 0, 2}
	for i, want := range wantCounts {
		id := GeneratedCustomerID(i)
		_, body := apiGet(t, ts.URL, token, subscriptionsPath(id), nil)
		var col subscriptionCollection
		decodeJSON(t, body, &col)
		if len(col.Items) != want || col.Items == nil {
			t.Errorf("customer %d: %d subscriptions (%s), want %d", i, len(col.Items), body, want)
		}
	}
	plan := s.SubscriptionIDs(GeneratedCustomerID(0))[0]
	resp, body := apiGet(t, ts.URL, token, subscriptionsPath(GeneratedCustomerID(0))+"/"+plan+"/azureEntitlements", nil)
	var col subscriptionCollection
	decodeJSON(t, body, &col)
	if resp.StatusCode != http.StatusOK || len(col.Items) != 1 {
		t.Errorf("generated Azure plan: status %d, %s; want one entitlement", resp.StatusCode, body)
	}
}

func TestSubscriptionRoutesHonourFaultsAndAuth(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	resp, _ := apiGet(t, ts.URL, "", subscriptionsPath(DocumentedCustomerID), nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: status %d, want 401", resp.StatusCode)
	}
	token := accessToken(t, ts.URL)
	s.SetFault(DocumentedCustomerID, Fault{Kind: FaultThrottle, RetryAfter: "1", Times: 1})
	resp, _ = apiGet(t, ts.URL, token, subscriptionsPath(DocumentedCustomerID)+"/"+documentedAzurePlanID, nil)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("throttled: status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	s.SetFault(DocumentedCustomerID, Fault{Kind: FaultWrongID, Times: 1})
	_, body := apiGet(t, ts.URL, token, subscriptionsPath(DocumentedCustomerID)+"/"+documentedAzurePlanID, nil)
	if strings.Contains(string(body), documentedAzurePlanID+`","offerId`) {
		t.Errorf("wrong-id fault answered with the requested subscription: %s", body)
	}
}
