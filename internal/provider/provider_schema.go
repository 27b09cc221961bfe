package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

// providerModel is the provider block as written in HCL.
type providerModel struct {
	Environment                    types.String `tfsdk:"environment"`
	Endpoint                       types.String `tfsdk:"endpoint"`
	AuthorityHost                  types.String `tfsdk:"authority_host"`
	TenantID                       types.String `tfsdk:"tenant_id"`
	ClientID                       types.String `tfsdk:"client_id"`
	ClientSecret                   types.String `tfsdk:"client_secret"`
	ClientCertificate              types.String `tfsdk:"client_certificate"`
	ClientCertificatePath          types.String `tfsdk:"client_certificate_path"`
	ClientCertificatePassword      types.String `tfsdk:"client_certificate_password"`
	RefreshToken                   types.String `tfsdk:"refresh_token"`
	AccessToken                    types.String `tfsdk:"access_token"`
	UseCLI                         types.Bool   `tfsdk:"use_cli"`
	MaxRetries                     types.Number `tfsdk:"max_retries"`
	UseOIDC                        types.Bool   `tfsdk:"use_oidc"`
	OIDCToken                      types.String `tfsdk:"oidc_token"`
	OIDCTokenFilePath              types.String `tfsdk:"oidc_token_file_path"`
	OIDCRequestURL                 types.String `tfsdk:"oidc_request_url"`
	OIDCRequestToken               types.String `tfsdk:"oidc_request_token"`
	ADOPipelineServiceConnectionID types.String `tfsdk:"ado_pipeline_service_connection_id"`
	GraphEndpoint                  types.String `tfsdk:"graph_endpoint"`
	GraphAccessToken               types.String `tfsdk:"graph_access_token"`
}

func environmentNames() []string {
	envs := partnercenter.Environments()
	names := make([]string, len(envs))
	for i, env := range envs {
		names[i] = string(env)
	}
	return names
}

// envNote renders the environment variables of an attribute for its description.
func envNote(vars []string) string {
	quoted := make([]string, len(vars))
	for i, v := range vars {
		quoted[i] = "`" + v + "`"
	}
	return " Read from " + strings.Join(quoted, ", then ") + " when not set in configuration."
}

func providerSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Reads customers of a Cloud Solution Provider partner from the Microsoft Partner Center REST API " +
			"with App+User or App-only credentials. Every argument is optional in configuration and can come from the environment; " +
			"configuration wins over the environment.",
		Attributes: map[string]schema.Attribute{
			"environment": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The Partner Center cloud: one of `%s`. Defaults to `public`. "+
					"`china` is Partner Center operated by 21Vianet. `germany` is accepted with a warning: Microsoft closed that cloud in 2021.",
					strings.Join(environmentNames(), "`, `")) + envNote(envVars.environment),
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOfCaseInsensitive(environmentNames()...)},
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Overrides the Partner Center API base URL of the environment (without `/v1`), for a proxy or a test server. " +
					"Must be `https`, except to a loopback address." + envNote(envVars.endpoint),
				Optional:   true,
				Validators: []validator.String{shared.EndpointURLValidator{}},
			},
			"authority_host": schema.StringAttribute{
				MarkdownDescription: "Overrides the Microsoft Entra ID authority host of the environment. The token endpoint is " +
					"`{authority_host}/{tenant_id}/oauth2/v2.0/token`. Must be `https`, except to a loopback address." + envNote(envVars.authorityHost),
				Optional:   true,
				Validators: []validator.String{shared.EndpointURLValidator{}},
			},
			"tenant_id": schema.StringAttribute{
				MarkdownDescription: "The partner's own Entra ID tenant (ID or primary domain), where the application is registered." +
					envNote(envVars.tenantID),
				Optional:   true,
				Validators: []validator.String{shared.TenantIDValidator{}},
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "The application (client) ID of the partner's Entra application registered in Partner Center." +
					envNote(envVars.clientID),
				Optional:   true,
				Validators: []validator.String{shared.GUIDValidator()},
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "A client secret of that application. Use this or a client certificate. Without `refresh_token` the provider " +
					"authenticates App-only with it." + envNote(envVars.clientSecret),
				Optional:  true,
				Sensitive: true,
			},
			"client_certificate": schema.StringAttribute{
				MarkdownDescription: "A certificate of that application, base64-encoded PKCS#12 or PEM with its private key: the token request is then " +
					"signed with it (a client assertion) instead of sending a secret. Conflicts with `client_secret` and `client_certificate_path`." +
					envNote(envVars.clientCertificate),
				Optional:  true,
				Sensitive: true,
				// No validators: a diagnostic would print this argument's line.
			},
			"client_certificate_path": schema.StringAttribute{
				MarkdownDescription: "Path to a PKCS#12 (`.pfx`) or PEM file holding the application's certificate and private key. " +
					"Conflicts with `client_secret` and `client_certificate`." + envNote(envVars.clientCertificatePath),
				Optional: true,
				Validators: []validator.String{
					stringvalidator.ConflictsWith(path.MatchRoot("client_secret"), path.MatchRoot("client_certificate")),
				},
			},
			"client_certificate_password": schema.StringAttribute{
				MarkdownDescription: "The password of a PKCS#12 client certificate." + envNote(envVars.clientCertificatePassword),
				Optional:            true,
				Sensitive:           true,
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "The App+User refresh token of the secure application model, obtained once through interactive consent " +
					"by a Partner Center user (for example an Admin agent)." + envNote(envVars.refreshToken),
				Optional:  true,
				Sensitive: true,
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "A ready access token for the Partner Center API (App+User or App-only), for example issued earlier in a pipeline. " +
					"It cannot be renewed: reads fail once it expires." + envNote(envVars.accessToken),
				Optional:  true,
				Sensitive: true,
			},
			"use_cli": schema.BoolAttribute{
				MarkdownDescription: "Take the signed-in user's token from the Azure CLI (`az account get-access-token`) for the environment's " +
					"Partner Center resource." + envNote(envVars.useCLI),
				Optional: true,
			},
			"use_oidc": schema.BoolAttribute{
				MarkdownDescription: "Authenticate App-only with workload identity federation: a federated ID token from a CI system or a file " +
					"instead of a secret. Needs `tenant_id`, `client_id` and one of `oidc_token`, `oidc_token_file_path` or " +
					"`oidc_request_url` with `oidc_request_token`." + envNote(envVars.useOIDC),
				Optional: true,
			},
			"oidc_token": schema.StringAttribute{
				MarkdownDescription: "The federated ID token itself, for `use_oidc`. It is not renewed: a run must finish before it expires." +
					envNote(envVars.oidcToken),
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"oidc_token_file_path": schema.StringAttribute{
				MarkdownDescription: "A file holding the federated ID token, for `use_oidc`, as HCP Terraform dynamic credentials and Kubernetes " +
					"workload identity write it. It is read again for every access token." + envNote(envVars.oidcTokenFilePath),
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"oidc_request_url": schema.StringAttribute{
				MarkdownDescription: "The URL where the CI system hands out ID tokens, for `use_oidc`: GitHub Actions' or, with " +
					"`ado_pipeline_service_connection_id`, Azure DevOps'. A new ID token is requested for every access token. Must be `https`, " +
					"except to a loopback address; redirects are not followed." + envNote(envVars.oidcRequestURL),
				Optional:   true,
				Validators: []validator.String{shared.EndpointURLValidator{AllowQuery: true}},
			},
			"oidc_request_token": schema.StringAttribute{
				MarkdownDescription: "The bearer token for `oidc_request_url`; sent to that URL's host only, and only with a URL from the same " +
					"place: `ACTIONS_ID_TOKEN_REQUEST_TOKEN` with `ACTIONS_ID_TOKEN_REQUEST_URL`, `SYSTEM_ACCESSTOKEN` with " +
					"`SYSTEM_OIDCREQUESTURI`, the others with `oidc_request_url` or its `PARTNERCENTER_`/`ARM_` variables." +
					envNote(envVars.oidcRequestToken),
				Optional:  true,
				Sensitive: true,
			},
			"ado_pipeline_service_connection_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the Azure DevOps service connection (Azure Resource Manager, workload identity federation) " +
					"whose federated credential is used. Without it `oidc_request_url` is taken as GitHub Actions'." +
					envNote(envVars.adoServiceConnectionID),
				Optional:   true,
				Validators: []validator.String{shared.GUIDValidator()},
			},
			"graph_endpoint": schema.StringAttribute{
				MarkdownDescription: "Overrides the Microsoft Graph root URL of the environment (without `/v1.0`), for a proxy or a test server. " +
					"Graph serves the granular delegated admin (GDAP) resources; Partner Center's own resources do not use it. " +
					"Must be `https`, except to a loopback address." + envNote(envVars.graphEndpoint),
				Optional:   true,
				Validators: []validator.String{shared.EndpointURLValidator{}},
			},
			"graph_access_token": schema.StringAttribute{
				MarkdownDescription: "A ready access token for Microsoft Graph, used by the granular delegated admin (GDAP) resources. " +
					"When set it is used whatever the credential; otherwise the provider asks the configured credential for a Graph token " +
					"(scope `{graph}/.default`), which `access_token` cannot do: with `access_token`, GDAP resources need this argument. " +
					"It cannot be renewed." + envNote(envVars.graphAccessToken),
				Optional:  true,
				Sensitive: true,
			},
			"max_retries": schema.NumberAttribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after throttling (429), a transient server error (500, 502, 503, 504) "+
					"or a dropped connection, with exponential backoff that honours `Retry-After`: a whole number from 0 to %d. Defaults to `%d`. "+
					"Reads are retried, and the writes whose repetition cannot create or buy twice, with the same `MS-RequestId` (Microsoft Graph: `client-request-id`).", maxRetriesLimit, partnercenter.DefaultMaxRetries) +
					envNote(envVars.maxRetries),
				Optional:   true,
				Validators: []validator.Number{shared.WholeNumberValidator{Max: maxRetriesLimit}},
			},
		},
	}
}
