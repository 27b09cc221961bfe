package mockpartnercenter

import (
	"encoding/json"
	"net/http"
	"strings"
)

// pcCodeStaleETag answers an If-Match that no longer matches. Microsoft's
// billing-profile page documents no code for it; 2055 is what the
// subscription PATCH answers ("Etag is no longer valid"), used here alike.
const pcCodeStaleETag = 2055

// billingProfileFields and billingAddressFields are the writable parts of a
// customer's billing profile; anything else a request sends is ignored, as
// id, links and attributes are the service's.
var (
	billingProfileFields = []string{"firstName", "lastName", "email", "culture", "language", "companyName"}
	billingAddressFields = []string{
		"country", "region", "city", "state", "addressLine1", "addressLine2", "addressLine3",
		"postalCode", "firstName", "lastName", "phoneNumber",
	}
	billingRequiredFields = []string{"email", "culture", "language", "companyName"}
	addressRequiredFields = []string{"country", "city", "addressLine1", "postalCode"}
)

// billingProfileFromRequest checks a requested billing profile and copies
// its writable fields, answering 400 for a missing required one.
func billingProfileFromRequest(w http.ResponseWriter, in map[string]any) (map[string]any, bool) {
	out := pick(in, billingProfileFields)
	addr, _ := in["defaultAddress"].(map[string]any)
	address := pick(addr, billingAddressFields)
	if _, ok := address["phoneNumber"]; !ok {
		address["phoneNumber"] = "" // the service answers an empty phone number, not none
	}
	out["defaultAddress"] = address
	for _, f := range billingRequiredFields {
		if stringAt(out, f) == "" {
			writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, "The billing profile's "+f+" is required.")
			return nil, false
		}
	}
	for _, f := range addressRequiredFields {
		if stringAt(out, "defaultAddress", f) == "" {
			writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, "The billing address's "+f+" is required.")
			return nil, false
		}
	}
	return out, true
}

// pick copies the string values of keys present in m.
func pick(m map[string]any, keys []string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		if v, ok := m[k].(string); ok {
			out[k] = v
		}
	}
	return out
}

// serveGetBillingProfile answers GET /v1/customers/{customerID}/profiles/billing.
func (s *Server) serveGetBillingProfile(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("customerID")
	if !checkIDs(w, id, "") {
		return
	}
	if s.applyFault(w, r, id, routeFaults{notFound: writeNotFound}) {
		return
	}
	c, ok := s.lookupCustomer(id)
	if !ok {
		writeNoSuchCustomer(w, id)
		return
	}
	profile, ok := c.doc["billingProfile"].(map[string]any)
	if !ok {
		writeNotFound(w)
		return
	}
	writeJSON(w, http.StatusOK, profile)
}

// serveUpdateBillingProfile answers PUT /v1/customers/{customerID}/profiles/billing:
// the body replaces the whole profile when If-Match carries its current
// etag, and the profile gets a new etag. A request is checked before any
// fault applies; a fault after the commit finds the profile replaced.
func (s *Server) serveUpdateBillingProfile(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("customerID")
	if !checkIDs(w, id, "") {
		return
	}
	ifMatch := strings.Trim(strings.TrimSpace(r.Header.Get("If-Match")), `"`)
	if ifMatch == "" {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, "The If-Match header with the billing profile's etag is required.")
		return
	}
	var in map[string]any
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxCreateBody)).Decode(&in); err != nil {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, "The request body is not a valid billing profile.")
		return
	}
	profile, ok := billingProfileFromRequest(w, in)
	if !ok {
		return
	}
	update := func() func(http.ResponseWriter) { return s.replaceBillingProfile(id, ifMatch, profile) }
	if s.applyFault(w, r, id, routeFaults{notFound: writeNotFound, commit: func() { update() }}) {
		return
	}
	update()(w)
}

// replaceBillingProfile replaces the customer's billing profile with
// profile when ifMatch is its etag, and returns the answer to write.
func (s *Server) replaceBillingProfile(id, ifMatch string, profile map[string]any) func(http.ResponseWriter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.customers[customerKey(id)]
	if !ok {
		return func(w http.ResponseWriter) { writeNoSuchCustomer(w, id) }
	}
	current, _ := c.doc["billingProfile"].(map[string]any)
	if ifMatch != stringAt(current, "attributes", "etag") {
		return func(w http.ResponseWriter) {
			writePCError(w, http.StatusBadRequest, pcCodeStaleETag, "The etag is no longer valid: read the billing profile again.")
		}
	}
	for _, k := range []string{"id", "links"} {
		if v, ok := current[k]; ok {
			profile[k] = v
		}
	}
	profile["attributes"] = map[string]any{"etag": newETag(), "objectType": "CustomerBillingProfile"}
	doc := make(map[string]any, len(c.doc))
	for k, v := range c.doc {
		doc[k] = v
	}
	doc["billingProfile"] = profile
	updated, err := newCustomerFromMap(doc)
	if err != nil {
		return func(w http.ResponseWriter) {
			writePCError(w, http.StatusInternalServerError, pcCodeInternal, "The billing profile could not be updated.")
		}
	}
	s.putLocked(updated)
	return func(w http.ResponseWriter) { writeJSON(w, http.StatusOK, profile) }
}
