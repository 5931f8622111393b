package coaching

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A call window is when a person can be called, in a short checked form
// the app understands ("weekdays 12:00-14:00", "sat morning", "not before
// 10"), on the clock of their own time zone. Text typed before the form
// existed is kept: ReadCallWindow reads it leniently (ParseCallTimes) and
// says which of the two it is. The syntax and its choices are in
// docs/queue.md, "Call windows".

// WindowKind says how far the app understands what is recorded about when
// to call someone.
type WindowKind int

// The window kinds.
const (
	NoWindow      WindowKind = iota // nothing recorded
	FreeText                        // words the app does not read; shown as they are
	ReadFromWords                   // free text ParseCallTimes follows, not yet in the checked form
	CheckedWindow                   // the checked form ParseCallWindow reads
)

// String is the kind in plain words.
func (k WindowKind) String() string {
	switch k {
	case NoWindow:
		return "no call times"
	case FreeText:
		return "their words only"
	case ReadFromWords:
		return "read from their words"
	case CheckedWindow:
		return "call window"
	}
	return "unknown"
}

// CallWindow is when a person can be called, on their own clock. The zero
// value is NoWindow in UTC.
type CallWindow struct {
	kind WindowKind
	text string // the checked form, or the words as recorded
	loc  *time.Location
	week *weekMinutes // inside minutes of their week; nil unless understood
}

// WindowState is whether an instant is inside someone's window. The
// states sort in the queue's order: inside first, then those whose window
// is not known, then those outside it.
type WindowState int

// The window states.
const (
	InsideWindow WindowState = iota
	WindowUnknown
	OutsideWindow
)

// String is the state in plain words.
func (s WindowState) String() string {
	switch s {
	case InsideWindow:
		return "inside"
	case WindowUnknown:
		return "no window"
	case OutsideWindow:
		return "outside"
	}
	return "unknown"
}

// windowExamples are what a refusal offers to type instead.
const windowExamples = `"weekdays 12:00-14:00", "sat morning", "not before 10" or "mon-fri 9-11, sat 10:00-12:00"`

// ParseCallWindow reads call times typed in the checked form, in loc, the
// person's time zone (nil is UTC). Empty text is NoWindow: no preference.
// Anything ambiguous or impossible is refused with a sentence for the
// coach that gives examples. Parts are separated by "," or ";"; each is
//
//	[not] [days] [times]
//
// with days as mon, monday, mondays, mon-fri, tue/thu, tue and thu,
// weekdays, weekends, daily or every day, and times as 12:00-14:00,
// 9-11, 2-4pm, 22:00-01:00 (over midnight), morning, afternoon, evening,
// lunch time, before 11, after 18:00 or all day. "any time" is the whole
// week. A bare hour is on the 24-hour clock from 8 to 23; 0 to 7 are
// refused, since "2" may mean 02:00 or 14:00.
func ParseCallWindow(s string, loc *time.Location) (CallWindow, error) {
	if loc == nil {
		loc = time.UTC
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return CallWindow{loc: loc}, nil
	}
	clauses, err := readWindow(s)
	if err != nil {
		return CallWindow{}, err
	}
	week, err := buildWeek(s, clauses)
	if err != nil {
		return CallWindow{}, err
	}
	parts := make([]string, len(clauses))
	for i, c := range clauses {
		parts[i] = c.String()
	}
	return CallWindow{kind: CheckedWindow, text: strings.Join(parts, ", "), loc: loc, week: week}, nil
}

// ReadCallWindow reads call times as recorded, in loc, the person's time
// zone (nil is UTC), and never fails: text in the checked form is a
// CheckedWindow, free text ParseCallTimes follows is ReadFromWords, other
// words are FreeText, and nothing is NoWindow. Stored text goes through
// here; a form checking what a coach types uses ParseCallWindow.
func ReadCallWindow(s string, loc *time.Location) CallWindow {
	if w, err := ParseCallWindow(s, loc); err == nil {
		return w
	}
	if loc == nil {
		loc = time.UTC
	}
	w := CallWindow{kind: FreeText, text: strings.TrimSpace(s), loc: loc}
	if ct, ok := ParseCallTimes(s); ok {
		if week := ct.week(); !week.empty() {
			w.kind, w.week = ReadFromWords, week
		}
	}
	return w
}

// Kind says whether the window is checked, read from words, free text or
// nothing.
func (w CallWindow) Kind() WindowKind { return w.kind }

