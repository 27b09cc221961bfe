package shared

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Deref is *s, "" when s is nil: an absent member of Partner Center's JSON.
func Deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// listOfStrings is the type of every list of strings in the schemas.
var listOfStrings = tftypes.List{ElementType: tftypes.String}

// StringList is items as a known list, empty rather than null.
func StringList(items []string) tftypes.Value {
	elements := make([]tftypes.Value, len(items))
	for i, s := range items {
		elements[i] = tftypes.NewValue(tftypes.String, s)
	}
	return tftypes.NewValue(listOfStrings, elements)
}

// StringListOrNull keeps the difference between a list Partner Center left
// out (null) and an empty one.
func StringListOrNull(items []string) tftypes.Value {
	if items == nil {
		return tftypes.NewValue(listOfStrings, nil)
	}
	return StringList(items)
}

func StringValue(s *string) tftypes.Value {
	if s == nil {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, *s)
}

func BoolValue(b *bool) tftypes.Value {
	if b == nil {
		return tftypes.NewValue(tftypes.Bool, nil)
	}
	return tftypes.NewValue(tftypes.Bool, *b)
}

func NumberValue(f *float64) tftypes.Value {
	if f == nil {
		return tftypes.NewValue(tftypes.Number, nil)
	}
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetFloat64(*f))
}

// StringOf is v's string, "" when v is null, unknown or not a string.
func StringOf(v tftypes.Value) string {
	var s string
	if !v.IsKnown() || v.IsNull() || v.As(&s) != nil {
		return ""
	}
	return s
}
