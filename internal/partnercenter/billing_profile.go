package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
)

// BillingProfileRecord is a customer's billing profile as just read: typed,
// with its etag and its JSON object whole.
type BillingProfileRecord struct {
	Profile BillingProfile
	// ETag is attributes.etag, for If-Match; never store it.
	ETag string
	// Raw is the profile's JSON object as read, members sorted.
	Raw json.RawMessage

	object *objectRecord
}

// BillingProfileChanges are the billing profile members to change; nil
// leaves a member as it is. DefaultAddress changes only its non-nil
// members.
type BillingProfileChanges struct {
	FirstName, LastName, Email, Culture, Language, CompanyName *string
	DefaultAddress                                             *Address
}

// GetBillingProfile reads the customer's billing profile.
func (c *Client) GetBillingProfile(ctx context.Context, customerID string) (*BillingProfileRecord, error) {
	operation := fmt.Sprintf("get billing profile of customer %q", customerID)
	if strings.TrimSpace(customerID) == "" {
		return nil, fmt.Errorf("%s: the customer id is empty", operation)
	}
	var p BillingProfile
	obj, _, err := c.readObject(ctx, operation, c.billingProfileURL(customerID), &p)
	if err != nil {
		return nil, err
	}
	return &BillingProfileRecord{Profile: p, ETag: obj.etag, Raw: obj.raw(), object: obj}, nil
}

// ProfileChangedError says that the billing profile is no longer the one
// the caller read (its etag changed): nothing was written. It matches
// ErrStaleETag.
type ProfileChangedError struct {
	CustomerID string
	// Expected is the etag the caller read; Current the one now, "" when
	// Partner Center answered the replacement with its stale-etag refusal.
	Expected, Current string
}

// Error names the customer and both etags.
func (e *ProfileChangedError) Error() string {
	now := "a newer one"
	if e.Current != "" {
		now = fmt.Sprintf("%q", e.Current)
	}
	return fmt.Sprintf("the billing profile of customer %q changed since it was read: etag %q then, %s now; nothing was written",
		e.CustomerID, e.Expected, now)
}

// Is makes errors.Is(err, ErrStaleETag) true.
func (e *ProfileChangedError) Is(target error) bool { return target == ErrStaleETag }

// UpdateBillingProfile replaces the customer's billing profile, as it is
// under etag, with changes applied, sending If-Match: etag. The caller's
// etag is the one its changes were decided against: when the profile has
// another one now, or the service answers that it is stale, nothing is
// written over the other change and a ProfileChangedError is returned. It
// returns the profile the service answered with.
func (c *Client) UpdateBillingProfile(ctx context.Context, customerID, etag string, changes BillingProfileChanges) (*BillingProfileRecord, error) {
	operation := fmt.Sprintf("update billing profile of customer %q", customerID)
	if etag == "" {
		return nil, fmt.Errorf("%s: no etag to send as If-Match: the profile must be read with its etag first", operation)
	}
	rec, err := c.GetBillingProfile(ctx, customerID)
	if err != nil {
		return nil, err
	}
	if rec.ETag != etag {
		return nil, &ProfileChangedError{CustomerID: customerID, Expected: etag, Current: rec.ETag}
	}
	body, err := changes.apply(rec.object)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", operation, err)
	}
	var raw json.RawMessage
	info, err := c.do(ctx, &request{
		operation: operation, method: http.MethodPut, url: c.billingProfileURL(customerID),
		body: body, header: http.Header{"If-Match": {etag}}, out: &raw,
		repeatable: "the whole profile under If-Match: a repeat writes the same profile again, " +
			"or fails with 2055 once the first one changed the etag",
	})
	var apiErr *APIError
	if errors.Is(err, ErrStaleETag) || errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusPreconditionFailed {
		if errors.As(err, &apiErr) && apiErr.Attempts > 1 {
			// An earlier attempt, whose answer was lost, may have written
			// the profile and changed its etag: then the refusal is about
			// this update's own write.
			return c.settleRetriedProfileUpdate(ctx, customerID, changes, err)
		}
		return nil, errors.Join(&ProfileChangedError{CustomerID: customerID, Expected: etag}, err)
	}
	if err != nil {
		return nil, err
	}
	var p BillingProfile
	obj, derr := decodeObjectRecord(raw, &p)
	if derr != nil {
		return nil, &InvalidResponseError{Operation: operation, Reason: "the response is not a JSON object",
			StatusCode: info.StatusCode, RequestID: info.RequestID, CorrelationID: info.CorrelationID, Err: derr}
	}
	return &BillingProfileRecord{Profile: p, ETag: obj.etag, Raw: obj.raw(), object: obj}, nil
}

