package measures

import (
	"reflect"
	"strings"
	"testing"
)

func mustGet(t *testing.T, id ID) Instrument {
	t.Helper()
	inst, ok := Get(id)
	if !ok {
		t.Fatalf("Get(%q) found nothing", id)
	}
	return inst
}

func TestAllAndGet(t *testing.T) {
	var ids []ID
	for _, inst := range All() {
		ids = append(ids, inst.ID)
		got, ok := Get(inst.ID)
		if !ok || !reflect.DeepEqual(got, inst) {
			t.Errorf("Get(%q) = %v, %v; want the instrument All lists", inst.ID, got.Name, ok)
		}
	}
	// Exactly the five free instruments, in the order offered: adding one
	// (a licensed one above all) must be a deliberate change here.
	if want := []ID{SEMCD6, PHQ2, PHQ9, GAD2, GAD7}; !reflect.DeepEqual(ids, want) {
		t.Errorf("All() = %v, want %v", ids, want)
	}
	for _, id := range []ID{"", "pam13", "PHQ9", "phq-9"} {
		if _, ok := Get(id); ok {
			t.Errorf("Get(%q) found an instrument", id)
		}
	}
}

func TestInstrumentShape(t *testing.T) {
	tests := []struct {
		id                ID
		name              string
		items             int
		values            []int
		clinical          bool
		total, panel      string
		closing, titleHas string
	}{
		{SEMCD6, "SEMCD-6", 6, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, false, "", "", "", "Confidence"},
		{PHQ2, "PHQ-2", 2, []int{0, 1, 2, 3}, true, "55758-7", "55757-9", "", "Depression"},
		{PHQ9, "PHQ-9", 9, []int{0, 1, 2, 3}, true, "44261-6", "44249-1", "yes", "Depression"},
		{GAD2, "GAD-2", 2, []int{0, 1, 2, 3}, true, "", "", "", "Anxiety"},
		{GAD7, "GAD-7", 7, []int{0, 1, 2, 3}, true, "70274-6", "69737-5", "yes", "Anxiety"},
	}
	for _, tc := range tests {
		inst := mustGet(t, tc.id)
		if inst.Name != tc.name || len(inst.Items) != tc.items || inst.ClinicalFollowUp != tc.clinical || !inst.Free {
			t.Errorf("%s: name %q, %d items, clinical %v, free %v", tc.id, inst.Name, len(inst.Items), inst.ClinicalFollowUp, inst.Free)
		}
		if !strings.HasPrefix(inst.Title, tc.titleHas) || !strings.HasSuffix(inst.Title, "("+tc.name+")") {
			t.Errorf("%s: title %q", tc.id, inst.Title)
		}
		if inst.TotalLOINC != tc.total || inst.PanelLOINC != tc.panel {
			t.Errorf("%s: LOINC total %q panel %q, want %q %q", tc.id, inst.TotalLOINC, inst.PanelLOINC, tc.total, tc.panel)
		}
		var values []int
		for _, o := range inst.Options {
			values = append(values, o.Value)
			if o.Label == "" {
				t.Errorf("%s: option %d has no label", tc.id, o.Value)
			}
		}
		if !reflect.DeepEqual(values, tc.values) {
			t.Errorf("%s: option values %v, want %v", tc.id, values, tc.values)
		}
		for i, it := range inst.Items {
			if it.Number != i+1 || it.Text == "" || strings.HasSuffix(it.Text, ".") {
				t.Errorf("%s: item %d is %+v", tc.id, i+1, it)
			}
		}
		if (inst.Closing != "") != (tc.closing != "") || (len(inst.ClosingOptions) > 0) != (tc.closing != "") {
			t.Errorf("%s: closing %q with %d options", tc.id, inst.Closing, len(inst.ClosingOptions))
		}
		if !strings.Contains(inst.Intro, "rather not answer") {
			t.Errorf("%s: the intro does not say an item may be declined: %q", tc.id, inst.Intro)
		}
	}
}

