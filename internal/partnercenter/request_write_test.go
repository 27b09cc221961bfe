package partnercenter

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestWriteWithoutReasonIsRefused(t *testing.T) {
	var rec recorder
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rec.record(r) }))
	_, err := env.client.do(t.Context(), &request{operation: "post x", method: http.MethodPost, url: env.srv.URL + "/v1/x", body: []byte(`{}`)})
	if !errors.Is(err, errUnsafeWrite) || len(rec.all()) != 0 {
		t.Fatalf("err = %v after %d requests, want errUnsafeWrite before sending", err, len(rec.all()))
	}
}

func TestNewerErrorShapeDecodesLikeTheClassic(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusConflict, fixture(t, "error-600061.json"))
	}))
	_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want an *APIError", err)
	}
	if apiErr.Code != CodeAgreementAlreadyConfirmed || apiErr.ErrorName != "PartnerConfirmedAgreementAlreadyExists" ||
		apiErr.Description != "A partner confirmed agreement already exists for the customer." ||
		apiErr.Retryable == nil || *apiErr.Retryable {
		t.Errorf("decoded %+v", apiErr)
	}
	if !strings.Contains(err.Error(), "error code 600061 (PartnerConfirmedAgreementAlreadyExists)") {
		t.Errorf("message %q", err)
	}
}

func TestErrorCodesMatchTheirSentinels(t *testing.T) {
	tests := []struct {
		status   int
		code     string
		sentinel error
	}{
		{400, `800090`, ErrSeatDecreaseWindowPassed},
		{400, `"900214"`, ErrSeatDecreaseWindowPassed},
		{400, `900257`, ErrSeatDecreaseWindowPassed},
		{400, `900213`, ErrCancellationWindowPassed},
		{400, `900117`, ErrCancellationWindowPassed},
		{400, `2001`, ErrSubscriptionSuspended},
		{400, `800091`, ErrSubscriptionSuspended},
		{400, `2011`, ErrSubscriptionDeleted},
		{400, `900311`, ErrTooManyUpdates},
		{400, `13605`, ErrCustomerAgreementMissing},
		{400, `400019`, ErrStaleAvailability},
		{400, `600049`, ErrRegistrationNumber},
		{400, `600050`, ErrRegistrationNumber},
		{400, `600002`, ErrRegistrationNumber},
		{404, `2055`, ErrStaleETag},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, tt.status, `{"code":`+tt.code+`,"description":"refused","source":"PartnerFD"}`)
			}))
			_, err := env.client.GetCustomer(t.Context(), fixtureCustomerID)
			var apiErr *APIError
			if !errors.Is(err, tt.sentinel) || !errors.As(err, &apiErr) || apiErr.Description != "refused" {
				t.Fatalf("err = %v, want %v and an *APIError", err, tt.sentinel)
			}
			if tt.status == 404 && !errors.Is(err, ErrNotFound) {
				t.Error("the status sentinel must still match")
			}
			if err.Error() != apiErr.Error() {
				t.Errorf("message %q differs from the APIError's %q", err, apiErr)
			}
			for _, other := range []error{ErrThrottled, ErrForbidden} {
				if errors.Is(err, other) {
					t.Errorf("matches %v too", other)
				}
			}
		})
	}
}
