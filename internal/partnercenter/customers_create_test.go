package partnercenter

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const createdAdminPassword = "=;;n.=s9Z" // customer-create-response.json's

func newCustomerFromFixture(t *testing.T) NewCustomer {
	var nc NewCustomer
	if err := json.Unmarshal([]byte(fixture(t, "customer-create-request.json")), &nc); err != nil {
		t.Fatal(err)
	}
	return nc
}

func TestDomainAvailable(t *testing.T) {
	tests := []struct {
		status    int
		available bool
		wantErr   bool
	}{
		{http.StatusOK, false, false},
		{http.StatusNotFound, true, false},
		{http.StatusForbidden, false, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			var rec recorder
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec.record(r)
				w.WriteHeader(tt.status)
			}))
			available, err := env.client.DomainAvailable(t.Context(), "contoso-new.onmicrosoft.com")
			if available != tt.available || (err != nil) != tt.wantErr {
				t.Errorf("available %t, err %v", available, err)
			}
			if r := rec.all()[0]; r.method != http.MethodHead || r.path != "/v1/domains/contoso-new.onmicrosoft.com" {
				t.Errorf("request %s %s", r.method, r.path)
			}
		})
	}
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("no request expected") }))
	if _, err := env.client.DomainAvailable(t.Context(), "not a domain"); err == nil {
		t.Error("a malformed domain was accepted")
	}
}

func TestCreateCustomerRetriesWithTheSameRequestIDAndHidesThePassword(t *testing.T) {
	for _, failure := range []string{"503", "dropped connection"} {
		t.Run(failure, func(t *testing.T) {
			var rec recorder
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if rec.record(r) == 0 {
					if failure == "503" {
						writeJSON(w, http.StatusServiceUnavailable, `{"code":503,"description":"busy"}`)
					} else {
						dropConnection(t, w)
					}
					return
				}
				writeJSON(w, http.StatusCreated, fixture(t, "customer-create-response.json"))
			}))
			created, err := env.client.CreateCustomer(t.Context(), newCustomerFromFixture(t))
			if err != nil {
				t.Fatal(err)
			}
			if *created.Customer.ID != "dfd8cc0a-c592-468c-8461-869a38d24738" || created.Credentials.UserName != "admin" ||
				created.Credentials.Password != createdAdminPassword || *created.Customer.BillingProfile.Email != "test@outlook.com" {
				t.Errorf("created %+v", created)
			}
			reqs := rec.all()
			if len(reqs) != 2 || reqs[0].header.Get("MS-RequestId") != reqs[1].header.Get("MS-RequestId") ||
				string(reqs[0].body) != string(reqs[1].body) {
				t.Fatalf("%d requests; a retry must repeat the request id and body", len(reqs))
			}
			if reqs[0].method != http.MethodPost || reqs[0].path != "/v1/customers" {
				t.Errorf("request %s %s", reqs[0].method, reqs[0].path)
			}
			sent := jsonObject(t, reqs[0].body)
			want := jsonObject(t, []byte(fixture(t, "customer-create-request.json")))
			if fmt.Sprint(sent) != fmt.Sprint(want) {
				t.Errorf("body %v, want %v", sent, want)
			}
			// The password is known to the redactor before anything is logged later.
			if got := env.client.redact.text("password " + createdAdminPassword); strings.Contains(got, createdAdminPassword) {
				t.Errorf("redactor left the password: %q", got)
			}
		})
	}
}

func TestCreatedCustomerPasswordNeverLogged(t *testing.T) {
	var created bool
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			created = true
			writeJSON(w, http.StatusCreated, fixture(t, "customer-create-response.json"))
			return
		}
		// A later answer that quotes the password, as a misbehaving server might.
		writeJSON(w, http.StatusBadRequest, `{"code":1,"description":"bad password `+createdAdminPassword+`"}`)
	}))
	if _, err := env.client.CreateCustomer(t.Context(), newCustomerFromFixture(t)); err != nil || !created {
		t.Fatal(err)
	}
	_, err := env.client.GetCustomer(t.Context(), "dfd8cc0a-c592-468c-8461-869a38d24738")
	if err == nil || strings.Contains(err.Error(), createdAdminPassword) {
		t.Errorf("error %v shows the password", err)
	}
	env.log.mu.Lock()
	defer env.log.mu.Unlock()
	if len(env.log.entries) == 0 {
		t.Fatal("nothing was logged")
	}
	for _, e := range env.log.entries {
		if line := fmt.Sprint(e.msg, e.fields); strings.Contains(line, createdAdminPassword) || strings.Contains(line, "s9Z") {
			t.Errorf("log line shows the password: %s", line)
		}
	}
}

func TestCreateCustomerRegistrationNumberRefused(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, `{"code":600050,"description":"Organization registration number format is invalid, expected ^[0-9]{10}$"}`)
	}))
	_, err := env.client.CreateCustomer(t.Context(), newCustomerFromFixture(t))
	if !errors.Is(err, ErrRegistrationNumber) || !strings.Contains(err.Error(), "expected ^[0-9]{10}$") {
		t.Fatalf("err = %v", err)
	}
}

func TestCreateCustomerWithoutCredentialsIsInvalid(t *testing.T) {
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusCreated, `{"id":"dfd8cc0a-c592-468c-8461-869a38d24738"}`)
	}))
	_, err := env.client.CreateCustomer(t.Context(), newCustomerFromFixture(t))
	var ire *InvalidResponseError
	if !errors.As(err, &ire) {
		t.Fatalf("err = %v", err)
	}
}

func TestDeleteCustomer(t *testing.T) {
	var rec recorder
	env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec.record(r) == 0 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, http.StatusForbidden, `{"code":600033,"description":"Customer deletion is allowed only in the integration sandbox."}`)
	}))
	if err := env.client.DeleteCustomer(t.Context(), "c-1"); err != nil {
		t.Fatal(err)
	}
	if r := rec.all()[0]; r.method != http.MethodDelete || r.path != "/v1/customers/c-1" {
		t.Errorf("request %s %s", r.method, r.path)
	}
	err := env.client.DeleteCustomer(t.Context(), "c-1")
	if !errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), "integration sandbox") {
		t.Errorf("production's refusal: %v", err)
	}
}

// An answer with the password but an odd member keeps the password: the
// tenant exists and its first administrator's password comes only here.
func TestCreateCustomerOddAnswerKeepsThePassword(t *testing.T) {
	for name, body := range map[string]string{
		"no id":        `{"companyProfile":{"domain":"odd.onmicrosoft.com"},"userCredentials":{"userName":"admin","password":"p@ss;1"}}`,
		"id of a type": `{"id":42,"userCredentials":{"userName":"admin","password":"p@ss;1"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			env := newAPITestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusCreated, body)
			}))
			created, err := env.client.CreateCustomer(t.Context(), newCustomerFromFixture(t))
			var ire *InvalidResponseError
			if !errors.As(err, &ire) {
				t.Fatalf("err = %v", err)
			}
			if created == nil || created.Credentials.Password != "p@ss;1" || created.Credentials.UserName != "admin" {
				t.Fatalf("created = %+v", created)
			}
			if strings.Contains(err.Error(), "p@ss;1") {
				t.Fatal("the error shows the password")
			}
		})
	}
}
