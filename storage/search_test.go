package storage

import (
	"context"
	"strings"
	"testing"

	"callcoach/coaching"
)

func TestSearchFindsNotesPlansAndTalk(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ann := createPerson(t, s, coaching.Person{Name: "Ann Lee"})
	bob := createPerson(t, s, coaching.Person{Name: "Bob Diaz"})
	c1, err := s.StartCall(ctx, ann, coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveNotes(ctx, c1.ID, "Walked to the café twice.\nKnee sore on Thursday.", 1, t0); err != nil {
		t.Fatal(err)
	}
	c2, _ := s.StartCall(ctx, bob, coaching.RoleCoach, t0)
	s.SaveNotes(ctx, c2.ID, "Talked about sleep and the new tablets.", 1, t0)
	if _, err := s.AddChangeTalk(ctx, coaching.ChangeTalk{CallID: c2.ID, Kind: coaching.TalkDesire, Quote: "I want to sleep through"}, t0); err != nil {
		t.Fatal(err)
	}
	indexNotes(t, s) // saves leave the index a moment behind
	plan := coaching.ActionPlan{PersonID: ann, Behaviour: coaching.BehaviourActivity, What: "swim on Tuesdays",
		Commitment: "I'll go to the pool", Confidence: coaching.NoScore, Status: coaching.PlanActive}
	if _, err := s.SavePlan(ctx, plan, t0); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		query string
		want  []string // "kind person" of each hit, in any order
	}{
		{"knee", []string{"1 Ann Lee"}},
		{"KNEE thurs", []string{"1 Ann Lee"}},
		{"cafe", []string{"1 Ann Lee"}}, // accents folded
		{"sleep", []string{"1 Bob Diaz", "3 Bob Diaz"}},
		{"pool", []string{"2 Ann Lee"}},
		{"swim pool", []string{"2 Ann Lee"}},
		{"knee pool", nil},                   // every word must match in one place
		{`"knee)* -`, []string{"1 Ann Lee"}}, // quotes, brackets and stars are just punctuation
		{"", nil},
		{"  ...  ", nil},
	}
	for _, tt := range tests {
		hits, err := s.Search(ctx, tt.query, 20)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.query, err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, strings.TrimSpace(string(rune('0'+h.Kind))+" "+h.PersonName))
		}
		if strings.Join(sorted(got), "|") != strings.Join(sorted(tt.want), "|") {
			t.Errorf("Search(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}

	// The index follows edits: the old words go, the new come.
	if _, err := s.SaveNotes(ctx, c1.ID, "Now it is the hip.", 2, t0); err != nil {
		t.Fatal(err)
	}
	indexNotes(t, s)
	if hits, _ := s.Search(ctx, "knee", 20); len(hits) != 0 {
		t.Errorf("old notes still found: %+v", hits)
	}
	hits, _ := s.Search(ctx, "hip", 20)
	if len(hits) != 1 || hits[0].Kind != HitNote || hits[0].CallID != c1.ID || !strings.Contains(hits[0].Snippet, "«hip»") {
		t.Errorf("hits = %+v", hits)
	}
	talk, _ := s.Search(ctx, "through", 20)
	if len(talk) != 1 || talk[0].Kind != HitTalk || talk[0].CallID != c2.ID {
		t.Errorf("talk hits = %+v", talk)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
