package acctest

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

const DocumentedID = mockpartnercenter.DocumentedCustomerID

// AddCustomer adds a minimal customer (no billing profile) to the mock.
func AddCustomer(t *testing.T, mock *mockpartnercenter.Server, id, domain, name string) {
	t.Helper()
	err := mock.AddCustomer(map[string]any{
		"id":                    id,
		"companyProfile":        map[string]any{"tenantId": id, "domain": domain, "companyName": name},
		"relationshipToPartner": "reseller",
		"customDomains":         []any{"www." + domain},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// NewSubscriptionIDs are the customer's subscriptions the mock holds now and
// did not hold in before.
func NewSubscriptionIDs(mock *mockpartnercenter.Server, before []string) []string {
	var added []string
	for _, id := range mock.SubscriptionIDs(DocumentedID) {
		if !slices.Contains(before, id) {
			added = append(added, id)
		}
	}
	return added
}

// RawSubscription is the subscription as the service sends it, read
// straight from the mock.
func RawSubscription(t *testing.T, mock *mockpartnercenter.Server, token, id string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, mock.URL()+"/v1/customers/"+DocumentedID+"/subscriptions/"+id, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &out) != nil {
		t.Fatalf("reading subscription %s from the mock: %d %s", id, resp.StatusCode, body)
	}
	return out
}
