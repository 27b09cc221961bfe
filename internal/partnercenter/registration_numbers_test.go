package partnercenter

import "testing"

func TestRegistrationNumberRequired(t *testing.T) {
	for country, want := range map[string]bool{
		"PL": true, "pl": true, " BR ": true, "IN": true, "VE": true, "SS": true,
		"US": false, "DE": false, "": false, "POL": false,
	} {
		if got := RegistrationNumberRequired(country); got != want {
			t.Errorf("RegistrationNumberRequired(%q) = %v, want %v", country, got, want)
		}
	}
	if len(registrationNumberCountries) != 24 {
		t.Errorf("%d countries, want the 24 Microsoft's page lists", len(registrationNumberCountries))
	}
}
