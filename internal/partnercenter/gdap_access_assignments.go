package partnercenter

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// DelegatedAdminAccessAssignment gives a partner security group roles of
// a relationship in the customer tenant. Status goes pending -> active
// (or error), later deleting -> deleted; a value Graph adds later is kept
// verbatim.
type DelegatedAdminAccessAssignment struct {
	ID, ETag, Status string
	// SecurityGroupID is accessContainer.accessContainerId: a security
	// group's object id in the partner tenant.
	SecurityGroupID                       string
	Roles                                 []string
	CreatedDateTime, LastModifiedDateTime *time.Time
}

// accessContainer is Graph's delegatedAdminAccessContainer.
type accessContainer struct {
	AccessContainerID   string `json:"accessContainerId"`
	AccessContainerType string `json:"accessContainerType"`
}

type wireAccessAssignment struct {
	ETag                 string           `json:"@odata.etag"`
	ID                   string           `json:"id"`
	Status               string           `json:"status"`
	AccessContainer      *accessContainer `json:"accessContainer"`
	AccessDetails        *accessDetails   `json:"accessDetails"`
	CreatedDateTime      graphTime        `json:"createdDateTime"`
	LastModifiedDateTime graphTime        `json:"lastModifiedDateTime"`
}

func (w *wireAccessAssignment) assignment() DelegatedAdminAccessAssignment {
	a := DelegatedAdminAccessAssignment{ID: w.ID, ETag: w.ETag, Status: w.Status, Roles: w.AccessDetails.roleIDs(),
		CreatedDateTime: w.CreatedDateTime.t, LastModifiedDateTime: w.LastModifiedDateTime.t}
	if w.AccessContainer != nil {
		a.SecurityGroupID = w.AccessContainer.AccessContainerID
	}
	return a
}

// decodedAssignment converts an answer, refusing one without an id.
func decodedAssignment(w *wireAccessAssignment, info responseInfo) (*DelegatedAdminAccessAssignment, error) {
	if strings.TrimSpace(w.ID) == "" {
		return nil, &InvalidResponseError{Graph: true, Operation: info.Operation, Reason: "the access assignment has no id",
			StatusCode: info.StatusCode, RequestID: info.RequestID, CorrelationID: info.CorrelationID}
	}
	a := w.assignment()
	return &a, nil
}

// assignmentURL is the URL of a relationship's access assignments, or of
// one of them when assignmentID is not "".
func (g *GraphClient) assignmentURL(operation, relationshipID, assignmentID string, one bool) (string, error) {
	u, err := g.relationshipURL(operation, relationshipID, "/accessAssignments")
	if err != nil || !one {
		return u, err
	}
	escaped, err := graphEscape(operation, "access assignment", assignmentID)
	if err != nil {
		return "", err
	}
	return u + "/" + escaped, nil
}

// CreateDelegatedAdminAccessAssignment gives a security group of the
// partner tenant roles of an active relationship. It is sent once: the
// relationship's assignments, listed by security group, show whether it
// was made.
func (g *GraphClient) CreateDelegatedAdminAccessAssignment(ctx context.Context, relationshipID, securityGroupID string, roles []string) (*DelegatedAdminAccessAssignment, error) {
	operation := fmt.Sprintf("create access assignment of security group %s on delegated admin relationship %s", securityGroupID, relationshipID)
	u, err := g.assignmentURL(operation, relationshipID, "", false)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(struct {
		AccessContainer accessContainer `json:"accessContainer"`
		AccessDetails   *accessDetails  `json:"accessDetails"`
	}{accessContainer{securityGroupID, "securityGroup"}, newAccessDetails(roles)})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", operation, err)
	}
	var w wireAccessAssignment
	info, err := g.c.do(ctx, &request{
		operation: operation, method: http.MethodPost, url: u, body: body,
		accept: []int{http.StatusCreated, http.StatusOK}, out: &w,
		sentOnce: "the relationship's access assignments, listed by security group, show whether it was made",
	})
	if err != nil {
		return nil, err
	}
	return decodedAssignment(&w, info)
}