func TestWording(t *testing.T) {
	phq9, gad7 := mustGet(t, PHQ9), mustGet(t, GAD7)
	if got := mustGet(t, PHQ2).Items; !reflect.DeepEqual(got, phq9.Items[:2]) {
		t.Errorf("PHQ-2 items %v are not PHQ-9 items 1-2", got)
	}
	if got := mustGet(t, GAD2).Items; !reflect.DeepEqual(got, gad7.Items[:2]) {
		t.Errorf("GAD-2 items %v are not GAD-7 items 1-2", got)
	}
	items := []struct {
		id     ID
		number int
		text   string
		loinc  string
	}{
		{PHQ9, 1, "Little interest or pleasure in doing things", "44250-9"},
		{PHQ9, 6, "Feeling bad about yourself — or that you are a failure or have let yourself or your family down", "44258-2"},
		{PHQ9, 8, "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual", "44253-3"},
		{PHQ9, 9, "Thoughts that you would be better off dead or of hurting yourself in some way", "44260-8"},
		{GAD7, 1, "Feeling nervous, anxious or on edge", "69725-0"},
		{GAD7, 7, "Feeling afraid as if something awful might happen", "69736-7"},
		{SEMCD6, 1, "How confident are you that you can keep the fatigue caused by your disease from interfering with the things you want to do?", ""},
		{SEMCD6, 5, "How confident are you that you can do the different tasks and activities needed to manage your health condition so as to reduce your need to see a doctor?", ""},
		{SEMCD6, 6, "How confident are you that you can do things other than just taking medication to reduce how much your illness affects your everyday life?", ""},
	}
	for _, tc := range items {
		it := mustGet(t, tc.id).Items[tc.number-1]
		if it.Text != tc.text || it.LOINC != tc.loinc {
			t.Errorf("%s item %d = %q %q, want %q %q", tc.id, tc.number, it.Text, it.LOINC, tc.text, tc.loinc)
		}
	}
	for _, it := range mustGet(t, SEMCD6).Items {
		if !strings.HasPrefix(it.Text, "How confident are you that you can ") || !strings.HasSuffix(it.Text, "?") {
			t.Errorf("SEMCD-6 item %d lacks the stem: %q", it.Number, it.Text)
		}
	}
	stems := []struct {
		id   ID
		stem string
		last bool // the stem is the last thing said before item 1
	}{
		{PHQ2, "Over the last 2 weeks, how often have you been bothered by any of the following problems?", true},
		{PHQ9, "Over the last 2 weeks, how often have you been bothered by any of the following problems?", true},
		{GAD2, "Over the last 2 weeks, how often have you been bothered by the following problems?", true},
		{GAD7, "Over the last 2 weeks, how often have you been bothered by the following problems?", true},
		{SEMCD6, "1 is not at all confident and 10 is totally confident.", false},
	}
	for _, tc := range stems {
		intro := mustGet(t, tc.id).Intro
		if tc.last && !strings.HasSuffix(intro, " "+tc.stem) || !strings.Contains(intro, tc.stem) {
			t.Errorf("%s intro %q lacks %q", tc.id, intro, tc.stem)
		}
	}
	for _, tc := range []struct {
		id ID
		n  string
	}{{PHQ2, "two"}, {PHQ9, "nine"}, {GAD2, "two"}, {GAD7, "seven"}, {SEMCD6, "six"}} {
		if intro := mustGet(t, tc.id).Intro; !strings.Contains(intro, "ask you "+tc.n+" questions") {
			t.Errorf("%s intro does not say %s questions: %q", tc.id, tc.n, intro)
		}
	}
}

func TestOptionLabels(t *testing.T) {
	howOften := []Option{{0, "Not at all", "LA6568-5"}, {1, "Several days", "LA6569-3"},
		{2, "More than half the days", "LA6570-1"}, {3, "Nearly every day", "LA6571-9"}}
	for _, id := range []ID{PHQ2, PHQ9, GAD2, GAD7} {
		if got := mustGet(t, id).Options; !reflect.DeepEqual(got, howOften) {
			t.Errorf("%s options = %v", id, got)
		}
	}
	semcd := mustGet(t, SEMCD6).Options
	for _, tc := range []struct {
		i    int
		want Option
	}{{0, Option{1, "1 not at all confident", ""}}, {1, Option{2, "2", ""}}, {4, Option{5, "5", ""}}, {8, Option{9, "9", ""}}, {9, Option{10, "10 totally confident", ""}}} {
		if semcd[tc.i] != tc.want {
			t.Errorf("SEMCD-6 option %d = %v, want %v", tc.i, semcd[tc.i], tc.want)
		}
	}
	closing := []Option{{0, "Not difficult at all", ""}, {1, "Somewhat difficult", ""}, {2, "Very difficult", ""}, {3, "Extremely difficult", ""}}
	for _, id := range []ID{PHQ9, GAD7} {
		inst := mustGet(t, id)
		if !reflect.DeepEqual(inst.ClosingOptions, closing) {
			t.Errorf("%s closing options = %v", id, inst.ClosingOptions)
		}
		for _, w := range []string{"how difficult", "your work", "things at home", "get along with other people?"} {
			if !strings.Contains(inst.Closing, w) {
				t.Errorf("%s closing question %q lacks %q", id, inst.Closing, w)
			}
		}
	}
}

