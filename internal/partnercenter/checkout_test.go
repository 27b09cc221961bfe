package partnercenter

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestCheckoutRetriesTheSameCartWithTheSameRequestID(t *testing.T) {
	for _, failure := range []string{"503", "dropped connection"} {
		t.Run(failure, func(t *testing.T) {
			var rec recorder
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if rec.record(r) < 2 {
					if failure == "503" {
						writeJSON(w, http.StatusServiceUnavailable, `{"code":503,"description":"busy"}`)
					} else {
						dropConnection(t, w)
					}
					return
				}
				writeJSON(w, http.StatusCreated, fixture(t, "commerce-checkout-result.json"))
			}))
			result, err := env.client.CheckoutCart(t.Context(), commerceCustomerID, "cart-7")
			if err != nil {
				t.Fatal(err)
			}
			if len(result.Orders) != 1 || *result.Orders[0].ID != "a68736758d9c" || *result.Orders[0].Status != "pending" ||
				*result.Orders[0].LineItems[0].SubscriptionID != "0c353b8e-da9d-4007-d0d4-bca8bd5b5ce1" {
				t.Errorf("result %+v", result)
			}
			reqs := rec.all()
			if len(reqs) != 3 {
				t.Fatalf("%d requests, want 3", len(reqs))
			}
			for _, r := range reqs {
				if r.method != http.MethodPost || r.path != "/v1/customers/"+commerceCustomerID+"/carts/cart-7/checkout" {
					t.Errorf("request %s %s, want the same cart's checkout", r.method, r.path)
				}
				if r.header.Get("MS-RequestId") != reqs[0].header.Get("MS-RequestId") {
					t.Error("every attempt of one checkout must carry the same MS-RequestId")
				}
			}
		})
	}
}

func TestCheckoutOrderErrorsAreTyped(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusCreated, `{"orders":[],"orderErrors":[{"orderGroupId":"0","code":13605,
			"description":"Customer has not accepted the Microsoft Customer Agreement."}]}`)
	}))
	result, err := env.client.CheckoutCart(t.Context(), commerceCustomerID, "cart-7")
	var coErr *CheckoutError
	if !errors.As(err, &coErr) || result == nil || len(coErr.Errors) != 1 || coErr.Errors[0].Code != CodeCustomerAgreementMissing ||
		coErr.Errors[0].OrderGroupID != "0" {
		t.Fatalf("result %+v, err %#v", result, err)
	}
	if !errors.Is(err, ErrCustomerAgreementMissing) || errors.Is(err, ErrStaleAvailability) {
		t.Error("13605 must match ErrCustomerAgreementMissing only")
	}
	for _, want := range []string{"cart-7", commerceCustomerID, "error code 13605", "Microsoft Customer Agreement"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestCheckoutAgreementMissingAsHTTPError(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, `{"code":13605,"description":"agreement missing"}`)
	}))
	_, err := env.client.CheckoutCart(t.Context(), commerceCustomerID, "cart-7")
	if !errors.Is(err, ErrCustomerAgreementMissing) {
		t.Fatalf("err = %v", err)
	}
}

func TestCheckoutWaitsForACartInProgress(t *testing.T) {
	var rec recorder
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec.record(r) == 0 {
			writeJSON(w, http.StatusConflict, `{"code":800064,"description":"cart is being processed"}`)
			return
		}
		writeJSON(w, http.StatusCreated, fixture(t, "commerce-checkout-result.json"))
	}))
	if _, err := env.client.CheckoutCart(t.Context(), commerceCustomerID, "cart-7"); err != nil {
		t.Fatal(err)
	}
	if len(rec.all()) != 2 || len(env.waits()) != 1 {
		t.Errorf("%d requests, %d waits; want 2 and 1", len(rec.all()), len(env.waits()))
	}
}