// Understood reports whether the app can tell from the window whether an
// instant suits the person: a checked window or words it reads.
func (w CallWindow) Understood() bool { return w.week != nil }

// String is the checked form, tidied ("mon-fri 09:00-11:00, sat
// morning"), which ParseCallWindow reads back to the same window; for
// other kinds it is the words as recorded.
func (w CallWindow) String() string { return w.text }

// Location is the time zone the window is on.
func (w CallWindow) Location() *time.Location {
	if w.loc == nil {
		return time.UTC
	}
	return w.loc
}

// In is the same window on the clock of loc: for the retry rule's hours,
// which are the same for everyone but read on each person's clock.
func (w CallWindow) In(loc *time.Location) CallWindow {
	w.loc = loc
	return w
}

// Contains reports whether t, on the person's clock, is inside the
// window. A window not understood contains nothing.
func (w CallWindow) Contains(t time.Time) bool {
	return w.week != nil && w.week.has(weekMinute(t.In(w.Location())))
}

// State says whether t is inside the window, outside it, or unknown.
func (w CallWindow) State(t time.Time) WindowState {
	switch {
	case w.week == nil:
		return WindowUnknown
	case w.Contains(t):
		return InsideWindow
	}
	return OutsideWindow
}

// Next is the first instant at or after t inside the window, in the
// person's zone: t itself when it is inside. On the day the clocks go
// forward a window starting in the skipped hour opens when the clocks
// show a time inside it; when they go back, a wall time inside the
// window counts both times it happens. ok is false only when the window
// is not understood.
func (w CallWindow) Next(t time.Time) (time.Time, bool) { return w.nextEdge(t, true) }

// Closes is the first instant at or after t outside the window: when the
// window open at t closes. ok is false when the window never closes (any
// time) or is not understood.
func (w CallWindow) Closes(t time.Time) (time.Time, bool) { return w.nextEdge(t, false) }

// nextEdge is the first instant at or after t whose minute on the
// person's clock is inside the window (want true) or outside it.
//
// Between two clock changes the clock moves with real time, so the wanted
// minute is found by counting minutes on the clock; when a clock change
// comes first, the search starts again from it.
func (w CallWindow) nextEdge(t time.Time, want bool) (time.Time, bool) {
	if w.week == nil {
		return time.Time{}, false
	}
	loc := w.Location()
	x := t.In(loc)
	// A year holds few clock changes; the bound only keeps an unusual
	// zone from looping.
	for range 64 {
		m := weekMinute(x)
		if w.week.has(m) == want {
			return x, true
		}
		k, ok := w.week.ahead(m, want)
		if !ok {
			return time.Time{}, false
		}
		minuteStart := x.Add(-time.Duration(x.Second())*time.Second - time.Duration(x.Nanosecond()))
		cand := minuteStart.Add(time.Duration(k) * time.Minute)
		_, change := x.ZoneBounds()
		if change.IsZero() || cand.Before(change) {
			return cand.In(loc), true
		}
		x = change.In(loc)
	}
	return time.Time{}, false
}

// Describe says in a few words, for a list or a panel, whether now is
// inside the window, and when it next opens or closes on the person's
// clock, with the coach's own time beside it when their clocks differ:
// "inside their window until 14:00 their time", "outside: next window
// 12:00 their time (07:00 yours)". It is empty when the window is not
// understood: the screen shows the words instead.
func (w CallWindow) Describe(now time.Time, coachLoc *time.Location) string {
	if w.week == nil {
		return ""
	}
	if w.Contains(now) {
		end, ok := w.Closes(now)
		if !ok {
			return "inside their window"
		}
		return "inside their window until " + w.clockWords(end, now, coachLoc)
	}
	next, ok := w.Next(now)
	if !ok {
		return "outside their window"
	}
	return "outside: next window " + w.clockWords(next, now, coachLoc)
}

// clockWords shows t on the person's clock, with the day when it is not
// today there, and the coach's clock beside it when it shows another
// time: "12:00 their time", "Tue 12:00 their time (Mon 23:00 yours)".
func (w CallWindow) clockWords(t, now time.Time, coachLoc *time.Location) string {
	their, theirNow := t.In(w.Location()), now.In(w.Location())
	text := their.Format("15:04")
	if !dayOf(their).Equal(dayOf(theirNow)) {
		text = their.Format("Mon 15:04")
	}
	text += " their time"
	if coachLoc == nil {
		return text
	}
	yours, yoursNow := t.In(coachLoc), now.In(coachLoc)
	if yours.Format(time.DateTime) == their.Format(time.DateTime) {
		return text
	}
	mine := yours.Format("15:04")
	if !dayOf(yours).Equal(dayOf(yoursNow)) {
		mine = yours.Format("Mon 15:04")
	}
	return text + " (" + mine + " yours)"
}

