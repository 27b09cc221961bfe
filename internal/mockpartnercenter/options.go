package mockpartnercenter

import (
	"cmp"
	"crypto/x509"
	"time"
)

// Defaults applied by New to zero-valued Options fields.
const (
	DefaultTenantID     = "11111111-1111-1111-1111-111111111111"
	DefaultClientID     = "00000000-0000-0000-0000-0000000000c1"
	DefaultClientSecret = "mock-client-secret"
	DefaultRefreshToken = "mock-refresh-token"
	DefaultAudience     = "https://api.partnercenter.microsoft.com"
	// DefaultGraphAudience is Microsoft Graph's in the global cloud.
	DefaultGraphAudience = "https://graph.microsoft.com"
	// DefaultOIDCRequestToken is the bearer token the mock's CI ID-token
	// endpoints require, as ACTIONS_ID_TOKEN_REQUEST_TOKEN or
	// SYSTEM_ACCESSTOKEN would be in a pipeline.
	DefaultOIDCRequestToken = "mock-oidc-request-token"
	// DefaultServiceConnectionID is the Azure DevOps service connection the
	// mock's Azure DevOps ID-token endpoint knows.
	DefaultServiceConnectionID = "22222222-2222-2222-2222-222222222222"
	// defaultIDTokenLifetime is within the 5 to 10 minutes CI ID tokens live.
	defaultIDTokenLifetime = 5 * time.Minute
	// DefaultTokenLifetime matches the lower end of Entra ID's 60–90 minutes.
	DefaultTokenLifetime = time.Hour
	// DefaultMaxPageSize is the largest ?size= the list accepts by default.
	// Partner Center documents no largest page: the mock refuses more than
	// the client asks for (partnercenter.DefaultPageSize), so that a client
	// asking for larger pages fails here before it meets the live service.
	DefaultMaxPageSize = 500
	// DefaultPageSize is used when the list request carries no ?size=.
	// Partner Center documents no default either; 100 makes a client that
	// forgets ?size= page visibly more often.
	DefaultPageSize = 100
)

// DocumentedCustomerID and DocumentedCustomerDomain are the tenant id and the
// company-profile domain of the customer from Microsoft's "Get a customer by
// ID" page, always present in the mock's data set.
const (
	DocumentedCustomerID     = "eebd1b55-5360-4438-a11d-5c06918c3014"
	DocumentedCustomerDomain = "abcdefgh1234.ccsctp.net"
)

// NonCustomerTenantID is a tenant that exists but is not a customer of the
// mock's partner: reading it gets 403 with code 20002, as the live service
// answers for any tenant outside the partner's relationships.
const NonCustomerTenantID = "5e1f0a2b-7c3d-4e8f-9a0b-1c2d3e4f5a6b"

// Options configures a mock server. Zero values take the documented defaults.
type Options struct {
	// TenantID is the partner tenant accepted in the token URL path.
	TenantID string
	// ClientID is the partner's Entra application id.
	ClientID string
	// ClientSecret is the application's secret.
	ClientSecret string
	// RefreshToken is the initially valid refresh token.
	RefreshToken string
	// ClientCertificate, when set, lets the token endpoint also accept a
	// client_assertion JWT signed by this certificate's (RSA) key.
	ClientCertificate *x509.Certificate
	// OIDCRequestToken is the bearer token the CI ID-token endpoints require.
	OIDCRequestToken string
	// ServiceConnectionID is the Azure DevOps service connection id the
	// Azure DevOps ID-token endpoint accepts.
	ServiceConnectionID string
	// IDTokenLifetime is the lifetime of the federated ID tokens the mock
	// issues; past it the token endpoint refuses them.
	IDTokenLifetime time.Duration
	// Audience is the token audience (v1 resource, v2 scope prefix).
	Audience string
	// TokenLifetime is the access token lifetime, reported as expires_in.
	TokenLifetime time.Duration
	// RotateRefreshToken makes each token response carry a new refresh token;
	// old ones stay valid, as Entra ID does not revoke them on rotation.
	RotateRefreshToken bool
	// GeneratedCustomers is the number of generated customers besides the
	// documented one.
	GeneratedCustomers int
	// Latency is added to every token and API request.
	Latency time.Duration
	// MaxPageSize is the largest accepted ?size= on the customer list.
	MaxPageSize int
	// UnversionedLinks makes the list's self and next links relative to
	// /v1 ("/customers?..."), the form of the documentation's samples,
	// instead of "/v1/customers?...", which the live service sends.
	UnversionedLinks bool
	// RateLimit, when set, throttles API requests as the live service does.
	RateLimit RateLimit
	// SubscriptionPageSize, when positive, pages a customer's subscription
	// list this many to a page; zero serves it whole, as documented.
	SubscriptionPageSize int
	// IntegrationSandbox makes the mock a Testing in Production (integration
	// sandbox) account, the only kind where DELETE /v1/customers/{id}
	// deletes a customer.
	IntegrationSandbox bool
	// OrderPendingReads is how many reads of a new order answer "pending",
	// without the line items' subscription ids, before it is "completed"
	// and its subscriptions appear; zero takes DefaultOrderPendingReads,
	// a negative value completes orders at once.
	OrderPendingReads int
	// GraphAudience is Microsoft Graph's token audience; tokens for it are
	// accepted by the Graph listener only.
	GraphAudience string
	// GraphAddress is where Listen opens the Graph listener; "" takes a free
	// port on the main listener's host.
	GraphAddress string
	// PurchaseListLag is how many reads of the customer's order list and
	// of its subscription list leave out each new purchase (its order, its
	// subscriptions), as Partner Center may list a new order only minutes
	// later; a read of the order or the subscription itself shows it at
	// once. Zero lists purchases at once.
	PurchaseListLag int
}

// withDefaults returns a copy of o with zero fields filled in.
func (o Options) withDefaults() Options {
	o.TenantID = cmp.Or(o.TenantID, DefaultTenantID)
	o.ClientID = cmp.Or(o.ClientID, DefaultClientID)
	o.ClientSecret = cmp.Or(o.ClientSecret, DefaultClientSecret)
	o.RefreshToken = cmp.Or(o.RefreshToken, DefaultRefreshToken)
	o.OIDCRequestToken = cmp.Or(o.OIDCRequestToken, DefaultOIDCRequestToken)
	o.ServiceConnectionID = cmp.Or(o.ServiceConnectionID, DefaultServiceConnectionID)
	o.Audience = cmp.Or(o.Audience, DefaultAudience)
	o.GraphAudience = cmp.Or(o.GraphAudience, DefaultGraphAudience)
	if o.IDTokenLifetime <= 0 {
		o.IDTokenLifetime = defaultIDTokenLifetime
	}
	if o.TokenLifetime <= 0 {
		o.TokenLifetime = DefaultTokenLifetime
	}
	if o.MaxPageSize <= 0 {
		o.MaxPageSize = DefaultMaxPageSize
	}
	o.GeneratedCustomers, o.Latency = max(o.GeneratedCustomers, 0), max(o.Latency, 0)
	return o
}

// Route names a group of requests counted separately.
type Route string

// Routes counted by Requests beside those of the API, which each handler's
// file declares; the string values are the keys of /_mock/stats.
const (
	RouteToken Route = "token"
	// RouteIDToken counts requests to the CI ID-token endpoints.
	RouteIDToken Route = "id_token"
)
