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

// Microsoft Graph's answers name Graph, its error code and its request ids,
// and never carry Partner Center's advice.
func TestOperationErrorDiagnostic_graphErrors(t *testing.T) {
	tests := []struct {
		status      int
		code        string
		wantSummary string
		want        string
	}{
		{401, "InvalidAuthenticationToken", "Microsoft Graph rejected the credentials", "graph_access_token"},
		{403, "Authorization_RequestDenied", "Microsoft Graph denied access", "DelegatedAdminRelationship.ReadWrite.All"},
		{404, "Request_ResourceNotFound", "Not found in Microsoft Graph", ""},
		{429, "TooManyRequests", "Microsoft Graph throttled the request", "max_retries"},
		{503, "serviceNotAvailable", "Microsoft Graph request failed", "quoting the request-id and client-request-id"},
	}
	for _, tt := range tests {
		// A message that mentions MFA gets no Partner Center advice.
		err := &partnercenter.APIError{Graph: true, Operation: "get relationship", StatusCode: tt.status, Code: tt.code,
			Description: "MFA claim missing", RequestID: "rid-1", CorrelationID: "crid-1"}
		summary, detail := OperationErrorDiagnostic(context.Background(), "read", "Reading relationship", err, time.Minute)
		if summary != tt.wantSummary {
			t.Errorf("%d: summary %q, want %q", tt.status, summary, tt.wantSummary)
		}
		for _, want := range []string{"Microsoft Graph answered HTTP", "Microsoft Graph error code: " + tt.code, "request-id: rid-1",
			"client-request-id: crid-1", tt.want} {
			if !strings.Contains(detail, want) {
				t.Errorf("%d: detail lacks %q:\n%s", tt.status, want, detail)
			}
		}
		if strings.Contains(detail, "Partner Center") || strings.Contains(detail, "MS-RequestId") {
			t.Errorf("%d: detail speaks of Partner Center:\n%s", tt.status, detail)
		}
	}
	summary, _ := OperationErrorDiagnostic(context.Background(), "read", "Reading relationship",
		&partnercenter.InvalidResponseError{Graph: true, Operation: "get relationship", Reason: "not JSON"}, time.Minute)
	if summary != "Unexpected response from Microsoft Graph" {
		t.Errorf("invalid response summary %q", summary)
	}
}
