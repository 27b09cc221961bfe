package partnercenter

import (
	"slices"
	"strings"
	"testing"
)

func TestEnvironmentsOrder(t *testing.T) {
	want := []Environment{EnvironmentPublic, EnvironmentChina, EnvironmentUSGovernment, EnvironmentGermany}
	if got := Environments(); !slices.Equal(got, want) {
		t.Fatalf("Environments() = %v, want %v", got, want)
	}
	for _, env := range Environments() {
		c, ok := LookupCloud(string(env))
		if !ok || c.Environment != env {
			t.Errorf("LookupCloud(%q) = %+v, %v", env, c, ok)
		}
		if err := CheckEndpointURL(c.APIBaseURL); err != nil {
			t.Errorf("%s API URL: %v", env, err)
		}
		if err := CheckEndpointURL(c.AuthorityHost); err != nil {
			t.Errorf("%s authority: %v", env, err)
		}
		if strings.HasSuffix(c.APIBaseURL, "/") || strings.HasSuffix(c.APIBaseURL, "/v1") {
			t.Errorf("%s API URL %q must have no trailing slash or /v1", env, c.APIBaseURL)
		}
		if c.TokenAudience() != c.APIBaseURL {
			t.Errorf("%s audience %q, want the API base URL", env, c.TokenAudience())
		}
	}
}

func TestLookupCloud(t *testing.T) {
	tests := []struct {
		in          string
		ok          bool
		env         Environment
		api, auth   string
		wantRetired bool
	}{
		{"", true, EnvironmentPublic, "https://api.partnercenter.microsoft.com", "https://login.microsoftonline.com", false},
		{"public", true, EnvironmentPublic, "https://api.partnercenter.microsoft.com", "https://login.microsoftonline.com", false},
		{" Public ", true, EnvironmentPublic, "https://api.partnercenter.microsoft.com", "https://login.microsoftonline.com", false},
		{"CHINA", true, EnvironmentChina, "https://partner.partnercenterapi.microsoftonline.cn", "https://login.chinacloudapi.cn", false},
		{"usgovernment", true, EnvironmentUSGovernment, "https://api.partnercenter.microsoft.com", "https://login.microsoftonline.us", false},
		{"Germany", true, EnvironmentGermany, "https://api.partnercenter.microsoft.com", "https://login.microsoftonline.de", true},
		{"azurecloud", false, "", "", "", false},
		{"us", false, "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, ok := LookupCloud(tt.in)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if c.Environment != tt.env || c.APIBaseURL != tt.api || c.AuthorityHost != tt.auth || c.Retired != tt.wantRetired {
				t.Errorf("got %+v", c)
			}
		})
	}
}

func TestCheckEndpointURL(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string // substring; empty means valid
	}{
		{"https://api.partnercenter.microsoft.com", ""},
		{"https://api.partnercenter.microsoft-ppe.com/", ""},
		{"https://proxy.example.com:8443/partnercenter", ""},
		{"HTTPS://LOGIN.MICROSOFTONLINE.COM", ""},
		{"http://localhost:8080", ""},
		{"http://LocalHost", ""},
		{"http://127.0.0.1:1234", ""},
		{"http://127.5.6.7", ""},
		{"http://[::1]:9000/x", ""},
		{"", "empty"},
		{"   ", "empty"},
		{"api.partnercenter.microsoft.com", "not an absolute URL"},
		{"/v1/customers", "not an absolute URL"},
		{"http://api.partnercenter.microsoft.com", "only https"},
		{"http://10.0.0.1", "only https"},
		{"http://localhost.example.com", "only https"},
		{"ftp://example.com", "only https"},
		{"https://example.com?x=1", "query"},
		{"https://example.com/?", "query"},
		{"https://example.com/#frag", "fragment"},
		{"https://user:hunter2@example.com", "user name or password"},
		{"https://exa mple.com", "not a valid URL"},
		{"https://:443", "no host name"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			err := CheckEndpointURL(tt.in)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want it to mention %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error leaks the URL's password: %v", err)
			}
		})
	}
}

func TestGraphEndpoints(t *testing.T) {
	want := map[Environment]string{
		EnvironmentPublic:       "https://graph.microsoft.com",
		EnvironmentUSGovernment: "https://graph.microsoft.us",
		EnvironmentChina:        "https://microsoftgraph.chinacloudapi.cn",
		EnvironmentGermany:      "https://graph.microsoft.com",
	}
	for _, env := range Environments() {
		c, _ := LookupCloud(string(env))
		if c.GraphBaseURL != want[env] || c.GraphTokenAudience() != want[env] {
			t.Errorf("%s: Graph %q, audience %q, want %q", env, c.GraphBaseURL, c.GraphTokenAudience(), want[env])
		}
		if err := CheckEndpointURL(c.GraphBaseURL); err != nil {
			t.Errorf("%s Graph URL: %v", env, err)
		}
	}
}
