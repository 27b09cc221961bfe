// Package mockpartnercenter is an in-memory stand-in for Microsoft Partner
// Center and its Entra ID token endpoint, served over real HTTP.
//
// The provider's acceptance tests, the demo and the benchmarks run against it.
// It deliberately shares no code or types with the client package
// (internal/partnercenter): its JSON is shaped after Microsoft's documentation
// (internal/fixtures holds the documented payloads), so a client that merely
// agreed with its own mock could not pass.
//
// Endpoints, all on one base URL:
//
//	POST /{tenant}/oauth2/v2.0/token   Entra ID v2 refresh_token and client_credentials grants
//	                                   (scope=), with a secret, a certificate assertion or a
//	                                   federated ID token the mock issued
//	GET  /github-actions/.../idtoken   GitHub Actions' ID-token service (&audience=)
//	POST /azure-devops/.../oidctoken   Azure DevOps' ID-token service (?api-version=7.1
//	                                   &serviceConnectionId=)
//	/v1/...                            the Partner Center API, as listed in apiRoutes
//	GET  /_mock/stats, POST /_mock/rate-limit   counters and throttling for out-of-process users
//
// # Routes of the API
//
// apiRoutes (routes.go) is the route table of /v1, which each handler's file
// declares (declareRoutes): a Route (the counter name), an http.ServeMux
// pattern with its method, an example path the tests request, and the
// handler. Every route, and every miss, passes apiFront (count and record,
// response headers, Options.Latency, bearer token, rate limit) and
// acceptJSON first; a known path asked with another method gets Partner
// Center's 405, an unknown resource the front door's bare 404.
//
// To add a route: beside its handler, declare its Route constant and its
// apiRoute; nothing else lists it. The routing checks the path's ids
// (checkIDs) first; the handler calls applyFault once with the customer the path names
// ("" when none) and a routeFaults saying how it answers the faults that
// depend on the route; a write to a customer goes through
// answerCustomerWrite, whose commit lets FaultDropConnection and
// Fault.AfterCommit make the write and lose the answer. Answer with
// writeRawJSON or writeJSON, errors with writePCError (writeNoSuchCustomer
// for an unknown customer).
//
// # Microsoft Graph
//
// GDAP's API is Graph's, on a second listener (GraphURL) as it is another
// host: graphRoutes under /v1.0/tenantRelationships, tokens issued for
// Options.GraphAudience only (and Partner Center's refuse those), Graph's
// headers and error shape. gdapHandler gives every route the same lookup
// and fault path; the relationships and their assignments are documents
// whose status moves with reads, as the service's does over time.
//
// # Objects
//
// Customers and subscriptions are stored as the JSON documents the API
// serves (the documented customer byte for byte); writes replace a document
// rather than change it, as readers may hold the old one. The mock sells
// from a small catalog (catalog.go): carts, idempotent checkouts, orders
// that stay pending for Options.OrderPendingReads reads, and subscription
// PATCHes with the service's semantics (patchSubscription). Its clock is
// real time; AgeSubscription moves a subscription's dates back instead.
// Switches on the Server (Set...) make the commerce and onboarding routes
// answer as the service does in its rarer moods.
//
// It answers as the live service does where that differs from the
// documentation's samples: list links carry /v1 (Options.UnversionedLinks
// switches to the samples' form), error codes come as numbers or strings, an
// unknown tenant gets 404 and NonCustomerTenantID 403 code 20002, and some
// generated customers lack what GDAP roles would reveal.
//
// Besides the happy path it can misbehave on demand (throttling, gateway
// errors, hangs, malformed or oversized bodies, looping continuation tokens,
// refusals for missing MFA or a wrong token audience, connections dropped
// after a write, expired or revoked refresh tokens) so that the client's
// resilience can be tested deterministically. See Fault and TokenFault.
package mockpartnercenter
