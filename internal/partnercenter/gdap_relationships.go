package partnercenter

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Relationship statuses as Graph spells them. A status Graph adds later
// (its enums end in unknownFutureValue) is kept verbatim.
const (
	RelationshipStatusCreated              = "created"
	RelationshipStatusApprovalPending      = "approvalPending"
	RelationshipStatusApproved             = "approved"
	RelationshipStatusActivating           = "activating"
	RelationshipStatusActive               = "active"
	RelationshipStatusExpiring             = "expiring"
	RelationshipStatusExpired              = "expired"
	RelationshipStatusTerminationRequested = "terminationRequested"
	RelationshipStatusTerminating          = "terminating"
	RelationshipStatusTerminated           = "terminated"
)

// Actions of a relationship request.
const (
	// ActionLockForApproval locks a created relationship and makes it
	// await the customer's approval.
	ActionLockForApproval = "lockForApproval"
	// ActionTerminate ends an active relationship.
	ActionTerminate = "terminate"
)

// DelegatedAdminCustomer is the customer of a relationship.
type DelegatedAdminCustomer struct {
	TenantID    string `json:"tenantId"`
	DisplayName string `json:"displayName,omitempty"`
}

// DelegatedAdminRelationship is a granular delegated admin relationship
// as Graph serves it.
type DelegatedAdminRelationship struct {
	ID, ETag, DisplayName, Duration, Status, AutoExtendDuration string
	// Customer is nil when any customer may accept the relationship.
	Customer *DelegatedAdminCustomer
	// Roles are the role definition ids of accessDetails.unifiedRoles, in
	// service order.
	Roles []string
	// The dates are nil when Graph sends none, null or "".
	CreatedDateTime, LastModifiedDateTime, ActivatedDateTime, EndDateTime *time.Time
	// Reseller marks a resellerDelegatedAdminRelationship, which the list
	// may include: an indirect reseller's relationship that its indirect
	// provider created.
	Reseller bool
}

// NewDelegatedAdminRelationship is a relationship to create.
type NewDelegatedAdminRelationship struct {
	DisplayName, Duration, AutoExtendDuration string
	// Customer nil lets any customer accept.
	Customer *DelegatedAdminCustomer
	Roles    []string
}

// DelegatedAdminRelationshipPatch holds the properties to change; nil ones
// are left unchanged.
type DelegatedAdminRelationshipPatch struct {
	DisplayName, Duration, AutoExtendDuration *string
	Customer                                  *DelegatedAdminCustomer
	// Roles nil leaves the roles unchanged.
	Roles []string
}

// DelegatedAdminRelationshipRequest is a lock or terminate request on a
// relationship.
type DelegatedAdminRelationshipRequest struct {
	ID, Action, Status                    string
	CreatedDateTime, LastModifiedDateTime *time.Time
}

// DelegatedAdminRelationshipOperation is a long-running operation on a
// relationship, such as the removal of the Global Administrator role.
type DelegatedAdminRelationshipOperation struct {
	ID, OperationType, Status, Data, ETag string
	CreatedDateTime, LastModifiedDateTime *time.Time
}

// DelegatedAdminRelationshipFilter narrows a relationship listing; an empty
// field does not filter.
type DelegatedAdminRelationshipFilter struct {
	CustomerTenantID, Status, DisplayName string
}

// wireRelationship is a relationship as Graph sends it.
type wireRelationship struct {
	Type                 string                  `json:"@odata.type"`
	ETag                 string                  `json:"@odata.etag"`
	ID                   string                  `json:"id"`
	DisplayName          string                  `json:"displayName"`
	Duration             string                  `json:"duration"`
	Status               string                  `json:"status"`
	AutoExtendDuration   string                  `json:"autoExtendDuration"`
	Customer             *DelegatedAdminCustomer `json:"customer"`
	AccessDetails        *accessDetails          `json:"accessDetails"`
	CreatedDateTime      graphTime               `json:"createdDateTime"`
	LastModifiedDateTime graphTime               `json:"lastModifiedDateTime"`
	ActivatedDateTime    graphTime               `json:"activatedDateTime"`
	EndDateTime          graphTime               `json:"endDateTime"`
}