// weekLen is the minutes in a week.
const weekLen = 7 * day

// weekMinutes holds one bit per minute of the week, from Sunday 00:00 on
// the person's clock (time.Weekday's order).
type weekMinutes [(weekLen + 63) / 64]uint64

// weekMinute is the minute of the week t shows on its own clock.
func weekMinute(t time.Time) int {
	return int(t.Weekday())*day + t.Hour()*60 + t.Minute()
}

func (w *weekMinutes) has(m int) bool { return w[m/64]&(1<<(m%64)) != 0 }

// mark sets (on) or clears minutes from up to to, which may run past the
// end of the week into its start (Saturday 22:00 to Sunday 01:00).
func (w *weekMinutes) mark(from, to int, on bool) {
	for m := from; m < to; m++ {
		i := m % weekLen
		if on {
			w[i/64] |= 1 << (i % 64)
		} else {
			w[i/64] &^= 1 << (i % 64)
		}
	}
}

// ahead is how many minutes after the start of minute m the first minute
// that is inside (want true) or outside comes, going round the week; ok is
// false when there is none.
func (w *weekMinutes) ahead(m int, want bool) (int, bool) {
	for k := 1; k <= weekLen; k++ {
		if w.has((m+k)%weekLen) == want {
			return k, true
		}
	}
	return 0, false
}

func (w *weekMinutes) empty() bool {
	for _, b := range w {
		if b != 0 {
			return false
		}
	}
	return true
}

// week is the lenient reading as minutes of the week; what it excludes
// wins over what it includes, as in Suits.
func (ct CallTimes) week() *weekMinutes {
	w := new(weekMinutes)
	if len(ct.include) == 0 {
		w.mark(0, weekLen, true)
	}
	for _, s := range ct.include {
		s.markOn(w, true)
	}
	for _, s := range ct.exclude {
		s.markOn(w, false)
	}
	return w
}

func (s callSlot) markOn(w *weekMinutes, on bool) {
	for d, yes := range s.days {
		if yes {
			w.mark(d*day+s.from, d*day+s.to, on)
		}
	}
}

// windowPeriods() are the periods of the day the checked form takes, with
// the meanings ParseCallTimes gives them.
var windowPeriods = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"morning": "morning", "afternoon": "afternoon", "evening": "evening",
		"lunch": "lunch time", "lunchtime": "lunch time",
	}
})

// timeKind is what the times part of a clause says.
type timeKind int

const (
	timeAllDay timeKind = iota // no times, or "all day"
	timeRange                  // 12:00-14:00, a period, before 11, after 18:00
)

// windowClause is one part of a checked window: some days, some times.
type windowClause struct {
	not      bool
	days     [7]bool
	anyDays  bool   // days were named
	said     string // how the times were said, tidied: "morning", "09:00-11:00", "before 11:00"
	kind     timeKind
	explicit bool // "all day" or "any time" said in words
	from, to int  // minutes after midnight; to past day when the window runs over midnight
}

// String is the clause in the checked form.
func (c windowClause) String() string {
	var parts []string
	if c.not {
		parts = append(parts, "not")
	}
	if c.anyDays {
		parts = append(parts, daysWords(c.days))
	}
	switch {
	case c.kind == timeRange:
		parts = append(parts, c.said)
	case !c.anyDays:
		parts = append(parts, "any time")
	case !c.not:
		parts = append(parts, "all day")
	}
	return strings.Join(parts, " ")
}

