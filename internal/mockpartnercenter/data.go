package mockpartnercenter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// customer is one stored customer: the exact bytes served by get-by-id and a
// decoded view used for filtering and list projection.
type customer struct {
	id   string // as stored in the document
	raw  []byte // compact JSON
	doc  map[string]any
	item []byte // the list's projection, precomputed
}

// newCustomerFromJSON decodes data, keeping the raw bytes for serving.
func newCustomerFromJSON(data []byte) (*customer, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // keep numbers exactly as written
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode customer: %w", err)
	}
	id, _ := doc["id"].(string)
	if id == "" {
		return nil, errors.New(`customer has no string "id"`)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		return nil, fmt.Errorf("compact customer: %w", err)
	}
	item, err := marshal(listItem(doc))
	if err != nil {
		return nil, fmt.Errorf("project customer: %w", err)
	}
	return &customer{id: id, raw: buf.Bytes(), doc: doc, item: item}, nil
}

// listItem projects a customer to what the list returns: no billing
// profile, and only the identifying part of the company profile.
func listItem(doc map[string]any) map[string]any {
	item := pickMembers(doc, "id", "relationshipToPartner", "links", "attributes")
	if profile, ok := doc["companyProfile"].(map[string]any); ok {
		item["companyProfile"] = pickMembers(profile, "tenantId", "domain", "companyName", "links", "attributes")
	}
	return item
}

// pickMembers copies the members of m that keys name, leaving out those m
// lacks rather than inventing empty values.
func pickMembers(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}

// newCustomerFromMap encodes m (Go sorts map keys, which is fine: JSON object
// order carries no meaning and a client must not depend on it).
func newCustomerFromMap(m map[string]any) (*customer, error) {
	if m == nil {
		return nil, errors.New("customer is nil")
	}
	data, err := marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode customer: %w", err)
	}
	return newCustomerFromJSON(data)
}

// customerKey is the lookup key: tenant ids are GUIDs, matched case-insensitively.
func customerKey(id string) string { return strings.ToLower(id) }

// putLocked adds or replaces c; a replacement keeps its list position.
func (s *Server) putLocked(c *customer) {
	key := customerKey(c.id)
	if _, ok := s.customers[key]; !ok {
		s.order = append(s.order, key)
	}
	s.customers[key] = c
}

// AddCustomer adds a customer, or replaces the one with the same id (compared
// case-insensitively, keeping its list position). New customers go to the end
// of the list. The map must have a string "id"; any other field may be
// missing or odd, which is the point: tests build duplicates and gaps with it.
func (s *Server) AddCustomer(c map[string]any) error {
	cust, err := newCustomerFromMap(c)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putLocked(cust)
	return nil
}

// removeCustomerLocked deletes a customer and its subscriptions and
// reports whether the customer existed.
func (s *Server) removeCustomerLocked(id string) bool {
	key := customerKey(id)
	if _, ok := s.customers[key]; !ok {
		return false
	}
	delete(s.customers, key)
	delete(s.subscriptions, key)
	for i, k := range s.order {
		if k == key {
			s.order = append(s.order[:i:i], s.order[i+1:]...)
			break
		}
	}
	return true
}

// CustomerIDs returns the customer ids in list order: the documented customer,
// then generated customers by index, then added ones in the order added.
func (s *Server) CustomerIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.order))
	for _, k := range s.order {
		ids = append(ids, s.customers[k].id)
	}
	return ids
}

// lookupCustomer returns the stored customer for id, if any.
func (s *Server) lookupCustomer(id string) (*customer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.customers[customerKey(id)]
	return c, ok
}

// stringAt walks nested objects along path and returns the string found
// there, or "" when the path is missing or holds something else.
func stringAt(doc map[string]any, path ...string) string {
	var cur any = doc
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[p]
	}
	str, _ := cur.(string)
	return str
}