// ProfileUpdateUnknownError says that a billing profile replacement whose
// first attempt got no usable answer was refused as stale on a retry, and
// that the profile read afterwards is not the one sent: the first attempt
// may or may not have been written, and someone else may have changed the
// profile since. It does not unwrap: the stale-etag refusal inside is no
// proof that nothing was written.
type ProfileUpdateUnknownError struct {
	CustomerID string
	Err        error
}

func (e *ProfileUpdateUnknownError) Error() string {
	return fmt.Sprintf("the billing profile update of customer %q has an unknown outcome: an attempt got no usable answer, "+
		"its retry was refused because the profile had changed, and the profile Partner Center holds now is not the one "+
		"sent (someone else may have changed it): %v", e.CustomerID, e.Err)
}

// settleRetriedProfileUpdate reads the profile after a retried replacement
// was refused as stale: holding what was sent, the update succeeded (an
// earlier attempt wrote it); otherwise its outcome is unknown.
func (c *Client) settleRetriedProfileUpdate(ctx context.Context, customerID string, changes BillingProfileChanges, refusal error) (*BillingProfileRecord, error) {
	rec, err := c.GetBillingProfile(ctx, customerID)
	if err != nil {
		return nil, &ProfileUpdateUnknownError{CustomerID: customerID, Err: errors.Join(refusal, err)}
	}
	if holds, err := changes.heldBy(rec.object); err != nil || !holds {
		return nil, &ProfileUpdateUnknownError{CustomerID: customerID, Err: refusal}
	}
	return rec, nil
}

// heldBy reports whether the profile r already has every change.
func (ch BillingProfileChanges) heldBy(r *objectRecord) (bool, error) {
	changed, err := ch.apply(r)
	if err != nil {
		return false, err
	}
	current, err := json.Marshal(r.members)
	if err != nil {
		return false, err
	}
	var want, have any
	if err := json.Unmarshal(changed, &want); err != nil {
		return false, err
	}
	if err := json.Unmarshal(current, &have); err != nil {
		return false, err
	}
	return reflect.DeepEqual(want, have), nil
}

// apply returns the profile of r with the changes made.
func (ch BillingProfileChanges) apply(r *objectRecord) ([]byte, error) {
	out := &objectRecord{members: make(map[string]json.RawMessage, len(r.members)), etag: r.etag}
	for k, v := range r.members {
		out.members[k] = v
	}
	for name, v := range map[string]*string{
		"firstName": ch.FirstName, "lastName": ch.LastName, "email": ch.Email,
		"culture": ch.Culture, "language": ch.Language, "companyName": ch.CompanyName,
	} {
		if v != nil {
			b, err := json.Marshal(*v)
			if err != nil {
				return nil, err
			}
			out.members[name] = b
		}
	}
	if ch.DefaultAddress != nil {
		merged, err := mergeNonNull(out.members["defaultAddress"], ch.DefaultAddress)
		if err != nil {
			return nil, err
		}
		out.members["defaultAddress"] = merged
	}
	return json.Marshal(out.members)
}

// mergeNonNull sets on the JSON object current every member of changes
// that is not null, keeping the others as they are.
func mergeNonNull(current json.RawMessage, changes any) (json.RawMessage, error) {
	members := map[string]json.RawMessage{}
	if len(current) > 0 && string(current) != "null" {
		if err := json.Unmarshal(current, &members); err != nil {
			return nil, fmt.Errorf("the current address is not an object: %w", err)
		}
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return nil, err
	}
	var set map[string]json.RawMessage
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, err
	}
	for k, v := range set {
		if string(v) != "null" {
			members[k] = v
		}
	}
	return json.Marshal(members)
}

func (c *Client) billingProfileURL(customerID string) string {
	return c.baseURL + "/v1/customers/" + url.PathEscape(customerID) + "/profiles/billing"
}
