package mockpartnercenter

import (
	"crypto/rand"
	"encoding/json"
	"math/big"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
)

const RouteCreateCustomer Route = "create_customer" // counted for the route declared below

var _ = declareRoutes(apiRoute{RouteCreateCustomer, "POST /v1/customers", "/v1/customers", (*Server).serveCreateCustomer})

// maxCreateBody bounds a create or update request body; Partner Center's
// customer documents are a few kilobytes.
const maxCreateBody = 64 << 10

// onboardingState is the mock's memory of customer creation: answers by
// MS-RequestId (the service's idempotency key), the tenants created and
// domains taken outside the partner.
type onboardingState struct {
	answers      map[string][]byte // MS-RequestId -> the 201 body first sent
	created      int
	passwords    []string        // the first admins' passwords, oldest first
	takenDomains map[string]bool // full domains, lower case
	// listLag is how many filtered list reads leave out a new customer;
	// unlisted counts down, per customer key, the reads still to leave it out.
	listLag  int
	unlisted map[string]int
	// oddAnswers makes the creation answer with the id of a wrong type;
	// oddAnswersKeepTenantID leaves the company profile's tenant id in.
	oddAnswers, oddAnswersKeepTenantID bool
	// pendingProfileChange is made at the next read of that profile.
	pendingProfileChange *pendingProfileChange
	// withoutBillingProfile holds the customer keys whose reads leave the
	// billing profile out.
	withoutBillingProfile map[string]bool
}

// SetOddCreationAnswers makes each creation answer 201 with the
// administrator's credentials but the customer's id a number and its
// company profile without the tenant id, as a service change might: the
// tenant is created, the answer only partly readable.
func (s *Server) SetOddCreationAnswers(on bool) {
	s.locked(func() { s.onboarding.oddAnswers, s.onboarding.oddAnswersKeepTenantID = on, false })
}

// SetOddCreationAnswersKeepingTenantID is SetOddCreationAnswers with the
// company profile's tenant id (the customer's id, a GUID) left in the
// answer: a client can still tell which customer was made.
func (s *Server) SetOddCreationAnswersKeepingTenantID(on bool) {
	s.locked(func() { s.onboarding.oddAnswers, s.onboarding.oddAnswersKeepTenantID = on, on })
}

// SetNewCustomerListLag makes the filtered customer list (the look-up by
// domain) leave each customer created from now on out of its next reads
// reads, as Partner Center lists a new customer only after a while. 0 lists
// new customers at once.
func (s *Server) SetNewCustomerListLag(reads int) { s.locked(func() { s.onboarding.listLag = reads }) }

// unlistedLocked reports whether the filtered list still leaves the
// customer out, counting this read.
func (s *Server) unlistedLocked(key string) bool {
	if s.onboarding.unlisted[key] <= 0 {
		return false
	}
	s.onboarding.unlisted[key]--
	return true
}

// CustomersCreated returns the number of tenants POST /v1/customers has
// created; an idempotent replay creates none.
func (s *Server) CustomersCreated() int {
	return withLock(s, func() int { return s.onboarding.created })
}

// IssuedAdminPasswords returns the first-admin passwords of the tenants
// created so far, oldest first, so tests can assert none of them leaks.
func (s *Server) IssuedAdminPasswords() []string {
	return withLock(s, func() []string { return slices.Clone(s.onboarding.passwords) })
}

// createCustomerRequest is the part of the documented create body the mock
// reads.
type createCustomerRequest struct {
	EnableGDAPByDefault bool `json:"enableGDAPByDefault"`
	CompanyProfile      struct {
		Domain                         string `json:"domain"`
		OrganizationRegistrationNumber string `json:"organizationRegistrationNumber"`
	} `json:"companyProfile"`
	BillingProfile map[string]any `json:"billingProfile"`
}

// serveCreateCustomer answers POST /v1/customers: it creates a tenant with
// the requested domain and returns the customer with the first admin's
// credentials, which only this answer carries. A request whose
// MS-RequestId was seen gets the first answer again and creates nothing.
// FaultDropConnection, and the faults set with AfterCommit, lose the answer
// after the tenant exists.
func (s *Server) serveCreateCustomer(w http.ResponseWriter, r *http.Request) {
	requestID := r.Header.Get("MS-RequestId")
	s.mu.Lock()
	body, replay := s.onboarding.answers[requestID]
	s.mu.Unlock()
	if replay && requestID != "" {
		if !s.applyFault(w, r, "", routeFaults{}) {
			writeRawJSON(w, http.StatusCreated, body)
		}
		return
	}

	var req createCustomerRequest
	if !decodeWriteBody(w, r, maxCreateBody, &req, "The request body is not a valid customer.") {
		return
	}
	if !validNewDomain(req.CompanyProfile.Domain) {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput,
			"The domain '"+sanitize(req.CompanyProfile.Domain)+"' is not a valid domain prefix or name.")
		return
	}
	billing, ok := billingProfileFromRequest(w, req.BillingProfile)
	if !ok {
		return
	}
	country := stringAt(billing, "defaultAddress", "country")
	if !checkRegistrationNumber(w, country, req.CompanyProfile.OrganizationRegistrationNumber) {
		return
	}
	create := func() answer {
		return withLock(s, func() answer { return s.createCustomerLocked(req, billing, requestID) })
	}
	if s.applyFault(w, r, "", routeFaults{commit: func() { create() }}) {
		return
	}
	create().write(w)
}

