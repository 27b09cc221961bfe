package shared

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// statusHints say what to do about each HTTP status, in the words of a
// partner's administrator rather than of HTTP. refusalAdvice comes first
// where Partner Center's error code says more.
var statusHints = map[int]string{
	http.StatusUnauthorized: "Partner Center did not accept the access token. It takes App+User tokens (a Partner Center user, such as an " +
		"Admin agent, signed in with MFA through the partner's Entra application) and App-only tokens of that application, issued " +
		"for the Partner Center API. Check the refresh token, access token or `az login` session, or the application's secret, " +
		"certificate or federated credential.",
	http.StatusForbidden: "The signed-in user or application lacks the Partner Center role for this operation (Admin agent or Sales agent " +
		"can read customers), or the partner's GDAP relationship with this customer does not cover it (check it in Partner Center).",
	http.StatusNotFound: "Partner Center found no such customer (for an unknown tenant ID it answers error code 1000 \"Not found\" or " +
		"60003 \"Tenant not found\"). Check the tenant ID or domain, and that the credentials belong to the partner that manages the customer.",
	http.StatusTooManyRequests: "Partner Center throttled the requests and kept doing so through every retry. It allows about 500 customer " +
		"requests per minute per partner tenant: run with fewer parallel reads (terraform -parallelism), read many customers with the " +
		"partnercenter_customers data source, raise max_retries, or try again later.",
}

// graphStatusHints are statusHints for Microsoft Graph's answers to the GDAP
// resources.
var graphStatusHints = map[int]string{
	http.StatusUnauthorized: "Microsoft Graph did not accept the access token. It takes tokens of the partner's Entra application for the " +
		"cloud's Graph host (scope `{graph}/.default`), which the provider asks of the configured credential; with access_token, " +
		"graph_access_token supplies it. Check that token, or the credential.",
	http.StatusForbidden: "The signed-in user or application lacks the Microsoft Graph permission DelegatedAdminRelationship.ReadWrite.All " +
		"(DelegatedAdminRelationship.Read.All for reads) with admin consent in the partner tenant; App-only calls also need the " +
		"\"Partner Customer Delegated Administration\" service principal (appId 2832473f-ec63-45fb-976f-5d45a7d4bb91) there.",
	http.StatusTooManyRequests: "Microsoft Graph throttled the requests and kept doing so through every retry: run with fewer parallel " +
		"operations (terraform -parallelism), raise max_retries, or try again later.",
}

// mfaHint explains the refusal of an App+User token without MFA.
const mfaHint = "Partner Center requires multi-factor authentication for App+User calls since 2026-04-01, and this token carries no " +
	"MFA claim. Either sign in with MFA when obtaining the refresh token (or run `az login` with an MFA-enforced account), or use " +
	"App-only credentials, which need no user: the application's secret or certificate, or `use_oidc` with a federated token from CI."

// noRelationshipHint explains 403 code 20002.
const noRelationshipHint = "The tenant exists but is not a customer of this partner: Partner Center has no reseller or advisor " +
	"relationship between the partner and it. Check the tenant ID, and that the credentials belong to the partner (or indirect " +
	"provider) that manages the customer."

const CustomerAgreementSummary = "Customer agreement missing"

// customerAgreementHint explains code 13605, which a purchase meets for a
// customer whose acceptance of the Microsoft Customer Agreement has not
// been recorded: the one explanation of it, wherever it is met.
const customerAgreementHint = "The customer has not accepted the Microsoft Customer Agreement (Partner Center error 13605), " +
	"which every new-commerce purchase requires. Recording the acceptance is a step for people, not for Terraform (the " +
	"provider has no resource for it): have the customer accept the agreement and record it, in Partner Center (Customers, " +
	"the customer, Account) or with Microsoft's documented call POST /v1/customers/{customer-tenant-id}/agreements " +
	"(App+User credentials, public cloud), as the guide \"Onboarding customers\" shows; then apply again. Nothing was bought."

// CustomerAgreementDiagnostic is the diagnostic of a purchase refused with
// 13605.
func CustomerAgreementDiagnostic(what string, err error) (summary, detail string) {
	return CustomerAgreementSummary, fmt.Sprintf("%s failed: %s\n%s", what, err.Error(), customerAgreementHint)
}

// wrongAudienceHint explains 401 code 900420.
func wrongAudienceHint() string {
	return "The access token was issued for another resource. Partner Center accepts only tokens whose audience is its API: " +
		expectedAudiences() + ". Tokens for graph.windows.net or Microsoft Graph are refused. If you pass access_token, request it " +
		"for that resource (for example `az account get-access-token --resource https://api.partnercenter.microsoft.com`)."
}

