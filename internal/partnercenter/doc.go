// Package partnercenter is a client for the Microsoft Partner Center REST API.
//
// It knows nothing of Terraform: it obtains tokens, reads customers and
// subscriptions, buys new-commerce licences (cart, checkout, order),
// changes subscriptions, creates customers and decodes Partner Center's
// errors. Being internal, it is importable only from
// this module; keeping Terraform out of it lets it move to a module of its own
// unchanged.
package partnercenter