// oddCreationAnswer is body with its id a number and, unless
// keepTenantID, no tenant id.
func oddCreationAnswer(body []byte, keepTenantID bool) []byte {
	var doc map[string]any
	if json.Unmarshal(body, &doc) != nil {
		return body
	}
	doc["id"] = 42
	if company, ok := doc["companyProfile"].(map[string]any); ok && !keepTenantID {
		delete(company, "tenantId")
	}
	odd, err := marshal(doc)
	if err != nil {
		return body
	}
	return odd
}

// createCustomerLocked creates the tenant, unless the domain is taken or a
// concurrent retry created it meanwhile, and returns the answer: the stored
// customer plus the admin credentials, which are not stored (made odd by
// SetOddCreationAnswers, the stored answer staying as it was).
func (s *Server) createCustomerLocked(req createCustomerRequest, billing map[string]any, requestID string) answer {
	created := func(body []byte) answer {
		if s.onboarding.oddAnswers {
			body = oddCreationAnswer(body, s.onboarding.oddAnswersKeepTenantID)
		}
		return answer{status: http.StatusCreated, body: body}
	}
	if body, ok := s.onboarding.answers[requestID]; ok && requestID != "" {
		return created(body)
	}
	if s.domainTakenLocked(req.CompanyProfile.Domain) {
		// Microsoft documents no code for this; 409 is the mock's choice.
		return pcErrorAnswer(http.StatusConflict, http.StatusConflict,
			"The domain '"+sanitize(fullDomain(req.CompanyProfile.Domain))+"' is already in use.")
	}
	id := uuid.NewString()
	domain := fullDomain(req.CompanyProfile.Domain)
	billing["id"] = uuid.NewString()
	billing["attributes"] = map[string]any{"etag": newETag(), "objectType": "CustomerBillingProfile"}
	company := map[string]any{
		"tenantId":    id,
		"domain":      domain,
		"companyName": billing["companyName"],
		"attributes":  map[string]any{"objectType": "CustomerCompanyProfile"},
	}
	if n := req.CompanyProfile.OrganizationRegistrationNumber; n != "" {
		company["organizationRegistrationNumber"] = n
	}
	doc := map[string]any{
		"id":                    id,
		"commerceId":            uuid.NewString(),
		"companyProfile":        company,
		"billingProfile":        billing,
		"enableGDAPByDefault":   req.EnableGDAPByDefault,
		"relationshipToPartner": "reseller",
		"customDomains":         []string{domain},
		"links":                 map[string]any{"self": map[string]any{"uri": "/customers/" + id, "method": "GET", "headers": []string{}}},
		"attributes":            map[string]any{"objectType": "Customer"},
	}
	stored, storeErr := newCustomerFromMap(doc)
	password := newAdminPassword()
	// The answer has the documented shape, which says less than a read of
	// the customer does, plus the credentials, which are not stored.
	body, err := marshal(map[string]any{
		"id":                    id,
		"commerceId":            doc["commerceId"],
		"companyProfile":        map[string]any{"tenantId": id, "domain": domain, "attributes": company["attributes"]},
		"billingProfile":        billing,
		"enableGDAPByDefault":   req.EnableGDAPByDefault,
		"relationshipToPartner": "none",
		"userCredentials":       map[string]any{"userName": "admin", "password": password},
		"attributes":            doc["attributes"],
	})
	if storeErr != nil || err != nil {
		return pcErrorAnswer(http.StatusInternalServerError, pcCodeInternal, "The customer could not be created.")
	}
	s.putLocked(stored)
	s.subscriptions[customerKey(id)] = nil
	// A new tenant has not accepted the Microsoft Customer Agreement:
	// Partner Center refuses its purchases (13605) until it is confirmed.
	s.commerce.withoutAgreement[customerKey(id)] = true
	s.onboarding.created++
	if s.onboarding.listLag > 0 {
		s.onboarding.unlisted[customerKey(id)] = s.onboarding.listLag
	}
	s.onboarding.passwords = appendBounded(s.onboarding.passwords, password)
	if requestID != "" {
		s.onboarding.answers[requestID] = body
	}
	return created(body)
}

// validNewDomain accepts a new tenant's domain: a prefix of 1 to 27
// letters and digits, bare or with the initial-domain suffix. A custom or
// deeper name (contoso.com, a.b.onmicrosoft.com) is not a new tenant's.
func validNewDomain(d string) bool {
	prefix, isInitial := strings.CutSuffix(strings.ToLower(d), defaultDomainSuffix)
	if !isInitial && strings.Contains(d, ".") {
		return false
	}
	if prefix == "" || len(prefix) > 27 {
		return false
	}
	for _, c := range prefix {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// newETag mimics the documented etags: a signed 64-bit decimal.
func newETag() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return uuid.NewString()
	}
	return n.String()
}

// adminPasswordAlphabet has the characters that JSON escaping and form
// encoding change, so a client that redacts only the raw password is caught.
const (
	adminPasswordAlphabet = `abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789=;.&+"\/%<>!`
	adminPasswordEncoded  = `"&+\`
)

// newAdminPassword generates a 16-character password holding at least one
// character of each encoding-sensitive kind, as the documented one ("=;;n.=s9Z")
// holds punctuation.
func newAdminPassword() string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = adminPasswordAlphabet[randIndex(len(adminPasswordAlphabet))]
	}
	for i := range len(adminPasswordEncoded) {
		b[randIndex(4)*4+i] = adminPasswordEncoded[i]
	}
	return string(b)
}

func randIndex(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		return 0
	}
	return int(v.Int64())
}
