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
	if s.applyFault(w, r, id, routeFaults{notFound: writeNotFound}) {
		return
	}
	if _, ok := s.lookupCustomer(id); !ok {
		writeNoSuchCustomer(w, id)
		return
	}
	if !s.opts.IntegrationSandbox {
		writePCError(w, http.StatusForbidden, http.StatusForbidden,
			"Deleting a customer is supported only in the integration sandbox (Testing in Production) account.")
		return
	}
	s.removeCustomer(id)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusNoContent)
}