// readWindow splits s into clauses and reads each.
func readWindow(s string) ([]windowClause, error) {
	lower := strings.ToLower(s)
	lower = strings.NewReplacer("–", "-", "—", "-", "a.m.", "am", "p.m.", "pm").Replace(lower)
	for _, r := range lower {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == ':', r == '-', r == '/', r == ',', r == ';', r == ' ':
		default:
			return nil, refuse(fmt.Sprintf("%s has %s in it, which call times do not use", quoteInput(s), runeWords(r)), "")
		}
	}
	var clauses []windowClause
	for _, part := range strings.FieldsFunc(lower, func(r rune) bool { return r == ',' || r == ';' }) {
		toks := windowTokens(part)
		if len(toks) == 0 {
			continue
		}
		c, err := readClause(strings.TrimSpace(part), toks)
		if err != nil {
			return nil, err
		}
		clauses = append(clauses, c)
	}
	if len(clauses) == 0 {
		return nil, refuse(fmt.Sprintf("%s has no days or times in it", quoteInput(s)), "")
	}
	return clauses, nil
}

// runeWords names a character for an error: "a bracket", `'!'`.
func runeWords(r rune) string {
	switch r {
	case '(', ')', '[', ']':
		return "a bracket"
	case '.':
		return "a full stop (times are written 12:00)"
	}
	return strconv.QuoteRune(r)
}

// refuse is an error for the coach that ends with examples that work:
// example when given, else the general ones.
func refuse(msg, example string) error {
	if example == "" {
		example = windowExamples
	}
	return fmt.Errorf("%s; e.g. %s", msg, example)
}

// windowTokens splits a clause into words, keeping "-" and "/" as words of
// their own and joining "9 am" into "9am".
func windowTokens(part string) []string {
	part = strings.NewReplacer("-", " - ", "/", " / ").Replace(part)
	var toks []string
	for _, f := range strings.Fields(part) {
		if n := len(toks); (f == "am" || f == "pm") && n > 0 && isClock(toks[n-1]) {
			toks[n-1] += f
			continue
		}
		toks = append(toks, f)
	}
	return toks
}

// windowDay is one day word, singular or plural: "mon", "mondays".
func windowDay(w string) (time.Weekday, bool) {
	if d, ok := weekdays()[w]; ok {
		return d, true
	}
	if strings.HasSuffix(w, "days") {
		if d, ok := weekdays()[strings.TrimSuffix(w, "s")]; ok {
			return d, true
		}
	}
	return 0, false
}

// readClause reads one part: [not] [days] [times].
func readClause(said string, toks []string) (windowClause, error) {
	var c windowClause
	if toks[0] == "not" {
		c.not, toks = true, toks[1:]
		if len(toks) == 0 {
			return c, refuse(`"not" on its own says nothing; say what to avoid`, `"not before 10", "not wed" or "not sat afternoon"`)
		}
	}
	n, err := readDays(toks, &c)
	if err != nil {
		return c, err
	}
	rest := toks[n:]
	if len(rest) == 0 {
		if !c.anyDays {
			return c, refuse(fmt.Sprintf("%s has no days or times in it", quoteInput(said)), "")
		}
		return c, nil
	}
	n, err = readTimes(rest, &c)
	if err != nil {
		return c, err
	}
	if n < len(rest) {
		left := strings.Join(rest[n:], " ")
		if _, known := windowPeriods()[singular(rest[n])]; known || looksLikeClock(rest[n]) || rest[n] == "before" || rest[n] == "after" {
			return c, refuse(fmt.Sprintf("%s gives two times in one part (%s is extra); give each its own part, separated by a comma", quoteInput(said), quoteInput(left)), `"weekdays morning, weekdays 18:00-20:00"`)
		}
		if _, isDay := windowDay(rest[n]); isDay || singular(rest[n]) == "weekday" || singular(rest[n]) == "weekend" {
			return c, refuse(fmt.Sprintf("in %s the days come after the times; put them first", quoteInput(said)), `"sat 10:00-12:00"`)
		}
		return c, refuse(fmt.Sprintf("in %s, %s is not a day or time I can read", quoteInput(said), quoteInput(left)), "")
	}
	if c.not && c.kind == timeAllDay && !c.anyDays {
		return c, refuse(fmt.Sprintf("%s leaves no time to call", quoteInput(said)), "")
	}
	return c, nil
}

