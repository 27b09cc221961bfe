package acctest

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// FillEveryField sets every exported field reachable from ptr, a pointer to
// an API object: pointers to filled values, slices of one filled element,
// strings "x", numbers 1, true, a json.RawMessage kept as sent {"x":1}. A
// state built from it must then have every attribute Partner Center gives.
func FillEveryField(t testing.TB, ptr any) {
	t.Helper()
	fill(t, reflect.ValueOf(ptr).Elem())
}

func fill(t testing.TB, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Type() == reflect.TypeFor[json.RawMessage]() {
			v.SetBytes([]byte(`{"x":1}`))
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(t, v.Index(0))
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(1)
	case reflect.Float64:
		v.SetFloat(1)
	default:
		t.Fatalf("FillEveryField: add a case for %s", v.Kind())
	}
}

// RequireFilled fails for a null or unknown value anywhere in v, the
// attributes of its objects and the elements of its lists included, and
// for an empty list.
func RequireFilled(t testing.TB, path string, v tftypes.Value) {
	t.Helper()
	if v.IsNull() || !v.IsKnown() {
		t.Errorf("%s is %v although the API object sets every field", path, v)
		return
	}
	switch {
	case v.Type().Is(tftypes.Object{}):
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			t.Fatal(err)
		}
		for name, attr := range attrs {
			RequireFilled(t, path+"."+name, attr)
		}
	case v.Type().Is(tftypes.List{}):
		var elements []tftypes.Value
		if err := v.As(&elements); err != nil {
			t.Fatal(err)
		}
		if len(elements) == 0 {
			t.Errorf("%s is empty although the API object sets every field", path)
		}
		for i, e := range elements {
			RequireFilled(t, path+"["+strconv.Itoa(i)+"]", e)
		}
	}
}
