package partnercenter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// graphPage is one page of a Microsoft Graph collection:
// {"value": [...], "@odata.nextLink": "https://graph.microsoft.com/v1.0/..."}.
type graphPage[T any] struct {
	Value    []T    `json:"value"`
	NextLink string `json:"@odata.nextLink"`
}

// graphListAll reads the Graph collection at target and every page its next
// links lead to, and returns the items in the order the service sent them.
// what names the collection in errors; id returns an item's id, which
// every item must have.
func graphListAll[T any](ctx context.Context, g *GraphClient, what, target string, id func(*T) string) ([]T, error) {
	var items []T
	seen := map[string]bool{target: true}
	for page := 1; ; page++ {
		operation := fmt.Sprintf("%s (page %d)", what, page)
		var p graphPage[T]
		info, err := g.c.getJSON(ctx, operation, target, nil, &p)
		if err != nil {
			return nil, err
		}
		invalid := func(reason string) error {
			return &InvalidResponseError{
				Graph: true, Operation: operation, Reason: reason, StatusCode: info.StatusCode,
				RequestID: info.RequestID, CorrelationID: info.CorrelationID,
			}
		}
		for i := range p.Value {
			if strings.TrimSpace(id(&p.Value[i])) == "" {
				return nil, invalid(fmt.Sprintf("item %d of the page has no id", i+1))
			}
		}
		items = append(items, p.Value...)
		if p.NextLink == "" {
			return items, nil
		}
		if page >= g.c.pageLimit {
			return nil, invalid(fmt.Sprintf("the service still offers a next page after %d pages", page))
		}
		if err := g.checkNextLink(p.NextLink); err != nil {
			return nil, invalid(err.Error())
		}
		// A repeated link would make the loop endless.
		if seen[p.NextLink] {
			return nil, invalid("the service returned the same next page link twice")
		}
		seen[p.NextLink] = true
		target = p.NextLink
	}
}

// checkNextLink accepts an absolute next link only on the base URL's origin
// and under its versioned path: the request carries the access token, which
// must never reach another host.
func (g *GraphClient) checkNextLink(link string) error {
	shown := g.c.redact.text(link)
	next, err := url.Parse(link)
	if err != nil || strings.ContainsAny(link, "\\\r\n") {
		return fmt.Errorf("the next page link %q is not a valid URL", shown)
	}
	base, err := url.Parse(g.c.baseURL)
	if err != nil {
		return fmt.Errorf("the base URL is not a valid URL: %w", err)
	}
	if !strings.EqualFold(next.Scheme, base.Scheme) || !strings.EqualFold(next.Host, base.Host) || next.User != nil {
		return fmt.Errorf("the next page link %q leaves %s://%s", shown, base.Scheme, base.Host)
	}
	root := strings.TrimRight(base.EscapedPath(), "/") + graphVersion + "/"
	if !strings.HasPrefix(next.EscapedPath(), root) || slices.ContainsFunc(strings.Split(next.Path, "/"), isDotSegment) {
		return fmt.Errorf("the next page link %q is not under %s", shown, root)
	}
	return nil
}

// isDotSegment matches a path segment that a server may resolve upwards,
// out of the path that was checked.
func isDotSegment(s string) bool { return s == "." || s == ".." }

// graphTime is a Graph date-time that may be null or, as the documented
// relationship creation answer shows, an empty string for "not yet".
type graphTime struct{ t *time.Time }

func (d *graphTime) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		d.t = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		d.t = nil
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("date-time %q: %w", s, err)
	}
	d.t = &t
	return nil
}

// unifiedRole is one role of Graph's accessDetails: an Entra built-in role
// template id.
type unifiedRole struct {
	RoleDefinitionID string `json:"roleDefinitionId"`
}

// accessDetails is Graph's delegatedAdminAccessDetails.
type accessDetails struct {
	UnifiedRoles []unifiedRole `json:"unifiedRoles"`
}

func newAccessDetails(roles []string) *accessDetails {
	d := &accessDetails{UnifiedRoles: make([]unifiedRole, 0, len(roles))}
	for _, r := range roles {
		d.UnifiedRoles = append(d.UnifiedRoles, unifiedRole{RoleDefinitionID: r})
	}
	return d
}

// roleIDs returns the role ids in service order; nil details give none.
func (d *accessDetails) roleIDs() []string {
	if d == nil {
		return nil
	}
	ids := make([]string, 0, len(d.UnifiedRoles))
	for _, r := range d.UnifiedRoles {
		ids = append(ids, r.RoleDefinitionID)
	}
	return ids
}

// graphEscape escapes one path segment, refusing an empty one, which would
// address the collection instead of an object.
func graphEscape(operation, what, id string) (string, error) {
	if strings.TrimSpace(id) == "" {
		return "", fmt.Errorf("%s: the %s id is empty", operation, what)
	}
	return url.PathEscape(id), nil
}

// ifMatch is the If-Match header of a Graph write, refusing an empty etag:
// Graph requires one, and without it a repeat could not be told apart.
func ifMatch(operation, etag string) (http.Header, error) {
	if etag == "" {
		return nil, fmt.Errorf("%s: no etag to send as If-Match: the object must be read with its etag first", operation)
	}
	return http.Header{"If-Match": {etag}}, nil
}
