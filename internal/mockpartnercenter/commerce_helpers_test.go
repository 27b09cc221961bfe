package mockpartnercenter

import (
	"net/http"
	"strconv"
	"testing"
)

// unknownID is a valid GUID that names nothing in the mock.
const unknownID = "00000000-0000-4000-8000-000000000000"

// apiSend sends an authenticated API request with a JSON body ("" for
// none) and extra headers.
func apiSend(t *testing.T, method, base, token, path, body string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	return mustSend(t, method, base+path, token, headers, b)
}

const businessBasicItem = "CFQ7TTC0LH18:0001:CFQ7TTC0K971"

func cartsPath(customerID string) string { return "/v1/customers/" + customerID + "/carts" }

// cartBody is a one-line cart request.
func cartBody(catalogItemID string, quantity int, term, cycle string) string {
	return `{"lineItems":[{"catalogItemId":"` + catalogItemID + `","quantity":` + strconv.Itoa(quantity) +
		`,"termDuration":"` + term + `","billingCycle":"` + cycle + `"}]}`
}

type testCart struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	LineItems []struct {
		CatalogItemID string `json:"catalogItemId"`
		Pricing       *struct {
			Price         float64 `json:"price"`
			ExtendedPrice float64 `json:"extendedPrice"`
		} `json:"pricing"`
		Error *struct {
			ErrorCode int `json:"errorCode"`
		} `json:"error"`
	} `json:"lineItems"`
	ExpirationTimestamp string `json:"expirationTimestamp"`
}

type testOrder struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	LineItems []struct {
		SubscriptionID string `json:"subscriptionId"`
		Quantity       int    `json:"quantity"`
	} `json:"lineItems"`
}

type testCheckout struct {
	Orders      []testOrder `json:"orders"`
	OrderErrors []struct {
		Code int `json:"code"`
	} `json:"orderErrors"`
}

// createCart creates a one-line cart and returns it.
func createCart(t *testing.T, base, token, customerID, body string) testCart {
	t.Helper()
	resp, out := apiSend(t, http.MethodPost, base, token, cartsPath(customerID), body, nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create cart: %d %s", resp.StatusCode, out)
	}
	var c testCart
	decodeJSON(t, out, &c)
	return c
}

// checkoutCart checks a cart out and returns the status and body.
func checkoutCart(t *testing.T, base, token, customerID, cartID string) (int, []byte) {
	t.Helper()
	resp, out := apiSend(t, http.MethodPost, base, token, cartsPath(customerID)+"/"+cartID+"/checkout", "", nil)
	return resp.StatusCode, out
}

// readOrder reads an order, failing on anything but 200.
func readOrder(t *testing.T, base, token, customerID, orderID string) testOrder {
	t.Helper()
	resp, out := apiGet(t, base, token, "/v1/customers/"+customerID+"/orders/"+orderID, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("read order: %d %s", resp.StatusCode, out)
	}
	var o testOrder
	decodeJSON(t, out, &o)
	return o
}

// buy purchases quantity seats of Business Basic for customerID, reads the
// order until it completes and returns the new subscription's id.
func buy(t *testing.T, base, token, customerID string, quantity int) string {
	t.Helper()
	c := createCart(t, base, token, customerID, cartBody(businessBasicItem, quantity, "P1Y", "monthly"))
	status, out := checkoutCart(t, base, token, customerID, c.ID)
	if status != http.StatusCreated {
		t.Fatalf("checkout: %d %s", status, out)
	}
	var res testCheckout
	decodeJSON(t, out, &res)
	for range 10 {
		if o := readOrder(t, base, token, customerID, res.Orders[0].ID); o.Status == "completed" {
			return o.LineItems[0].SubscriptionID
		}
	}
	t.Fatal("the order never completed")
	return ""
}
