// Package mockpartnercenter is an in-memory stand-in for Microsoft Partner
// Center and its Entra ID token endpoint, served over real HTTP.
//
// The provider's acceptance tests, the demo and the benchmarks run against it.
// It deliberately shares no code or types with the client package
// (internal/partnercenter): its JSON is shaped after Microsoft's documentation,
// so a client that merely agreed with its own mock could not pass.
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
// apiRoutes (routes.go) is the route table of /v1: one row per route, a
// Route (the counter name), an http.ServeMux pattern with its method
// ("GET /v1/customers/{customerID}") and the handler, which reads the
// wildcards with r.PathValue. newHandler puts every row behind the same
// steps, for any method: apiFront counts and records the request under the
// row's Route (Requests, RecordedRequests), stamps MS-RequestId and the
// other response headers, adds Options.Latency, checks the bearer token and
// applies the rate limit; acceptJSON then refuses an Accept without JSON.
// Misses go through apiFront too: a known path with another method gets
// Partner Center's 405 (Allow lists the table's methods for the path), an
// unknown resource the front door's bare 404.
//
// To add a route: declare its Route constant (options.go), write the
// handler as a Server method func(http.ResponseWriter, *http.Request), add
// its row to apiRoutes. In the handler, check the path's ids (checkIDs),
// then call applyFault once with the customer the path names ("" when
// none), so that faults set by SetFault for that customer or for every
// request apply to the route, and with a routeFaults saying how
// the route answers the faults that depend on it; the zero routeFaults gets
// throttling, status sequences, delays, hangs, malformed and oversized
// bodies and the 401s, and leaves FaultWrongID, FaultNotFound and
// FaultRepeatContinuation unused. A write route also passes commit, its
// write without the answer, which FaultDropConnection performs before it
// closes the connection. If applyFault returns true the request is
// answered. Answer with writeRawJSON or writeJSON, and errors with
// writePCError (writeNoSuchCustomer for an unknown customer).
//
// # Commerce
//
// The mock sells from a small catalog (catalog.go: the commerce fixtures'
// availabilities, GET /v1/products/{p}/skus/{s}/availabilities). A cart
// (POST .../carts) is priced line by line; a line the catalog cannot sell
// carries its error inside the cart (10001, 10015). Checkout
// (POST .../carts/{id}/checkout) is idempotent per cart: a second checkout
// answers the first result and buys nothing. It is refused with 13605 for a
// customer without the Microsoft Customer Agreement: every customer created
// through POST /v1/customers until POST /v1/customers/{id}/agreements
// confirms it, or one SetCustomerAgreement names; and 400019 for an
// availability no longer offered (RetireAvailability), and
// SetCheckoutConflicts answers 409 800064 for a while;
// SetRepeatedCheckoutRefused answers a second checkout 409 800065 ("cart
// already submitted") instead of the first result. GET .../orders lists
// the customer's orders without counting as reads of them.
// The order it places reads "pending", without subscription ids, for
// Options.OrderPendingReads reads (of the order or of
// subscriptions?order_id=), then "completed"; only then do its
// subscriptions join the customer's. With Options.PurchaseListLag the order
// list and the subscription list leave a new purchase out of that many
// reads, as the service lists a new order only minutes later.
// SetPurchasedTerm sells another term than the cart's.
//
// PATCH of a subscription takes the whole subscription, as the service
// does, with its traps: a body without autoRenewEnabled turns auto-renew
// off, one without scheduledNextTermInstructions drops them; If-Match is
// checked against attributes.etag (2055), which has the service's form,
// base64 of {"id","version"}, and a new version on every write. Seats go
// down only within the refundable batches still open (800090) and status
// "deleted" only before cancellationAllowedUntilDate (900213); see
// patchSubscription for the rest. SetPatchConflicts answers 409 800082 for
// a while, SetPatchAsync answers 202 with a Location that completes after
// some polls, SetIgnoredPatches answers 200 with the change dropped.
//
// The clock is real time, which is also what the provider compares the
// mock's dates with: a purchase is dated now and its windows end 168 hours
// later. To make a subscription older, AgeSubscription moves all its dates
// back; SetSubscriptionStatus and RemoveSubscription change it behind the
// client's back. Purchases counts the checkouts that bought, per customer,
// and WriteRequests every request that is not a GET or HEAD; both are in
// /_mock/stats for the demo. FaultDropConnection makes a write route commit
// its change and then close the connection unanswered, so a client can be
// tested for a lost answer to a write that took effect; Fault.AfterCommit
// does the same for a 5xx, a throttle or a hang. Fault.Route confines a
// fault to one route, such as the creation of customers.
//
// It answers as the live service does where that differs from the
// documentation's samples: list links carry /v1 (Options.UnversionedLinks
// switches to the samples' form), error codes come as numbers or strings, an
// unknown tenant gets 404 and NonCustomerTenantID 403 code 20002, and some
// generated customers lack what GDAP roles would reveal. Options.RateLimit
// (or POST /_mock/rate-limit) throttles like the live rate limiter.
//
// Onboarding: HEAD /v1/domains/{domain} answers 200 for a domain any
// tenant has (a customer's, or one marked with TakeDomain), POST
// /v1/customers creates a tenant that every read then sees and answers
// once with its first admin's credentials, remembering the answer by
// MS-RequestId so a retry creates nothing (CustomersCreated counts the
// tenants; FaultDropConnection, or a fault with AfterCommit, set for
// RouteCreateCustomer loses the answer after the tenant exists), the
// billing profile is replaced with PUT and If-Match, and DELETE of a
// customer works only with Options.IntegrationSandbox.
//
// Besides the happy path it can misbehave on demand (throttling, gateway
// errors, hangs, malformed or oversized bodies, looping continuation tokens,
// refusals for missing MFA or a wrong token audience, connections dropped
// after a write, expired or revoked refresh tokens) so that the client's
// resilience can be tested deterministically. See Fault and TokenFault.
package mockpartnercenter