// expectedAudiences names each cloud's token audience with the environments
// that use it, from the cloud table.
func expectedAudiences() string {
	var audiences []string
	users := map[string][]string{}
	for _, env := range partnercenter.Environments() {
		cloud, _ := partnercenter.LookupCloud(string(env))
		audience := cloud.TokenAudience()
		if _, seen := users[audience]; !seen {
			audiences = append(audiences, audience)
		}
		users[audience] = append(users[audience], string(env))
	}
	parts := make([]string, len(audiences))
	for i, a := range audiences {
		parts[i] = fmt.Sprintf("%s (environment %s)", a, strings.Join(users[a], ", "))
	}
	return strings.Join(parts, " or ")
}

// refusalAdvice is the summary and hint for the refusals that Partner
// Center's error code (or, for missing MFA, the status line) explains
// better than the HTTP status does.
func refusalAdvice(e *partnercenter.APIError) (summary, hint string, ok bool) {
	switch {
	case e.MFARequired():
		return "Partner Center requires multi-factor authentication", mfaHint, true
	case e.StatusCode == http.StatusUnauthorized && e.Code == partnercenter.CodeWrongAudience:
		return "Partner Center refused the token's audience", wrongAudienceHint(), true
	case e.StatusCode == http.StatusForbidden && e.Code == partnercenter.CodeNoRelationship:
		return "Not a customer of this partner", noRelationshipHint, true
	case e.Code == partnercenter.CodeCustomerAgreementMissing:
		return CustomerAgreementSummary, customerAgreementHint, true
	}
	return "", "", false
}

// OperationErrorDiagnostic turns a client error into a diagnostic that names
// what was read or changed, what Partner Center answered, the ids a support
// ticket needs, and what to do next.
func OperationErrorDiagnostic(ctx context.Context, kind OperationKind, operation string, err error, timeout time.Duration) (summary, detail string) {
	var (
		apiErr       *partnercenter.APIError
		authErr      *partnercenter.AuthenticationError
		invalidErr   *partnercenter.InvalidResponseError
		ambiguousErr *partnercenter.AmbiguousDomainError
	)
	switch {
	// An order error inside a checkout's answer, not an HTTP refusal.
	case errors.Is(err, partnercenter.ErrCustomerAgreementMissing) && !errors.As(err, &apiErr):
		return CustomerAgreementDiagnostic(operation, err)
	case errors.As(err, &authErr):
		return "Partner Center authentication failed", fmt.Sprintf("%s failed while obtaining an access token: %s", operation, authErr.Error())
	case errors.As(err, &apiErr):
		return apiErrorSummary(apiErr), apiErrorDetail(operation, apiErr)
	case errors.As(err, &invalidErr):
		return "Unexpected response from " + serviceOf(invalidErr.Graph), fmt.Sprintf("%s failed: %s", operation, invalidErr.Error())
	case errors.As(err, &ambiguousErr):
		return "More than one customer has this domain", fmt.Sprintf("%s failed: %s\nUse `id` to choose one.", operation, ambiguousErr.Error())
	case errors.Is(err, partnercenter.ErrNotFound):
		return "Customer not found", fmt.Sprintf("%s failed: %s\n%s", operation, err.Error(), statusHints[http.StatusNotFound])
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		return "Partner Center " + string(kind) + " timed out", fmt.Sprintf("%s did not finish within %s (retries included): %s\n"+
			"Raise timeouts.%s if Partner Center is slow, or check the network path to it.", operation, timeout, err.Error(), kind)
	case errors.Is(err, context.Canceled):
		return "Partner Center " + string(kind) + " cancelled", fmt.Sprintf("%s was cancelled: %s", operation, err.Error())
	}
	return "Partner Center request failed", fmt.Sprintf("%s failed: %s", operation, err.Error())
}

// serviceOf names the API that answered, as the client's errors record it.
func serviceOf(graph bool) string {
	if graph {
		return "Microsoft Graph"
	}
	return "Partner Center"
}

func apiErrorSummary(e *partnercenter.APIError) string {
	service := serviceOf(e.Graph)
	if summary, _, ok := refusalAdvice(e); ok && !e.Graph {
		return summary
	}
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return service + " rejected the credentials"
	case http.StatusForbidden:
		return service + " denied access"
	case http.StatusNotFound:
		if e.Graph {
			return "Not found in Microsoft Graph"
		}
		return "Customer not found"
	case http.StatusTooManyRequests:
		return service + " throttled the request"
	}
	return service + " request failed"
}

