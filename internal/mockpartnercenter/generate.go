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

// The types below fix the field order of generated customers to the
// documented one; omitempty drops the fields the documentation shows as
// optional when a generated customer has none.
type genLink struct {
	URI     string   `json:"uri"`
	Method  string   `json:"method"`
	Headers []string `json:"headers"`
}

type genLinks struct {
	Self genLink `json:"self"`
}

type genAttributes struct {
	Etag       string `json:"etag,omitempty"`
	ObjectType string `json:"objectType"`
}

type genAddress struct {
	Country      string `json:"country"`
	Region       string `json:"region,omitempty"`
	City         string `json:"city"`
	State        string `json:"state,omitempty"`
	District     string `json:"district,omitempty"`
	AddressLine1 string `json:"addressLine1"`
	PostalCode   string `json:"postalCode"`
	FirstName    string `json:"firstName,omitempty"`
	MiddleName   string `json:"middleName,omitempty"`
	LastName     string `json:"lastName,omitempty"`
	EmailAddress string `json:"emailAddress,omitempty"`
	PhoneNumber  string `json:"phoneNumber"`
}

type genCompanyProfile struct {
	TenantID                       string        `json:"tenantId"`
	Domain                         string        `json:"domain"`
	CompanyName                    string        `json:"companyName"`
	Address                        *genAddress   `json:"address,omitempty"`
	Email                          string        `json:"email,omitempty"`
	OrganizationRegistrationNumber string        `json:"organizationRegistrationNumber,omitempty"`
	Links                          genLinks      `json:"links"`
	Attributes                     genAttributes `json:"attributes"`
}

type genBillingProfile struct {
	ID             string        `json:"id"`
	FirstName      string        `json:"firstName"`
	LastName       string        `json:"lastName"`
	Email          string        `json:"email"`
	Culture        string        `json:"culture"`
	Language       string        `json:"language"`
	CompanyName    string        `json:"companyName"`
	DefaultAddress genAddress    `json:"defaultAddress"`
	Links          genLinks      `json:"links"`
	Attributes     genAttributes `json:"attributes"`
}

type genCustomer struct {
	ID                    string            `json:"id"`
	CommerceID            string            `json:"commerceId"`
	CompanyProfile        genCompanyProfile `json:"companyProfile"`
	BillingProfile        genBillingProfile `json:"billingProfile"`
	RelationshipToPartner string            `json:"relationshipToPartner"`
	AllowDelegatedAccess  bool              `json:"allowDelegatedAccess"`
	CustomDomains         []string          `json:"customDomains,omitempty"`
	AssociatedPartnerID   string            `json:"associatedPartnerId,omitempty"`
	EnableGDAPByDefault   bool              `json:"enableGDAPByDefault"`
	Tags                  []string          `json:"tags,omitempty"`
	Links                 genLinks          `json:"links"`
	Attributes            genAttributes     `json:"attributes"`
}

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
	companyAddress := &genAddress{
		Country: addr.country, Region: addr.region, City: addr.city, District: addr.district,
		AddressLine1: addr.line1, PostalCode: addr.postal, PhoneNumber: phone,
	}
	companyEmail := email
	if !GeneratedCustomerCoveredByGDAP(i) {
		companyAddress, companyEmail, domains = nil, "", nil
	}
	registration := ""
	if addr.country != "US" {
		registration = fmt.Sprintf("%s%09d", addr.country, 100000000+i)
	}
	middle, addressEmail := "", ""
	if i%5 == 0 {
		middle, addressEmail = "J.", email
	}
	g := genCustomer{
		ID:         id,
		CommerceID: uuid.NewSHA1(idNamespace, []byte("commerce/"+strconv.Itoa(i))).String(),
		CompanyProfile: genCompanyProfile{
			TenantID:                       id,
			Domain:                         domain,
			CompanyName:                    name,
			Address:                        companyAddress,
			Email:                          companyEmail,
			OrganizationRegistrationNumber: registration,
			Links:                          selfLink("/customers/" + id + "/profiles/company"),
			Attributes:                     genAttributes{ObjectType: "CustomerCompanyProfile"},
		},
		BillingProfile: genBillingProfile{
			ID:          uuid.NewSHA1(idNamespace, []byte("billing/"+strconv.Itoa(i))).String(),
			FirstName:   first,
			LastName:    last,
			Email:       email,
			Culture:     addr.culture,
			Language:    addr.language,
			CompanyName: name,
			DefaultAddress: genAddress{
				Country: addr.country, City: addr.city, State: addr.state, District: addr.district,
				AddressLine1: addr.line1, PostalCode: addr.postal,
				FirstName: first, MiddleName: middle, LastName: last, EmailAddress: addressEmail, PhoneNumber: phone,
			},
			Links:      selfLink("/customers/" + id + "/profiles/billing"),
			Attributes: genAttributes{Etag: etag(i), ObjectType: "CustomerBillingProfile"},
		},
		RelationshipToPartner: "reseller",
		// Some customers removed delegated admin rights: a realistic minority.
		AllowDelegatedAccess: i%7 != 3,
		CustomDomains:        domains,
		AssociatedPartnerID:  generatedCustomerAssociatedPartnerID(i),
		EnableGDAPByDefault:  i%2 == 0,
		Tags:                 generatedCustomerTags(i),
		Links:                selfLink("/customers/" + id),
		Attributes:           genAttributes{ObjectType: "Customer"},
	}
	data, err := marshal(g)
	if err != nil {
		panic(err) // cannot happen: the struct holds only strings, bools and slices of strings
	}
	c, err := newCustomerFromJSON(data)
	if err != nil {
		panic(err) // cannot happen: data was just marshalled with an id
	}
	return c
}

func selfLink(uri string) genLinks {
	return genLinks{Self: genLink{URI: uri, Method: "GET", Headers: []string{}}}
}

// etag mimics the documented etag: a signed 64-bit decimal.
func etag(i int) string {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(i)) //nolint:gosec // i is a non-negative index
	_, _ = h.Write(b[:])
	return strconv.FormatInt(int64(h.Sum64()), 10) //nolint:gosec // wrap-around is the intent: etags are signed
}
