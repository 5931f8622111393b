package tui

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"callcoach/coaching"
	"callcoach/storage"
)

var (
	benchOnce sync.Once
	benchPath string
	benchDir  string
)

// benchCaseload makes, once per run, a file with 10,000 people with a few
// calls each, and returns its path.
func benchCaseload(b *testing.B) string {
	benchOnce.Do(func() {
		dir, err := mkTemp()
		if err != nil {
			b.Fatal(err)
		}
		benchDir = dir
		benchPath = filepath.Join(dir, "bench.db")
		store, err := storage.Open(context.Background(), benchPath)
		if err != nil {
			b.Fatal(err)
		}
		defer store.Close()
		conds := []string{"type 2 diabetes", "COPD", "asthma", "heart failure", "hypertension", "arthritis", "depression"}
		var people []coaching.SamplePerson
		for i := 0; i < 10000; i++ {
			p := coaching.Person{
				Name:       fmt.Sprintf("%s %s %05d", firstNames[i%len(firstNames)], lastNames[(i/7)%len(lastNames)], i),
				Phone:      fmt.Sprintf("+44 20 7946 %04d", i),
				Conditions: []string{conds[i%len(conds)], conds[(i/3)%len(conds)]},
				Status:     coaching.StatusActive,
				CreatedAt:  testStart, UpdatedAt: testStart,
			}
			sp := coaching.SamplePerson{Person: p}
			for j := 0; j < i%4; j++ {
				start := testStart.AddDate(0, 0, -7*(j+1))
				sp.Calls = append(sp.Calls, coaching.Call{StartedAt: start, EndedAt: start.Add(15 * time.Minute),
					Outcome: coaching.OutcomeReached, Notes: "Talked about walking after lunch."})
			}
			people = append(people, sp)
		}
		if err := store.Seed(context.Background(), people); err != nil {
			b.Fatal(err)
		}
	})
	return benchPath
}

var (
	firstNames = []string{"Ann", "Bob", "Chidi", "Dana", "Eitan", "Fatima", "Grace", "Hiro", "Ines", "Jon", "Kofi", "Lena"}
	lastNames  = []string{"Okafor", "Reyes", "Nowak", "Mensah", "Wei", "Delgado", "MacLeod", "Schmidt", "Tiwari", "Adeyemi"}
)

// benchApp opens the app on the benchmark file the way main does, but runs
// commands on the benchmark's goroutine.
func benchApp(b *testing.B) (*Common, func()) {
	store, err := storage.Open(context.Background(), benchCaseload(b))
	if err != nil {
		b.Fatal(err)
	}
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	c := NewCommon(context.Background(), store, r)
	c.Now = func() time.Time { return testStart }
	c.After = func(d time.Duration, msg tea.Msg) tea.Cmd { return nil }
	c.Local = time.UTC
	return c, func() { store.Close() }
}

// benchCached opens the app on a cached benchmark caseload
// (storage.BenchSizes), or skips with a line saying how to make it. With
// CALLCOACH_TEST_ENGINE=postgres it is the same caseload on the PostgreSQL
// server CALLCOACH_TEST_POSTGRES names (storage.FindBenchDatabase).
func benchCached(b *testing.B, name string) (*Common, func()) {
	size, _ := storage.BenchSizeNamed(name)
	var path string
	var ok bool
	var err error
	if os.Getenv("CALLCOACH_TEST_ENGINE") == "postgres" {
		path, ok, err = storage.FindBenchDatabase(context.Background(), os.Getenv("CALLCOACH_TEST_POSTGRES"), size, false)
	} else {
		path, ok, err = storage.FindBenchFile(context.Background(), size)
	}
	if err != nil {
		b.Fatal(err)
	}
	if !ok {
		b.Skipf("no %s benchmark caseload at %s: make it once with CALLCOACH_BENCH_MAKE=%s go test ./storage -run TestMakeBenchFiles -timeout 2h -v (with CALLCOACH_TEST_ENGINE=postgres for PostgreSQL's)", name, path, name)
	}
	store, err := storage.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	c := NewCommon(context.Background(), store, r)
	c.Now = func() time.Time { return storage.BenchNow }
	c.After = func(d time.Duration, msg tea.Msg) tea.Cmd { return nil }
	c.Local = time.UTC
	return c, func() { store.Close() }
}

