package coaching

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// DefaultFollowUpHour is the time of day ParseWhen uses when only a day is
// typed ("fri", "in 2 weeks"). The caller shows the result, so the coach
// sees 09:00 and can add a time; nothing is guessed silently.
const DefaultFollowUpHour = 9

const isoDate = "2006-01-02"

// ParseWhen reads when a follow-up is due, as a coach types it, and returns
// the instant in loc, the person's time zone. It accepts, in any case:
//
//	2026-11-24, 2026-11-24 10:00, 2026-11-24T10:00[:00]  wall clock in loc
//	2026-11-24T10:00:00+11:00                            RFC 3339: an exact instant
//	today, tomorrow
//	fri, friday, next fri                                the next Friday strictly after today (but see below)
//	+3d, +2w, in 3 days, in 2 weeks, in a week, in 1 day
//
// each but RFC 3339 optionally with a time before or after it ("tomorrow
// 10:00", "fri at 2pm", "9am mon"): 14:00, 9:30am, 9am, 12pm (noon), 12am
// (midnight). A bare number ("10"), a time with no day, and dates such as
// 11/12/2026, read differently in different countries, are refused. With
// no time, DefaultFollowUpHour is used.
//
// Days are counted on the calendar in loc, so "tomorrow 10:00" is 10:00 on
// the clocks there even across a clock change. A wall time skipped when the
// clocks go forward is refused; one that happens twice when they go back is
// the first of the two. A time in the past, or more than a year ahead, is
// refused. Errors are sentences for the coach with examples that work.
//
// A weekday's name typed on that weekday ("mon 10:00" on a Monday, in
// loc) may mean today or a week today. When that time today is still to
// come, the error is a *TodayOrNextWeek for the screen to ask which; when
// it has passed (or does not happen today), it is a week today. "next mon"
// is always a week today.
func ParseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	r, err := readWhen(s, now, loc, false)
	if err != nil {
		return time.Time{}, err
	}
	t := r.exact
	if !r.isExact {
		h, m, sec := DefaultFollowUpHour, 0, 0
		if r.clock {
			h, m, sec = r.hour, r.min, r.sec
		}
		if t, err = wallClock(r.day, h, m, sec, loc); err != nil {
			return time.Time{}, err
		}
		if r.todayToo {
			if today, err := wallClock(r.day.AddDate(0, 0, -7), h, m, sec, loc); err == nil && !today.Before(now) {
				return time.Time{}, r.ask(s, today.In(loc), t.In(loc))
			}
		}
	}
	if t.Before(now) {
		note := ""
		if !r.clock {
			note = fmt.Sprintf(": with no time given, %02d:00 is used", DefaultFollowUpHour)
		}
		return time.Time{}, fmt.Errorf("that is in the past (%s%s); give a later day or time, e.g. tomorrow 10:00", t.In(loc).Format("Mon 2 Jan 2006 15:04"), note)
	}
	if t.After(now.In(loc).AddDate(1, 0, 0)) {
		return time.Time{}, fmt.Errorf("%s is more than a year away; check the year", t.In(loc).Format("2 Jan 2006"))
	}
	return t.In(loc), nil
}

// ParseDate reads a plan's start or review date, as a coach types it, and
// returns it as YYYY-MM-DD in loc, the person's time zone. It accepts the
// same forms as ParseWhen; a time typed with the day is checked and then
// not used. A weekday's name typed on that weekday is always asked about
// (*TodayOrNextWeek): today and a week today are both fair plan dates. The past is allowed (a plan may have started yesterday), but a
// date more than a year before or after today is refused as a likely typo.
func ParseDate(s string, now time.Time, loc *time.Location) (string, error) {
	r, err := readWhen(s, now, loc, true)
	if err != nil {
		return "", err
	}
	today := dayOf(now.In(loc))
	if r.todayToo {
		return "", r.ask(s, time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc), time.Date(r.day.Year(), r.day.Month(), r.day.Day(), 0, 0, 0, 0, loc))
	}
	switch {
	case r.day.Before(today.AddDate(-1, 0, 0)):
		return "", fmt.Errorf("%s is more than a year ago; check the year", r.day.Format("2 Jan 2006"))
	case r.day.After(today.AddDate(1, 0, 0)):
		return "", fmt.Errorf("%s is more than a year away; check the year", r.day.Format("2 Jan 2006"))
	}
	return r.day.Format(isoDate), nil
}

