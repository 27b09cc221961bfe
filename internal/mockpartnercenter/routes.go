package mockpartnercenter

import (
	"net/http"
	"path"
	"slices"
	"strings"
)

// apiRoute declares one route of /v1 in the file of its handler: the Route
// it is counted under, an http.ServeMux pattern with a method (the handler
// reads the wildcards with r.PathValue), a path TestEveryRouteIsCounted
// requests, and the handler.
type apiRoute struct {
	route            Route
	pattern, example string
	serve            func(*Server, http.ResponseWriter, *http.Request)
}

// apiRoutes is the route table of /v1, in the order the files declare it.
// Every route passes the same steps (apiFront, then acceptJSON) before its
// handler, whatever its method.
var apiRoutes []apiRoute

// declareRoutes adds routes to apiRoutes. It returns a value only so that a
// package-level var can call it.
func declareRoutes(routes ...apiRoute) bool { //nolint:unparam // see above
	apiRoutes = append(apiRoutes, routes...)
	return true
}

// The paths the declarations share, and the ids of their examples: the
// documented customer and its Azure plan, and an id no object has.
const (
	customerPattern     = "/v1/customers/{customerID}"
	subscriptionPattern = customerPattern + "/subscriptions/{subscriptionID}"
	exampleCustomer     = "/v1/customers/" + DocumentedCustomerID
	exampleSubscription = exampleCustomer + "/subscriptions/3f15978e-005c-b763-bb78-2a8fab289c58"
	exampleUnknownID    = "00000000-0000-4000-8000-000000000000"
)

// newHandler builds the mock's routing. Misses get the answer the real
// service shape implies: a known /v1 path asked with another method gets
// Partner Center's 405, an unknown /v1 resource the front door's bare 404
// (both after authentication, as the front door checks the token first),
// and the token path Entra's errors for any method.
func (s *Server) newHandler() http.Handler {
	api := http.NewServeMux()
	var paths []string
	allowed := map[string][]string{} // path -> its methods
	for _, rt := range apiRoutes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		api.Handle(rt.pattern, s.apiFront(rt.route, acceptJSON(func(w http.ResponseWriter, r *http.Request) {
			// The ids a path names are checked before its handler runs.
			if !strings.Contains(rt.pattern, "{customerID}") || checkIDs(w, r.PathValue("customerID"), r.PathValue("subscriptionID")) {
				rt.serve(s, w, r)
			}
		})))
		if allowed[path] == nil {
			paths = append(paths, path)
		}
		allowed[path] = append(allowed[path], method)
	}
	for _, path := range paths {
		// GET first, as Partner Center lists them, whichever file declares it.
		if i := slices.Index(allowed[path], http.MethodGet); i > 0 {
			allowed[path] = slices.Insert(slices.Delete(allowed[path], i, i+1), 0, http.MethodGet)
		}
		// Method by method: a method-less pattern conflicts with a method's wildcard
		// sibling (.../subscriptions/customTermEndDates, PATCH .../{subscriptionID}).
		for _, m := range strings.Fields("GET HEAD POST PUT PATCH DELETE CONNECT OPTIONS TRACE") {
			if !slices.Contains(allowed[path], m) && (m != http.MethodHead || !slices.Contains(allowed[path], http.MethodGet)) {
				api.Handle(m+" "+path, s.apiFront("", methodNotAllowed(strings.Join(allowed[path], ", "))))
			}
		}
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