func (w *wireRelationship) relationship() DelegatedAdminRelationship {
	customer := w.Customer
	if customer != nil && *customer == (DelegatedAdminCustomer{}) {
		customer = nil // {"tenantId": null}: no customer named
	}
	return DelegatedAdminRelationship{
		ID: w.ID, ETag: w.ETag, DisplayName: w.DisplayName, Duration: w.Duration, Status: w.Status,
		AutoExtendDuration: w.AutoExtendDuration, Customer: customer, Roles: w.AccessDetails.roleIDs(),
		CreatedDateTime: w.CreatedDateTime.t, LastModifiedDateTime: w.LastModifiedDateTime.t,
		ActivatedDateTime: w.ActivatedDateTime.t, EndDateTime: w.EndDateTime.t,
		Reseller: strings.EqualFold(w.Type, "#microsoft.graph.resellerDelegatedAdminRelationship"),
	}
}

type wireRelationshipRequest struct {
	ID                   string    `json:"id"`
	Action               string    `json:"action"`
	Status               string    `json:"status"`
	CreatedDateTime      graphTime `json:"createdDateTime"`
	LastModifiedDateTime graphTime `json:"lastModifiedDateTime"`
}

func (w *wireRelationshipRequest) request() DelegatedAdminRelationshipRequest {
	return DelegatedAdminRelationshipRequest{ID: w.ID, Action: w.Action, Status: w.Status,
		CreatedDateTime: w.CreatedDateTime.t, LastModifiedDateTime: w.LastModifiedDateTime.t}
}

type wireRelationshipOperation struct {
	ETag                 string    `json:"@odata.etag"`
	ID                   string    `json:"id"`
	OperationType        string    `json:"operationType"`
	Status               string    `json:"status"`
	Data                 string    `json:"data"`
	CreatedDateTime      graphTime `json:"createdDateTime"`
	LastModifiedDateTime graphTime `json:"lastModifiedDateTime"`
}

const relationshipsPath = "/tenantRelationships/delegatedAdminRelationships"

// relationshipURL is the URL of one relationship, or of something under it
// when sub is given, e.g. "/requests".
func (g *GraphClient) relationshipURL(operation, id, sub string) (string, error) {
	escaped, err := graphEscape(operation, "relationship", id)
	if err != nil {
		return "", err
	}
	return g.url(relationshipsPath + "/" + escaped + sub), nil
}

