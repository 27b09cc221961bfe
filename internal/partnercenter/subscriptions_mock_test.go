package partnercenter

import (
	"slices"
	"testing"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// Against the mock's signed continuation tokens and its alternating next
// link forms, a paged subscription list reads like an unpaged one, one
// request per page.
func TestMockIntegration_subscriptionPages(t *testing.T) {
	mock, err := mockpartnercenter.Start(mockpartnercenter.Options{SubscriptionPageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	client := newMockClient(t, mock, mockRefreshTokens(t, mock))
	subs, err := client.GetCustomerSubscriptions(t.Context(), mockpartnercenter.DocumentedCustomerID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range subs {
		ids = append(ids, *s.ID)
	}
	want := mock.SubscriptionIDs(mockpartnercenter.DocumentedCustomerID)
	if !slices.Equal(ids, want) {
		t.Errorf("ids %v, want %v", ids, want)
	}
	if pages := mock.Requests(mockpartnercenter.RouteListSubscriptions); pages != (len(want)+1)/2 {
		t.Errorf("%d requests for %d subscriptions two to a page", pages, len(want))
	}
}
