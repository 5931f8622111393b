package coaching

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Status says whether a person is still on the caseload.
type Status string

// The statuses a person can have.
const (
	StatusActive Status = "active"
	StatusPaused Status = "paused"
	StatusClosed Status = "closed"
)

// Limits on what a coach can type into a profile. They keep a stray paste
// from turning one field into a megabyte, while leaving room for real text.
const (
	MaxNameLen      = 200
	MaxShortField   = 200
	MaxLongField    = 2000
	MaxConditions   = 30
	MaxConditionLen = 100
)

// Person is someone on the caseload: the one being coached.
type Person struct {
	ID   int64
	Name string // the name the coach knows them by, as they typed it; never split
	// GivenNames and FamilyName are the name as the organisation's records
	// hold it, for records sent to other systems: only what the coach
	// entered in them, both optional, never guessed from Name.
	GivenNames         string
	FamilyName         string
	PreferredName      string
	Phone              string
	TimeZone           string // IANA name such as "Europe/London"; empty when unknown
	Conditions         []string
	CallTimes          string // when they prefer to be called, in their words
	CommunicationNeeds string
	Consent            bool
	ConsentDate        string    // YYYY-MM-DD; set only with Consent
	ConsentAt          time.Time // when verbal consent was recorded during a call; zero if not that way
	// Identifier is the organisation's own number for them (an MRN, an
	// NHS number), and IdentifierSystem the URI that says whose numbers
	// they are ("https://fhir.nhs.uk/Id/nhs-number"); both empty if none.
	Identifier       string
	IdentifierSystem string
	Status           Status
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// DisplayName is how the coach should address the person.
func (p Person) DisplayName() string {
	if p.PreferredName != "" {
		return p.PreferredName
	}
	return p.Name
}

// OfficialName is the name as the organisation's records hold it, family
// name first ("O'Neil, Ann Marie"), or "" when the coach entered neither
// part. Name is never split to make one.
func (p Person) OfficialName() string {
	switch {
	case p.FamilyName == "":
		return p.GivenNames
	case p.GivenNames == "":
		return p.FamilyName
	}
	return p.FamilyName + ", " + p.GivenNames
}

// GivenNameList is the given names one by one ("Ann Marie" is "Ann" and
// "Marie"), as a record that holds each given name apart wants them: the
// field is split at white space (a space, a no-break space), and at
// nothing else, so "Jean-Luc" stays one name.
func GivenNameList(givenNames string) []string { return strings.Fields(givenNames) }

// Zone is the person's time zone, or coach (the coach's own) when none is
// recorded or it is not one this computer knows.
func (p Person) Zone(coach *time.Location) *time.Location {
	if p.TimeZone != "" {
		if loc, err := time.LoadLocation(p.TimeZone); err == nil {
			return loc
		}
	}
	return coach
}

// FieldError names the field a validation problem is in, so a form can put
// the cursor there.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// ErrNameRequired is returned when a person has no name.
var ErrNameRequired = &FieldError{Field: "name", Msg: "a name is needed (anything the coach will recognise)"}

// CleanText trims surrounding space, turns control characters (tabs, stray
// escapes from a paste) into spaces, drops the bidirectional overrides and
// invalid UTF-8, so what is stored prints safely on a terminal (see
// UnsafeRune). Newlines become spaces too: profile fields are single lines.
func CleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r):
			return ' '
		case UnsafeRune(r):
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// ParseConditions splits a typed list of long-term conditions on commas or
// semicolons, dropping empties and repeats (case-insensitively).
func ParseConditions(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' })
	var out []string
	seen := map[string]bool{}
	for _, p := range parts {
		p = CleanText(p)
		k := strings.ToLower(p)
		if p == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, p)
	}
	return out
}

// FormatConditions is the inverse of ParseConditions.
func FormatConditions(c []string) string { return strings.Join(c, ", ") }

// ParseConsentDate accepts an ISO date (YYYY-MM-DD). An empty string is
// allowed and means "not recorded".
func ParseConsentDate(s string, now time.Time) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return "", &FieldError{Field: "consent date", Msg: fmt.Sprintf("%q is not a date; use YYYY-MM-DD, e.g. %s", s, now.Format("2006-01-02"))}
	}
	if d.After(now.AddDate(0, 0, 1)) {
		return "", &FieldError{Field: "consent date", Msg: "consent cannot be given in the future"}
	}
	return d.Format("2006-01-02"), nil
}

// Normalize cleans every field in place and checks the person can be saved,
// returning the first problem (Problems lists them all). LoadLocation is
// passed in so the rule stays free of global state; pass time.LoadLocation.
func (p *Person) Normalize(loadLocation func(string) (*time.Location, error)) error {
	if problems := p.Problems(loadLocation); len(problems) > 0 {
		return problems[0]
	}
	return nil
}