// readDays reads the days at the start of toks into c and says how many
// words it took: one day or a group of days, or a range of days, each
// perhaps followed by "/" or "and" and more.
func readDays(toks []string, c *windowClause) (int, error) {
	set := func(ds ...time.Weekday) {
		c.anyDays = true
		for _, d := range ds {
			c.days[d] = true
		}
	}
	if len(toks) > 1 && toks[0] == "every" && toks[1] == "day" {
		set(allWeek...)
		return 2, nil
	}
	i := 0
	for i < len(toks) {
		w := toks[i]
		switch group := singular(w); {
		case group == "daily":
			set(allWeek...)
			i++
		case group == "weekday" || group == "weekend":
			set(callDays()[group]...)
			i++
		default:
			d, ok := windowDay(w)
			if !ok {
				if i > 0 {
					return 0, refuse(fmt.Sprintf("%s should be a day after %s", quoteInput(w), quoteInput(toks[i-1])), `"tue/thu 10:00-12:00" or "mon-wed morning"`)
				}
				return 0, nil
			}
			i++
			e := d
			if i+1 < len(toks) && toks[i] == "-" && !looksLikeClock(toks[i+1]) {
				if e, ok = windowDay(toks[i+1]); !ok {
					return 0, refuse(fmt.Sprintf("%s is not a day", quoteInput(toks[i+1])), `"mon-fri 9-11"`)
				}
				i += 2
			}
			for x := d; ; x = (x + 1) % 7 {
				set(x)
				if x == e {
					break
				}
			}
		}
		if i+1 < len(toks) && (toks[i] == "/" || toks[i] == "and") {
			i++
			continue
		}
		break
	}
	return i, nil
}

var allWeek = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}

// looksLikeClock reports whether w reads as a time of day in a call window,
// right or wrong: "9", "9am", "12:00".
func looksLikeClock(w string) bool {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "am"), "pm")
	return w != "" && isClock(w) || w == "noon" || w == "midday" || w == "midnight"
}

// readTimes reads the times part into c and says how many words it took.
func readTimes(toks []string, c *windowClause) (int, error) {
	w := toks[0]
	next := func(i int) string {
		if i < len(toks) {
			return toks[i]
		}
		return ""
	}
	switch {
	case w == "all" && next(1) == "day":
		c.explicit = true
		return 2, nil
	case w == "any" && next(1) == "time", w == "anytime":
		if c.anyDays {
			return 0, refuse(`"any time" is the whole week; for a whole day say "all day"`, `"sat all day"`)
		}
		c.explicit = true
		if w == "any" {
			return 2, nil
		}
		return 1, nil
	case w == "early" || w == "late":
		return 0, refuse(fmt.Sprintf("%s narrows a period in a way the checked form does not take; give the hours", quoteInput(w+" "+next(1))), `"10:00-12:00" for late morning`)
	}
	if p, ok := windowPeriods()[singular(w)]; ok {
		n := 1
		if w == "lunch" && next(1) == "time" {
			n = 2
		}
		span := callPeriods()[strings.ReplaceAll(p, " ", "")]
		c.kind, c.said, c.from, c.to = timeRange, p, span[0], span[1]
		return n, nil
	}
	if w == "before" || w == "after" {
		if next(1) == "" {
			return 0, refuse(fmt.Sprintf("%q needs a time after it", w), `"before 11" or "after 18:00"`)
		}
		m, err := windowClock(next(1), w == "before")
		if err != nil {
			return 0, err
		}
		c.kind = timeRange
		if w == "before" {
			c.from, c.to = 0, m
		} else {
			c.from, c.to = m, day
		}
		if c.from >= c.to {
			return 0, refuse(fmt.Sprintf("%s leaves no time in the day", quoteInput(w+" "+next(1))), `"before 11" or "after 18:00"`)
		}
		c.said = w + " " + clockText(m)
		return 2, nil
	}
	if w == "-" || w == "/" {
		return 0, refuse(fmt.Sprintf("%q needs a day or a time on each side", w), `"mon-fri 9-11" or "tue/thu morning"`)
	}
	if !looksLikeClock(w) {
		return 0, refuse(fmt.Sprintf("%s is not a day or a time of day I can read in call times", quoteInput(w)), "")
	}
	if next(1) != "-" && next(1) != "to" {
		return 0, refuse(fmt.Sprintf("%s on its own is a moment, not a window; give a start and an end", quoteInput(w)), fmt.Sprintf(`"%s" or "before %s"`, exampleRange(w), w))
	}
	if next(2) == "" {
		return 0, refuse(fmt.Sprintf("%s needs an end time", quoteInput(w+" "+next(1))), `"9-11" or "12:00-14:00"`)
	}
	from, to, err := windowRange(w, next(2))
	if err != nil {
		return 0, err
	}
	c.kind, c.from, c.to = timeRange, from, to
	c.said = clockText(from) + "-" + clockText(to%day)
	return 3, nil
}

