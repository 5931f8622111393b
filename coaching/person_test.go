package coaching

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNormalizePerson(t *testing.T) {
	long := strings.Repeat("a", 10000)
	tests := []struct {
		name      string
		p         Person
		wantField string // "" means valid
		check     func(t *testing.T, p Person)
	}{
		{name: "name only", p: Person{Name: "Ann"}, check: func(t *testing.T, p Person) {
			if p.Status != StatusActive {
				t.Errorf("status = %q, want active", p.Status)
			}
		}},
		{name: "empty name", p: Person{}, wantField: "name"},
		{name: "whitespace name", p: Person{Name: " \t\n "}, wantField: "name"},
		{name: "control chars only", p: Person{Name: "\x1b\x07"}, wantField: "name"},
		{name: "trimmed", p: Person{Name: "  Ann Lee  ", Phone: " 0123 "}, check: func(t *testing.T, p Person) {
			if p.Name != "Ann Lee" || p.Phone != "0123" {
				t.Errorf("got %q %q", p.Name, p.Phone)
			}
		}},
		{name: "10000 char name", p: Person{Name: long}, wantField: "name"},
		{name: "10000 char needs", p: Person{Name: "A", CommunicationNeeds: long}, wantField: "communication needs"},
		{name: "name at limit", p: Person{Name: strings.Repeat("é", MaxNameLen)}},
		{name: "name over limit", p: Person{Name: strings.Repeat("é", MaxNameLen+1)}, wantField: "name"},
		{name: "emoji name", p: Person{Name: "Zoë 👩🏽‍⚕️"}},
		{name: "right-to-left name", p: Person{Name: "مريم الحسن", PreferredName: "שרה"}},
		{name: "escape in paste", p: Person{Name: "Ann\x1b[31mRed"}, check: func(t *testing.T, p Person) {
			if strings.ContainsRune(p.Name, '\x1b') {
				t.Errorf("escape kept in %q", p.Name)
			}
		}},
		{name: "invalid utf8", p: Person{Name: "Ann\xff\xfe"}, check: func(t *testing.T, p Person) {
			if p.Name != "Ann" {
				t.Errorf("name = %q", p.Name)
			}
		}},
		{name: "good phone", p: Person{Name: "A", Phone: "+44 (0)20 7946-0000"}},
		{name: "letters in phone", p: Person{Name: "A", Phone: "call me"}, wantField: "phone"},
		{name: "too few digits", p: Person{Name: "A", Phone: "12"}, wantField: "phone"},
		{name: "good zone", p: Person{Name: "A", TimeZone: "Europe/London"}},
		{name: "bad zone", p: Person{Name: "A", TimeZone: "Mars/Olympus"}, wantField: "time zone"},
		{name: "local zone refused", p: Person{Name: "A", TimeZone: "Local"}, wantField: "time zone"},
		{name: "conditions split", p: Person{Name: "A", Conditions: []string{"COPD, asthma; copd"}}, check: func(t *testing.T, p Person) {
			if strings.Join(p.Conditions, "|") != "COPD|asthma" {
				t.Errorf("conditions = %q", p.Conditions)
			}
		}},
		{name: "too many conditions", p: Person{Name: "A", Conditions: []string{strings.Repeat("x,", MaxConditions+1)}}, check: func(t *testing.T, p Person) {
			// "x" repeated collapses to one condition: repeats are dropped.
			if len(p.Conditions) != 1 {
				t.Errorf("conditions = %q", p.Conditions)
			}
		}},
		{name: "bad status", p: Person{Name: "A", Status: "gone"}, wantField: "status"},
		{name: "consent date without consent", p: Person{Name: "A", ConsentDate: "2026-01-01"}, wantField: "consent date"},
		{name: "consent with date", p: Person{Name: "A", Consent: true, ConsentDate: "2026-01-01"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			err := p.Normalize(time.LoadLocation)
			if tc.wantField == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if tc.check != nil {
					tc.check(t, p)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v, want a FieldError on %q", err, tc.wantField)
			}
			if fe.Field != tc.wantField {
				t.Errorf("field = %q, want %q", fe.Field, tc.wantField)
			}
			if !IsFieldError(err) {
				t.Error("IsFieldError = false")
			}
		})
	}
}

