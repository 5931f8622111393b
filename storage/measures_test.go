package storage

import (
	"context"
	"reflect"
	"testing"
	"time"

	"callcoach/coaching/measures"
)

func mustSaveMeasure(t *testing.T, s *Store, m MeasureRecord, now time.Time) int64 {
	t.Helper()
	id, err := s.SaveMeasure(context.Background(), m, now)
	if err != nil {
		t.Fatalf("SaveMeasure: %v", err)
	}
	return id
}

// phq9 is a complete, scored PHQ-9 of the person in the call, with the
// closing question asked.
func phq9(personID, callID int64) MeasureRecord {
	return MeasureRecord{PersonID: personID, CallID: callID, Instrument: string(measures.PHQ9),
		Answers: []int{1, 2, 0, 3, 1, 1, 0, 2, 1}, Complete: true, Scored: true, Total: 11, Band: "moderate", Closing: 1}
}

func TestMeasureRoundTrip(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	other, otherCall := personWithCall(t, s, "Bob")
	tests := []struct {
		name string
		m    MeasureRecord
		at   time.Duration // after t0; saved in this table's order, listed by time
	}{
		{"complete PHQ-9, closing asked", phq9(pid, call), 2 * time.Hour},
		{"GAD-7 stopped at item 4, one declined, not scored", MeasureRecord{PersonID: pid, CallID: call, Instrument: string(measures.GAD7),
			Answers: []int{2, -1, 0, 3}, Band: "", Closing: -1}, time.Hour},
		{"SEMCD-6: a mean, with a fraction", MeasureRecord{PersonID: pid, Instrument: string(measures.SEMCD6),
			Answers: []int{7, 8, 6, 10, 1, 7}, Complete: true, Scored: true, Total: 6.5, Band: "", Closing: -1}, 3 * time.Hour},
		{"PHQ-2 scored 0, outside a call", MeasureRecord{PersonID: pid, Instrument: string(measures.PHQ2),
			Answers: []int{0, 0}, Complete: true, Scored: true, Total: 0, Band: "negative", Closing: -1}, 3 * time.Hour},
		{"GAD-2 with no answers, closing 0", MeasureRecord{PersonID: pid, Instrument: string(measures.GAD2), Closing: 0}, 30 * time.Minute},
		{"all declined", MeasureRecord{PersonID: pid, Instrument: string(measures.PHQ2), Answers: []int{-1, -1}, Complete: true, Closing: -1}, 4 * time.Hour},
	}
	byTime := []int{4, 1, 0, 2, 3, 5} // indices of tests, oldest first; ties in the order saved
	want := make([]MeasureRecord, len(tests))
	for i, tt := range tests {
		m := tt.m
		m.ID, m.GivenAt = 999, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) // ignored
		at := t0.Add(tt.at)
		id := mustSaveMeasure(t, s, m, at.Add(400*time.Millisecond))
		if i == 1 {
			mustSaveMeasure(t, s, phq9(other, otherCall), at)
		}
		want[i] = tt.m
		want[i].ID, want[i].GivenAt = id, at
	}
	got, err := s.MeasuresForPerson(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(byTime) {
		t.Fatalf("%d measures, want %d: %+v", len(got), len(byTime), got)
	}
	for i, j := range byTime {
		if !reflect.DeepEqual(got[i], want[j]) {
			t.Errorf("measure %d (%s):\n got %+v\nwant %+v", i, tests[j].name, got[i], want[j])
		}
	}
	if none, err := s.MeasuresForPerson(ctx, 4242); err != nil || none != nil {
		t.Errorf("measures of a missing person: %v, %v", none, err)
	}
	if others, err := s.MeasuresForPerson(ctx, other); err != nil || len(others) != 1 || others[0].PersonID != other {
		t.Errorf("the other person's measures: %+v, %v", others, err)
	}
}

// TestMeasureStoredReadably checks what the sqlite3 CLI would see: no total
// or closing answer as NULL, and one row per item answered.
func TestMeasureStoredReadably(t *testing.T) {
	s := newStore(t)
	pid, call := personWithCall(t, s, "Ann")
	id := mustSaveMeasure(t, s, MeasureRecord{PersonID: pid, CallID: call, Instrument: string(measures.GAD7),
		Answers: []int{2, -1, 0}, Closing: -1}, t0)
	var (
		instrument, given string
		complete, scored  int
		total             *float64
		closing           *int
		items             string
	)
	if err := s.ro.QueryRow(`SELECT instrument, given_at, complete, scored, total, closing,
		(SELECT `+bySQL("group_concat", "string_agg")+`(item || '=' || answer, ' ' ORDER BY item) FROM measure_items WHERE measure_id = m.id)
		FROM measures m WHERE id = ?`, id).Scan(&instrument, &given, &complete, &scored, &total, &closing, &items); err != nil {
		t.Fatal(err)
	}
	if instrument != string(measures.GAD7) || given != "2026-11-23T14:05:09Z" || complete != 0 || scored != 0 || total != nil || closing != nil || items != "1=2 2=-1 3=0" {
		t.Errorf("stored: %s %s complete %d scored %d total %v closing %v items %q", instrument, given, complete, scored, total, closing, items)
	}
}
