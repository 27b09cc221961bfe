package partnercenter

import "fmt"

// graphVersion is the Microsoft Graph version every call uses: granular
// delegated admin relationships are in v1.0.
const graphVersion = "/v1.0"

// GraphClient calls Microsoft Graph for the partner: granular delegated admin
// (GDAP) relationships and their access assignments. It shares the Client's
// machinery (token cache, retries, redaction, the rules on where requests
// and credentials may go) and speaks Graph's conventions. It is safe for
// concurrent use.
type GraphClient struct {
	c *Client
}

// NewGraphClient checks cfg and returns a GraphClient. cfg.BaseURL is the
// Graph root without the version, e.g. https://graph.microsoft.com, and
// cfg.TokenSource must issue tokens for that API. It makes no network calls.
func NewGraphClient(cfg Config) (*GraphClient, error) {
	if err := checkConfig(cfg, graphVersion); err != nil {
		return nil, fmt.Errorf("microsoft graph client: %w", err)
	}
	return &GraphClient{c: newClient(cfg, true)}, nil
}

// CorrelationID returns the id of this client's session. Graph requests do
// not carry it: each sends its own client-request-id, which errors quote.
func (g *GraphClient) CorrelationID() string { return g.c.correlationID }

// url is the absolute URL of a Graph path such as
// /tenantRelationships/delegatedAdminRelationships.
func (g *GraphClient) url(path string) string { return g.c.baseURL + graphVersion + path }
