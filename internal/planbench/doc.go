// Package planbench measures `terraform plan` against the mock Partner Center
// at scale: how long reading N customers takes in each of the three ways a
// configuration can ask for them, how many requests and tokens that costs, and
// how much memory the provider needs while doing it.
//
// The provider process is started by Terraform, not by us, so the planbench
// binary doubles as a wrapper (see Wrap) that Terraform starts in the
// provider's place; it runs the real provider and records the child's peak
// RSS and CPU time in a file the benchmark reads after each plan.
package planbench
