package mockpartnercenter

import (
	"net/http"
	"path"
	"strings"
)

// apiRoute is one row of the API's route table.
type apiRoute struct {
	// route names the counter the request is counted under (Requests).
	route Route
	// pattern is an http.ServeMux pattern with a method, e.g.
	// "GET /v1/customers/{customerID}"; the handler reads the wildcards
	// with r.PathValue.
	pattern string
	serve   http.HandlerFunc
}

// apiRoutes is the route table of /v1. Every row passes the same steps
// (apiFront, then acceptJSON) before its handler, whatever its method.
func (s *Server) apiRoutes() []apiRoute {
	const subscription = "/v1/customers/{customerID}/subscriptions/{subscriptionID}"
	return []apiRoute{
		{RouteListCustomers, "GET /v1/customers", s.serveListCustomers},
		{RouteGetCustomer, "GET /v1/customers/{customerID}", s.serveGetCustomer},
		{RouteListSubscriptions, "GET /v1/customers/{customerID}/subscriptions", s.serveListSubscriptions},
		{RouteGetSubscription, "GET " + subscription, s.serveGetSubscription},
		// The documentation spells this resource both ways.
		{RouteAzureEntitlements, "GET " + subscription + "/azureEntitlements", s.serveAzureEntitlements},
		{RouteAzureEntitlements, "GET " + subscription + "/azureentitlements", s.serveAzureEntitlements},
		{RouteDomainAvailability, "HEAD /v1/domains/{domain}", s.serveDomainAvailability},
		{RouteCreateCustomer, "POST /v1/customers", s.serveCreateCustomer},
		{RouteCreateAgreement, "POST /v1/customers/{customerID}/agreements", s.serveCreateAgreement},
		{RouteDeleteCustomer, "DELETE /v1/customers/{customerID}", s.serveDeleteCustomer},
		{RouteGetBillingProfile, "GET /v1/customers/{customerID}/profiles/billing", s.serveGetBillingProfile},
		{RouteUpdateBillingProfile, "PUT /v1/customers/{customerID}/profiles/billing", s.serveUpdateBillingProfile},
		{RouteUpdateSubscription, "PATCH " + subscription, s.serveUpdateSubscription},
		{RouteSubscriptionOperation, "GET " + subscription + "/operations/{operationID}", s.serveSubscriptionOperation},
		{RouteCreateCart, "POST /v1/customers/{customerID}/carts", s.serveCreateCart},
		{RouteGetCart, "GET /v1/customers/{customerID}/carts/{cartID}", s.serveGetCart},
		{RouteCheckout, "POST /v1/customers/{customerID}/carts/{cartID}/checkout", s.serveCheckout},
		{RouteListOrders, "GET /v1/customers/{customerID}/orders", s.serveListOrders},
		{RouteGetOrder, "GET /v1/customers/{customerID}/orders/{orderID}", s.serveGetOrder},
		{RouteAvailabilities, "GET /v1/products/{productID}/skus/{skuID}/availabilities", s.serveAvailabilities},
	}
}

// newHandler builds the mock's routing. Misses get the answer the real
// service shape implies: a known /v1 path asked with another method gets
// Partner Center's 405, an unknown /v1 resource the front door's bare 404
// (both after authentication, as the front door checks the token first),
// and the token path Entra's errors for any method.
func (s *Server) newHandler() http.Handler {
	api := http.NewServeMux()
	var paths []string
	allowed := map[string][]string{} // path -> its methods
	for _, rt := range s.apiRoutes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		api.Handle(rt.pattern, s.apiFront(rt.route, acceptJSON(rt.serve)))
		if allowed[path] == nil {
			paths = append(paths, path)
		}
		allowed[path] = append(allowed[path], method)
	}
	for _, path := range paths {
		api.Handle(path, s.apiFront("", methodNotAllowed(strings.Join(allowed[path], ", "))))
	}
	api.Handle("/v1", s.apiFront("", frontDoorNotFound))
	api.Handle("/v1/", s.apiFront("", frontDoorNotFound))
	api.Handle("/_mock/", s.adminHandler())

	// The token path's tenant wildcard would overlap /v1/ and /_mock/, so
	// the Entra side has a mux of its own behind the API's catch-all.
	entra := http.NewServeMux()
	entra.HandleFunc("/{tenant}/oauth2/v2.0/token", s.serveToken)
	entra.HandleFunc(gitHubActionsIDTokenPath, s.serveGitHubActionsIDToken)
	entra.HandleFunc(azureDevOpsIDTokenPath, s.serveAzureDevOpsIDToken)
	entra.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "", http.StatusNotFound) })
	api.Handle("/", entra)

	miss := s.apiFront("", frontDoorNotFound)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// ServeMux would redirect a path with "//", "." or ".." to its
		// clean form; the real front door does not, such a path names no
		// resource.
		if p := r.URL.Path; !isCleanPath(p) {
			if p == "/v1" || strings.HasPrefix(p, "/v1/") {
				miss.ServeHTTP(w, r)
				return
			}
			http.Error(w, "", http.StatusNotFound)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// isCleanPath reports whether p is already in the form path.Clean gives,
// a trailing slash allowed.
func isCleanPath(p string) bool {
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean == p
}

// frontDoorNotFound is the front door's answer for an unknown resource: 404
// with no body.
func frontDoorNotFound(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusNotFound)
}

// methodNotAllowed answers a known path asked with a method it lacks, as
// Partner Center's Web API does.
func methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writePCError(w, http.StatusMethodNotAllowed, http.StatusMethodNotAllowed,
			"The requested resource does not support http method '"+sanitize(r.Method)+"'.")
	}
}
