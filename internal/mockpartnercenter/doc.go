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
//	POST /{tenant}/oauth2/token        the same on the v1 endpoint (resource=)
//	GET  /github-actions/.../idtoken   GitHub Actions' ID-token service (&audience=)
//	POST /azure-devops/.../oidctoken   Azure DevOps' ID-token service (?api-version=7.1
//	                                   &serviceConnectionId=)
//	GET  /v1/customers/{id}            Partner Center "Get a customer by ID"
//	GET  /v1/customers?size=N          Partner Center customer list, with filter= and
//	                                   seekOperation=Next + MS-ContinuationToken paging
//	GET  /v1/customers/{id}/subscriptions                       a customer's subscriptions
//	GET  /v1/customers/{id}/subscriptions/{sid}                 one subscription
//	GET  /v1/customers/{id}/subscriptions/{sid}/azureEntitlements
//	                                   the Azure subscriptions under an Azure plan
//	GET  /_mock/stats, POST /_mock/rate-limit   counters and throttling for out-of-process users
//
// It answers as the live service does where that differs from the
// documentation's samples: list links carry /v1 (Options.UnversionedLinks
// switches to the samples' form), error codes come as numbers or strings, an
// unknown tenant gets 404 and NonCustomerTenantID 403 code 20002, and some
// generated customers lack what GDAP roles would reveal. Options.RateLimit
// (or POST /_mock/rate-limit) throttles like the live rate limiter.
//
// Besides the happy path it can misbehave on demand (throttling, gateway
// errors, hangs, malformed or oversized bodies, looping continuation tokens,
// refusals for missing MFA or a wrong token audience, expired or revoked
// refresh tokens) so that the client's resilience can be tested
// deterministically. See Fault and TokenFault.
package mockpartnercenter
