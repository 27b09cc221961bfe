package licences

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// DataSources are the data sources of this package, which the provider registers.
func DataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewCustomerSubscriptionsDataSource,
		NewCustomerSubscriptionDataSource,
		NewAzureEntitlementsDataSource,
		NewProductAvailabilitiesDataSource,
	}
}

// Resources are the resources of this package, which the provider registers.
func Resources() []func() resource.Resource {
	return []func() resource.Resource{
		NewCustomerSubscriptionResource,
	}
}
