package partnercenter

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// Availability is a way to buy a SKU in a country: its CatalogItemID is
// what a cart takes. Availability ids are reissued over time, so look them
// up before each purchase (a stale one fails checkout with
// ErrStaleAvailability).
//
// The shape is that of Microsoft's "Availability resources" and "Get a
// list of availabilities for a SKU (by country)" pages, with the terms as a
// partner quoted a live answer of
// GET /v1/products/CFQ7TTC0LFLZ/skus/0002/availabilities?country=US on
// Microsoft Q&A ("Partner Center API Availabilities Have Different Terms
// Depending on Query Method", 2023): each term has id, duration,
// description, billingCycle and cancellationPolicies[].refundOptions[].
type Availability struct {
	ID              *string            `json:"id"`
	ProductID       *string            `json:"productId"`
	SkuID           *string            `json:"skuId"`
	CatalogItemID   *string            `json:"catalogItemId"`
	DefaultCurrency *Currency          `json:"defaultCurrency"`
	Segment         *string            `json:"segment"`
	Country         *string            `json:"country"`
	IsPurchasable   *bool              `json:"isPurchasable"`
	IsRenewable     *bool              `json:"isRenewable"`
	Terms           []AvailabilityTerm `json:"terms"`
}

// Currency is an availability's default currency.
type Currency struct {
	Code   *string `json:"code"`
	Symbol *string `json:"symbol"`
}

// AvailabilityTerm is a commitment an availability can be bought for: a
// cart line's TermDuration and BillingCycle must be one of these pairs.
type AvailabilityTerm struct {
	ID *string `json:"id"`
	// Duration is ISO 8601: P1M, P1Y, P3Y.
	Duration    *string `json:"duration"`
	Description *string `json:"description"`
	// BillingCycle is e.g. Monthly, Annual, Triennial.
	BillingCycle         *string              `json:"billingCycle"`
	CancellationPolicies []CancellationPolicy `json:"cancellationPolicies"`
}

// CancellationPolicy lists the refunds a cancellation gets.
type CancellationPolicy struct {
	RefundOptions []CancellationRefundOption `json:"refundOptions"`
}

// CancellationRefundOption is a refund available for a while after
// purchase.
type CancellationRefundOption struct {
	SequenceID *int `json:"sequenceId"`
	// Type is Full or Partial.
	Type *string `json:"type"`
	// ExpiresAfter is an ISO 8601 duration from purchase, e.g. P1D.
	ExpiresAfter *string `json:"expiresAfter"`
}

// ListAvailabilities returns the availabilities of a product's SKU in a
// country (ISO 3166 two-letter code).
func (c *Client) ListAvailabilities(ctx context.Context, productID, skuID, country string) ([]Availability, error) {
	what := fmt.Sprintf("list availabilities of product %q SKU %q in %q", productID, skuID, country)
	if strings.TrimSpace(productID) == "" || strings.TrimSpace(skuID) == "" || len(strings.TrimSpace(country)) != 2 {
		return nil, fmt.Errorf("%s: the product id and SKU id must not be empty and the country must be a two-letter code", what)
	}
	target := c.baseURL + "/v1/products/" + url.PathEscape(productID) + "/skus/" + url.PathEscape(skuID) +
		"/availabilities?country=" + url.QueryEscape(strings.TrimSpace(country))
	return listAll[Availability](ctx, c, what, target, 0)
}