// reading is what readWhen understood: a calendar day, perhaps a time of
// day, or for RFC 3339 input an exact instant.
type reading struct {
	day            time.Time // midnight UTC standing for a date on the calendar
	clock          bool      // a time of day was typed
	hour, min, sec int
	isExact        bool
	exact          time.Time
	// todayToo: the day is a weekday's name that is today's, read as a
	// week today; words[dayAt] is that name.
	todayToo bool
	words    []string
	dayAt    int
}

// TodayOrNextWeek is the error ParseWhen and ParseDate give when a
// weekday's name typed is today's ("mon 10:00" on a Monday) and both
// today and a week today could be meant: the screen asks which. Typing
// Today or NextWeek back into the same function gives that one.
type TodayOrNextWeek struct {
	Input      string
	Weekday    time.Weekday
	TodayAt    time.Time // ParseWhen: the instant today; ParseDate: the start of today; in the person's zone
	NextWeekAt time.Time // the same a week later
	Today      string    // the words for today: "today 10:00"
	NextWeek   string    // the words for a week today: "next mon 10:00"
}

func (e *TodayOrNextWeek) Error() string {
	return fmt.Sprintf("%s: %s is today. Type %s for today, or %s for %s", quoteInput(e.Input), e.Weekday, e.Today, e.NextWeek, e.NextWeekAt.Format("Mon 2 Jan"))
}

// ask is the question for a reading whose weekday is today's.
func (r reading) ask(input string, today, nextWeek time.Time) *TodayOrNextWeek {
	swap := func(w string) string {
		words := append([]string(nil), r.words...)
		words[r.dayAt] = w
		return strings.Join(words, " ")
	}
	return &TodayOrNextWeek{
		Input: input, Weekday: today.Weekday(), TodayAt: today, NextWeekAt: nextWeek,
		Today: swap("today"), NextWeek: swap("next " + r.words[r.dayAt]),
	}
}

// dayOf is the calendar date t shows, as midnight UTC: days are then added
// with AddDate and compared without any clock change getting in the way.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// readWhen parses s into a reading; forDate picks the examples and the
// advice given in errors.
func readWhen(s string, now time.Time, loc *time.Location, forDate bool) (reading, error) {
	today := dayOf(now.In(loc))
	examples := fmt.Sprintf("%s, tomorrow 10:00, fri 14:00, +3d or in 2 weeks", today.AddDate(0, 0, 7).Format(isoDate))
	if forDate {
		examples = fmt.Sprintf("%s, today, tomorrow, mon, +1w or in 2 weeks", today.AddDate(0, 0, 7).Format(isoDate))
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return reading{}, fmt.Errorf("nothing typed; try %s", examples)
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, strings.ToUpper(s)); err == nil {
			t = t.In(loc)
			return reading{day: dayOf(t), clock: true, hour: t.Hour(), min: t.Minute(), sec: t.Second(), isExact: true, exact: t}, nil
		}
	}
	unreadable := fmt.Errorf("%s is not a date I can read; try %s", quoteInput(s), examples)
	toks := whenTokens(s)
	if len(toks) == 0 {
		return reading{}, unreadable
	}
	for _, t := range toks {
		if pastWords()[t] {
			if forDate {
				return reading{}, fmt.Errorf("%s: words for past days are not read; type the date itself, e.g. %s", quoteInput(s), today.AddDate(0, 0, -1).Format(isoDate))
			}
			return reading{}, fmt.Errorf("%s is in the past; a follow-up needs a day still to come, e.g. tomorrow 10:00", quoteInput(s))
		}
		if err := slashDate(t, today); err != nil {
			return reading{}, err
		}
	}

	// The day first, then perhaps a time: "tomorrow 10:00".
	day, n, err := readDay(toks, today)
	if err != nil {
		return reading{}, err
	}
	if n > 0 {
		r := reading{day: day}
		r.todayToo, r.words, r.dayAt = isToday(toks[0], today), toks, 0
		switch rest := toks[n:]; len(rest) {
		case 0:
			return r, nil
		case 1:
			h, m, sec, ok, err := readClock(rest[0])
			if err != nil {
				return reading{}, err
			}
			if ok {
				r.clock, r.hour, r.min, r.sec = true, h, m, sec
				return r, nil
			}
		}
		return reading{}, unreadable
	}

	// A time first, then the day: "2pm fri".
	h, m, sec, ok, err := readClock(toks[0])
	if err != nil {
		return reading{}, err
	}
	if !ok {
		return reading{}, unreadable
	}
	if len(toks) == 1 {
		return reading{}, fmt.Errorf("%s has no day; say which day too, e.g. today %s or tomorrow %s", quoteInput(s), toks[0], toks[0])
	}
	day, n, err = readDay(toks[1:], today)
	if err != nil {
		return reading{}, err
	}
	if n != len(toks)-1 {
		return reading{}, unreadable
	}
	return reading{day: day, clock: true, hour: h, min: m, sec: sec, todayToo: isToday(toks[1], today), words: toks, dayAt: 1}, nil
}

