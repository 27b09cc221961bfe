package gdap

import (
	"context"
	"strings"
	"sync"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// relationshipNames holds, per configured Graph client (one provider
// process's plan or apply), the partner's relationships by display name.
// Planning relationships for hundreds of customers then costs one listing of
// the partner's relationships, not one listing per new relationship. The
// recovery after a creation's unknown outcome reads afresh (relByName).
var relationshipNames sync.Map // *partnercenter.GraphClient -> *nameListing

type nameListing struct {
	mu     sync.Mutex
	byName map[string]partnercenter.DelegatedAdminRelationship // nil until listed
}

// relByListedName is the relationship named name in the client's listing,
// made on first use; nil when none has the name. A failed listing is not
// kept: the next look-up lists again.
func relByListedName(ctx context.Context, g *partnercenter.GraphClient, name string) (*partnercenter.DelegatedAdminRelationship, error) {
	v, _ := relationshipNames.LoadOrStore(g, &nameListing{})
	listing, _ := v.(*nameListing)
	listing.mu.Lock()
	defer listing.mu.Unlock()
	if listing.byName == nil {
		all, err := g.ListDelegatedAdminRelationships(ctx, partnercenter.DelegatedAdminRelationshipFilter{})
		if err != nil {
			return nil, err
		}
		listing.byName = make(map[string]partnercenter.DelegatedAdminRelationship, len(all))
		for _, rel := range all {
			listing.byName[strings.ToLower(rel.DisplayName)] = rel
		}
	}
	if rel, ok := listing.byName[strings.ToLower(name)]; ok {
		return &rel, nil
	}
	return nil, nil
}
