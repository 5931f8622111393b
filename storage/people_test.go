package storage

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

func TestPersonRoundTrip(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	tests := []struct {
		name string
		p    coaching.Person
	}{
		{"name only", coaching.Person{Name: "Ann Lee"}},
		{"every field", coaching.Person{
			Name: "Margaret O'Brien", PreferredName: "Peggy", Phone: "+44 (0)20 7946 0000",
			TimeZone: "Europe/London", Conditions: []string{"type 2 diabetes", "COPD", "hypertension"},
			CallTimes: "weekday mornings, not Wednesdays", CommunicationNeeds: "hard of hearing: speak slowly",
			Consent: true, ConsentDate: "2026-11-01", Status: coaching.StatusPaused,
			GivenNames: "Margaret Rose", FamilyName: "O'Brien",
		}},
		{"family name only", coaching.Person{Name: "Mrs K", FamilyName: "Kowalczyk"}},
		{"emoji", coaching.Person{Name: "Jo 🌻 Smith", PreferredName: "🌻", Conditions: []string{"asthma 🫁"}}},
		{"right to left", coaching.Person{Name: "مريم الحسن", PreferredName: "مريم", Conditions: []string{"السكري"}, CommunicationNeeds: "تفضل العربية"}},
		{"closed, consent without date", coaching.Person{Name: "Sam", Consent: true, Status: coaching.StatusClosed}},
		{"long fields", coaching.Person{Name: strings.Repeat("n", coaching.MaxNameLen), CallTimes: strings.Repeat("é", coaching.MaxLongField)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			if err := p.Normalize(time.LoadLocation); err != nil {
				t.Fatal(err)
			}
			now := t0.In(time.FixedZone("UTC+5", 5*3600)).Add(123 * time.Millisecond)
			id, err := s.CreatePerson(ctx, p, now)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.GetPerson(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			want := p
			want.ID = id
			want.CreatedAt, want.UpdatedAt = t0, t0 // UTC, whole seconds
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestPersonStoredReadably(t *testing.T) {
	s := newStore(t)
	id := createPerson(t, s, coaching.Person{Name: "Ann", Phone: "+44 (0)20 7946-0000", Conditions: []string{"COPD", "asthma"}})
	var digits, conditions, created string
	var consentDate *string
	err := s.ro.QueryRow("SELECT phone_digits, conditions, consent_date, created_at FROM people WHERE id = ?", id).
		Scan(&digits, &conditions, &consentDate, &created)
	if err != nil {
		t.Fatal(err)
	}
	if digits != "4402079460000" || conditions != "COPD, asthma" || consentDate != nil || created != "2026-11-23T14:05:09Z" {
		t.Errorf("stored phone_digits=%q conditions=%q consent_date=%v created_at=%q", digits, conditions, consentDate, created)
	}
}

func TestUpdatePerson(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	id := createPerson(t, s, coaching.Person{Name: "Ann", Phone: "020 7946 0000", Conditions: []string{"COPD"}})

	p, err := s.GetPerson(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	p.Name, p.PreferredName, p.Phone = "Ann Lee", "Annie", "0161 496 0000"
	p.Conditions = []string{"asthma"}
	p.Consent, p.ConsentDate, p.Status = true, "2026-11-20", coaching.StatusPaused
	p.GivenNames, p.FamilyName = "Ann Mei", "Lee"
	later := t0.Add(48 * time.Hour)
	if err := s.UpdatePerson(ctx, p, later); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetPerson(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := p
	want.UpdatedAt = later
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if !got.CreatedAt.Equal(t0) {
		t.Errorf("created_at moved to %v", got.CreatedAt)
	}
	// The phone search column follows the new number.
	if n, err := s.countCaseload(ctx, "0161496"); err != nil || n != 1 {
		t.Errorf("count for the new number = %d, %v; want 1", n, err)
	}
	if n, err := s.countCaseload(ctx, "7946"); err != nil || n != 0 {
		t.Errorf("count for the old number = %d, %v; want 0", n, err)
	}
}

func TestPersonNotFound(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if _, err := s.GetPerson(ctx, 42); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetPerson: err = %v, want ErrNotFound", err)
	}
	err := s.UpdatePerson(ctx, coaching.Person{ID: 42, Name: "Secret Name", Status: coaching.StatusActive}, t0)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdatePerson: err = %v, want ErrNotFound", err)
	}
	if err != nil && (strings.Contains(err.Error(), "Secret") || !strings.Contains(err.Error(), "42")) {
		t.Errorf("error %q should name the id and not the person", err)
	}
}

func TestPersonSchemaChecks(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	// Callers normalize first; the schema still refuses what cannot be right.
	_, err := s.CreatePerson(ctx, coaching.Person{Name: "Secret Name", Status: "gone"}, t0)
	if err == nil {
		t.Fatal("a person with status \"gone\" was stored")
	}
	if strings.Contains(err.Error(), "Secret") {
		t.Errorf("error %q names the person", err)
	}
	if n, _ := s.countCaseload(ctx, ""); n != 0 {
		t.Errorf("%d people stored after a refused write", n)
	}
}

// Clearing the given and family names stores them empty, and the name the
// coach uses is not touched by them.
func TestUpdatePersonClearsOfficialName(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	id := createPerson(t, s, coaching.Person{Name: "Annie", GivenNames: "Ann Marie", FamilyName: "O'Neil"})
	p, err := s.GetPerson(ctx, id)
	if err != nil || p.GivenNames != "Ann Marie" || p.FamilyName != "O'Neil" || p.Name != "Annie" {
		t.Fatalf("stored %+v, %v", p, err)
	}
	p.GivenNames, p.FamilyName = "", ""
	if err := s.UpdatePerson(ctx, p, t0); err != nil {
		t.Fatal(err)
	}
	var given, family string
	if err := s.ro.QueryRow("SELECT given_names, family_name FROM people WHERE id = ?", id).Scan(&given, &family); err != nil || given != "" || family != "" {
		t.Fatalf("after clearing: %q %q, %v", given, family, err)
	}
}
