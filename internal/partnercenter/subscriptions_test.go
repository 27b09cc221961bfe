package partnercenter

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

const (
	testCustomerID     = "d8202a51-69f9-4228-b900-d0e081af17d7"
	testSubscriptionID = "a4c1340d-6911-4758-bba3-0c4c6007d161"
)

// A new-commerce subscription shaped like the one Microsoft documents, with
// suspension reasons and actions added so that every field is decoded.
const newCommerceSubscriptionJSON = `{
  "id": "a4c1340d-6911-4758-bba3-0c4c6007d161",
  "offerId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971",
  "offerName": "Microsoft 365 Business Basic",
  "friendlyName": "Microsoft 365 Business Basic",
  "productType": {"id": "OnlineServicesNCE", "displayName": "OnlineServicesNCE"},
  "quantity": 1,
  "unitType": "Licenses",
  "hasPurchasableAddons": false,
  "creationDate": "2021-01-14T16:57:15.0966728Z",
  "effectiveStartDate": "2021-01-14T16:57:14.498252Z",
  "commitmentEndDate": "2022-01-13T00:00:00Z",
  "status": "suspended",
  "suspensionReasons": ["CustomerCancellation"],
  "autoRenewEnabled": true,
  "isTrial": false,
  "billingType": "license",
  "billingCycle": "monthly",
  "termDuration": "P1Y",
  "renewalTermDuration": "",
  "refundOptions": [{"type": "Full", "expiresAt": "2021-01-15T00:00:00Z"}],
  "isMicrosoftProduct": true,
  "partnerId": "",
  "attentionNeeded": false,
  "actionTaken": false,
  "actions": ["edit"],
  "contractType": "subscription",
  "links": {"self": {"uri": "/customers/d8202a51-69f9-4228-b900-d0e081af17d7/subscriptions/a4c1340d-6911-4758-bba3-0c4c6007d161", "method": "GET", "headers": []}},
  "publisherName": "Microsoft Corporation",
  "orderId": "34b37d7340cc",
  "attributes": {"objectType": "Subscription"}
}`

func TestGetCustomerSubscriptionDecodesEveryField(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if want := "/v1/customers/" + testCustomerID + "/subscriptions/" + testSubscriptionID; r.URL.Path != want {
			t.Errorf("path %s, want %s", r.URL.Path, want)
		}
		writeJSON(w, http.StatusOK, newCommerceSubscriptionJSON)
	}))
	got, err := env.client.GetCustomerSubscription(t.Context(), testCustomerID, testSubscriptionID)
	if err != nil {
		t.Fatal(err)
	}
	want := &Subscription{
		ID: new(testSubscriptionID), OfferID: new("CFQ7TTC0LH18:0001:CFQ7TTC0K971"),
		OfferName: new("Microsoft 365 Business Basic"), FriendlyName: new("Microsoft 365 Business Basic"),
		ProductType: &ProductType{ID: new("OnlineServicesNCE"), DisplayName: new("OnlineServicesNCE")},
		Quantity:    new(1.0), UnitType: new("Licenses"), HasPurchasableAddons: new(false),
		CreationDate: new("2021-01-14T16:57:15.0966728Z"), EffectiveStartDate: new("2021-01-14T16:57:14.498252Z"),
		CommitmentEndDate: new("2022-01-13T00:00:00Z"), Status: new("suspended"),
		SuspensionReasons: []string{"CustomerCancellation"}, AutoRenewEnabled: new(true), IsTrial: new(false),
		BillingType: new("license"), BillingCycle: new("monthly"), TermDuration: new("P1Y"), RenewalTermDuration: new(""),
		RefundOptions:      []RefundOption{{Type: new("Full"), ExpiresAt: new("2021-01-15T00:00:00Z")}},
		IsMicrosoftProduct: new(true), PartnerID: new(""), AttentionNeeded: new(false), ActionTaken: new(false),
		Actions: []string{"edit"}, ContractType: new("subscription"), PublisherName: new("Microsoft Corporation"),
		OrderID: new("34b37d7340cc"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded subscription differs:\ngot  %+v\nwant %+v", *got, *want)
	}
	if got.EntitlementID != nil || got.ParentSubscriptionID != nil || got.ProductType.SubType != nil {
		t.Error("fields absent from the body must stay nil")
	}
}

func TestGetCustomerSubscriptionErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		check  func(t *testing.T, err error)
	}{
		{"not this customer's", http.StatusNotFound, `{"code":20003,"description":"Subscription not found","source":"PartnerFD"}`,
			func(t *testing.T, err error) {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.Code != ErrorCodeSubscriptionNotFound || !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want a 404 APIError with code %s", err, ErrorCodeSubscriptionNotFound)
				}
				if !strings.Contains(err.Error(), testSubscriptionID) || !strings.Contains(err.Error(), testCustomerID) {
					t.Errorf("the error does not name both ids: %v", err)
				}
			}},
		{"another subscription", http.StatusOK, `{"id":"83ef9d05-4169-4ef9-9657-0e86b1eab1de"}`,
			func(t *testing.T, err error) {
				var invalid *InvalidResponseError
				if !errors.As(err, &invalid) || !strings.Contains(err.Error(), "83ef9d05") {
					t.Fatalf("err = %v, want an InvalidResponseError naming the id received", err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				writeJSON(w, tt.status, tt.body)
			}))
			_, err := env.client.GetCustomerSubscription(t.Context(), testCustomerID, testSubscriptionID)
			tt.check(t, err)
		})
	}
}

// The service documents the collection unpaged but may page it like the
// customer list, with next links in either of its two uri forms.
func TestGetCustomerSubscriptionsFollowsBothNextLinkForms(t *testing.T) {
	var requests atomic.Int32
	base := "/v1/customers/" + testCustomerID + "/subscriptions"
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Path != base {
			t.Errorf("path %s, want %s", r.URL.Path, base)
		}
		switch tok := r.Header.Get("MS-ContinuationToken"); tok {
		case "":
			writeJSON(w, http.StatusOK, `{"totalCount":1,"items":[{"id":"s1"}],"links":{"next":{"uri":"/customers/`+testCustomerID+
				`/subscriptions?seekOperation=Next","method":"GET","headers":[{"key":"MS-ContinuationToken","value":"t1=="}]}}}`)
		case "t1==":
			writeJSON(w, http.StatusOK, `{"totalCount":1,"items":[{"id":"s2"}],"links":{"next":{"uri":"/v1/customers/`+testCustomerID+
				`/subscriptions?seekOperation=Next","method":"GET","headers":[{"key":"MS-ContinuationToken","value":"t2=="}]}}}`)
		case "t2==":
			writeJSON(w, http.StatusOK, `{"totalCount":1,"items":[{"id":"s3"}],"attributes":{"objectType":"Collection"}}`)
		default:
			t.Errorf("unexpected continuation %q", tok)
		}
	}))
	subs, err := env.client.GetCustomerSubscriptions(t.Context(), testCustomerID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range subs {
		ids = append(ids, *s.ID)
	}
	if strings.Join(ids, ",") != "s1,s2,s3" || requests.Load() != 3 {
		t.Errorf("ids %v in %d requests, want s1,s2,s3 in 3", ids, requests.Load())
	}
}

func TestGetCustomerSubscriptionsEmpty(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, `{"totalCount":0,"items":[],"attributes":{"objectType":"Collection"}}`)
	}))
	subs, err := env.client.GetCustomerSubscriptions(t.Context(), testCustomerID)
	if err != nil || len(subs) != 0 {
		t.Fatalf("got %v, %v; want no subscriptions", subs, err)
	}
}

func TestListAzureEntitlements(t *testing.T) {
	const planID = "3f15978e-005c-b763-bb78-2a8fab289c58"
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/customers/" + testCustomerID + "/subscriptions/" + planID + "/azureEntitlements":
			writeJSON(w, http.StatusOK, `{"totalCount":1,"items":[{"id":"899ae6f1-8a74-4d5e-b6c6-e6b5019bbff8",`+
				`"friendlyName":"Microsoft Azure","status":"active","subscriptionId":"`+planID+`"}],"attributes":{"objectType":"Collection"}}`)
		default:
			writeJSON(w, http.StatusBadRequest, `{"code":800011,"description":"Not an Azure plan","source":"PartnerFD"}`)
		}
	}))
	got, err := env.client.ListAzureEntitlements(t.Context(), testCustomerID, planID)
	if err != nil {
		t.Fatal(err)
	}
	want := []AzureEntitlement{{ID: new("899ae6f1-8a74-4d5e-b6c6-e6b5019bbff8"), FriendlyName: new("Microsoft Azure"),
		Status: new("active"), SubscriptionID: new(planID)}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}

	_, err = env.client.ListAzureEntitlements(t.Context(), testCustomerID, testSubscriptionID)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Code != ErrorCodeNotAzurePlan {
		t.Fatalf("err = %v, want a 400 APIError with code %s", err, ErrorCodeNotAzurePlan)
	}
}