// licenceProblem is the rule "only instruments marked free may carry item
// text", as a check the test below runs on every instrument.
func licenceProblem(inst Instrument) string {
	if inst.Free {
		return ""
	}
	for _, it := range inst.Items {
		if it.Text != "" {
			return "item text on an instrument not free to reproduce"
		}
	}
	return ""
}

func TestOnlyFreeInstrumentsCarryItemText(t *testing.T) {
	for _, inst := range All() {
		if p := licenceProblem(inst); p != "" {
			t.Errorf("%s: %s", inst.ID, p)
		}
	}
	// The check itself must catch a licensed instrument with text, and pass
	// one that ships only its numbering.
	licensed := Instrument{ID: "licensed", Items: []Item{{Number: 1, Text: "a licensed item"}}}
	if licenceProblem(licensed) == "" {
		t.Error("licenceProblem passed a licensed instrument carrying item text")
	}
	licensed.Items[0].Text = ""
	if p := licenceProblem(licensed); p != "" {
		t.Errorf("licenceProblem refused a licensed instrument without text: %s", p)
	}
}

func TestAllReturnsCopies(t *testing.T) {
	first := All()
	first[2].Items[8].Text = "changed"
	first[2].Options[0].Label = "changed"
	first[1].Items = append(first[1].Items, Item{Number: 3, Text: "extra"})
	if phq9 := mustGet(t, PHQ9); phq9.Items[8].Text == "changed" || phq9.Options[0].Label == "changed" {
		t.Error("changing what All returned changed the PHQ-9 for everyone")
	}
	if phq2 := mustGet(t, PHQ2); len(phq2.Items) != 2 {
		t.Errorf("PHQ-2 has %d items after a caller appended to a copy", len(phq2.Items))
	}
}

