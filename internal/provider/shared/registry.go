package shared

import (
	"cmp"
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Each data source and resource registers itself in its own file, with
// var _ = shared.RegisterDataSource(NewX), so that adding a type touches no
// list; the provider serves whatever its service packages registered.
var (
	registeredDataSources []func() datasource.DataSource
	registeredResources   []func() resource.Resource
	registeredLists       []func() list.ListResource
)

// RegisterDataSource adds a data source to those the provider serves. It
// returns a value only so that a package-level var can call it.
func RegisterDataSource(newDataSource func() datasource.DataSource) bool {
	registeredDataSources = append(registeredDataSources, newDataSource)
	return true
}

// RegisterResource adds a resource to those the provider serves.
func RegisterResource(newResource func() resource.Resource) bool {
	registeredResources = append(registeredResources, newResource)
	return true
}

// RegisterListResource adds a list resource (terraform query, Terraform
// 1.14+) to those the provider serves.
func RegisterListResource(newList func() list.ListResource) bool {
	registeredLists = append(registeredLists, newList)
	return true
}

// DataSources are the registered data sources sorted by type name, so the
// order does not depend on the order packages and files initialise in.
func DataSources(providerTypeName string) []func() datasource.DataSource {
	return sortedByTypeName(registeredDataSources, func(d datasource.DataSource) string {
		var resp datasource.MetadataResponse
		d.Metadata(context.Background(), datasource.MetadataRequest{ProviderTypeName: providerTypeName}, &resp)
		return resp.TypeName
	})
}

// Resources are the registered resources sorted by type name.
func Resources(providerTypeName string) []func() resource.Resource {
	return sortedByTypeName(registeredResources, func(r resource.Resource) string {
		var resp resource.MetadataResponse
		r.Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: providerTypeName}, &resp)
		return resp.TypeName
	})
}

// ListResources are the registered list resources sorted by type name.
func ListResources(providerTypeName string) []func() list.ListResource {
	return sortedByTypeName(registeredLists, func(l list.ListResource) string {
		var resp resource.MetadataResponse
		l.Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: providerTypeName}, &resp)
		return resp.TypeName
	})
}

func sortedByTypeName[T any](constructors []func() T, typeName func(T) string) []func() T {
	type named struct {
		name string
		new  func() T
	}
	sorted := make([]named, len(constructors))
	for i, c := range constructors {
		sorted[i] = named{typeName(c()), c}
	}
	slices.SortStableFunc(sorted, func(a, b named) int { return cmp.Compare(a.name, b.name) })
	out := make([]func() T, len(sorted))
	for i, n := range sorted {
		out[i] = n.new
	}
	return out
}
