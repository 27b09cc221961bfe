package mockpartnercenter

import (
	"net/http"
	"regexp"
	"strings"
)

// Partner Center's codes for the organization registration number of a new
// customer: missing where the country requires it, in the wrong format, or
// given where the country takes none.
const (
	pcCodeRegistrationNumberMissing     = 600049
	pcCodeRegistrationNumberBadFormat   = 600050
	pcCodeRegistrationNumberUnsupported = 600002
)

// registrationNumberCountries are the billing countries whose customers
// must give an organization registration number, as Microsoft's "Create a
// customer" page lists them.
var registrationNumberCountries = map[string]bool{
	"AM": true, "AZ": true, "BY": true, "HU": true, "KZ": true, "KG": true, "MD": true, "RU": true,
	"TJ": true, "UZ": true, "UA": true, "BR": true, "IN": true, "ZA": true, "PL": true, "AE": true,
	"SA": true, "TR": true, "TH": true, "VN": true, "MM": true, "IQ": true, "SS": true, "VE": true,
}

// registrationNumberPatterns are the formats the mock checks. Microsoft
// publishes none: these follow the national numbers' common shapes (Polish
// NIP, Brazilian CNPJ, South African company number) and accept 5 to 20
// letters, digits and dashes elsewhere, so a client meets 600050 at all.
var registrationNumberPatterns = map[string]string{
	"PL": `^\d{10}$`,
	"BR": `^\d{14}$`,
	"ZA": `^\d{4}/\d{6}/\d{2}$`,
}

const defaultRegistrationNumberPattern = `^[0-9A-Za-z-]{5,20}$`

// checkRegistrationNumber answers the registration-number errors for a new
// customer billed in country and reports whether number passes.
func checkRegistrationNumber(w http.ResponseWriter, country, number string) bool {
	country = strings.ToUpper(country)
	required := registrationNumberCountries[country]
	switch {
	case number == "" && required:
		writePCError(w, http.StatusBadRequest, pcCodeRegistrationNumberMissing,
			"An organization registration number is required for customers in "+sanitize(country)+".")
		return false
	case number == "":
		return true
	case !required:
		writePCError(w, http.StatusBadRequest, pcCodeRegistrationNumberUnsupported,
			"An organization registration number is not supported for customers in "+sanitize(country)+".")
		return false
	}
	pattern := defaultRegistrationNumberPattern
	if p, ok := registrationNumberPatterns[country]; ok {
		pattern = p
	}
	if !regexp.MustCompile(pattern).MatchString(number) {
		writePCError(w, http.StatusBadRequest, pcCodeRegistrationNumberBadFormat,
			"The organization registration number is not in the expected format for "+sanitize(country)+
				"; expected pattern: "+pattern)
		return false
	}
	return true
}
