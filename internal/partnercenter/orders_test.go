package partnercenter

import (
	"net/http"
	"testing"
)

func TestGetOrderWithoutSubscriptionYet(t *testing.T) {
	var rec recorder
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		writeJSON(w, http.StatusOK, `{"id":"a68736758d9c","status":"pending","lineItems":[{"lineItemNumber":0,"offerId":"X:1:Y","quantity":2}]}`)
	}))
	o, err := env.client.GetOrder(t.Context(), commerceCustomerID, "a68736758d9c")
	if err != nil {
		t.Fatal(err)
	}
	if *o.Status != "pending" || len(o.LineItems) != 1 || o.LineItems[0].SubscriptionID != nil || *o.LineItems[0].Quantity != 2 {
		t.Errorf("order %+v", o)
	}
	if r := rec.all()[0]; r.method != http.MethodGet || r.path != "/v1/customers/"+commerceCustomerID+"/orders/a68736758d9c" {
		t.Errorf("request %s %s", r.method, r.path)
	}

	if _, err := env.client.GetOrder(t.Context(), commerceCustomerID, "another"); err == nil {
		t.Error("an answer about another order must be refused")
	}
}

func TestListOrderSubscriptions(t *testing.T) {
	var rec recorder
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		writeJSON(w, http.StatusOK, `{"totalCount":1,"items":[`+newCommerceSubscriptionJSON+`]}`)
	}))
	subs, err := env.client.ListOrderSubscriptions(t.Context(), commerceCustomerID, "a6873 6758d9c")
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 {
		t.Fatalf("%d subscriptions", len(subs))
	}
	if r := rec.all()[0]; r.path != "/v1/customers/"+commerceCustomerID+"/subscriptions" || r.query != "order_id=a6873+6758d9c" {
		t.Errorf("request %s?%s", r.path, r.query)
	}
}