// benchTyping is what a coach types into the find field, a key at a
// time: a name, ctrl+u, a condition, ctrl+u, a phone number, ctrl+u.
var benchTyping = func() []tea.KeyMsg {
	var keys []tea.KeyMsg
	for _, word := range []string{"amira okafor", "diab", "7700"} {
		for _, r := range word {
			keys = append(keys, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
		keys = append(keys, tea.KeyMsg{Type: tea.KeyCtrlU})
	}
	return keys
}()

// BenchmarkCaseloadOpen is the first screen: the caseload's first read
// (the counts it opens by, and the rows) and the first draw. The rest of
// the start (App.Init: registering on the file, the page check) is left
// out: the cached file is shared and stays as it was made.
func BenchmarkCaseloadOpen(b *testing.B) {
	for _, size := range storage.BenchSizes {
		b.Run(size.Name, func(b *testing.B) {
			c, done := benchCached(b, size.Name)
			defer done()
			for b.Loop() {
				app := NewApp(c)
				m, _ := app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
				for _, msg := range collect(app.top().Init()) {
					m, _ = m.Update(msg)
				}
				if v := m.View(); len(v) == 0 {
					b.Fatal("empty view")
				}
			}
		})
	}
}

// benchPauses are the keys of benchTyping after which the coach pauses
// (the end of each word): the tabs are counted then (countSoon).
var benchPauses = func() map[int]bool {
	p := map[int]bool{}
	for i := range benchTyping {
		if i+1 < len(benchTyping) && benchTyping[i+1].Type == tea.KeyCtrlU {
			p[i] = true
		}
	}
	return p
}()

// BenchmarkCaseloadFilterKeystroke is one key typed in the find field
// (over benchTyping): the Update, the read of the rows it starts, their
// answer and the redraw; and, where the coach pauses at the end of a
// word, the count of each section, which waits for a pause in typing and
// comes in a read of its own. ns/op is all of it over the keys typed;
// key-ms is a key to its rows on screen; count-ms is one count at a
// pause, from the timer to the tabs redrawn; cpu-ms is the process's CPU
// time over the keys typed (all of it, the garbage collector's too),
// which a busy machine swells less than the rest.
func BenchmarkCaseloadFilterKeystroke(b *testing.B) {
	for _, size := range storage.BenchSizes {
		b.Run(size.Name, func(b *testing.B) {
			c, done := benchCached(b, size.Name)
			defer done()
			type timer struct{ msg tea.Msg }
			c.After = func(d time.Duration, msg tea.Msg) tea.Cmd { return func() tea.Msg { return timer{msg} } }
			app := NewApp(c)
			var m tea.Model = app
			m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			for _, msg := range collect(app.top().Init()) { // as in BenchmarkCaseloadOpen
				if _, ok := msg.(timer); !ok {
					m, _ = m.Update(msg)
				}
			}
			m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'/'}})
			var toRows, counting time.Duration
			keys, counts := 0, 0
			var due []tea.Msg // the count timers waiting for a pause
			// deliver runs cmd and hands its answers to the app (not the
			// commands they return: reading on past the window is not
			// part of a key).
			deliver := func(cmd tea.Cmd) {
				each(cmd, func(msg tea.Msg, _ time.Duration) {
					switch msg := msg.(type) {
					case nil:
					case timer:
						if _, ok := msg.msg.(countDueMsg); ok {
							due = append(due, msg.msg)
						}
					default:
						m, _ = m.Update(msg)
					}
				})
			}
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				k := i % len(benchTyping)
				start := time.Now()
				var cmd tea.Cmd
				m, cmd = m.Update(benchTyping[k])
				deliver(cmd)
				_ = m.View()
				toRows += time.Since(start)
				keys++
				if !benchPauses[k] {
					continue
				}
				start = time.Now()
				pending := due
				due = nil
				if len(pending) == 0 {
					b.Fatal("no count waiting at a pause")
				}
				for _, msg := range pending {
					var cmd tea.Cmd
					m, cmd = m.Update(msg)
					deliver(cmd)
				}
				_ = m.View()
				counting += time.Since(start)
				counts++
			}
			if cpu := cpuTime() - cpu; cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(keys), "cpu-ms")
			}
			b.ReportMetric(float64(toRows.Microseconds())/1000/float64(keys), "key-ms")
			if counts > 0 {
				b.ReportMetric(float64(counting.Microseconds())/1000/float64(counts), "count-ms")
			}
		})
	}
}

// each runs a command and the commands it batches, handing f each
// message with the time its command took.
func each(cmd tea.Cmd, f func(msg tea.Msg, took time.Duration)) {
	if cmd == nil {
		return
	}
	start := time.Now()
	msg := cmd()
	took := time.Since(start)
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			each(c, f)
		}
		return
	}
	f(msg, took)
}

// collect runs a command and returns the messages it produced (not timers).
func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, collect(c)...)
		}
		return out
	default:
		return []tea.Msg{msg}
	}
}

// benchCall opens the call workspace on the benchmark file with lines of
// notes already typed, at 80x24, as the coach sees it mid-call.
func benchCall(b *testing.B, lines int) tea.Model {
	c, done := benchApp(b)
	b.Cleanup(done)
	p, err := c.Store.GetPerson(context.Background(), 1)
	if err != nil {
		b.Fatal(err)
	}
	call, err := c.Store.StartCall(context.Background(), p.ID, coaching.RoleCoach, testStart)
	if err != nil {
		b.Fatal(err)
	}
	var notes []string
	for i := 0; i < lines; i++ {
		notes = append(notes, fmt.Sprintf("%d. She said the walk after lunch went well on most days, knee a bit sore on Thursday; wants to keep going.", i))
	}
	call.Notes = strings.Join(notes, "\n")
	var m tea.Model = NewApp(c)
	m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m, _ = m.Update(pushMsg{newCallScreen(c, p, call)})
	return m
}