// Problems cleans every field in place, as Normalize does, and returns
// every reason the person cannot be saved, in the order of the form (an
// import reports them all for a line at once).
func (p *Person) Problems(loadLocation func(string) (*time.Location, error)) []error {
	p.Name = CleanText(p.Name)
	p.GivenNames = CleanText(p.GivenNames)
	p.FamilyName = CleanText(p.FamilyName)
	p.PreferredName = CleanText(p.PreferredName)
	p.Phone = CleanText(p.Phone)
	p.TimeZone = CleanText(p.TimeZone)
	p.CallTimes = CleanText(p.CallTimes)
	p.CommunicationNeeds = CleanText(p.CommunicationNeeds)
	p.Identifier = CleanText(p.Identifier)
	p.IdentifierSystem = CleanText(p.IdentifierSystem)
	p.ConsentDate = strings.TrimSpace(p.ConsentDate)
	var cleaned []string
	for _, c := range p.Conditions {
		cleaned = append(cleaned, ParseConditions(c)...)
	}
	p.Conditions = cleaned
	if p.Status == "" {
		p.Status = StatusActive
	}

	var out []error
	if p.Name == "" {
		out = append(out, ErrNameRequired)
	}
	checks := []struct {
		field string
		val   string
		max   int
	}{
		{"name", p.Name, MaxNameLen},
		{"given names", p.GivenNames, MaxNameLen},
		{"family name", p.FamilyName, MaxNameLen},
		{"preferred name", p.PreferredName, MaxShortField},
		{"phone", p.Phone, MaxShortField},
		{"time zone", p.TimeZone, MaxShortField},
		{"call times", p.CallTimes, MaxLongField},
		{"communication needs", p.CommunicationNeeds, MaxLongField},
		{"identifier", p.Identifier, MaxShortField},
		{"identifier system", p.IdentifierSystem, MaxShortField},
	}
	long := map[string]bool{}
	for _, c := range checks {
		if n := utf8.RuneCountInString(c.val); n > c.max {
			out = append(out, &FieldError{Field: c.field, Msg: fmt.Sprintf("is %d characters; at most %d fit", n, c.max)})
			long[c.field] = true
		}
	}
	if len(p.Conditions) > MaxConditions {
		out = append(out, &FieldError{Field: "conditions", Msg: fmt.Sprintf("%d conditions listed; at most %d fit", len(p.Conditions), MaxConditions)})
	}
	for _, c := range p.Conditions {
		if utf8.RuneCountInString(c) > MaxConditionLen {
			out = append(out, &FieldError{Field: "conditions", Msg: fmt.Sprintf("one condition is longer than %d characters; separate conditions with commas", MaxConditionLen)})
			break
		}
	}
	if p.Phone != "" && !long["phone"] && !validPhone(p.Phone) {
		out = append(out, &FieldError{Field: "phone", Msg: "should have only digits, spaces and + ( ) - ., e.g. +44 20 7946 0000"})
	}
	if p.TimeZone != "" && !long["time zone"] {
		if _, err := loadLocation(p.TimeZone); err != nil || strings.EqualFold(p.TimeZone, "local") {
			out = append(out, &FieldError{Field: "time zone", Msg: fmt.Sprintf("%q is not a known time zone; use a name like Europe/London or America/Chicago", p.TimeZone)})
		}
	}
	switch p.Status {
	case StatusActive, StatusPaused, StatusClosed:
	default:
		out = append(out, &FieldError{Field: "status", Msg: "must be active, paused or closed"})
	}
	switch {
	case p.IdentifierSystem != "" && p.Identifier == "":
		out = append(out, &FieldError{Field: "identifier", Msg: "is needed with its system: their number in your organisation's records"})
	case p.Identifier != "" && !validSystemURI(p.IdentifierSystem):
		out = append(out, &FieldError{Field: "identifier system", Msg: "should be the URI of the numbering it belongs to, e.g. https://fhir.nhs.uk/Id/nhs-number or urn:oid:2.16.840.1.113883.2.1.4.1"})
	}
	if !p.Consent && p.ConsentDate != "" {
		out = append(out, &FieldError{Field: "consent date", Msg: "a consent date needs consent set to yes"})
	}
	return out
}

// validSystemURI reports whether s looks like an absolute URI, as an
// identifier's system must be: a scheme, a colon, no spaces.
func validSystemURI(s string) bool {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || scheme == "" || rest == "" || strings.ContainsAny(s, " \t") {
		return false
	}
	for i, r := range scheme {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return true
}

func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+()-. ", r):
		default:
			return false
		}
	}
	return digits >= 3
}

// PhoneDigits keeps only the digits of a phone number, so "+44 (0)20" and
// "44020" find the same person.
func PhoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// IsFieldError reports whether err is a validation problem the coach can fix.
func IsFieldError(err error) bool {
	var fe *FieldError
	return errors.As(err, &fe)
}

// SameName reports whether typed is name, as someone confirming it would
// type it: spaces around and between words do not count, nor does case.
// An erasure asks for it (docs/security.md, "Erasure").
func SameName(typed, name string) bool {
	norm := func(s string) string { return strings.Join(strings.Fields(CleanText(s)), " ") }
	t := norm(typed)
	return t != "" && strings.EqualFold(t, norm(name))
}
