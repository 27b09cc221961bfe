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
	s.answerCustomerWrite(w, r, id, routeFaults{notFound: writeNotFound}, func() (answer, bool) { return s.deleteCustomer(id) })
}

// deleteCustomer removes the customer in an integration sandbox, and
// returns the answer to write.
func (s *Server) deleteCustomer(id string) (answer, bool) {
	if _, ok := s.lookupCustomer(id); !ok {
		return answer{}, false
	}
	if !s.opts.IntegrationSandbox {
		return pcErrorAnswer(http.StatusForbidden, http.StatusForbidden,
			"Deleting a customer is supported only in the integration sandbox (Testing in Production) account."), true
	}
	s.removeCustomer(id)
	return answer{status: http.StatusNoContent}, true
}