// exampleRange suggests a window starting at what was typed, for an
// error: "9" gives "9-11".
func exampleRange(w string) string {
	if m, err := windowClock(w, false); err == nil && m+120 < day {
		return clockText(m) + "-" + clockText(m+120)
	}
	return "12:00-14:00"
}

// windowRange reads a start and an end. An end with am or pm lends it to a
// bare start, as people say "2-4pm"; a window may run over midnight
// (22:00-01:00) when both ends are written as times, for at most 12 hours.
func windowRange(a, b string) (from, to int, err error) {
	if allDigits(a) && allDigits(b) {
		if err := bareRange(a, b); err != nil {
			return 0, 0, err
		}
	}
	suffix := ""
	if strings.HasSuffix(b, "am") || strings.HasSuffix(b, "pm") {
		suffix = b[len(b)-2:]
	}
	end, err := windowClock(b, true)
	if err != nil {
		return 0, 0, err
	}
	if suffix != "" && allDigits(a) {
		// "2-4pm" is 14:00-16:00, "11-1pm" 11:00-13:00.
		other := map[string]string{"am": "pm", "pm": "am"}[suffix]
		for _, s := range []string{suffix, other} {
			if m, err := windowClock(a+s, false); err == nil && m < end {
				return m, end, nil
			}
		}
	}
	from, err = windowClock(a, false)
	if err != nil {
		return 0, 0, err
	}
	switch {
	case from == end:
		return 0, 0, refuse(fmt.Sprintf("%s-%s starts and ends at the same time", a, b), `"10:00-12:00"`)
	case from < end:
		return from, end, nil
	case allDigits(a) || allDigits(b):
		return 0, 0, refuse(fmt.Sprintf("%s-%s would run over midnight; if that is meant, write both as times", a, b), fmt.Sprintf(`"%s-%s"`, clockText(from), clockText(end)))
	case end+day-from > 12*60:
		return 0, 0, refuse(fmt.Sprintf("%s-%s runs over midnight for %d hours; check the start and the end are not swapped", a, b, (end+day-from)/60), fmt.Sprintf(`"%s-%s"`, clockText(end), clockText(from)))
	}
	return from, end + day, nil
}

// bareRange refuses a range of bare hours one of which is 1 to 7
// ("3-5", "7-9", "10-2"): on the 24-hour clock that is the night, but
// people often mean the afternoon or evening. The error offers each
// reading that makes a window, to type instead.
func bareRange(a, b string) error {
	h1, _ := strconv.Atoi(a)
	h2, _ := strconv.Atoi(b)
	night := func(h int) bool { return h >= 1 && h <= 7 }
	if len(a) > 2 || len(b) > 2 || !night(h1) && !night(h2) {
		return nil
	}
	pm := func(h int) int {
		if night(h) {
			return h + 12
		}
		return h
	}
	var readings []string
	for _, r := range [][2]int{{pm(h1), pm(h2)}, {h1 + 12, h2 + 12}, {h1, h2}} {
		text := fmt.Sprintf(`"%02d:00-%02d:00" (%s-%s)`, r[0], r[1], ampm(r[0]), ampm(r[1]))
		if r[0] < r[1] && r[1] <= 23 && !slices.Contains(readings, text) {
			readings = append(readings, text)
		}
	}
	if len(readings) == 0 {
		return nil // no reading makes a window: the hours are refused one by one
	}
	return refuse(fmt.Sprintf("%s-%s is unclear: an hour from 1 to 7 with no am, pm or minutes may be early morning or afternoon", a, b), strings.Join(readings, " or "))
}

// ampm is an hour on the 12-hour clock: 14 is "2pm".
func ampm(h int) string {
	switch {
	case h == 0:
		return "12am"
	case h < 12:
		return fmt.Sprintf("%dam", h)
	case h == 12:
		return "12pm"
	}
	return fmt.Sprintf("%dpm", h-12)
}

