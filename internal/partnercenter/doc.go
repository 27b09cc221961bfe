// Package partnercenter is a client for the Microsoft Partner Center REST API.
//
// It knows nothing of Terraform: any Go program can use it to obtain App+User
// or App-only tokens, read customers and decode Partner Center's errors.
package partnercenter
