package storage

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDraftsRoundTrip(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 14, 5, 9, 0, time.UTC)
	if _, ok, err := s.LoadDraft(ctx, "person:new"); err != nil || ok {
		t.Fatalf("empty store has a draft: %v %v", ok, err)
	}
	fields := map[string]string{"name": "Zoë 👩🏽‍⚕️", "phone": "", "needs": strings.Repeat("x", 10000)}
	if err := s.SaveDraft(ctx, "person:new", fields, now); err != nil {
		t.Fatal(err)
	}
	fields2 := map[string]string{"name": "Zoë Okafor"}
	if err := s.SaveDraft(ctx, "person:new", fields2, now.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(ctx, "person:7", fields, now); err != nil {
		t.Fatal(err)
	}
	d, ok, err := s.LoadDraft(ctx, "person:new")
	if err != nil || !ok || d.Fields["name"] != "Zoë Okafor" || len(d.Fields) != 1 || !d.UpdatedAt.Equal(now.Add(time.Second)) {
		t.Fatalf("LoadDraft = %+v, %v, %v", d, ok, err)
	}
	d, _, _ = s.LoadDraft(ctx, "person:7")
	if d.Fields["name"] != "Zoë 👩🏽‍⚕️" || len(d.Fields["needs"]) != 10000 {
		t.Fatalf("person:7 draft = %+v", d.Fields["name"])
	}
	if err := s.DeleteDraft(ctx, "person:new"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDraft(ctx, "person:new"); err != nil {
		t.Fatalf("deleting a missing draft: %v", err)
	}
	if _, ok, _ := s.LoadDraft(ctx, "person:new"); ok {
		t.Fatal("draft still there after delete")
	}
	if _, ok, _ := s.LoadDraft(ctx, "person:7"); !ok {
		t.Fatal("delete removed another key's draft")
	}
}

func TestDraftSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(ctx, "person:new", map[string]string{"name": "Ann"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	// No Close: as if the process were killed.
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	defer s.Close()
	if d, ok, err := s2.LoadDraft(ctx, "person:new"); err != nil || !ok || d.Fields["name"] != "Ann" {
		t.Fatalf("after reopen: %+v %v %v", d, ok, err)
	}
}