// typeNotes times b.N keys typed into the call workspace m (a sentence,
// then enter, over and over), each Update followed by a View.
func typeNotes(b *testing.B, m tea.Model) {
	text := []rune("Confidence is a seven today. ")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var k tea.KeyMsg
		if i%len(text) == len(text)-1 {
			k = tea.KeyMsg{Type: tea.KeyEnter}
		} else {
			k = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{text[i%len(text)]}}
		}
		m, _ = m.Update(k)
		if len(m.View()) == 0 {
			b.Fatal("empty view")
		}
	}
}

func benchKeystroke(b *testing.B, lines int) {
	m := benchCall(b, lines)
	typeNotes(b, m)
}

// BenchmarkCallKeystroke50 and 500: one key typed into the notes with the
// whole workspace redrawn, with 50 and 500 lines of notes.
func BenchmarkCallKeystroke50(b *testing.B)  { benchKeystroke(b, 50) }
func BenchmarkCallKeystroke500(b *testing.B) { benchKeystroke(b, 500) }

// benchRich makes, in its own file, a person with 200 past calls (each
// with notes, a plan and its scores, a measure) and returns the app's
// Common and the person.
func benchRich(b *testing.B) (*Common, coaching.Person) {
	dir := b.TempDir()
	store, err := storage.Open(context.Background(), filepath.Join(dir, "rich.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	ctx := context.Background()
	p := coaching.Person{Name: "Rosa Delgado", TimeZone: "America/New_York", CallTimes: "lunch time", Conditions: []string{"COPD"},
		Status: coaching.StatusActive, CreatedAt: testStart, UpdatedAt: testStart}
	sp := coaching.SamplePerson{Person: p}
	for j := 0; j < 200; j++ {
		start := testStart.AddDate(0, 0, -2*(j+1))
		sp.Calls = append(sp.Calls, coaching.Call{StartedAt: start, EndedAt: start.Add(15 * time.Minute), Outcome: coaching.OutcomeReached,
			Notes: strings.Repeat(fmt.Sprintf("Call %d: walked most days, knee sore on Thursday, wants to keep going.\n", j), 8)})
	}
	if err := store.Seed(ctx, []coaching.SamplePerson{sp}); err != nil {
		b.Fatal(err)
	}
	p, err = store.GetPerson(ctx, 1)
	if err != nil {
		b.Fatal(err)
	}
	plan := coaching.ActionPlan{PersonID: p.ID, Behaviour: coaching.BehaviourActivity, What: "walk after lunch", HowMuch: "20 minutes",
		DaysPerWeek: 3, Confidence: coaching.NoScore, Status: coaching.PlanActive}
	if _, _, err := store.CommitPlan(ctx, plan, []int{5, 8}, nil, testStart); err != nil {
		b.Fatal(err)
	}
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	c := NewCommon(ctx, store, r)
	c.Now = func() time.Time { return testStart }
	c.After = func(d time.Duration, msg tea.Msg) tea.Cmd { return nil }
	c.Local = time.UTC
	return c, p
}

// BenchmarkCallOpenWith200Calls opens the workspace for a person with 200
// past calls at 140x45: the screen made, what it reads (the call's marks,
// the plan, the context panel) read, and the frame drawn with it all.
func BenchmarkCallOpenWith200Calls(b *testing.B) {
	c, p := benchRich(b)
	call, err := c.Store.StartCall(context.Background(), p.ID, coaching.RoleCoach, testStart)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var m tea.Model = NewApp(c)
		m, _ = m.Update(tea.WindowSizeMsg{Width: 140, Height: 45})
		s := newCallScreen(c, p, call)
		var cmd tea.Cmd
		m, cmd = m.Update(pushMsg{s})
		for _, msg := range collect(cmd) {
			m, _ = m.Update(msg)
		}
		if v := m.View(); !strings.Contains(v, "Last call") {
			b.Fatal("the context panel is not drawn")
		}
	}
}

// BenchmarkCallKeystrokeContext500 is one key typed into 500 lines of
// notes with the context panel open beside them, for a person with 200
// past calls, the whole workspace redrawn at 140x45.
func BenchmarkCallKeystrokeContext500(b *testing.B) {
	c, p := benchRich(b)
	call, err := c.Store.StartCall(context.Background(), p.ID, coaching.RoleCoach, testStart)
	if err != nil {
		b.Fatal(err)
	}
	var notes []string
	for i := 0; i < 500; i++ {
		notes = append(notes, fmt.Sprintf("%d. She said the walk after lunch went well on most days, knee a bit sore on Thursday; wants to keep going.", i))
	}
	call.Notes = strings.Join(notes, "\n")
	var m tea.Model = NewApp(c)
	m, _ = m.Update(tea.WindowSizeMsg{Width: 140, Height: 45})
	var cmd tea.Cmd
	m, cmd = m.Update(pushMsg{newCallScreen(c, p, call)})
	for _, msg := range collect(cmd) {
		m, _ = m.Update(msg)
	}
	if v := m.View(); !strings.Contains(v, "Last call") {
		b.Fatal("the context panel is not drawn")
	}
	typeNotes(b, m)
}
