package mockpartnercenter

import "net/http"

// serveDeleteCustomer answers DELETE /v1/customers/{customerID}. Microsoft
// documents the call for the integration sandbox only (204, the tenant and
// its resources purged); with Options.IntegrationSandbox off the mock refuses
// it as production does. Microsoft's pages do not show production's answer:
// the 403 with a Partner Center error body is inferred.
func (s *Server) serveDeleteCustomer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("customerID")
	if !checkIDs(w, id, "") {
		return
	}
	remove := func() func(http.ResponseWriter) { return s.deleteCustomer(id) }
	if s.applyFault(w, r, id, routeFaults{notFound: writeNotFound, commit: func() { remove() }}) {
		return
	}
	remove()(w)
}

// deleteCustomer removes the customer in an integration sandbox, and
// returns the answer to write.
func (s *Server) deleteCustomer(id string) func(http.ResponseWriter) {
	if _, ok := s.lookupCustomer(id); !ok {
		return func(w http.ResponseWriter) { writeNoSuchCustomer(w, id) }
	}
	if !s.opts.IntegrationSandbox {
		return func(w http.ResponseWriter) {
			writePCError(w, http.StatusForbidden, http.StatusForbidden,
				"Deleting a customer is supported only in the integration sandbox (Testing in Production) account.")
		}
	}
	s.removeCustomer(id)
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusNoContent)
	}
}
