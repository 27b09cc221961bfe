package mockpartnercenter

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// idNamespace seeds the name-based (version 5) UUIDs of generated objects, so
// ids are valid GUIDs and identical across runs and processes.
var idNamespace = uuid.MustParse("6f1c7a3e-2b0d-4c55-9a8e-5d2f0c4b7e19")

// resellerIDs are the indirect resellers some generated customers belong to.
var resellerIDs = []string{
	"4a7e3b2c-9d1f-4e6a-8b5c-2f0d9e8a7b61",
	"b9c8d7e6-5f4a-4b3c-9d2e-1f0a9b8c7d62",
	"0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e63",
}

// companyNames are Microsoft's sample company names plus a few with
// apostrophes, ampersands and non-ASCII letters to exercise escaping.
var companyNames = []string{
	"Contoso", "Fabrikam", "Northwind Traders", "Adventure Works",
	"Tailspin Toys", "Wide World Importers", "Litware", "Proseware",
	"Woodgrove Bank", "Alpine Ski House", "Coho Winery", "Relecloud",
	"Trey Research", "Lamna Healthcare", "Fourth Coffee", "Margie's Travel",
	"Blue Yonder Airlines", "Humongous Insurance", "A. Datum", "Lucerne Publishing",
	"Müller & Söhne", "Café Öresund", "Wingtip Toys", "Best For You Organics",
}

var companySuffixes = []string{"Ltd", "Inc.", "GmbH", "LLC", "SA", "Pty Ltd", "AB", "BV"}

// addressTemplate is a plausible address per country; region is the company
// profile's field and state the billing address's, as in the documented sample.
type addressTemplate struct {
	country, region, state, district, city, line1, postal, culture, language string
}

var addresses = []addressTemplate{
	{"US", "wa", "WA", "", "redmond", "1 Microsoft Way", "98052", "en-US", "en"},
	{"US", "ny", "NY", "", "new york", "11 Times Square", "10036", "en-US", "en"},
	{"GB", "", "", "Westminster", "london", "2 Kingdom Street", "W2 6BD", "en-GB", "en"},
	{"DE", "", "", "Schwabing", "münchen", "Walter-Gropius-Straße 5", "80807", "de-DE", "de"},
	{"FR", "", "", "", "issy-les-moulineaux", "39 Quai du Président Roosevelt", "92130", "fr-FR", "fr"},
	{"SE", "", "", "Norrmalm", "stockholm", "Regeringsgatan 25", "111 53", "sv-SE", "sv"},
	{"AU", "nsw", "NSW", "", "sydney", "11 Talavera Road", "2113", "en-AU", "en"},
	{"NL", "", "", "Sloterdijk", "amsterdam", "Evert van de Beekstraat 354", "1118 CZ", "nl-NL", "nl"},
}

var firstNames = []string{"Gena", "Avery", "Kai", "Mateo", "Noor", "Lena", "Ravi", "Yuki", "Sofía", "Olu"}
var lastNames = []string{"Soto", "Smith", "Nakamura", "García", "Haddad", "Schmidt", "Patel", "Okafor", "Lindqvist", "O'Brien"}

// GeneratedCustomerID returns the deterministic tenant id of generated customer
// i (0-based): a valid, lower-case, name-based GUID.
func GeneratedCustomerID(i int) string {
	return uuid.NewSHA1(idNamespace, []byte("customer/"+strconv.Itoa(i))).String()
}

// GeneratedCustomerDomain returns the initial domain of generated customer i,
// e.g. "customer00042.onmicrosoft.com".
func GeneratedCustomerDomain(i int) string {
	return fmt.Sprintf("customer%05d.onmicrosoft.com", i)
}

// GeneratedCustomerCompanyName returns the company name of generated customer
// i. Names repeat their prefix (e.g. many start with "Contoso"), so prefix
// filters match several customers.
func GeneratedCustomerCompanyName(i int) string {
	return fmt.Sprintf("%s %05d %s", companyNames[i%len(companyNames)], i,
		companySuffixes[(i/len(companyNames))%len(companySuffixes)])
}

// generatedCustomerAssociatedPartnerID returns the indirect reseller of
// generated customer i, or "" when it is a direct customer (two in three are).
func generatedCustomerAssociatedPartnerID(i int) string {
	if i%3 != 2 {
		return ""
	}
	return resellerIDs[(i/3)%len(resellerIDs)]
}

// GeneratedCustomerCoveredByGDAP reports whether the partner's GDAP roles
// cover generated customer i. One in ten is not: like the live service for
// such a customer, get-by-id leaves out the company address, the company
// email and customDomains.
func GeneratedCustomerCoveredByGDAP(i int) bool { return i%10 != 9 }

