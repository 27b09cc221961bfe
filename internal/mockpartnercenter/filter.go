package mockpartnercenter

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// listFilter is the documented search filter,
// {"Field":"Domain","Value":"cont","Operator":"starts_with"}.
type listFilter struct {
	Field    string `json:"Field"`
	Value    string `json:"Value"`
	Operator string `json:"Operator"`
}

// Filter fields. IndirectReseller and IndirectCloudSolutionProvider both
// match a prefix of the customer's associatedPartnerId: the mock has no
// partner graph, and that id is the only indirect-partner field a customer
// carries. Field and operator names are compared case-insensitively.
const (
	filterDomain           = "Domain"
	filterCompanyName      = "CompanyName"
	filterIndirectReseller = "IndirectReseller"
	filterIndirectCSP      = "IndirectCloudSolutionProvider"
	filterOpStartsWith     = "starts_with"
)

// parseFilter decodes and validates the filter query parameter.
func parseFilter(raw string) (*listFilter, error) {
	var f listFilter
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		return nil, errors.New("The filter is not valid JSON.") //nolint:staticcheck // Partner Center text, shown to users
	}
	switch {
	case strings.EqualFold(f.Field, filterDomain):
		f.Field = filterDomain
	case strings.EqualFold(f.Field, filterCompanyName):
		f.Field = filterCompanyName
	case strings.EqualFold(f.Field, filterIndirectReseller):
		f.Field = filterIndirectReseller
	case strings.EqualFold(f.Field, filterIndirectCSP):
		f.Field = filterIndirectCSP
	default:
		return nil, fmt.Errorf("The filter field '%s' is not supported.", sanitize(f.Field)) //nolint:staticcheck // as above
	}
	if !strings.EqualFold(f.Operator, filterOpStartsWith) {
		return nil, fmt.Errorf("The filter operator '%s' is not supported.", sanitize(f.Operator)) //nolint:staticcheck // as above
	}
	f.Operator = filterOpStartsWith
	if f.Value == "" {
		return nil, errors.New("The filter value must not be empty.") //nolint:staticcheck // as above
	}
	return &f, nil
}

// matches applies the case-insensitive prefix match.
func (f *listFilter) matches(c *customer) bool {
	var v string
	switch f.Field {
	case filterDomain:
		v = stringAt(c.doc, "companyProfile", "domain")
	case filterCompanyName:
		v = stringAt(c.doc, "companyProfile", "companyName")
	default:
		v = stringAt(c.doc, "associatedPartnerId")
	}
	return len(v) >= len(f.Value) && strings.EqualFold(v[:len(f.Value)], f.Value)
}
