package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/cspkit/terraform-provider-partnercenter/internal/provider/shared"
)

func userAgent(version, terraformVersion string) string {
	ua := fmt.Sprintf("terraform-provider-partnercenter/%s (+https://%s)", version, Address)
	if terraformVersion != "" {
		ua += " Terraform/" + terraformVersion
	}
	return ua
}

func newProviderData(s providerSettings, version, terraformVersion string) (*shared.ProviderData, diag.Diagnostics) {
	var diags diag.Diagnostics
	tokens, culprit, err := newTokenSource(s)
	if err != nil {
		if culprit == "" {
			diags.AddError("Invalid Partner Center credentials", err.Error())
		} else {
			addArgumentError(&diags, culprit, "Invalid Partner Center credentials", err.Error())
		}
		return nil, diags
	}
	baseURL := s.endpoint
	if baseURL == "" {
		baseURL = s.cloud.APIBaseURL
	}
	client, err := partnercenter.NewClient(partnercenter.Config{
		BaseURL:     baseURL,
		TokenSource: tokens,
		HTTPClient:  partnercenter.SharedHTTPClient(),
		UserAgent:   userAgent(version, terraformVersion),
		// Partner Center attributes requests to the calling application by this header.
		ApplicationName: "terraform-provider-partnercenter",
		MaxRetries:      &s.maxRetries,
		Logger:          tflogLogger{},
	})
	if err != nil {
		diags.AddAttributeError(path.Root("endpoint"), "Invalid Partner Center endpoint", err.Error())
		return nil, diags
	}
	data := &shared.ProviderData{Client: client, Secrets: s.secrets(), Purchases: shared.NewPurchaseLedger()}
	var graphDiags diag.Diagnostics
	data.Graph, data.GraphUnavailable, graphDiags = newGraphClient(s, tokens, version, terraformVersion)
	diags.Append(graphDiags...)
	if diags.HasError() {
		return nil, diags
	}
	return data, diags
}

// newGraphClient builds the Microsoft Graph client of the GDAP resources:
// graph_access_token when set, else the Graph sibling of the chosen
// credential, with its own token cache. A credential that has none (a ready
// Partner Center access token) leaves the client nil and says why.
func newGraphClient(s providerSettings, tokens partnercenter.TokenSource, version, terraformVersion string) (*partnercenter.GraphClient, string, diag.Diagnostics) {
	var diags diag.Diagnostics
	var graphTokens partnercenter.TokenSource
	if s.graphAccessToken != "" {
		graphTokens = partnercenter.NewStaticTokenSource(s.graphAccessToken)
	} else {
		var err error
		graphTokens, err = partnercenter.TokenSourceFor(tokens, s.cloud.GraphTokenAudience())
		if errors.Is(err, partnercenter.ErrTokenAudience) {
			return nil, "Microsoft Graph, which the GDAP resources use, needs its own access token when the provider authenticates with " +
				"access_token: set " + argumentAndVars("graph_access_token", envVars.graphAccessToken) + " to a Graph token, " +
				"or use a credential that can issue Graph tokens.", diags
		}
		if err != nil {
			diags.AddError("Invalid Microsoft Graph credentials", err.Error())
			return nil, "", diags
		}
	}
	baseURL := s.graphEndpoint
	if baseURL == "" {
		baseURL = s.cloud.GraphBaseURL
	}
	graph, err := partnercenter.NewGraphClient(partnercenter.Config{
		BaseURL:     baseURL,
		TokenSource: graphTokens,
		HTTPClient:  partnercenter.SharedHTTPClient(),
		UserAgent:   userAgent(version, terraformVersion),
		MaxRetries:  &s.maxRetries,
		Logger:      tflogLogger{},
	})
	if err != nil {
		diags.AddAttributeError(path.Root("graph_endpoint"), "Invalid Microsoft Graph endpoint", err.Error())
		return nil, "", diags
	}
	return graph, "", diags
}

// newTokenSource builds the token source of the chosen credential: the one
// place that maps settings to a credential flow. On failure culprit names the
// argument at fault, or is empty when no single one is.
func newTokenSource(s providerSettings) (_ partnercenter.TokenSource, culprit string, _ error) {
	switch s.credential {
	case credentialAccessToken:
		return partnercenter.NewStaticTokenSource(s.accessToken), "", nil
	case credentialAzureCLI:
		return partnercenter.NewAzureCLITokenSource(partnercenter.AzureCLIConfig{
			Audience: s.cloud.TokenAudience(),
			TenantID: s.tenantID,
		}), "", nil
	}
	authority := s.authorityHost
	if authority == "" {
		authority = s.cloud.AuthorityHost
	}
	// Every argument was checked while the settings were resolved, so an
	// error from the constructors below has no single culprit.
	if s.credential == credentialFederated {
		src, err := partnercenter.NewClientCredentialsSource(partnercenter.ClientCredentialsConfig{
			AuthorityHost:  authority,
			TenantID:       s.tenantID,
			ClientID:       s.clientID,
			FederatedToken: s.federated.chosen(),
			Audience:       s.cloud.TokenAudience(),
			HTTPClient:     partnercenter.SharedHTTPClient(),
		})
		return src, "", err
	}
	// The refresh-token flow and App-only share the application's secret
	// or certificate.
	secret := s.clientSecret
	var cert *partnercenter.ClientCertificate
	if len(s.clientCertificate) > 0 {
		var err error
		cert, err = partnercenter.ParseClientCertificate(s.clientCertificate, s.clientCertificatePassword)
		if errors.Is(err, partnercenter.ErrCertificatePassword) {
			return nil, "client_certificate_password", err
		}
		if err != nil {
			return nil, s.clientCertificateArgument, err
		}
		secret = ""
	}
	var (
		src partnercenter.TokenSource
		err error
	)
	if s.credential == credentialAppOnly {
		src, err = partnercenter.NewClientCredentialsSource(partnercenter.ClientCredentialsConfig{
			AuthorityHost:     authority,
			TenantID:          s.tenantID,
			ClientID:          s.clientID,
			ClientSecret:      secret,
			ClientCertificate: cert,
			Audience:          s.cloud.TokenAudience(),
			HTTPClient:        partnercenter.SharedHTTPClient(),
		})
	} else {
		src, err = partnercenter.NewRefreshTokenSource(partnercenter.RefreshTokenConfig{
			AuthorityHost:     authority,
			TenantID:          s.tenantID,
			ClientID:          s.clientID,
			ClientSecret:      secret,
			ClientCertificate: cert,
			RefreshToken:      s.refreshToken,
			Audience:          s.cloud.TokenAudience(),
			HTTPClient:        partnercenter.SharedHTTPClient(),
		})
	}
	return src, "", err
}