// generatedCustomerTags returns the tags of generated customer i (one in
// four has some), nil for none.
func generatedCustomerTags(i int) []string {
	if i%4 != 0 {
		return nil
	}
	return []string{"managed", "country-" + strings.ToLower(addresses[i%len(addresses)].country)}
}

// generatedCustomer builds customer i shaped like the documented one, with
// the documented fields the sample lacks (registration number outside the
// US, district, middle name, address email, tags, enableGDAPByDefault).
func generatedCustomer(i int) *customer {
	id := GeneratedCustomerID(i)
	domain := GeneratedCustomerDomain(i)
	name := GeneratedCustomerCompanyName(i)
	addr := addresses[i%len(addresses)]
	first := firstNames[i%len(firstNames)]
	last := lastNames[(i/len(firstNames))%len(lastNames)]
	phone := fmt.Sprintf("425555%04d", i%10000)
	email := fmt.Sprintf("admin@customer%05d.example.com", i)

	domains := []string{domain, fmt.Sprintf("customer%05d.com", i)}
	if i%2 == 1 {
		domains = append(domains, fmt.Sprintf("mail.customer%05d.com", i))
	}
	registration := ""
	if addr.country != "US" {
		registration = fmt.Sprintf("%s%09d", addr.country, 100000000+i)
	}
	middle, addressEmail := "", ""
	if i%5 == 0 {
		middle, addressEmail = "J.", email
	}
	company := withStrings(map[string]any{
		"tenantId": id, "domain": domain, "companyName": name,
		"links":      selfLink("/customers/" + id + "/profiles/company"),
		"attributes": map[string]any{"objectType": "CustomerCompanyProfile"},
	}, "organizationRegistrationNumber", registration)
	if GeneratedCustomerCoveredByGDAP(i) {
		company["address"] = withStrings(map[string]any{
			"country": addr.country, "city": addr.city, "addressLine1": addr.line1, "postalCode": addr.postal, "phoneNumber": phone,
		}, "region", addr.region, "district", addr.district)
		company["email"] = email
	} else {
		domains = nil
	}
	doc := withStrings(map[string]any{
		"id":             id,
		"commerceId":     uuid.NewSHA1(idNamespace, []byte("commerce/"+strconv.Itoa(i))).String(),
		"companyProfile": company,
		"billingProfile": map[string]any{
			"id":        uuid.NewSHA1(idNamespace, []byte("billing/"+strconv.Itoa(i))).String(),
			"firstName": first, "lastName": last, "email": email,
			"culture": addr.culture, "language": addr.language, "companyName": name,
			"defaultAddress": withStrings(map[string]any{
				"country": addr.country, "city": addr.city, "addressLine1": addr.line1, "postalCode": addr.postal,
				"firstName": first, "lastName": last, "phoneNumber": phone,
			}, "state", addr.state, "district", addr.district, "middleName", middle, "emailAddress", addressEmail),
			"links":      selfLink("/customers/" + id + "/profiles/billing"),
			"attributes": map[string]any{"etag": etag(i), "objectType": "CustomerBillingProfile"},
		},
		"relationshipToPartner": "reseller",
		// Some customers removed delegated admin rights: a realistic minority.
		"allowDelegatedAccess": i%7 != 3,
		"enableGDAPByDefault":  i%2 == 0,
		"links":                selfLink("/customers/" + id),
		"attributes":           map[string]any{"objectType": "Customer"},
	}, "associatedPartnerId", generatedCustomerAssociatedPartnerID(i))
	if domains != nil {
		doc["customDomains"] = domains
	}
	if tags := generatedCustomerTags(i); tags != nil {
		doc["tags"] = tags
	}
	c, err := newCustomerFromMap(doc)
	if err != nil {
		panic(err) // cannot happen: the document holds only strings, bools and lists of strings
	}
	return c
}

// withStrings sets the members of kv (name, value, name, value...) whose
// value is not empty: optional members the documentation shows only when
// they have a value.
func withStrings(m map[string]any, kv ...string) map[string]any {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			m[kv[i]] = kv[i+1]
		}
	}
	return m
}

// selfLink is an object's links member.
func selfLink(uri string) map[string]any {
	return map[string]any{"self": map[string]any{"uri": uri, "method": "GET", "headers": []string{}}}
}

// etag mimics the documented etag: a signed 64-bit decimal.
func etag(i int) string {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(i)) //nolint:gosec // i is a non-negative index
	_, _ = h.Write(b[:])
	return strconv.FormatInt(int64(h.Sum64()), 10) //nolint:gosec // wrap-around is the intent: etags are signed
}