// TestRegistryRules is the registry's table: one row per instrument, with
// its scoring, bands, cut-offs, safety item and ranges. Adding an
// instrument adds a row here.
func TestRegistryRules(t *testing.T) {
	phq9Bands := []Band{{4, "minimal"}, {9, "mild"}, {14, "moderate"}, {19, "moderately severe"}, {27, "severe"}}
	gad7Bands := []Band{{4, "minimal"}, {9, "mild"}, {14, "moderate"}, {21, "severe"}}
	tests := []struct {
		id            ID
		scoring       Scoring
		bands         []Band
		positiveAt    int
		stepUp        ID
		referAt       int
		safety        int
		trigger       Trigger
		lo, hi        int   // one item's scale
		totals, chart Range // what a total can be; what a chart of totals draws
		answerCodes   bool
	}{
		{SEMCD6, Scoring{Mean, 4}, nil, 0, "", 0, 0, "", 1, 10, Range{1, 10}, Range{0, 10}, false},
		{PHQ2, Scoring{Sum, 0}, nil, 3, PHQ9, 0, 0, "", 0, 3, Range{0, 6}, Range{0, 6}, true},
		{PHQ9, Scoring{Sum, 0}, phq9Bands, 0, "", 10, 9, TriggerPHQ9Item9, 0, 3, Range{0, 27}, Range{0, 27}, true},
		{GAD2, Scoring{Sum, 0}, nil, 3, GAD7, 0, 0, "", 0, 3, Range{0, 6}, Range{0, 6}, true},
		{GAD7, Scoring{Sum, 0}, gad7Bands, 0, "", 10, 0, "", 0, 3, Range{0, 21}, Range{0, 21}, true},
	}
	if len(tests) != len(All()) {
		t.Errorf("the table has %d rows for %d instruments", len(tests), len(All()))
	}
	for _, tc := range tests {
		inst := mustGet(t, tc.id)
		if inst.Scoring != tc.scoring || !reflect.DeepEqual(inst.Bands, tc.bands) {
			t.Errorf("%s: scoring %+v bands %v, want %+v %v", tc.id, inst.Scoring, inst.Bands, tc.scoring, tc.bands)
		}
		if inst.PositiveAt != tc.positiveAt || inst.StepUp != tc.stepUp || inst.ReferAt != tc.referAt {
			t.Errorf("%s: positive at %d step up %q refer at %d, want %d %q %d",
				tc.id, inst.PositiveAt, inst.StepUp, inst.ReferAt, tc.positiveAt, tc.stepUp, tc.referAt)
		}
		if inst.Safety.Number != tc.safety || inst.Safety.Trigger != tc.trigger || (inst.Safety.About != "") != (tc.safety > 0) {
			t.Errorf("%s: safety item %+v, want item %d trigger %q", tc.id, inst.Safety, tc.safety, tc.trigger)
		}
		if lo, hi := inst.Scale(); lo != tc.lo || hi != tc.hi {
			t.Errorf("%s: scale %d-%d, want %d-%d", tc.id, lo, hi, tc.lo, tc.hi)
		}
		if inst.Totals() != tc.totals || inst.Chart() != tc.chart {
			t.Errorf("%s: totals %v chart %v, want %v %v", tc.id, inst.Totals(), inst.Chart(), tc.totals, tc.chart)
		}
		for _, o := range inst.Options {
			if (o.LOINC != "") != tc.answerCodes {
				t.Errorf("%s: answer %d has LOINC code %q; want codes %v", tc.id, o.Value, o.LOINC, tc.answerCodes)
			}
		}
	}
}

func TestBandOf(t *testing.T) {
	tests := []struct {
		id    ID
		total int
		want  string
	}{
		{PHQ9, 0, "minimal"},
		{PHQ9, 4, "minimal"},
		{PHQ9, 5, "mild"},
		{PHQ9, 9, "mild"},
		{PHQ9, 10, "moderate"},
		{PHQ9, 14, "moderate"},
		{PHQ9, 15, "moderately severe"},
		{PHQ9, 19, "moderately severe"},
		{PHQ9, 20, "severe"},
		{PHQ9, 27, "severe"},
		{PHQ9, 28, ""},
		{GAD7, 0, "minimal"},
		{GAD7, 4, "minimal"},
		{GAD7, 5, "mild"},
		{GAD7, 9, "mild"},
		{GAD7, 10, "moderate"},
		{GAD7, 14, "moderate"},
		{GAD7, 15, "severe"},
		{GAD7, 21, "severe"},
		{GAD7, 22, ""},
		{PHQ2, 3, ""},
		{GAD2, 6, ""},
		{SEMCD6, 5, ""},
	}
	for _, tc := range tests {
		if got := mustGet(t, tc.id).BandOf(tc.total); got != tc.want {
			t.Errorf("%s total %d: band %q, want %q", tc.id, tc.total, got, tc.want)
		}
	}
}

