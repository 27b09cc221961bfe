package partnercenter

import "strings"

// registrationNumberCountries are the billing countries whose new customers
// must give an organization registration number, as Microsoft's "Create a
// customer" page lists them (its error-codes page lists fewer).
var registrationNumberCountries = map[string]bool{
	"AM": true, "AZ": true, "BY": true, "HU": true, "KZ": true, "KG": true, "MD": true, "RU": true,
	"TJ": true, "UZ": true, "UA": true, "BR": true, "IN": true, "ZA": true, "PL": true, "AE": true,
	"SA": true, "TR": true, "TH": true, "VN": true, "MM": true, "IQ": true, "SS": true, "VE": true,
}

// RegistrationNumberRequired reports whether a new customer billed in
// country (a two-letter ISO code, any letter case) must give an
// organization registration number; without one the service refuses the
// creation with 600049.
func RegistrationNumberRequired(country string) bool {
	return registrationNumberCountries[strings.ToUpper(strings.TrimSpace(country))]
}
