package mockpartnercenter

import (
	"net/http"
	"strings"
	"time"
)

const RouteCreateAgreement Route = "create_agreement" // counted for the route declared below

var _ = declareRoutes(apiRoute{RouteCreateAgreement, "POST " + customerPattern + "/agreements", exampleCustomer + "/agreements", (*Server).serveCreateAgreement})

// Microsoft Customer Agreement confirmation, as Microsoft's "Confirm
// customer acceptance of the Microsoft Customer Agreement" and "Manage
// customer accounts - Create agreement" pages give it:
//
//	POST /v1/customers/{customer-tenant-id}/agreements
//	{"primaryContact": {"firstName", "lastName", "email", "phoneNumber"},
//	 "templateId", "dateAgreed", "type": "MicrosoftCustomerAgreement"}
//
// answers 201 with the agreement. A customer created through the mock has
// no agreement, so its checkouts answer 13605 until one is recorded; the
// customers the mock starts with have theirs.

// agreementTypeMCA is the one agreement type a purchase needs.
const agreementTypeMCA = "MicrosoftCustomerAgreement"

// pcCodeAgreementExists is the service's answer to a second confirmation with
// the same primary contact.
const pcCodeAgreementExists = 600061

type agreementContact struct {
	FirstName   string `json:"firstName"`
	LastName    string `json:"lastName"`
	Email       string `json:"email"`
	PhoneNumber string `json:"phoneNumber,omitempty"`
}

type agreementDoc struct {
	PrimaryContact agreementContact `json:"primaryContact"`
	TemplateID     string           `json:"templateId"`
	DateAgreed     string           `json:"dateAgreed"`
	Type           string           `json:"type"`
}

// pcNewerError is the newer error shape some routes answer in, with
// errorName and isRetryable beside code and description.
type pcNewerError struct {
	Code                 int            `json:"code"`
	Message              string         `json:"message"`
	Description          string         `json:"description"`
	ErrorName            string         `json:"errorName"`
	IsRetryable          bool           `json:"isRetryable"`
	Parameters           map[string]any `json:"parameters"`
	ErrorMessageExtended string         `json:"errorMessageExtended"`
}

// AgreementsConfirmed returns how many Microsoft Customer Agreement
// confirmations were recorded for customerID.
func (s *Server) AgreementsConfirmed(customerID string) int {
	return withLock(s, func() int { return len(s.commerce.agreements[customerKey(customerID)]) })
}

func (s *Server) serveCreateAgreement(w http.ResponseWriter, r *http.Request) {
	customerID := r.PathValue("customerID")
	var doc agreementDoc
	if !decodeWriteBody(w, r, maxWriteBody, &doc, "The request body is not a valid agreement.") {
		return
	}
	if problem := agreementProblem(doc); problem != "" {
		writePCError(w, http.StatusBadRequest, pcCodeInvalidInput, problem)
		return
	}
	s.answerCustomer(w, r, customerID, true, routeFaults{}, func() answer { return s.recordAgreementLocked(customerID, doc) })
}

// agreementProblem names what the documented request lacks, or is "".
func agreementProblem(doc agreementDoc) string {
	switch {
	case doc.Type != agreementTypeMCA:
		return "The agreement type must be " + agreementTypeMCA + ", not '" + sanitize(doc.Type) + "'."
	case strings.TrimSpace(doc.TemplateID) == "":
		return "The agreement's templateId is required."
	case strings.TrimSpace(doc.PrimaryContact.FirstName) == "" || strings.TrimSpace(doc.PrimaryContact.LastName) == "" ||
		strings.TrimSpace(doc.PrimaryContact.Email) == "":
		return "The agreement's primaryContact needs firstName, lastName and email."
	}
	if _, err := time.Parse(time.RFC3339, doc.DateAgreed); err != nil {
		if _, err := time.Parse(time.DateOnly, doc.DateAgreed); err != nil {
			return "The agreement's dateAgreed '" + sanitize(doc.DateAgreed) + "' is not a date."
		}
	}
	return ""
}

// recordAgreementLocked stores the confirmation, after which the
// customer's checkouts buy.
func (s *Server) recordAgreementLocked(customerID string, doc agreementDoc) answer {
	key := customerKey(customerID)
	for _, prior := range s.commerce.agreements[key] {
		if strings.EqualFold(prior.PrimaryContact.Email, doc.PrimaryContact.Email) &&
			prior.PrimaryContact.FirstName == doc.PrimaryContact.FirstName &&
			prior.PrimaryContact.LastName == doc.PrimaryContact.LastName &&
			prior.PrimaryContact.PhoneNumber == doc.PrimaryContact.PhoneNumber {
			const text = "A partner confirmed agreement already exists for the customer."
			return jsonAnswer(http.StatusConflict, pcNewerError{
				Code: pcCodeAgreementExists, Message: text, Description: text,
				ErrorName: "PartnerConfirmedAgreementAlreadyExists", Parameters: map[string]any{},
				ErrorMessageExtended: "InternalErrorCode=600061",
			})
		}
	}
	s.commerce.agreements[key] = append(s.commerce.agreements[key], doc)
	delete(s.commerce.withoutAgreement, key)
	return jsonAnswer(http.StatusCreated, doc)
}
