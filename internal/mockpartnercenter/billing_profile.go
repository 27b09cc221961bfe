package mockpartnercenter

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
)

// The routes of this file, counted under these names.
const (
	RouteGetBillingProfile    Route = "get_billing_profile"
	RouteUpdateBillingProfile Route = "update_billing_profile"
)

var _ = declareRoutes(
	apiRoute{RouteGetBillingProfile, "GET " + customerPattern + "/profiles/billing", exampleCustomer + "/profiles/billing", (*Server).serveGetBillingProfile},
	apiRoute{RouteUpdateBillingProfile, "PUT " + customerPattern + "/profiles/billing", exampleCustomer + "/profiles/billing", (*Server).serveUpdateBillingProfile},
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

// serveGetBillingProfile answers GET /v1/customers/{customerID}/profiles/billing,
// after the change ChangeBillingProfileAtNextRead left for it.
func (s *Server) serveGetBillingProfile(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("customerID")
	s.answerCustomer(w, r, id, false, routeFaults{notFound: writeNotFound}, func() answer {
		if change := s.onboarding.pendingProfileChange; change != nil && customerKey(change.customerID) == customerKey(id) {
			s.onboarding.pendingProfileChange = nil
			_ = s.changeBillingProfileLocked(change.customerID, change.member, change.value) // the customer exists
		}
		profile, ok := s.customers[customerKey(id)].doc["billingProfile"].(map[string]any)
		if !ok {
			return pcErrorAnswer(http.StatusNotFound, pcCodeNotFound, "Not found")
		}
		return jsonAnswer(http.StatusOK, profile)
	})
}

// serveUpdateBillingProfile answers PUT /v1/customers/{customerID}/profiles/billing:
// the body replaces the whole profile when If-Match carries its current
// etag, and the profile gets a new etag. A request is checked before any
// fault applies; a fault after the commit finds the profile replaced.
func (s *Server) serveUpdateBillingProfile(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("customerID")
	ifMatch := strings.Trim(strings.TrimSpace(r.Header.Get("If-Match")), `"`)
	if ifMatch == "" {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, "The If-Match header with the billing profile's etag is required.")
		return
	}
	var in map[string]any
	if !decodeWriteBody(w, r, maxCreateBody, &in, "The request body is not a valid billing profile.") {
		return
	}
	profile, ok := billingProfileFromRequest(w, in)
	if !ok {
		return
	}
	s.answerCustomer(w, r, id, true, routeFaults{notFound: writeNotFound}, func() answer { return s.replaceBillingProfileLocked(id, ifMatch, profile) })
}

// replaceBillingProfileLocked replaces the customer's billing profile with
// profile when ifMatch is its etag.
func (s *Server) replaceBillingProfileLocked(id, ifMatch string, profile map[string]any) answer {
	c := s.customers[customerKey(id)]
	current, _ := c.doc["billingProfile"].(map[string]any)
	if ifMatch != stringAt(current, "attributes", "etag") {
		return pcErrorAnswer(http.StatusBadRequest, pcCodeStaleETag, "The etag is no longer valid: read the billing profile again.")
	}
	for _, k := range []string{"id", "links"} {
		if v, ok := current[k]; ok {
			profile[k] = v
		}
	}
	if s.storeBillingProfileLocked(c, profile) != nil {
		return pcErrorAnswer(http.StatusInternalServerError, pcCodeInternal, "The billing profile could not be updated.")
	}
	return jsonAnswer(http.StatusOK, profile)
}

// StoredCustomer returns the stored document of the customer id, as a read
// of it answers, or nil: for tests to check what a write stored.
func (s *Server) StoredCustomer(id string) []byte {
	return s.customerBody(id)
}

// ChangeBillingProfile sets a member of the customer's billing profile
// ("companyName", or "defaultAddress.city") as another writer would, outside
// the client, and gives the profile a new etag.
func (s *Server) ChangeBillingProfile(customerID, member, value string) error {
	return withLock(s, func() error { return s.changeBillingProfileLocked(customerID, member, value) })
}

func (s *Server) changeBillingProfileLocked(customerID, member, value string) error {
	c, ok := s.customers[customerKey(customerID)]
	if !ok {
		return fmt.Errorf("no customer %s", customerID)
	}
	current, _ := c.doc["billingProfile"].(map[string]any)
	profile := maps.Clone(current)
	if profile == nil {
		profile = map[string]any{}
	}
	if outer, inner, nested := strings.Cut(member, "."); nested {
		current, _ := profile[outer].(map[string]any)
		address := maps.Clone(current)
		if address == nil {
			address = map[string]any{}
		}
		address[inner] = value
		profile[outer] = address
	} else {
		profile[member] = value
	}
	return s.storeBillingProfileLocked(c, profile)
}

// storeBillingProfileLocked stores profile, with a new etag, as c's billing
// profile; the customer is replaced, not changed, as readers may hold it.
func (s *Server) storeBillingProfileLocked(c *customer, profile map[string]any) error {
	profile["attributes"] = map[string]any{"etag": newETag(), "objectType": "CustomerBillingProfile"}
	doc := maps.Clone(c.doc)
	doc["billingProfile"] = profile
	updated, err := newCustomerFromMap(doc)
	if err == nil {
		s.putLocked(updated)
	}
	return err
}

// pendingProfileChange is a change another writer makes just before the
// next read of a billing profile.
type pendingProfileChange struct {
	customerID, member, value string
}

// ChangeBillingProfileAtNextRead makes ChangeBillingProfile's change when
// the customer's billing profile is next read on its own (GET
// .../profiles/billing), as another writer's change landing between a plan
// (whose refresh reads the customer) and its apply.
func (s *Server) ChangeBillingProfileAtNextRead(customerID, member, value string) {
	s.locked(func() {
		s.onboarding.pendingProfileChange = &pendingProfileChange{customerID: customerID, member: member, value: value}
	})
}

// SetReadsWithoutBillingProfile makes reads of the customer leave its
// billing profile out, as the service does for some customers; the
// profile's own route still answers it.
func (s *Server) SetReadsWithoutBillingProfile(customerID string, on bool) {
	setCustomerValue(s, s.onboarding.withoutBillingProfile, customerID, true, on)
}

// withoutBillingProfile is body without its billingProfile member when the
// customer's reads leave it out.
func (s *Server) withoutBillingProfile(id string, body []byte) []byte {
	s.mu.Lock()
	strip := s.onboarding.withoutBillingProfile[customerKey(id)]
	s.mu.Unlock()
	var doc map[string]any
	if !strip || json.Unmarshal(body, &doc) != nil {
		return body
	}
	delete(doc, "billingProfile")
	stripped, err := marshal(doc)
	if err != nil {
		return body
	}
	return stripped
}
