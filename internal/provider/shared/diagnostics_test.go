package shared

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/partnercenter"
)

// Partner Center's error codes choose the advice; the status line and the
// challenge are shown as sent.
func TestReadErrorDiagnostic_apiErrors(t *testing.T) {
	tests := []struct {
		name        string
		err         partnercenter.APIError
		wantSummary string
		want        []string
		notWant     []string
	}{
		{
			name:        "MFA required, code 900421 in a body",
			err:         partnercenter.APIError{StatusCode: 401, Code: "900421", Description: "User is not MFA authenticated."},
			wantSummary: "Partner Center requires multi-factor authentication",
			want:        []string{"HTTP 401 Unauthorized", "error code: 900421", "since 2026-04-01", "sign in with MFA", "`use_oidc`"},
		},
		{
			name:        "MFA required, only in the reason phrase",
			err:         partnercenter.APIError{StatusCode: 401, Status: "401 MFA Required"},
			wantSummary: "Partner Center requires multi-factor authentication",
			want:        []string{"HTTP 401 MFA Required", "App-only"},
		},
		{
			name:        "plain 401 shows the challenge",
			err:         partnercenter.APIError{StatusCode: 401, Status: "401 Unauthorized", Challenge: "The access token expired"},
			wantSummary: "Partner Center rejected the credentials",
			want:        []string{"WWW-Authenticate: The access token expired", "App+User", "App-only tokens"},
			notWant:     []string{"not supported", "are refused. Check"},
		},
		{
			name:        "wrong audience names every cloud's audience",
			err:         partnercenter.APIError{StatusCode: 401, Code: "900420"},
			wantSummary: "Partner Center refused the token's audience",
			want: []string{
				"https://api.partnercenter.microsoft.com (environment public, usgovernment, germany)",
				"https://partner.partnercenterapi.microsoftonline.cn (environment china)",
			},
		},
		{
			name:        "no relationship: no role hint",
			err:         partnercenter.APIError{StatusCode: 403, Code: "20002", Description: "No relationship between caller and account"},
			wantSummary: "Not a customer of this partner",
			want:        []string{"HTTP 403 Forbidden", "error code: 20002", "not a customer of this partner"},
			notWant:     []string{"Admin agent", "role"},
		},
		{
			name:        "other 403s keep the role hint",
			err:         partnercenter.APIError{StatusCode: 403, Code: "1"},
			wantSummary: "Partner Center denied access",
			want:        []string{"Admin agent", "GDAP"},
		},
		{
			name:        "throttled",
			err:         partnercenter.APIError{StatusCode: 429, Description: "Rate limit is exceeded. Try again in 57 seconds."},
			wantSummary: "Partner Center throttled the request",
			want:        []string{"Description: Rate limit is exceeded. Try again in 57 seconds.", "500 customer requests per minute"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.err
			e.Operation, e.RequestID, e.CorrelationID = "get customer", "req-1", "corr-1"
			summary, detail := OperationErrorDiagnostic(context.Background(), OperationRead, "Reading customer", &e, time.Minute)
			if summary != tt.wantSummary {
				t.Errorf("summary %q, want %q", summary, tt.wantSummary)
			}
			for _, w := range append(tt.want, "MS-RequestId: req-1", "MS-CorrelationId: corr-1") {
				if !strings.Contains(detail, w) {
					t.Errorf("detail lacks %q:\n%s", w, detail)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(detail, w) {
					t.Errorf("detail has %q:\n%s", w, detail)
				}
			}
		})
	}
}