// decodedRelationship converts an answer, refusing one without an id.
func decodedRelationship(w *wireRelationship, info responseInfo) (*DelegatedAdminRelationship, error) {
	if strings.TrimSpace(w.ID) == "" {
		return nil, &InvalidResponseError{Graph: true, Operation: info.Operation, Reason: "the relationship has no id",
			StatusCode: info.StatusCode, RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	r := w.relationship()
	return &r, nil
}

// CreateDelegatedAdminRelationship creates a relationship in status
// created. It is sent once: after an unknown outcome the caller looks the
// relationship up by its display name, unique across the partner's
// relationships.
func (g *GraphClient) CreateDelegatedAdminRelationship(ctx context.Context, r NewDelegatedAdminRelationship) (*DelegatedAdminRelationship, error) {
	operation := fmt.Sprintf("create delegated admin relationship %q", r.DisplayName)
	body, err := json.Marshal(struct {
		DisplayName        string                  `json:"displayName"`
		Duration           string                  `json:"duration"`
		Customer           *DelegatedAdminCustomer `json:"customer,omitempty"`
		AccessDetails      *accessDetails          `json:"accessDetails"`
		AutoExtendDuration string                  `json:"autoExtendDuration,omitempty"`
	}{r.DisplayName, r.Duration, r.Customer, newAccessDetails(r.Roles), r.AutoExtendDuration})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", operation, err)
	}
	var w wireRelationship
	info, err := g.c.do(ctx, &request{
		operation: operation, method: http.MethodPost, url: g.url(relationshipsPath),
		body: body, accept: []int{http.StatusCreated, http.StatusOK}, out: &w,
		sentOnce: "the display name is unique across the partner's relationships: a listing by it shows whether the creation happened",
	})
	if err != nil {
		return nil, err
	}
	return decodedRelationship(&w, info)
}

// GetDelegatedAdminRelationship reads a relationship; a missing one is an
// *APIError matching ErrNotFound.
func (g *GraphClient) GetDelegatedAdminRelationship(ctx context.Context, id string) (*DelegatedAdminRelationship, error) {
	operation := fmt.Sprintf("get delegated admin relationship %s", id)
	u, err := g.relationshipURL(operation, id, "")
	if err != nil {
		return nil, err
	}
	var w wireRelationship
	info, err := g.c.getJSON(ctx, operation, u, nil, &w)
	if err != nil {
		return nil, err
	}
	return decodedRelationship(&w, info)
}

// ListDelegatedAdminRelationships lists the partner's relationships, every
// page of them. The list page documents $filter without naming the
// properties it applies to: the customer and the status, which partners'
// tools filter on, are sent as $filter; the display name is matched here
// only, so that the lookup after an unknown creation outcome cannot fail
// on a filter the service refuses. Every item is checked against the whole
// filter, so that a service ignoring part of it cannot widen the result.
func (g *GraphClient) ListDelegatedAdminRelationships(ctx context.Context, f DelegatedAdminRelationshipFilter) ([]DelegatedAdminRelationship, error) {
	target := g.url(relationshipsPath)
	if q := f.odata(); q != "" {
		target += "?$filter=" + strings.ReplaceAll(url.QueryEscape(q), "+", "%20")
	}
	wires, err := graphListAll(ctx, g, "list delegated admin relationships", target,
		func(w *wireRelationship) string { return w.ID })
	if err != nil {
		return nil, err
	}
	out := make([]DelegatedAdminRelationship, 0, len(wires))
	for i := range wires {
		if r := wires[i].relationship(); f.matches(&r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// odata renders the filter's customer and status as an OData $filter
// expression, "" for neither.
func (f DelegatedAdminRelationshipFilter) odata() string {
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	var terms []string
	if f.CustomerTenantID != "" {
		terms = append(terms, "customer/tenantId eq "+quote(f.CustomerTenantID))
	}
	if f.Status != "" {
		terms = append(terms, "status eq "+quote(f.Status))
	}
	return strings.Join(terms, " and ")
}

// matches says whether r passes the filter, ignoring case as Graph's
// string comparisons do.
func (f DelegatedAdminRelationshipFilter) matches(r *DelegatedAdminRelationship) bool {
	tenant := ""
	if r.Customer != nil {
		tenant = r.Customer.TenantID
	}
	pass := func(want, got string) bool { return want == "" || strings.EqualFold(want, got) }
	return pass(f.CustomerTenantID, tenant) && pass(f.Status, r.Status) && pass(f.DisplayName, r.DisplayName)
}

// UpdateDelegatedAdminRelationship changes a relationship under If-Match.
// Graph answers 200 with the relationship, or 202 for a long-running
// operation (removing the Global Administrator role from an active
// relationship, listed under its operations); then, and on a 204, it
// returns nil and no error, and the caller reads the relationship again.
func (g *GraphClient) UpdateDelegatedAdminRelationship(ctx context.Context, id, etag string, p DelegatedAdminRelationshipPatch) (*DelegatedAdminRelationship, error) {
	operation := fmt.Sprintf("update delegated admin relationship %s", id)
	u, err := g.relationshipURL(operation, id, "")
	if err != nil {
		return nil, err
	}
	header, err := ifMatch(operation, etag)
	if err != nil {
		return nil, err
	}
	var details *accessDetails
	if p.Roles != nil {
		details = newAccessDetails(p.Roles)
	}
	body, err := json.Marshal(struct {
		DisplayName        *string                 `json:"displayName,omitempty"`
		Duration           *string                 `json:"duration,omitempty"`
		Customer           *DelegatedAdminCustomer `json:"customer,omitempty"`
		AccessDetails      *accessDetails          `json:"accessDetails,omitempty"`
		AutoExtendDuration *string                 `json:"autoExtendDuration,omitempty"`
	}{p.DisplayName, p.Duration, p.Customer, details, p.AutoExtendDuration})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", operation, err)
	}
	var w wireRelationship
	info, err := g.c.do(ctx, &request{
		operation: operation, method: http.MethodPatch, url: u, header: header, body: body,
		accept: []int{http.StatusOK, http.StatusAccepted, http.StatusNoContent}, out: &w,
		repeatable: "under If-Match: once an attempt changed the relationship its etag changed, and a repeat is refused (412)",
	})
	if err != nil {
		return nil, err
	}
	if info.StatusCode != http.StatusOK {
		return nil, nil
	}
	return decodedRelationship(&w, info)
}

// DeleteDelegatedAdminRelationship deletes a relationship still in status
// created, under If-Match; an active one ends by ActionTerminate instead.
func (g *GraphClient) DeleteDelegatedAdminRelationship(ctx context.Context, id, etag string) error {
	operation := fmt.Sprintf("delete delegated admin relationship %s", id)
	u, err := g.relationshipURL(operation, id, "")
	if err != nil {
		return err
	}
	header, err := ifMatch(operation, etag)
	if err != nil {
		return err
	}
	_, err = g.c.do(ctx, &request{
		operation: operation, method: http.MethodDelete, url: u, header: header,
		accept:     []int{http.StatusNoContent, http.StatusOK},
		repeatable: "a relationship is deleted once: a repeat finds it gone (404) or its etag changed (412)",
	})
	return err
}

// CreateDelegatedAdminRelationshipRequest asks for action (ActionLockForApproval
// or ActionTerminate) on a relationship. It is sent once: the relationship's
// status and its requests show whether it was made.
func (g *GraphClient) CreateDelegatedAdminRelationshipRequest(ctx context.Context, id, action string) (*DelegatedAdminRelationshipRequest, error) {
	operation := fmt.Sprintf("request %s on delegated admin relationship %s", action, id)
	u, err := g.relationshipURL(operation, id, "/requests")
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(map[string]string{"action": action})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", operation, err)
	}
	var w wireRelationshipRequest
	info, err := g.c.do(ctx, &request{
		operation: operation, method: http.MethodPost, url: u, body: body,
		accept: []int{http.StatusCreated, http.StatusOK}, out: &w,
		sentOnce: "the relationship's status and its request list show whether the request was made",
	})
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(w.ID) == "" {
		return nil, &InvalidResponseError{Graph: true, Operation: operation, Reason: "the request has no id",
			StatusCode: info.StatusCode, RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	r := w.request()
	return &r, nil
}

// ListDelegatedAdminRelationshipRequests lists a relationship's requests.
func (g *GraphClient) ListDelegatedAdminRelationshipRequests(ctx context.Context, id string) ([]DelegatedAdminRelationshipRequest, error) {
	operation := fmt.Sprintf("list requests of delegated admin relationship %s", id)
	u, err := g.relationshipURL(operation, id, "/requests")
	if err != nil {
		return nil, err
	}
	wires, err := graphListAll(ctx, g, operation, u, func(w *wireRelationshipRequest) string { return w.ID })
	if err != nil {
		return nil, err
	}
	out := make([]DelegatedAdminRelationshipRequest, 0, len(wires))
	for i := range wires {
		out = append(out, wires[i].request())
	}
	return out, nil
}

// ListDelegatedAdminRelationshipOperations lists a relationship's
// long-running operations.
func (g *GraphClient) ListDelegatedAdminRelationshipOperations(ctx context.Context, id string) ([]DelegatedAdminRelationshipOperation, error) {
	operation := fmt.Sprintf("list operations of delegated admin relationship %s", id)
	u, err := g.relationshipURL(operation, id, "/operations")
	if err != nil {
		return nil, err
	}
	wires, err := graphListAll(ctx, g, operation, u, func(w *wireRelationshipOperation) string { return w.ID })
	if err != nil {
		return nil, err
	}
	out := make([]DelegatedAdminRelationshipOperation, 0, len(wires))
	for _, w := range wires {
		out = append(out, DelegatedAdminRelationshipOperation{ID: w.ID, OperationType: w.OperationType,
			Status: w.Status, Data: w.Data, ETag: w.ETag,
			CreatedDateTime: w.CreatedDateTime.t, LastModifiedDateTime: w.LastModifiedDateTime.t})
	}
	return out, nil
}
