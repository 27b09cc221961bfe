package partnercenter

import (
	"net/http"
	"testing"
)

// availabilitiesJSON follows the availability a partner quoted from the
// live service on Microsoft Q&A (see Availability's doc comment).
const availabilitiesJSON = `{"totalCount":1,"items":[{"id":"CFQ7TTC0MKD5","productId":"CFQ7TTC0LFLZ","skuId":"0002",
"catalogItemId":"CFQ7TTC0LFLZ:0002:CFQ7TTC0MKD5","defaultCurrency":{"code":"USD","symbol":"$"},"segment":"Commercial",
"country":"US","isPurchasable":true,"isRenewable":true,
"terms":[{"id":"bnbbihhxpsbo","duration":"P1M","description":"One-Month commitment for monthly billing","billingCycle":"Monthly",
"cancellationPolicies":[{"refundOptions":[{"sequenceId":0,"type":"Full","expiresAfter":"P1D"}]}]},
{"id":"u7f64ks66cqy","duration":"P1Y","description":"One-Year commitment for monthly/yearly billing","billingCycle":"Annual",
"cancellationPolicies":[{"refundOptions":[{"sequenceId":0,"type":"Full","expiresAfter":"P1D"}]}]}]}],
"attributes":{"objectType":"Collection"}}`

func TestListAvailabilities(t *testing.T) {
	var rec recorder
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		writeJSON(w, http.StatusOK, availabilitiesJSON)
	}))
	avs, err := env.client.ListAvailabilities(t.Context(), "CFQ7TTC0LFLZ", "0002", "US")
	if err != nil {
		t.Fatal(err)
	}
	if len(avs) != 1 || *avs[0].CatalogItemID != "CFQ7TTC0LFLZ:0002:CFQ7TTC0MKD5" || len(avs[0].Terms) != 2 {
		t.Fatalf("availabilities %+v", avs)
	}
	term := avs[0].Terms[1]
	if *term.Duration != "P1Y" || *term.BillingCycle != "Annual" || *term.CancellationPolicies[0].RefundOptions[0].ExpiresAfter != "P1D" {
		t.Errorf("term %+v", term)
	}
	if r := rec.all()[0]; r.path != "/v1/products/CFQ7TTC0LFLZ/skus/0002/availabilities" || r.query != "country=US" {
		t.Errorf("request %s?%s", r.path, r.query)
	}
	if _, err := env.client.ListAvailabilities(t.Context(), "CFQ7TTC0LFLZ", "0002", "USA"); err == nil {
		t.Error("a three-letter country was accepted")
	}
}
