package mockpartnercenter

import (
	"net/http"
	"strings"
)

const RouteDomainAvailability Route = "domain_availability" // counted for the route declared below

var _ = declareRoutes(apiRoute{RouteDomainAvailability, "HEAD /v1/domains/{domain}", "/v1/domains/" + DocumentedCustomerDomain, (*Server).serveDomainAvailability})

// defaultDomainSuffix completes a bare domain prefix ("contoso") into the
// tenant's initial domain, as Partner Center does on creation.
const defaultDomainSuffix = ".onmicrosoft.com"

// fullDomain is the tenant domain a requested domain stands for: a bare
// prefix gets the .onmicrosoft.com suffix, a dotted name stays as it is.
// Domains compare case-insensitively, and a final dot (the DNS root) is
// dropped, as the service stores names without it.
func fullDomain(d string) string {
	d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	if d != "" && !strings.Contains(d, ".") {
		d += defaultDomainSuffix
	}
	return d
}

// TakeDomain marks domain as used by a tenant outside the partner's
// customers, so that the availability check answers "taken" for it
// although no customer of the partner has it.
func (s *Server) TakeDomain(domain string) {
	s.locked(func() { s.onboarding.takenDomains[fullDomain(domain)] = true })
}

// domainTakenLocked reports whether domain belongs to any tenant: one of the
// partner's customers or one marked by TakeDomain.
func (s *Server) domainTakenLocked(domain string) bool {
	d := fullDomain(domain)
	if s.onboarding.takenDomains[d] {
		return true
	}
	for _, c := range s.customers {
		if strings.EqualFold(stringAt(c.doc, "companyProfile", "domain"), d) {
			return true
		}
	}
	return false
}

// serveDomainAvailability answers HEAD /v1/domains/{domain}: 200 when a
// tenant already has the domain, 404 when it is free. HEAD has no body, so
// both answers are bare.
func (s *Server) serveDomainAvailability(w http.ResponseWriter, r *http.Request) {
	if s.applyFault(w, r, "", routeFaults{}) {
		return
	}
	s.mu.Lock()
	taken := s.domainTakenLocked(r.PathValue("domain"))
	s.mu.Unlock()
	w.Header().Set("Content-Length", "0")
	if taken {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.WriteHeader(http.StatusNotFound)
}