// GetDelegatedAdminAccessAssignment reads an access assignment; a missing
// one is an *APIError matching ErrNotFound.
func (g *GraphClient) GetDelegatedAdminAccessAssignment(ctx context.Context, relationshipID, assignmentID string) (*DelegatedAdminAccessAssignment, error) {
	operation := fmt.Sprintf("get access assignment %s of delegated admin relationship %s", assignmentID, relationshipID)
	u, err := g.assignmentURL(operation, relationshipID, assignmentID, true)
	if err != nil {
		return nil, err
	}
	var w wireAccessAssignment
	info, err := g.c.getJSON(ctx, operation, u, nil, &w)
	if err != nil {
		return nil, err
	}
	return decodedAssignment(&w, info)
}

// ListDelegatedAdminAccessAssignments lists a relationship's access
// assignments, every page of them.
func (g *GraphClient) ListDelegatedAdminAccessAssignments(ctx context.Context, relationshipID string) ([]DelegatedAdminAccessAssignment, error) {
	operation := fmt.Sprintf("list access assignments of delegated admin relationship %s", relationshipID)
	u, err := g.assignmentURL(operation, relationshipID, "", false)
	if err != nil {
		return nil, err
	}
	wires, err := graphListAll(ctx, g, operation, u, func(w *wireAccessAssignment) string { return w.ID })
	if err != nil {
		return nil, err
	}
	out := make([]DelegatedAdminAccessAssignment, 0, len(wires))
	for i := range wires {
		out = append(out, wires[i].assignment())
	}
	return out, nil
}

// UpdateDelegatedAdminAccessAssignment replaces an assignment's roles under
// If-Match. Graph's page says it typically answers 202 (a long-running
// operation) and 200 with the unchanged assignment when nothing changes;
// on a 202 or 204 it returns nil and no error, and the caller reads the
// assignment again.
func (g *GraphClient) UpdateDelegatedAdminAccessAssignment(ctx context.Context, relationshipID, assignmentID, etag string, roles []string) (*DelegatedAdminAccessAssignment, error) {
	operation := fmt.Sprintf("update access assignment %s of delegated admin relationship %s", assignmentID, relationshipID)
	u, err := g.assignmentURL(operation, relationshipID, assignmentID, true)
	if err != nil {
		return nil, err
	}
	header, err := ifMatch(operation, etag)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(struct {
		AccessDetails *accessDetails `json:"accessDetails"`
	}{newAccessDetails(roles)})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", operation, err)
	}
	var w wireAccessAssignment
	info, err := g.c.do(ctx, &request{
		operation: operation, method: http.MethodPatch, url: u, header: header, body: body,
		accept: []int{http.StatusOK, http.StatusAccepted, http.StatusNoContent}, out: &w,
		repeatable: "the whole role set under If-Match: a repeat sets the same roles, or is refused (412) once the etag changed",
	})
	if err != nil {
		return nil, err
	}
	if info.StatusCode != http.StatusOK {
		return nil, nil
	}
	return decodedAssignment(&w, info)
}

// DeleteDelegatedAdminAccessAssignment removes an access assignment under
// If-Match. Graph documents 204; a 202 (removal under way) is accepted too.
func (g *GraphClient) DeleteDelegatedAdminAccessAssignment(ctx context.Context, relationshipID, assignmentID, etag string) error {
	operation := fmt.Sprintf("delete access assignment %s of delegated admin relationship %s", assignmentID, relationshipID)
	u, err := g.assignmentURL(operation, relationshipID, assignmentID, true)
	if err != nil {
		return err
	}
	header, err := ifMatch(operation, etag)
	if err != nil {
		return err
	}
	_, err = g.c.do(ctx, &request{
		operation: operation, method: http.MethodDelete, url: u, header: header,
		accept:     []int{http.StatusNoContent, http.StatusAccepted, http.StatusOK},
		repeatable: "an assignment is deleted once: a repeat finds it gone (404) or its etag changed (412)",
	})
	return err
}