// TestRegistryIsConsistent checks what every entry must hold, so a new one
// cannot contradict itself.
func TestRegistryIsConsistent(t *testing.T) {
	ids := map[ID]bool{}
	triggers := map[Trigger]ID{}
	for _, inst := range All() {
		if inst.ID == "" || ids[inst.ID] || inst.Name == "" || len(inst.Items) == 0 || len(inst.Options) == 0 {
			t.Errorf("%q: empty or repeated id, or no name, items or options", inst.ID)
		}
		ids[inst.ID] = true
		totals := inst.Totals()
		last := int(totals.Min) - 1
		for _, b := range inst.Bands {
			if b.UpTo <= last || b.Name == "" {
				t.Errorf("%s: band %+v does not follow the one before it (up to %d)", inst.ID, b, last)
			}
			last = b.UpTo
		}
		if len(inst.Bands) > 0 && float64(last) != totals.Max {
			t.Errorf("%s: the bands end at %d, the totals at %v", inst.ID, last, totals.Max)
		}
		switch inst.Scoring.Method {
		case Sum:
			if inst.Scoring.MinAnswered != 0 {
				t.Errorf("%s: a sum needs every item, yet MinAnswered is %d", inst.ID, inst.Scoring.MinAnswered)
			}
		case Mean:
			if inst.Scoring.MinAnswered < 1 || inst.Scoring.MinAnswered > len(inst.Items) {
				t.Errorf("%s: a mean of at least %d of %d items", inst.ID, inst.Scoring.MinAnswered, len(inst.Items))
			}
		default:
			t.Errorf("%s: unknown scoring %d", inst.ID, inst.Scoring.Method)
		}
		if (inst.PositiveAt > 0) != (inst.StepUp != "") || float64(inst.PositiveAt) > totals.Max || float64(inst.ReferAt) > totals.Max {
			t.Errorf("%s: positive at %d, step up %q, refer at %d, totals %v", inst.ID, inst.PositiveAt, inst.StepUp, inst.ReferAt, totals)
		}
		if inst.StepUp != "" {
			next, ok := Get(inst.StepUp)
			if !ok || len(next.Items) <= len(inst.Items) || !reflect.DeepEqual(next.Items[:len(inst.Items)], inst.Items) {
				t.Errorf("%s: steps up to %q, which does not begin with its items", inst.ID, inst.StepUp)
			}
		}
		if s := inst.Safety; s.Number != 0 {
			if s.Number < 1 || s.Number > len(inst.Items) || s.Trigger == "" || s.Trigger == TriggerCoach || triggers[s.Trigger] != "" {
				t.Errorf("%s: safety item %+v is out of range, or its trigger is empty or taken", inst.ID, s)
			}
			triggers[s.Trigger] = inst.ID
		} else if s != (SafetyItem{}) {
			t.Errorf("%s: safety item %+v without a number", inst.ID, s)
		}
		if inst.Closing == "" && len(inst.ClosingOptions) > 0 {
			t.Errorf("%s: closing options without a closing question", inst.ID)
		}
	}
}

// TestStepUp: a positive two-item screen's answers carry over to the full
// measure it steps up to, and nothing else steps up.
func TestStepUp(t *testing.T) {
	d := Declined
	tests := []struct {
		from    ID
		a       Answers
		to      ID // "" when there is no step up
		carried Answers
	}{
		{PHQ2, Answers{2, 1}, PHQ9, Answers{2, 1}},
		{PHQ2, Answers{3, 3}, PHQ9, Answers{3, 3}},
		{GAD2, Answers{0, 3}, GAD7, Answers{0, 3}},
		{GAD2, Answers{3, d}, GAD7, Answers{3, d}},
		{PHQ2, Answers{1}, PHQ9, Answers{1}},
		{PHQ2, nil, PHQ9, Answers{}},
		{PHQ2, Answers{1, 2, 3}, PHQ9, Answers{1, 2}}, // only the screen's own items
		{PHQ9, Answers{1, 1, 1, 1, 1, 1, 1, 1, 1}, "", nil},
		{GAD7, Answers{1, 1}, "", nil},
		{SEMCD6, Answers{5, 5}, "", nil},
	}
	for _, tc := range tests {
		a := append(Answers(nil), tc.a...)
		next, carried, ok := StepUp(mustGet(t, tc.from), a)
		if ok != (tc.to != "") || next.ID != tc.to || !reflect.DeepEqual(carried, tc.carried) {
			t.Errorf("StepUp(%s, %v) = %s %v %v; want %q %v", tc.from, tc.a, next.ID, carried, ok, tc.to, tc.carried)
		}
		if len(carried) > 0 {
			carried[0] = 99
			if a[0] == 99 {
				t.Errorf("StepUp(%s): the carried answers share the screen's", tc.from)
			}
		}
	}
	// A screen whose items are not the first of the measure it names
	// carries nothing: its answers would be to other questions.
	odd := mustGet(t, GAD2)
	odd.StepUp = PHQ9
	if next, carried, ok := StepUp(odd, Answers{3, 3}); ok || carried != nil || next.ID != "" {
		t.Errorf("a GAD-2 stepping up to the PHQ-9 carried %v to %s", carried, next.ID)
	}
}
