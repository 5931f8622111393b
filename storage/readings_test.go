package storage

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"callcoach/coaching"
)

func TestReadingsRoundTrip(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	other, otherCall := personWithCall(t, s, "Bob")
	reg := coaching.NewReadingRegistry([]coaching.CustomReading{{Name: "peak flow", Unit: "L/min", Min: 50, Max: 900}})
	parse := func(in string) coaching.Reading {
		r, err := reg.ParseReading(in, true)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	tests := []struct {
		in     string
		call   int64
		taken  time.Time // zero: when recorded
		person int64
	}{
		{"bp 132/84", call, t0.Add(-2 * 24 * time.Hour), pid},
		{"weight 180 lb", call, time.Time{}, pid},
		{"peak flow 420", 0, t0.Add(-time.Hour), pid},
		{"steps 0", otherCall, time.Time{}, other},
	}
	var want []coaching.Reading
	for i, tt := range tests {
		r := parse(tt.in)
		r.PersonID, r.CallID, r.TakenAt = tt.person, tt.call, tt.taken
		now := t0.Add(time.Duration(i) * time.Minute)
		id, err := s.AddReading(ctx, r, now)
		if err != nil {
			t.Fatalf("AddReading(%q): %v", tt.in, err)
		}
		r.ID, r.RecordedAt = id, now
		if r.TakenAt.IsZero() {
			r.TakenAt = now
		}
		if tt.person == pid {
			want = append(want, r)
		}
	}
	got, err := s.ReadingsForPerson(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	// By taken_at: the peak flow an hour before t0 comes before the weight at t0+1m.
	want = []coaching.Reading{want[0], want[2], want[1]}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ReadingsForPerson =\n%+v\nwant\n%+v", got, want)
	}
	if math.Abs(got[2].Value-81.6466266) > 1e-7 || got[2].Entered != "180 lb" || got[2].Unit != "kg" {
		t.Errorf("weight in lb stored as %+v", got[2])
	}
	// The second connection sees what the first wrote, straight from the file.
	var kind, entered string
	var value2 float64
	if err := s.ro.QueryRow("SELECT kind, value2, entered_value FROM readings WHERE kind = 'bp'").Scan(&kind, &value2, &entered); err != nil || value2 != 84 || entered != "132/84 mmHg" {
		t.Errorf("bp row: %s %v %q, %v", kind, value2, entered, err)
	}
	var null int
	if err := s.ro.QueryRow("SELECT count(*) FROM readings WHERE value2 IS NULL").Scan(&null); err != nil || null != 3 {
		t.Errorf("%d readings without a second value, want 3 (%v)", null, err)
	}
	// The audit trail has the kind, never the value.
	var details []string
	if err := s.AuditTrail(ctx, t0.Add(-time.Hour), func(e coaching.AuditEntry) error {
		if e.Action == coaching.AuditReadingRecorded {
			details = append(details, e.Detail)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(details, []string{"bp", "weight", "peak flow", "steps"}) {
		t.Errorf("audit details %q", details)
	}
}

func TestAddReadingRefused(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, _ := personWithCall(t, s, "Ann")
	_, otherCall := personWithCall(t, s, "Bob")
	ok := coaching.Reading{PersonID: pid, Kind: coaching.ReadingMood, Value: 7, Unit: "/10", Entered: "7 /10"}
	tests := []struct {
		name     string
		change   func(*coaching.Reading)
		notFound bool
	}{
		{"no person", func(r *coaching.Reading) { r.PersonID = 99 }, true},
		{"no call", func(r *coaching.Reading) { r.CallID = 99 }, true},
		{"another's call", func(r *coaching.Reading) { r.CallID = otherCall }, false},
		{"no kind", func(r *coaching.Reading) { r.Kind = "" }, false},
		{"no unit", func(r *coaching.Reading) { r.Unit = "" }, false},
		{"NaN", func(r *coaching.Reading) { r.Value = math.NaN() }, false},
	}
	for _, tt := range tests {
		r := ok
		tt.change(&r)
		_, err := s.AddReading(ctx, r, t0)
		if err == nil || errors.Is(err, ErrNotFound) != tt.notFound {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	var n int
	if err := s.ro.QueryRow("SELECT count(*) FROM readings").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d readings written, want none (%v)", n, err)
	}
	if _, err := s.ReadingsForPerson(ctx, 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("readings of no one: %v", err)
	}
}