func TestManyDistinctConditions(t *testing.T) {
	var parts []string
	for i := 0; i <= MaxConditions; i++ {
		parts = append(parts, strings.Repeat("c", i+1))
	}
	p := Person{Name: "A", Conditions: []string{strings.Join(parts, ",")}}
	if err := p.Normalize(time.LoadLocation); err == nil || !strings.Contains(err.Error(), "conditions") {
		t.Fatalf("err = %v, want too many conditions", err)
	}
}

func TestParseConsentDate(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in, want string
		bad      bool
	}{
		{"", "", false},
		{"  ", "", false},
		{"2026-11-01", "2026-11-01", false},
		{"2026-11-24", "2026-11-24", false}, // tomorrow is allowed: time zones differ
		{"2026-12-25", "", true},
		{"01/11/2026", "", true},
		{"yesterday", "", true},
		{"2026-02-30", "", true},
	}
	for _, tc := range tests {
		got, err := ParseConsentDate(tc.in, now)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ParseConsentDate(%q) = %q, %v; want %q, bad=%v", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

func TestPhoneDigitsAndDisplayName(t *testing.T) {
	if got := PhoneDigits("+44 (0)20-7946.0000"); got != "440207946"+"0000" {
		t.Errorf("PhoneDigits = %q", got)
	}
	if got := (Person{Name: "Margaret", PreferredName: "Maggie"}).DisplayName(); got != "Maggie" {
		t.Errorf("DisplayName = %q", got)
	}
	if got := (Person{Name: "Margaret"}).DisplayName(); got != "Margaret" {
		t.Errorf("DisplayName = %q", got)
	}
}

func TestSampleCaseloadIsValid(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC)
	people := SampleCaseload(now)
	if len(people) < 12 {
		t.Fatalf("sample has %d people, want a dozen", len(people))
	}
	calls := 0
	for _, sp := range people {
		p := sp.Person
		if err := p.Normalize(time.LoadLocation); err != nil {
			t.Errorf("%s: %v", sp.Person.Name, err)
		}
		for _, c := range sp.Calls {
			calls++
			if c.StartedAt.After(now) || c.EndedAt.Before(c.StartedAt) || c.Outcome == OutcomeNone {
				t.Errorf("%s: bad call %+v", p.Name, c)
			}
		}
	}
	if calls < 12 {
		t.Errorf("only %d sample calls", calls)
	}
}

func TestProblemsListsEveryOne(t *testing.T) {
	p := Person{Phone: "call me", TimeZone: "Mars/Base", Status: "gone", ConsentDate: "2026-01-15"}
	var fields []string
	for _, err := range p.Problems(time.LoadLocation) {
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Fatalf("%v is not a FieldError", err)
		}
		fields = append(fields, fe.Field)
	}
	want := []string{"name", "phone", "time zone", "status", "consent date"}
	if !slices.Equal(fields, want) {
		t.Fatalf("problems with %v, want %v", fields, want)
	}
	if err := p.Normalize(time.LoadLocation); !errors.Is(err, ErrNameRequired) {
		t.Fatalf("Normalize gave %v, want the first problem", err)
	}
}

func TestPersonIdentifierNeedsItsSystem(t *testing.T) {
	for _, c := range []struct {
		id, system string
		want       string // a problem's field, or "" for none
	}{
		{"", "", ""},
		{"943 476 5919", "https://fhir.nhs.uk/Id/nhs-number", ""},
		{"MRN-12", "urn:oid:2.16.840.1.113883.2.1.4.1", ""},
		{"MRN-12", "", "identifier system"},
		{"MRN-12", "not a uri", "identifier system"},
		{"MRN-12", "1http://x", "identifier system"},
		{"", "https://fhir.nhs.uk/Id/nhs-number", "identifier"},
	} {
		p := Person{Name: "Ann", Identifier: c.id, IdentifierSystem: c.system}
		var got string
		for _, err := range p.Problems(time.LoadLocation) {
			var fe *FieldError
			if errors.As(err, &fe) {
				got = fe.Field
			}
		}
		if got != c.want {
			t.Errorf("%q %q: problem with %q, want %q", c.id, c.system, got, c.want)
		}
	}
}

