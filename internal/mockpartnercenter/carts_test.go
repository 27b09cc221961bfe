package mockpartnercenter

import (
	"net/http"
	"testing"
	"time"
)

func TestCreateCart(t *testing.T) {
	tests := []struct {
		name        string
		customer    string
		body        string
		status      int
		requestCode any     // of a refused request
		lineCode    int     // of the line's error, 0 for a priced line
		extended    float64 // the priced line's extendedPrice
	}{
		{"annual term billed monthly", DocumentedCustomerID, cartBody(businessBasicItem, 3, "P1Y", "monthly"), http.StatusCreated, nil, 0, 216},
		{"monthly term, PascalCase as documented", DocumentedCustomerID,
			`{"LineItems":[{"CatalogItemId":"CFQ7TTC0LF8S:0001:CFQ7TTC0N81H","Quantity":1,"TermDuration":"P1M","BillingCycle":"Monthly"}]}`,
			http.StatusCreated, nil, 0, 36.48},
		{"unknown catalog item", DocumentedCustomerID, cartBody("CFQ7TTC0XXXX:0001:CFQ7TTC0XXXX", 1, "P1Y", "monthly"), http.StatusCreated, nil, pcCodeInvalidCatalogItem, 0},
		{"term the availability lacks", DocumentedCustomerID, cartBody("CFQ7TTC0LF8S:0001:CFQ7TTC0N81H", 1, "P1Y", "monthly"), http.StatusCreated, nil, pcCodeInvalidCatalogItem, 0},
		{"too many seats", DocumentedCustomerID, cartBody(businessBasicItem, 301, "P1M", "monthly"), http.StatusCreated, nil, pcCodeTooManySeats, 0},
		{"no seats", DocumentedCustomerID, cartBody(businessBasicItem, 0, "P1M", "monthly"), http.StatusBadRequest, float64(pcCodeInvalidInput), 0, 0},
		{"no line items", DocumentedCustomerID, `{"lineItems":[]}`, http.StatusBadRequest, float64(pcCodeInvalidInput), 0, 0},
		{"not JSON", DocumentedCustomerID, `lineItems`, http.StatusBadRequest, float64(pcCodeInvalidInput), 0, 0},
		{"unknown customer", unknownID, cartBody(businessBasicItem, 1, "P1M", "monthly"), http.StatusNotFound, pcCodeTenantNotFound, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{})
			tok := accessToken(t, ts.URL)
			resp, out := apiSend(t, http.MethodPost, ts.URL, tok, cartsPath(tt.customer), tt.body, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d %s, want %d", resp.StatusCode, out, tt.status)
			}
			if tt.status != http.StatusCreated {
				if e := pcErrorOf(t, out); e.Code != tt.requestCode {
					t.Errorf("code %v, want %v", e.Code, tt.requestCode)
				}
				return
			}
			var c testCart
			decodeJSON(t, out, &c)
			line := c.LineItems[0]
			switch {
			case c.Status != "Active" || len(c.LineItems) != 1:
				t.Errorf("cart %s", out)
			case tt.lineCode != 0 && (line.Error == nil || line.Error.ErrorCode != tt.lineCode || line.Pricing != nil):
				t.Errorf("line %s, want error %d and no price", out, tt.lineCode)
			case tt.lineCode == 0 && (line.Error != nil || line.Pricing == nil || line.Pricing.ExtendedPrice != tt.extended):
				t.Errorf("line %s, want extendedPrice %v", out, tt.extended)
			}
			expires, err := time.Parse(time.RFC3339Nano, c.ExpirationTimestamp)
			if err != nil || time.Until(expires) < cartLifetime-time.Minute || time.Until(expires) > cartLifetime {
				t.Errorf("expirationTimestamp %q, want seven days ahead", c.ExpirationTimestamp)
			}
			resp, read := apiGet(t, ts.URL, tok, cartsPath(tt.customer)+"/"+c.ID, nil)
			if resp.StatusCode != http.StatusOK || string(read) != string(out) {
				t.Errorf("read back: %d %s", resp.StatusCode, read)
			}
			if s.Requests(RouteCreateCart) != 1 || s.Purchases(tt.customer) != 0 {
				t.Errorf("a cart counted %d creates, %d purchases", s.Requests(RouteCreateCart), s.Purchases(tt.customer))
			}
		})
	}
}

// TestCartWithRefusedLine buys the valid lines and reports the others in
// orderErrors.
func TestCartWithRefusedLine(t *testing.T) {
	s, ts := newTestServer(t, Options{OrderPendingReads: -1})
	tok := accessToken(t, ts.URL)
	body := `{"lineItems":[` +
		`{"catalogItemId":"` + businessBasicItem + `","quantity":2,"termDuration":"P1M","billingCycle":"monthly"},` +
		`{"catalogItemId":"` + businessBasicItem + `","quantity":900,"termDuration":"P1M","billingCycle":"monthly"}]}`
	c := createCart(t, ts.URL, tok, DocumentedCustomerID, body)
	status, out := checkoutCart(t, ts.URL, tok, DocumentedCustomerID, c.ID)
	var res testCheckout
	decodeJSON(t, out, &res)
	if status != http.StatusCreated || len(res.Orders) != 1 || len(res.Orders[0].LineItems) != 1 ||
		len(res.OrderErrors) != 1 || res.OrderErrors[0].Code != pcCodeTooManySeats || s.Purchases(DocumentedCustomerID) != 1 {
		t.Errorf("checkout: %d %s", status, out)
	}
}

func TestAvailabilities(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tok := accessToken(t, ts.URL)
	path := "/v1/products/CFQ7TTC0LF8S/skus/0001/availabilities"
	type availabilities struct {
		TotalCount int `json:"totalCount"`
		Items      []struct {
			CatalogItemID string `json:"catalogItemId"`
			Terms         []struct {
				Duration string `json:"duration"`
			} `json:"terms"`
		} `json:"items"`
	}
	var col availabilities
	resp, out := apiGet(t, ts.URL, tok, path+"?country=US", nil)
	decodeJSON(t, out, &col)
	if resp.StatusCode != http.StatusOK || col.TotalCount != 2 || col.Items[0].CatalogItemID != "CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5" || len(col.Items[0].Terms) != 3 {
		t.Fatalf("availabilities: %d %s", resp.StatusCode, out)
	}

	replacement := s.RetireAvailability("CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5")
	_, out = apiGet(t, ts.URL, tok, path+"?country=US", nil)
	col = availabilities{}
	decodeJSON(t, out, &col)
	if replacement == "" || col.Items[0].CatalogItemID != replacement {
		t.Errorf("after retiring: %s, want the replacement %q listed", out, replacement)
	}
	c := createCart(t, ts.URL, tok, DocumentedCustomerID, cartBody(replacement, 1, "P1Y", "annual"))
	if status, out := checkoutCart(t, ts.URL, tok, DocumentedCustomerID, c.ID); status != http.StatusCreated {
		t.Errorf("buying the replacement: %d %s", status, out)
	}
	if s.RetireAvailability("CFQ7TTC0XXXX:0001:CFQ7TTC0XXXX") != "" {
		t.Error("retiring an unknown item named a replacement")
	}

	for _, bad := range []struct {
		path   string
		status int
	}{{path, http.StatusBadRequest}, {"/v1/products/CFQ7TTC0XXXX/skus/0001/availabilities?country=US", http.StatusNotFound}} {
		if resp, out := apiGet(t, ts.URL, tok, bad.path, nil); resp.StatusCode != bad.status {
			t.Errorf("%s: %d %s, want %d", bad.path, resp.StatusCode, out, bad.status)
		}
	}
}
