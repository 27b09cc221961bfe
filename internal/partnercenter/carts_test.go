package partnercenter

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

const commerceCustomerID = "ebd8b4c2-4069-46a8-bd70-123d6dec3e39"

func TestCreateCartSendsOneLineAndRetriesWithTheSameRequestID(t *testing.T) {
	var rec recorder
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec.record(r) == 0 {
			writeJSON(w, http.StatusServiceUnavailable, `{"code":503,"description":"busy"}`)
			return
		}
		writeJSON(w, http.StatusCreated, fixture(t, "commerce-cart-create-response.json"))
	}))
	cart, err := env.client.CreateCart(t.Context(), commerceCustomerID, CartLineItemRequest{
		CatalogItemID: "CFQ7TTC0LFLZ:0002:CFQ7TTC0K4TS", Quantity: 3, TermDuration: "P1M", BillingCycle: "monthly", FriendlyName: "Sales",
	})
	if err != nil {
		t.Fatal(err)
	}
	if *cart.ID != "2517c51b-58cd-4abe-87ed-3ab812401ab4" || len(cart.LineItems) != 1 || *cart.LineItems[0].TermDuration != "P1Y" {
		t.Errorf("cart %+v", cart)
	}
	reqs := rec.all()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	for _, r := range reqs {
		if r.method != http.MethodPost || r.path != "/v1/customers/"+commerceCustomerID+"/carts" ||
			r.header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %s %v", r.method, r.path, r.header)
		}
		if string(r.body) != string(reqs[0].body) {
			t.Error("a retry must send the same body")
		}
	}
	if reqs[0].header.Get("MS-RequestId") != reqs[1].header.Get("MS-RequestId") {
		t.Error("a retry must reuse the MS-RequestId")
	}
	body := jsonObject(t, reqs[0].body)
	items, _ := body["lineItems"].([]any)
	if len(items) != 1 {
		t.Fatalf("body %s", reqs[0].body)
	}
	want := map[string]any{"catalogItemId": "CFQ7TTC0LFLZ:0002:CFQ7TTC0K4TS", "quantity": 3.0, "termDuration": "P1M",
		"billingCycle": "monthly", "friendlyName": "Sales"}
	line, ok := items[0].(map[string]any)
	if !ok {
		t.Fatalf("line item %v is not an object", items[0])
	}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("line item %s = %v, want %v", k, line[k], v)
		}
	}
}

func TestCreateCartLineItemErrorIsTyped(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusCreated, `{"id":"cart-1","lineItems":[{"id":0,"catalogItemId":"X:1:Y","quantity":1,
			"error":{"errorCode":400019,"errorDescription":"Availability is stale."}}]}`)
	}))
	_, err := env.client.CreateCart(t.Context(), commerceCustomerID, CartLineItemRequest{CatalogItemID: "X:1:Y", Quantity: 1, TermDuration: "P1M", BillingCycle: "monthly"})
	var lineErr *CartLineItemError
	if !errors.As(err, &lineErr) || lineErr.CartID != "cart-1" || len(lineErr.Items) != 1 || lineErr.Items[0].Code != CodeStaleAvailability {
		t.Fatalf("err = %#v", err)
	}
	if !errors.Is(err, ErrStaleAvailability) || errors.Is(err, ErrCustomerAgreementMissing) {
		t.Error("the line's code must select its sentinel, and only it")
	}
	for _, want := range []string{commerceCustomerID, "cart-1", "error code 400019", "Availability is stale.", "MS-RequestId resp-request-id"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestCreateCartRefusesBadInput(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("no request expected") }))
	for _, item := range []CartLineItemRequest{{CatalogItemID: "", Quantity: 1}, {CatalogItemID: "a:b:c", Quantity: 0}} {
		if _, err := env.client.CreateCart(t.Context(), commerceCustomerID, item); err == nil {
			t.Errorf("%+v accepted", item)
		}
	}
}
