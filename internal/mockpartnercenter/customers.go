package mockpartnercenter

import (
	"maps"
	"net/http"

	"github.com/google/uuid"
)

const RouteGetCustomer Route = "get_customer" // counted for the route declared below

var _ = declareRoutes(apiRoute{RouteGetCustomer, "GET " + customerPattern, exampleCustomer, (*Server).serveGetCustomer})

// serveGetCustomer answers GET /v1/customers/{customerID}.
func (s *Server) serveGetCustomer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("customerID")
	if s.applyFault(w, r, id, routeFaults{
		body:     func() []byte { return s.customerBody(id) },
		wrongID:  func() []byte { return s.otherCustomerBody(id) },
		notFound: writeNotFound,
	}) {
		return
	}
	if body := s.customerBody(id); body != nil {
		writeRawJSON(w, http.StatusOK, s.withoutBillingProfile(id, body))
		return
	}
	writeNoSuchCustomer(w, id)
}

// writeNotFound is Partner Center's plain 404, as FaultNotFound sends it.
func writeNotFound(w http.ResponseWriter) {
	writePCError(w, http.StatusNotFound, pcCodeNotFound, "Not found")
}

// writeNoSuchCustomer answers for a tenant that is not among the partner's
// customers, as the live service does: 403 code 20002 for a tenant that
// exists but has no relationship with the partner, else 404 code "60003".
func writeNoSuchCustomer(w http.ResponseWriter, id string) {
	if customerKey(id) == NonCustomerTenantID {
		writePCError(w, http.StatusForbidden, pcCodeNoRelationship, "No relationship between caller and account")
		return
	}
	writePCError(w, http.StatusNotFound, pcCodeTenantNotFound, "Tenant not found")
}

// customerBody returns the stored body of id, or nil.
func (s *Server) customerBody(id string) []byte {
	c, ok := s.lookupCustomer(id)
	if !ok {
		return nil
	}
	return c.raw
}

// otherCustomerBody returns the body of the first customer in list order
// that is not id; with no other customer it returns id's body under another
// id, so FaultWrongID always has something wrong to send.
func (s *Server) otherCustomerBody(id string) []byte {
	key := customerKey(id)
	s.mu.Lock()
	var self *customer
	for _, k := range s.order {
		if k != key {
			body := s.customers[k].raw
			s.mu.Unlock()
			return body
		}
		self = s.customers[k]
	}
	s.mu.Unlock()
	if self == nil {
		return nil
	}
	clone := maps.Clone(self.doc)
	clone["id"] = uuid.NewSHA1(idNamespace, []byte("wrong/"+key)).String()
	body, err := marshal(clone)
	if err != nil {
		return nil
	}
	return body
}

// isGUID accepts only the canonical 8-4-4-4-12 form Partner Center uses in
// paths (uuid.Parse would also take braces and urn:uuid: prefixes).
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}
