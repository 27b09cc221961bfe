package mockpartnercenter

import "net/http"

const RouteDeleteCustomer Route = "delete_customer" // counted for the route declared below

var _ = declareRoutes(apiRoute{RouteDeleteCustomer, "DELETE " + customerPattern, exampleCustomer, (*Server).serveDeleteCustomer})

// serveDeleteCustomer answers DELETE /v1/customers/{customerID}. Microsoft
// documents the call for the integration sandbox only (204, the tenant and
// its resources purged); with Options.IntegrationSandbox off the mock refuses
// it as production does. Microsoft's pages do not show production's answer:
// the 403 with a Partner Center error body is inferred.
func (s *Server) serveDeleteCustomer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("customerID")
	s.answerCustomer(w, r, id, true, routeFaults{notFound: writeNotFound}, func() answer {
		if !s.opts.IntegrationSandbox {
			return pcErrorAnswer(http.StatusForbidden, http.StatusForbidden,
				"Deleting a customer is supported only in the integration sandbox (Testing in Production) account.")
		}
		s.removeCustomerLocked(id)
		return answer{status: http.StatusNoContent}
	})
}