func TestSameName(t *testing.T) {
	tests := []struct {
		typed, name string
		want        bool
	}{
		{"Ann O'Neil", "Ann O'Neil", true},
		{"  ann   o'neil\n", "Ann O'Neil", true},
		{"Zoë 🌻 Brown", "Zoë 🌻 Brown", true},
		{"ZOË 🌻 BROWN", "Zoë 🌻 Brown", true},
		{"Ann", "Ann O'Neil", false},
		{"Ann O'Neill", "Ann O'Neil", false},
		{"", "", false},
		{"   ", "Ann", false},
		{"مريم الحسن", "مريم الحسن", true},
	}
	for _, tt := range tests {
		if got := SameName(tt.typed, tt.name); got != tt.want {
			t.Errorf("SameName(%q, %q) = %v, want %v", tt.typed, tt.name, got, tt.want)
		}
	}
}

// The given and family names take the name's rules: cleaned of what a
// terminal would obey, trimmed, at most MaxNameLen characters; both may
// be empty, and neither needs the other.
func TestPersonOfficialNameFields(t *testing.T) {
	tests := []struct {
		name          string
		given, family string
		wantField     string // a problem's field, or "" for none
		wantGiven     string
		wantFamily    string
	}{
		{"neither", "", "", "", "", ""},
		{"both", "Ann Marie", "O'Neil", "", "Ann Marie", "O'Neil"},
		{"given only", "Ann", "", "", "Ann", ""},
		{"family only", "", "الحسن", "", "", "الحسن"},
		{"trimmed", "  Ann  ", "\tO'Neil ", "", "Ann", "O'Neil"},
		{"only spaces is empty", "   ", "\t", "", "", ""},
		{"terminal commands cleaned", "Ann\x1b]0;x\x07", "O\u202eNeil", "", "Ann ]0;x", "ONeil"},
		{"given at the limit", strings.Repeat("é", MaxNameLen), "", "", strings.Repeat("é", MaxNameLen), ""},
		{"given over the limit", strings.Repeat("é", MaxNameLen+1), "", "given names", "", ""},
		{"family over the limit", "", strings.Repeat("x", MaxNameLen+1), "family name", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Person{Name: "Annie", GivenNames: tt.given, FamilyName: tt.family}
			problems := p.Problems(time.LoadLocation)
			var got string
			for _, err := range problems {
				var fe *FieldError
				if errors.As(err, &fe) {
					got = fe.Field
				}
			}
			if got != tt.wantField || len(problems) > 1 {
				t.Fatalf("problems %v, want one with %q", problems, tt.wantField)
			}
			if tt.wantField == "" && (p.GivenNames != tt.wantGiven || p.FamilyName != tt.wantFamily) {
				t.Errorf("cleaned to %q %q, want %q %q", p.GivenNames, p.FamilyName, tt.wantGiven, tt.wantFamily)
			}
			if p.Name != "Annie" {
				t.Errorf("the name became %q", p.Name)
			}
		})
	}
}

func TestOfficialName(t *testing.T) {
	for _, tt := range []struct{ given, family, want string }{
		{"", "", ""},
		{"Ann Marie", "O'Neil", "O'Neil, Ann Marie"},
		{"Ann", "", "Ann"},
		{"", "O'Neil", "O'Neil"},
	} {
		if got := (Person{Name: "Annie", GivenNames: tt.given, FamilyName: tt.family}).OfficialName(); got != tt.want {
			t.Errorf("%q %q: %q, want %q", tt.given, tt.family, got, tt.want)
		}
	}
}

func TestGivenNameList(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"Ann", []string{"Ann"}},
		{"Ann Marie", []string{"Ann", "Marie"}},
		{" Mary  Jane\u00a0Lou ", []string{"Mary", "Jane", "Lou"}},
		{"Jean-Luc", []string{"Jean-Luc"}},
		{"José María", []string{"José", "María"}},
	} {
		if got := GivenNameList(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
}
