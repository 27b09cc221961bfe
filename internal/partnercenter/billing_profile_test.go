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
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, strings.ReplaceAll(billingProfileJSON, "%ETAG%", etag))
		case http.MethodPut:
			body := rec.all()[len(rec.all())-1].body
			writeJSON(w, http.StatusOK, string(body))
		}
	}))
	email, phone := "billing@contoso.com", "+1 425 555 0100"
	got, err := env.client.UpdateBillingProfile(t.Context(), "c-1", etag, BillingProfileChanges{
		Email: &email, DefaultAddress: &Address{PhoneNumber: &phone},
	})
	if err != nil {
		t.Fatal(err)
	}
	if *got.Profile.Email != email || *got.Profile.DefaultAddress.PhoneNumber != phone || *got.Profile.DefaultAddress.City != "Redmond" {
		t.Errorf("profile %+v", got.Profile)
	}
	puts := rec.byMethod(http.MethodPut)
	if len(puts) != 1 || puts[0].header.Get("If-Match") != etag || puts[0].path != "/v1/customers/c-1/profiles/billing" {
		t.Fatalf("%d PUTs; want one under the etag read", len(puts))
	}
	sent := jsonObject(t, puts[0].body)
	want := jsonObject(t, []byte(strings.ReplaceAll(billingProfileJSON, "%ETAG%", etag)))
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

// A profile changed since the caller read it is never written over: not
// when the etag differs already, not when the PUT is refused as stale, and
// not without an etag at all.
func TestUpdateBillingProfileChangedSinceReadWritesNothing(t *testing.T) {
	for name, tc := range map[string]struct {
		callerETag, currentETag string
		wantPuts                int
	}{
		"changed before":    {callerETag: "1", currentETag: "2", wantPuts: 0},
		"changed meanwhile": {callerETag: "1", currentETag: "1", wantPuts: 1},
		"no etag":           {callerETag: "", currentETag: "1", wantPuts: 0},
	} {
		t.Run(name, func(t *testing.T) {
			var puts int
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					writeJSON(w, http.StatusOK, strings.ReplaceAll(billingProfileJSON, "%ETAG%", tc.currentETag))
					return
				}
				puts++
				writeJSON(w, http.StatusBadRequest, `{"code":2055,"description":"Etag is no longer valid"}`)
			}))
			name := "x"
			_, err := env.client.UpdateBillingProfile(t.Context(), "c-1", tc.callerETag, BillingProfileChanges{CompanyName: &name})
			if err == nil || puts != tc.wantPuts {
				t.Fatalf("err = %v after %d PUTs", err, puts)
			}
			if tc.callerETag != "" && !errors.Is(err, ErrStaleETag) {
				t.Errorf("err = %v, want ErrStaleETag", err)
			}
		})
	}
}

// A replacement whose first attempt got a server error and whose retry was
// refused as stale reads the profile again: holding what was sent, the
// update succeeded (the first attempt wrote it); holding something else,
// its outcome is unknown, never "nothing was written".
func TestUpdateBillingProfileRetryRefusedAsStale(t *testing.T) {
	for name, storedName := range map[string]string{"own write": "renamed", "someone else's": "other"} {
		t.Run(name, func(t *testing.T) {
			var puts int
			etag := "1"
			profile := strings.ReplaceAll(billingProfileJSON, "%ETAG%", etag)
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					writeJSON(w, http.StatusOK, profile)
					return
				}
				puts++
				if puts == 1 {
					// Stored, then the answer lost to a server error.
					profile = strings.ReplaceAll(strings.Replace(billingProfileJSON, "test company", storedName, 1), "%ETAG%", "2")
					writeJSON(w, http.StatusInternalServerError, `{"code":500,"description":"try again"}`)
					return
				}
				writeJSON(w, http.StatusBadRequest, `{"code":2055,"description":"Etag is no longer valid"}`)
			}))
			renamed := "renamed"
			got, err := env.client.UpdateBillingProfile(t.Context(), "c-1", etag, BillingProfileChanges{CompanyName: &renamed})
			if puts != 2 {
				t.Fatalf("%d PUTs, want the lost one and its refused retry", puts)
			}
			var unknown *ProfileUpdateUnknownError
			switch {
			case storedName == renamed && (err != nil || got.ETag != "2" || *got.Profile.CompanyName != renamed):
				t.Errorf("own write: err = %v, record %+v", err, got)
			case storedName != renamed && (!errors.As(err, &unknown) || errors.Is(err, ErrStaleETag)):
				t.Errorf("someone else's: err = %v, want an unknown outcome, not a stale etag", err)
			}
		})
	}
}