// windowClock reads one time in a call window as minutes after midnight:
// 12:00, 9:30, 9am, 2:30pm, noon, midnight, or a bare hour from 8 to 23.
// end says it closes a window, where 00:00, 24:00 and midnight are the end
// of the day (1440).
func windowClock(w string, end bool) (int, error) {
	switch w {
	case "noon", "midday":
		return 12 * 60, nil
	case "midnight":
		if end {
			return day, nil
		}
		return 0, nil
	}
	if allDigits(w) {
		h, _ := strconv.Atoi(w)
		switch {
		case len(w) > 2 || h > 24:
			return 0, refuse(fmt.Sprintf("%s is not a time of day", quoteInput(w)), `"9-11" or "12:00-14:00"`)
		case h == 0 || h == 24:
			return 0, refuse(fmt.Sprintf("%q is unclear as a time", w), "00:00 or midnight")
		case h <= 7:
			return 0, refuse(fmt.Sprintf("%q could be %02d:00 or %02d:00", w, h, h+12), fmt.Sprintf("%02d:00 or %dpm, or %02d:00 or %dam", h+12, h, h, h))
		}
		return h * 60, nil
	}
	if w == "24:00" && end {
		return day, nil
	}
	h, m, _, ok, err := readClock(w)
	if err != nil {
		return 0, refuse(strings.Split(err.Error(), ";")[0], `"12:00-14:00" or "9am-11am"`)
	}
	if !ok || strings.Count(w, ":") > 1 {
		return 0, refuse(fmt.Sprintf("%s is not a time of day", quoteInput(w)), `"12:00-14:00" or "9am-11am"`)
	}
	if end && h == 0 && m == 0 {
		return day, nil
	}
	return h*60 + m, nil
}

// clockText is minutes after midnight as the checked form writes them.
func clockText(m int) string { return fmt.Sprintf("%02d:%02d", m/60%24, m%60) }

// daysWords writes days as the checked form does: "weekdays", "sat",
// "mon-wed/fri", from Monday on.
func daysWords(days [7]bool) string {
	weekdaySet := [7]bool{false, true, true, true, true, true, false}
	switch days {
	case [7]bool{true, true, true, true, true, true, true}:
		return "daily"
	case weekdaySet:
		return "weekdays"
	case [7]bool{true, false, false, false, false, false, true}:
		return "weekends"
	}
	names := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	order := []int{1, 2, 3, 4, 5, 6, 0}
	var parts []string
	for i := 0; i < 7; {
		if !days[order[i]] {
			i++
			continue
		}
		j := i
		for j+1 < 7 && days[order[j+1]] {
			j++
		}
		switch {
		case j-i >= 2:
			parts = append(parts, names[order[i]]+"-"+names[order[j]])
		case j == i+1:
			parts = append(parts, names[order[i]], names[order[j]])
		default:
			parts = append(parts, names[order[i]])
		}
		i = j + 1
	}
	return strings.Join(parts, "/")
}

// buildWeek turns the clauses into minutes of the week: the union of what
// they include (the whole week when none does) less what they exclude.
// It refuses a window left empty, and days named alone beside days with
// times ("mon, wed 10:00-12:00"), where "mon" may mean all day or the
// same hours.
func buildWeek(s string, clauses []windowClause) (*weekMinutes, error) {
	var dayOnly, timed *windowClause
	include := false
	for i := range clauses {
		c := &clauses[i]
		if c.not {
			continue
		}
		include = true
		switch {
		case c.kind == timeRange:
			timed = c
		case c.anyDays && !c.explicit:
			dayOnly = c
		}
	}
	if dayOnly != nil && timed != nil {
		both := *timed
		both.anyDays = true
		for d, on := range dayOnly.days {
			both.days[d] = both.days[d] || on || !timed.anyDays
		}
		d := daysWords(dayOnly.days)
		return nil, refuse(fmt.Sprintf("%s: is %s all day, or %s too?", quoteInput(s), d, timed.said),
			fmt.Sprintf(`"%s all day, %s" or "%s"`, d, timed, both))
	}
	w := new(weekMinutes)
	if !include {
		w.mark(0, weekLen, true)
	}
	for _, c := range clauses {
		from, to := 0, day
		if c.kind == timeRange {
			from, to = c.from, c.to
		}
		for d, on := range c.days {
			if on || !c.anyDays {
				w.mark(d*day+from, d*day+to, !c.not)
			}
		}
	}
	// Exclusions win whatever their order: mark them again last.
	for _, c := range clauses {
		if !c.not {
			continue
		}
		from, to := 0, day
		if c.kind == timeRange {
			from, to = c.from, c.to
		}
		for d, on := range c.days {
			if on || !c.anyDays {
				w.mark(d*day+from, d*day+to, false)
			}
		}
	}
	if w.empty() {
		return nil, refuse(fmt.Sprintf("%s leaves no time at all to call", quoteInput(s)), "")
	}
	return w, nil
}
