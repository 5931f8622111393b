package coaching

import (
	"slices"
	"testing"
	"time"
)

func TestQueueTier(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, london) }
	day := NewCoachDay(at(30, 12, 0), london) // Monday midday: overdue before 10:00
	tests := []struct {
		name    string
		flagged bool
		due     time.Time
		want    QueueTier
	}{
		{"flagged, nothing due", true, time.Time{}, TierFlagged},
		{"flagged beats overdue", true, at(27, 9, 0), TierFlagged},
		{"flagged, due next week", true, time.Date(2026, 12, 7, 9, 0, 0, 0, london), TierFlagged},
		{"last Friday", false, at(27, 9, 0), TierOverdue},
		{"a minute past the grace", false, at(30, 9, 59), TierOverdue},
		{"at the grace's edge", false, at(30, 10, 0), TierDue},
		{"due now exactly", false, at(30, 12, 0), TierDue},
		{"a minute from now", false, at(30, 12, 1), TierLaterToday},
		{"last minute of today", false, at(30, 23, 59), TierLaterToday},
		{"tomorrow at midnight", false, time.Date(2026, 12, 1, 0, 0, 0, 0, london), TierNotToday},
		{"nothing due", false, time.Time{}, TierNotToday},
	}
	for _, tc := range tests {
		e := QueueEntry{Flagged: tc.flagged, NextDue: tc.due}
		if got := e.Tier(day); got != tc.want {
			t.Errorf("%s: tier %v, want %v", tc.name, got, tc.want)
		}
		if e.Tier(day).InNow() != (tc.want != TierNotToday) {
			t.Errorf("%s: InNow wrong", tc.name)
		}
	}
	// Tiers and Due agree on what is overdue and what is due today.
	for _, tc := range tests {
		if tc.flagged || tc.due.IsZero() {
			continue
		}
		want := map[QueueTier]DueState{TierOverdue: Overdue, TierDue: DueToday, TierLaterToday: DueToday, TierNotToday: Upcoming}[tc.want]
		if got := Due(FollowUp{Due: tc.due}, day.Now, london); got != want {
			t.Errorf("%s: Due says %v, the tier %v", tc.name, got, tc.want)
		}
	}
	names := map[QueueTier]string{TierFlagged: "safety flag", TierOverdue: "overdue", TierDue: "due now", TierLaterToday: "later today", TierNotToday: "not today", 9: "unknown"}
	for q, want := range names {
		if q.String() != want {
			t.Errorf("QueueTier(%d) = %q, want %q", q, q, want)
		}
	}
}

func TestNowQueue(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	newYork := mustLoad(t, "America/New_York")
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, london) }
	day := NewCoachDay(at(30, 12, 0), london)
	window := func(s string, loc *time.Location) CallWindow {
		w, err := ParseCallWindow(s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	inside := window("weekdays 11:00-13:00", london)
	outside := window("lunch time", newYork) // 07:00 there
	unknown := ReadCallWindow("after her dialysis", london)
	es := []QueueEntry{
		{PersonID: 1, Name: "Ann", Flagged: true, Window: outside},
		{PersonID: 2, Name: "Bob", Flagged: true, NextDue: time.Date(2026, 12, 2, 9, 0, 0, 0, london), Window: inside},
		{PersonID: 3, Name: "Cy", NextDue: at(27, 9, 0), Window: unknown},
		{PersonID: 4, Name: "Di", NextDue: at(30, 9, 0), Window: inside},
		{PersonID: 5, Name: "Ed", NextDue: at(30, 11, 0), Window: outside},
		{PersonID: 6, Name: "bea", NextDue: at(30, 11, 30)},
		{PersonID: 7, Name: "Al", NextDue: at(30, 11, 30)},
		{PersonID: 8, Name: "al", NextDue: at(30, 11, 30)},
		{PersonID: 9, Name: "Ivy", NextDue: at(30, 15, 0), Window: inside},
		{PersonID: 10, Name: "Jo", NextDue: at(30, 13, 0), Window: outside},
		{PersonID: 11, Name: "Kim", NextDue: at(30, 10, 0), Window: inside},
		{PersonID: 12, Name: "Lu", NextDue: time.Date(2026, 12, 1, 9, 0, 0, 0, london), Window: inside},
		{PersonID: 13, Name: "Mo"},
		{PersonID: 14, Name: "Nia", NextDue: at(29, 23, 59), Window: outside},
	}
	// Flagged: inside before outside. Overdue: inside (Di), no window (Cy),
	// outside (Nia). Due: inside (Kim), no window (al, Al, bea: same time,
	// by name then id), outside (Ed). Later today: inside (Ivy) before an
	// earlier one outside (Jo). Lu (tomorrow) and Mo (nothing due) are not
	// in the Now view.
	want := []int64{2, 1, 4, 3, 14, 11, 7, 8, 6, 5, 9, 10}
	for _, order := range [][]QueueEntry{es, reversed(es)} {
		before := slices.Clone(order)
		got := NowQueue(order, day)
		var ids []int64
		for _, e := range got {
			ids = append(ids, e.PersonID)
		}
		if !slices.Equal(ids, want) {
			t.Errorf("NowQueue order %v, want %v", ids, want)
		}
		if !slices.EqualFunc(order, before, func(a, b QueueEntry) bool { return a.PersonID == b.PersonID }) {
			t.Error("NowQueue reordered its input")
		}
	}
	if len(NowQueue(nil, day)) != 0 {
		t.Error("an empty caseload has someone to call")
	}
}

func reversed(es []QueueEntry) []QueueEntry {
	r := slices.Clone(es)
	slices.Reverse(r)
	return r
}

// TestQueueWindowAcrossZones: who is inside their window depends on their
// clock, not the coach's: at 14:30 in London a London lunch window has
// closed, a New York morning one is open (09:30 there).
func TestQueueWindowAcrossZones(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	newYork := mustLoad(t, "America/New_York")
	now := time.Date(2026, 11, 30, 14, 30, 0, 0, london)
	day := NewCoachDay(now, london)
	lunch, _ := ParseCallWindow("lunch time", london)
	morning, _ := ParseCallWindow("morning", newYork)
	due := time.Date(2026, 11, 30, 12, 0, 0, 0, london)
	es := []QueueEntry{
		{PersonID: 1, Name: "London", NextDue: due, Window: lunch},
		{PersonID: 2, Name: "New York", NextDue: due.Add(time.Minute), Window: morning},
	}
	got := NowQueue(es, day)
	if got[0].PersonID != 2 {
		t.Errorf("first is %s, want New York, inside their morning", got[0].Name)
	}
}