// isToday reports whether tok is the name of today's weekday.
func isToday(tok string, today time.Time) bool {
	wd, ok := weekdays()[tok]
	return ok && wd == today.Weekday()
}

// quoteInput quotes what the coach typed for an error, escaping anything
// unprintable and cutting a long paste short.
func quoteInput(s string) string {
	const limit = 40
	if utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit]) + "…"
	}
	return strconv.Quote(s)
}

// whenTokens lower-cases s and splits it into words: "2026-11-24T10:00"
// becomes a date and a time, "9 am" becomes "9am", and the fillers "at" and
// "on" are dropped.
func whenTokens(s string) []string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("a.m.", "am", "p.m.", "pm", ",", " ").Replace(s)
	var out []string
	for _, f := range strings.Fields(s) {
		switch {
		case f == "at" || f == "on":
			continue
		case (f == "am" || f == "pm") && len(out) > 0:
			out[len(out)-1] += f
			continue
		case len(f) > 11 && f[10] == 't' && isoShape(f[:10]):
			out = append(out, f[:10], f[11:])
			continue
		}
		out = append(out, f)
	}
	return out
}

// pastWords() name days gone by; follow-ups are never in the past and plan
// dates in the past are typed as dates.
var pastWords = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"yesterday": true, "last": true, "ago": true, "previous": true}
})

var weekdays = sync.OnceValue(func() map[string]time.Weekday {
	return map[string]time.Weekday{
		"sun": time.Sunday, "sunday": time.Sunday,
		"mon": time.Monday, "monday": time.Monday,
		"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
		"wed": time.Wednesday, "weds": time.Wednesday, "wednesday": time.Wednesday,
		"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
		"fri": time.Friday, "friday": time.Friday,
		"sat": time.Saturday, "saturday": time.Saturday,
	}
})

// readDay reads a day at the start of toks and says how many words it
// took; 0 means toks does not start with a day. An error means it does,
// but the day is impossible.
func readDay(toks []string, today time.Time) (time.Time, int, error) {
	if len(toks) == 0 {
		return time.Time{}, 0, nil
	}
	t := toks[0]
	if wd, ok := weekdays()[t]; ok {
		return nextWeekday(today, wd), 1, nil
	}
	switch {
	case t == "today":
		return today, 1, nil
	case t == "tomorrow":
		return today.AddDate(0, 0, 1), 1, nil
	case t == "next" && len(toks) > 1:
		if wd, ok := weekdays()[toks[1]]; ok {
			return nextWeekday(today, wd), 2, nil
		}
	case isoShape(t):
		d, err := readISO(t)
		if err != nil {
			return time.Time{}, 0, err
		}
		return d, 1, nil
	case strings.HasPrefix(t, "+") && len(t) > 2:
		if n, ok := smallNumber(t[1 : len(t)-1]); ok {
			switch t[len(t)-1] {
			case 'd':
				return today.AddDate(0, 0, n), 1, nil
			case 'w':
				return today.AddDate(0, 0, 7*n), 1, nil
			}
		}
	case t == "in" && len(toks) > 2:
		n, ok := smallNumber(toks[1])
		if toks[1] == "a" {
			n, ok = 1, true
		}
		if !ok {
			break
		}
		switch toks[2] {
		case "day", "days":
			return today.AddDate(0, 0, n), 3, nil
		case "week", "weeks":
			return today.AddDate(0, 0, 7*n), 3, nil
		}
	}
	return time.Time{}, 0, nil
}

