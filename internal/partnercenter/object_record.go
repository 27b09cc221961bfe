package partnercenter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// objectRecord is an object as just read, kept whole: a change is written
// back as the object read with only the changed members replaced, so that
// members the client does not model (scheduledNextTermInstructions, ones
// added later) survive the round trip. Partner Center's subscription page
// warns that members left out of a PATCH are reset.
type objectRecord struct {
	members map[string]json.RawMessage
	// etag is attributes.etag, else the ETag header; "" when neither.
	etag string
}

// readObject GETs the JSON object at target and decodes it into out too.
func (c *Client) readObject(ctx context.Context, operation, target string, out any) (*objectRecord, responseInfo, error) {
	var raw json.RawMessage
	info, err := c.getJSON(ctx, operation, target, nil, &raw)
	if err != nil {
		return nil, info, err
	}
	rec, err := objectRecordOf(operation, raw, info, out)
	return rec, info, err
}

// objectRecordOf is the object an answer carried in raw, decoded into out
// too; its etag is attributes.etag, else the answer's ETag header.
func objectRecordOf(operation string, raw json.RawMessage, info responseInfo, out any) (*objectRecord, error) {
	rec, err := decodeObjectRecord(raw, out)
	if err != nil {
		return nil, &InvalidResponseError{Operation: operation, Reason: "the response is not a JSON object",
			StatusCode: info.StatusCode, RequestID: info.RequestID, CorrelationID: info.CorrelationID, Err: err}
	}
	if rec.etag == "" {
		rec.etag = sanitizeServerText(strings.Trim(info.Header.Get("ETag"), `"`))
	}
	return rec, nil
}

// decodeObjectRecord splits raw into its members and decodes it into out.
func decodeObjectRecord(raw []byte, out any) (*objectRecord, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, errors.New("not an object")
	}
	rec := &objectRecord{}
	if err := json.Unmarshal(raw, &rec.members); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, err
	}
	var attrs struct {
		ETag json.RawMessage `json:"etag"`
	}
	if a, ok := rec.members["attributes"]; ok && json.Unmarshal(a, &attrs) == nil {
		rec.etag = sanitizeServerText(rawText(attrs.ETag))
	}
	return rec, nil
}

// with returns the object's JSON with member name set to value.
func (r *objectRecord) with(name string, value any) ([]byte, error) {
	v, err := json.Marshal(value)
	if err != nil {
		return nil, err
	}
	members := make(map[string]json.RawMessage, len(r.members)+1)
	for k, m := range r.members {
		members[k] = m
	}
	members[name] = v
	return json.Marshal(members)
}

// raw returns the object's JSON as read (compacted, members sorted).
func (r *objectRecord) raw() json.RawMessage {
	b, _ := json.Marshal(r.members) // raw members always marshal
	return b
}

// ifMatch is the If-Match header for the record's etag, nil without one.
func (r *objectRecord) ifMatch() http.Header {
	if r.etag == "" {
		return nil
	}
	return http.Header{"If-Match": {r.etag}}
}

// locationURL resolves the Location of a 202 against the API and refuses a
// URL on another scheme or host: the bearer token must not follow it
// elsewhere. A rooted path without /v1 is taken as relative to /v1, as
// Partner Center writes its links.
func (c *Client) locationURL(location string) (string, error) {
	location = strings.TrimSpace(location)
	if strings.HasPrefix(location, "/") && !strings.HasPrefix(location, "//") && !strings.HasPrefix(location, "/v1/") {
		location = "/v1" + location
	}
	base, err := url.Parse(c.baseURL + "/")
	if err != nil {
		return "", err
	}
	u, err := base.Parse(location)
	if err != nil || location == "" || strings.ContainsAny(location, "\\\r\n") {
		return "", fmt.Errorf("the Location header %q is not a URL", c.redact.text(location))
	}
	if !strings.EqualFold(u.Scheme, base.Scheme) || !strings.EqualFold(u.Host, base.Host) {
		return "", fmt.Errorf("the Location header points to %s, another origin than the API's", origin(u))
	}
	u.Fragment = ""
	return u.String(), nil
}
