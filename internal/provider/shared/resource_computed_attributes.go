package shared

import (
	"fmt"

	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/numberplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

// ResourceComputedAttributes turns a data source's computed attributes into
// a resource's, so that a resource and the data source reading the same
// object describe each attribute once. The attributes named in stable keep
// their state value across updates (UseStateForUnknown); the others, and the
// attributes nested in any, are unknown in the plan of any change, since the
// service may recompute them. An attribute kind it does not know is a bug,
// reported when the schema is built.
func ResourceComputedAttributes(attrs map[string]dsschema.Attribute, stable map[string]bool) (map[string]schema.Attribute, error) {
	return resourceComputedAttributes(attrs, func(name string) bool { return stable[name] }, false)
}

// StableResourceComputedAttributes is ResourceComputedAttributes with every
// attribute, nested ones too, keeping its state value: for an object whose
// computed attributes change only outside Terraform, which a refresh shows.
func StableResourceComputedAttributes(attrs map[string]dsschema.Attribute) (map[string]schema.Attribute, error) {
	return resourceComputedAttributes(attrs, func(string) bool { return true }, true)
}

// resourceComputedAttributes converts attrs, those for which stable holds
// keeping their state value; deep carries stable to nested attributes.
func resourceComputedAttributes(attrs map[string]dsschema.Attribute, stable func(name string) bool, deep bool) (map[string]schema.Attribute, error) {
	out := make(map[string]schema.Attribute, len(attrs))
	for name, a := range attrs {
		converted, err := resourceComputedAttribute(a, stable(name), deep)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		out[name] = converted
	}
	return out, nil
}

// nestedComputedAttributes converts the attributes nested in a stable or
// unstable attribute: with deep, all of them keep their state value.
func nestedComputedAttributes(attrs map[string]dsschema.Attribute, deep bool) (map[string]schema.Attribute, error) {
	if deep {
		return StableResourceComputedAttributes(attrs)
	}
	return ResourceComputedAttributes(attrs, nil)
}

func resourceComputedAttribute(a dsschema.Attribute, stable, deep bool) (schema.Attribute, error) {
	switch a := a.(type) {
	case dsschema.StringAttribute:
		s := schema.StringAttribute{MarkdownDescription: a.MarkdownDescription, Computed: true}
		if stable {
			s.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
		}
		return s, nil
	case dsschema.BoolAttribute:
		b := schema.BoolAttribute{MarkdownDescription: a.MarkdownDescription, Computed: true}
		if stable {
			b.PlanModifiers = []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}
		}
		return b, nil
	case dsschema.NumberAttribute:
		n := schema.NumberAttribute{MarkdownDescription: a.MarkdownDescription, Computed: true}
		if stable {
			n.PlanModifiers = []planmodifier.Number{numberplanmodifier.UseStateForUnknown()}
		}
		return n, nil
	case dsschema.ListAttribute:
		l := schema.ListAttribute{MarkdownDescription: a.MarkdownDescription, ElementType: a.ElementType, Computed: true}
		if stable {
			l.PlanModifiers = []planmodifier.List{listplanmodifier.UseStateForUnknown()}
		}
		return l, nil
	case dsschema.SingleNestedAttribute:
		nested, err := nestedComputedAttributes(a.Attributes, deep)
		if err != nil {
			return nil, err
		}
		o := schema.SingleNestedAttribute{MarkdownDescription: a.MarkdownDescription, Attributes: nested, Computed: true}
		if stable {
			o.PlanModifiers = []planmodifier.Object{objectplanmodifier.UseStateForUnknown()}
		}
		return o, nil
	case dsschema.ListNestedAttribute:
		nested, err := nestedComputedAttributes(a.NestedObject.Attributes, deep)
		if err != nil {
			return nil, err
		}
		l := schema.ListNestedAttribute{MarkdownDescription: a.MarkdownDescription, Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: nested}}
		if stable {
			l.PlanModifiers = []planmodifier.List{listplanmodifier.UseStateForUnknown()}
		}
		return l, nil
	}
	return nil, fmt.Errorf("no resource form for a data source attribute of type %T", a)
}
