package tui

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// generated adds n made-up people (phones all start "+44 7") and returns
// them in name order.
func (h *harness) generated(n int) []storage.CaseloadRow {
	h.t.Helper()
	ctx := context.Background()
	if err := h.store.Generate(ctx, storage.GenerateOptions{People: n, Seed: 3, Now: h.now}); err != nil {
		h.t.Fatal(err)
	}
	var all []storage.CaseloadRow
	q := storage.CaseloadQuery{Limit: storage.MaxCaseloadLimit}
	for {
		page, err := h.store.Caseload(ctx, q)
		if err != nil {
			h.t.Fatal(err)
		}
		all = append(all, page.Rows...)
		if page.AtEnd {
			return all
		}
		q.After = &page.Rows[len(page.Rows)-1].Key
	}
}

// TestCaseloadCountsStopAtAThousand: the caseload's size is exact, but a
// filter's matches are counted up to a thousand and shown as "1,000+".
func TestCaseloadCountsStopAtAThousand(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.generated(1005)
	h.refresh()
	h.wantScreen("1,005 people", "All 1,005")
	h.press("/")
	h.typeText("+44 7")
	h.pause()
	// No one has a follow-up, so the due sections are exactly empty; the
	// tabs fit the width with their short labels.
	h.wantScreen("1,000+ of 1,005 people match", "Overdue 0 ", "Today 0 ", "No f/u 1,000+", "[All 1,000+]")
	h.dontWantScreen(" 0+", "…]")
	// Narrower, only the current section keeps its count.
	h.send(tea.WindowSizeMsg{Width: 50, Height: 24})
	h.wantScreen("Overdue Today Upcoming No f/u [All 1,000+]")
}

// TestFilteredSectionFillsOverSeveralReads: a due section that holds a
// few of a filter's thousand matches shows all of them, read over several
// reads, and says they are listed by name.
func TestFilteredSectionFillsOverSeveralReads(t *testing.T) {
	h := newHarness(t, 80, 24)
	all := h.generated(1000)
	var overdue []string
	for i := 7; i < len(all); i += 300 {
		overdue = append(overdue, all[i].Name)
		if _, err := h.store.AddFollowUp(context.Background(), coaching.FollowUp{PersonID: all[i].ID, Due: h.now.Add(-48 * time.Hour)}, h.now); err != nil {
			t.Fatal(err)
		}
	}
	h.refresh()
	h.press("/")
	h.typeText("+44 7")
	h.press("enter") // to the list, where tab changes section
	for range sectionTabs {
		if h.app.(App).top().(*caseload).section == storage.SectionOverdue {
			break
		}
		h.press("tab")
	}
	h.wantScreen("[Overdue", "listed by name")
	h.wantScreen(overdue...)
	var got []string
	for _, r := range h.app.(App).top().(*caseload).rows {
		got = append(got, r.Name)
	}
	if !slices.Equal(got, overdue) {
		t.Errorf("overdue rows %q, want %q", got, overdue)
	}
}

// TestStaleCaseloadReadIsDropped: an answer to a read that a later
// keystroke replaced never reaches the screen.
func TestStaleCaseloadReadIsDropped(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann Lee"})
	h.addPerson(coaching.Person{Name: "Bob Diaz"})
	h.refresh()
	h.press("/")
	h.typeText("bob")
	h.wantScreen("Bob Diaz")
	cl := h.app.(App).top().(*caseload)
	stale := storage.CaseloadPage{Rows: []storage.CaseloadRow{{ID: 99, Name: "Stale Answer"}}, AtStart: true, AtEnd: true}
	h.send(caseloadPageMsg{seq: cl.seq - 1, section: cl.section, place: placeFirst, page: stale})
	h.dontWantScreen("Stale Answer")
	h.wantScreen("Bob Diaz")
}

// Enter pressed right after a name is typed, before its rows have come,
// opens the first match once they do: the key is not lost to the empty
// list it met.
func TestEnterBeforeTheRowsOpensTheFirstMatch(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Bo Banks"})
	h.refresh()
	m := h.app.(App).stack[0].(*caseload)
	page, err := h.store.Caseload(context.Background(), storage.CaseloadQuery{Filter: "Bo"})
	if err != nil || len(page.Rows) != 1 {
		t.Fatalf("Caseload: %v, %v", page, err)
	}
	// As if the find's read were still on its way.
	m.rows, m.cursor, m.top, m.pending = nil, 0, 0, true
	m.seq++
	h.press("enter")
	h.dontWantScreen("Bo Banks · no.")
	h.send(caseloadPageMsg{seq: m.seq, section: storage.SectionAll, place: placeFirst, page: page})
	h.wantScreen(fmt.Sprintf("Bo Banks · no. %d", id))
}