func apiErrorDetail(operation string, e *partnercenter.APIError) string {
	var b strings.Builder
	b.WriteString(APIErrorFacts(operation, e))
	hints, ids := statusHints, "MS-RequestId and MS-CorrelationId"
	if e.Graph {
		// Partner Center's codes and advice do not apply to Graph.
		hints, ids = graphStatusHints, "request-id and client-request-id"
	} else if _, hint, ok := refusalAdvice(e); ok {
		b.WriteString(hint)
		return b.String()
	}
	if hint, ok := hints[e.StatusCode]; ok {
		b.WriteString(hint)
	} else if e.StatusCode >= 500 {
		b.WriteString(serviceOf(e.Graph) + " had a server error that persisted through the retries. Try again later; if it lasts, open a " +
			"support request quoting the " + ids + " above.")
	}
	return b.String()
}

// APIErrorFacts is what Partner Center or Microsoft Graph answered, with the
// ids support needs under the names that service gives them, one fact a line.
func APIErrorFacts(operation string, e *partnercenter.APIError) string {
	var b strings.Builder
	service := serviceOf(e.Graph)
	fmt.Fprintf(&b, "%s failed: %s answered HTTP %s", operation, service, e.StatusLine())
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	b.WriteString(".\n")
	if e.Code != "" {
		fmt.Fprintf(&b, "  %s error code: %s\n", service, e.Code)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, "  Description: %s\n", e.Description)
	}
	if e.Challenge != "" {
		fmt.Fprintf(&b, "  WWW-Authenticate: %s\n", e.Challenge)
	}
	requestID, correlationID := "MS-RequestId", "MS-CorrelationId"
	if e.Graph {
		requestID, correlationID = "request-id", "client-request-id"
	}
	fmt.Fprintf(&b, "  %s: %s\n  %s: %s\n", requestID, OrNone(e.RequestID), correlationID, OrNone(e.CorrelationID))
	return b.String()
}

func OrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// WithheldDetailsWarning explains a customer whose customDomains Partner
// Center left out: the sign that the partner's delegated access does not
// cover it. The read succeeds; only what GDAP guards is missing.
func WithheldDetailsWarning(subject string, c *partnercenter.Customer) (summary, detail string) {
	name, domain := "", ""
	if p := c.CompanyProfile; p != nil {
		if p.CompanyName != nil {
			name = fmt.Sprintf(" (%s)", *p.CompanyName)
		}
		if p.Domain != nil {
			domain = *p.Domain
		}
	}
	return "Partner Center withheld the customer's custom domains, address and email (GDAP)",
		fmt.Sprintf("Reading %s%s: Partner Center left out customDomains, as it does when the partner's delegated admin "+
			"privileges (GDAP, or the older DAP) do not cover the customer; it then also leaves out the company address and email. "+
			"domains holds only the initial domain %q, and custom_domains, company_profile.email and company_profile.address are null.\n"+
			"To read them, have the customer approve a GDAP relationship whose roles include one of Directory Readers, Directory "+
			"Writers, Global Reader or Domain Name Administrator, and assign it to the security group of the user or application "+
			"the provider signs in as.", subject, name, domain)
}

// SubscriptionErrorDiagnostic explains the two answers particular to
// subscription reads, a subscription that is not the customer's and Azure
// entitlements of a subscription that is not an Azure plan, in words naming
// both ids; every other error is explained as for any read.
func SubscriptionErrorDiagnostic(ctx context.Context, kind OperationKind, operation, customerID, subscriptionID string, err error, timeout time.Duration) (summary, detail string) {
	var apiErr *partnercenter.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.Code {
		case partnercenter.ErrorCodeNotAzurePlan:
			return "Not an Azure plan subscription", fmt.Sprintf("Subscription %q of customer %q is not an Azure plan subscription, "+
				"so it has no Azure entitlements. Use the ID of the customer's Azure plan subscription: in partnercenter_customer_subscriptions "+
				"it is the one whose offer_name is \"Azure plan\" and billing_type \"usage\".\n%s", subscriptionID, customerID, APIErrorFacts(operation, apiErr))
		case partnercenter.ErrorCodeSubscriptionNotFound:
			return "Subscription not found", fmt.Sprintf("Subscription %q is not a subscription of customer %q. "+
				"A subscription ID belongs to exactly one customer: check that both IDs are right, for example in "+
				"partnercenter_customer_subscriptions of that customer.\n%s", subscriptionID, customerID, APIErrorFacts(operation, apiErr))
		}
	}
	return OperationErrorDiagnostic(ctx, kind, operation, err, timeout)
}
