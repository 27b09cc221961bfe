package acctest

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ObjectValue is a value of an object type with the given attributes set and
// every other attribute null.
func ObjectValue(t testing.TB, typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	object, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	attrs := map[string]tftypes.Value{}
	for name, attrType := range object.AttributeTypes {
		attrs[name] = tftypes.NewValue(attrType, nil)
	}
	for name, v := range set {
		attrs[name] = v
	}
	return tftypes.NewValue(object, attrs)
}

func DynamicValue(t testing.TB, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// NullAttributes are the attributes of an object type, all null.
func NullAttributes(t tftypes.Object) map[string]tftypes.Value {
	attrs := make(map[string]tftypes.Value, len(t.AttributeTypes))
	for name, attrType := range t.AttributeTypes {
		attrs[name] = tftypes.NewValue(attrType, nil)
	}
	return attrs
}
