package mockpartnercenter

import (
	"html"
	"net/http"

	"github.com/google/uuid"
)

// serveGetCustomer answers GET /v1/customers/{id}.
func (s *Server) serveGetCustomer(w http.ResponseWriter, r *http.Request, id string) {
	if !isGUID(id) {
		// Partner Center HTML-encodes quotes in some descriptions (&#39;);
		// the mock does too, so clients are tested for unescaping them.
		writePCError(w, http.StatusBadRequest, pcCodeInvalidID,
			"The customer tenant id &#39;"+html.EscapeString(sanitize(id))+"&#39; is not a valid GUID.")
		return
	}
	f, status, faulted := s.takeFault(id, func(k FaultKind) bool { return k != FaultRepeatContinuation })
	if faulted {
		if s.answerFault(w, r, f, status, func() []byte { return s.customerBody(id) }) {
			return
		}
		switch f.Kind {
		case FaultWrongID:
			if body := s.otherCustomerBody(id); body != nil {
				writeRawJSON(w, http.StatusOK, body)
				return
			}
		case FaultNotFound:
			writePCError(w, http.StatusNotFound, pcCodeNotFound, "Not found")
			return
		}
	}
	body := s.customerBody(id)
	switch {
	case body != nil:
		writeRawJSON(w, http.StatusOK, body)
	case customerKey(id) == NonCustomerTenantID:
		writePCError(w, http.StatusForbidden, pcCodeNoRelationship, "No relationship between caller and account")
	default:
		writePCError(w, http.StatusNotFound, pcCodeTenantNotFound, "Tenant not found")
	}
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
	clone := make(map[string]any, len(self.doc))
	for k, v := range self.doc {
		clone[k] = v
	}
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