// nextWeekday is the first day strictly after today that falls on wd: "fri"
// typed on a Friday is a week away.
func nextWeekday(today time.Time, wd time.Weekday) time.Time {
	n := (int(wd) - int(today.Weekday()) + 7) % 7
	if n == 0 {
		n = 7
	}
	return today.AddDate(0, 0, n)
}

// smallNumber reads 1 to 3 digits: enough for any real offset, too few to
// overflow.
func smallNumber(s string) (int, bool) {
	if s == "" || len(s) > 3 || !allDigits(s) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// isoShape reports whether s looks like YYYY-MM-DD, real date or not.
func isoShape(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-' && allDigits(s[:4]) && allDigits(s[5:7]) && allDigits(s[8:])
}

// readISO reads a YYYY-MM-DD date, saying what is wrong with an impossible
// one.
func readISO(s string) (time.Time, error) {
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:7])
	d, _ := strconv.Atoi(s[8:])
	if m < 1 || m > 12 {
		return time.Time{}, fmt.Errorf("%s is not a real date: there is no month %d; the order is year-month-day", s, m)
	}
	days := daysIn(y, time.Month(m))
	if d < 1 || d > days {
		return time.Time{}, fmt.Errorf("%s is not a real date: %s %d has %d days", s, time.Month(m), y, days)
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// slashDate refuses dates such as 11/12/2026, 12/11 or 11.12.2026: whether
// the day or the month comes first differs between countries, so the error
// shows each reading as year-month-day for the coach to type instead. It
// returns nil for anything not of that shape.
func slashDate(tok string, today time.Time) error {
	parts := strings.FieldsFunc(tok, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	seps := strings.Count(tok, "/") + strings.Count(tok, ".") + strings.Count(tok, "-")
	if seps != len(parts)-1 {
		return nil // a separator at either end or two together: some other thing
	}
	switch {
	case len(parts) == 2 && strings.Contains(tok, "/"):
	case len(parts) == 3:
	default:
		return nil
	}
	for i, p := range parts {
		if !allDigits(p) || i < 2 && len(p) > 2 || i == 2 && len(p) != 2 && len(p) != 4 {
			return nil
		}
	}
	a, _ := strconv.Atoi(parts[0])
	b, _ := strconv.Atoi(parts[1])
	y := today.Year()
	if len(parts) == 3 {
		y, _ = strconv.Atoi(parts[2])
		if len(parts[2]) == 2 {
			y += 2000
		}
	}
	var readings, iso []string
	add := func(day, month int) {
		if month < 1 || month > 12 || day < 1 || day > daysIn(y, time.Month(month)) {
			return
		}
		d := time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		for _, s := range iso {
			if s == d.Format(isoDate) {
				return
			}
		}
		readings = append(readings, d.Format("2 January"))
		iso = append(iso, d.Format(isoDate))
	}
	add(a, b)
	add(b, a)
	why := "the order of day and month differs between countries"
	switch len(iso) {
	case 0:
		return fmt.Errorf("%s is not a date I can read; type year-month-day, e.g. %s", quoteInput(tok), today.AddDate(0, 0, 7).Format(isoDate))
	case 1:
		return fmt.Errorf("%s: %s, so type year-month-day: %s", quoteInput(tok), why, iso[0])
	}
	return fmt.Errorf("%s could be %s or %s: %s; type %s or %s", quoteInput(tok), readings[0], readings[1], why, iso[0], iso[1])
}

// readClock reads a time of day: 14:00, 14:00:00, 9:30am, 9am, 12pm (noon),
// 12am (midnight). ok is false for a word that is not a time at all; an
// error means it looks like a time but is not one, or is a bare number,
// which could mean 10:00 or 22:00 or a date.
func readClock(tok string) (h, m, sec int, ok bool, err error) {
	body, suffix := tok, ""
	if strings.HasSuffix(tok, "am") || strings.HasSuffix(tok, "pm") {
		body, suffix = tok[:len(tok)-2], tok[len(tok)-2:]
	}
	parts := strings.Split(body, ":")
	if len(parts) > 3 {
		return 0, 0, 0, false, nil
	}
	for _, p := range parts {
		if !allDigits(p) {
			return 0, 0, 0, false, nil
		}
	}
	notTime := fmt.Errorf("%s is not a time of day; use 00:00 to 23:59, or a form like 9am or 2:30pm", quoteInput(tok))
	if len(parts) == 1 && suffix == "" {
		n, _ := strconv.Atoi(body)
		switch {
		case len(body) > 2 || n > 23:
			return 0, 0, 0, false, fmt.Errorf("%s on its own is not a date or a time; a date is year-month-day, e.g. 2026-11-24, and a time is like 14:00 or 2pm", quoteInput(tok))
		case n >= 1 && n <= 12:
			return 0, 0, 0, false, fmt.Errorf("%s on its own is unclear; type %02d:00, %dam or %dpm", quoteInput(tok), n, n, n)
		}
		return 0, 0, 0, false, fmt.Errorf("%s on its own is unclear; type %02d:00", quoteInput(tok), n)
	}
	if len(parts[0]) > 2 {
		return 0, 0, 0, false, notTime
	}
	h, _ = strconv.Atoi(parts[0])
	for i, p := range parts[1:] {
		if len(p) != 2 {
			return 0, 0, 0, false, notTime
		}
		v, _ := strconv.Atoi(p)
		if v > 59 {
			return 0, 0, 0, false, notTime
		}
		if i == 0 {
			m = v
		} else {
			sec = v
		}
	}
	switch suffix {
	case "":
		if h > 23 {
			return 0, 0, 0, false, notTime
		}
	default:
		if h < 1 || h > 12 {
			return 0, 0, 0, false, fmt.Errorf("%s is not a time of day: with am or pm the hour is 1 to 12 (12pm is noon, 12am midnight)", quoteInput(tok))
		}
		h %= 12
		if suffix == "pm" {
			h += 12
		}
	}
	return h, m, sec, true, nil
}

// ErrClockSkipped is wrapped by the error for a wall time that does not
// happen because the clocks go forward then (01:30 on 29 March 2026 in
// London): such a time is refused, never moved.
var ErrClockSkipped = errors.New("skipped by the clock change")

// wallClock is the instant the clocks in loc show h:m:sec on day. A wall
// time skipped when the clocks go forward is refused rather than moved; one
// that happens twice when they go back is the first of the two (time.Date
// alone does not promise which).
func wallClock(day time.Time, h, m, sec int, loc *time.Location) (time.Time, error) {
	shows := func(t time.Time) bool {
		return dayOf(t).Equal(day) && t.Hour() == h && t.Minute() == m && t.Second() == sec
	}
	t := time.Date(day.Year(), day.Month(), day.Day(), h, m, sec, 0, loc)
	if !shows(t) {
		return time.Time{}, fmt.Errorf("%02d:%02d on %s does not happen in %s: it is %w (the clocks go forward); pick a time after the change", h, m, day.Format("Mon 2 Jan 2006"), loc, ErrClockSkipped)
	}
	// Clock changes are at most two hours (most are one); the earliest
	// instant that shows the same wall time is the first occurrence.
	for _, back := range []time.Duration{2 * time.Hour, time.Hour, 30 * time.Minute} {
		if e := t.Add(-back); shows(e) {
			return e, nil
		}
	}
	return t, nil
}
