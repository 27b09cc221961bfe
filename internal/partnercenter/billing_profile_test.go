package partnercenter

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

const billingProfileJSON = `{"id":"d17c0275-da92-5c33-9032-782ef1d0b69b","email":"test@outlook.com","culture":"en-US",
"language":"en","companyName":"test company","defaultAddress":{"country":"US","city":"Redmond","state":"WA",
"addressLine1":"One Microsoft Way","postalCode":"98052","firstName":"Test","lastName":"Test","phoneNumber":""},
"newField":{"kept":true},"attributes":{"etag":"%ETAG%","objectType":"CustomerBillingProfile"}}`

func TestUpdateBillingProfileSendsTheWholeProfileWithTheChanges(t *testing.T) {
	var rec recorder
	etag := "5920358838484612121"
	stale := true
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, strings.ReplaceAll(billingProfileJSON, "%ETAG%", etag))
		case http.MethodPut:
			if stale { // changed elsewhere since the first read
				stale = false
				etag = "777"
				writeJSON(w, http.StatusBadRequest, `{"code":2055,"description":"Etag is no longer valid"}`)
				return
			}
			body := rec.all()[len(rec.all())-1].body
			writeJSON(w, http.StatusOK, string(body))
		}
	}))
	email, phone := "billing@contoso.com", "+1 425 555 0100"
	got, err := env.client.UpdateBillingProfile(t.Context(), "c-1", BillingProfileChanges{
		Email: &email, DefaultAddress: &Address{PhoneNumber: &phone},
	})
	if err != nil {
		t.Fatal(err)
	}
	if *got.Profile.Email != email || *got.Profile.DefaultAddress.PhoneNumber != phone || *got.Profile.DefaultAddress.City != "Redmond" {
		t.Errorf("profile %+v", got.Profile)
	}
	puts := rec.byMethod(http.MethodPut)
	if len(puts) != 2 || puts[0].header.Get("If-Match") != "5920358838484612121" || puts[1].header.Get("If-Match") != "777" {
		t.Fatalf("%d PUTs; want a stale one and a retry with the etag read again", len(puts))
	}
	if puts[1].path != "/v1/customers/c-1/profiles/billing" {
		t.Errorf("path %s", puts[1].path)
	}
	sent := jsonObject(t, puts[1].body)
	want := jsonObject(t, []byte(strings.ReplaceAll(billingProfileJSON, "%ETAG%", "777")))
	want["email"] = email
	address, ok := want["defaultAddress"].(map[string]any)
	if !ok {
		t.Fatal("the fixture's address is not an object")
	}
	address["phoneNumber"] = phone
	a, _ := json.Marshal(sent)
	b, _ := json.Marshal(want)
	if string(a) != string(b) {
		t.Errorf("PUT body\n%s\nwant\n%s", a, b)
	}
}

func TestUpdateBillingProfileStaleTwiceFails(t *testing.T) {
	var puts int
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			writeJSON(w, http.StatusOK, strings.ReplaceAll(billingProfileJSON, "%ETAG%", "1"))
			return
		}
		puts++
		writeJSON(w, http.StatusBadRequest, `{"code":2055,"description":"Etag is no longer valid"}`)
	}))
	name := "x"
	_, err := env.client.UpdateBillingProfile(t.Context(), "c-1", BillingProfileChanges{CompanyName: &name})
	if !errors.Is(err, ErrStaleETag) || puts != 2 {
		t.Errorf("err = %v after %d PUTs", err, puts)
	}
}
