package coaching

import (
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// When a person likes to be called is kept in their own words ("weekday
// mornings before 11", "afternoons; not Wednesdays"). ParseCallTimes reads
// the common ways of saying it, so a screen can tell the coach whether now
// suits them; anything it does not follow it leaves alone rather than
// guess (docs/coaching.md, "Call times").

// CallTimes is when a person prefers calls, as read from their words.
type CallTimes struct {
	include []callSlot // any of these; none means any time
	exclude []callSlot // never these ("not Wednesdays")
}

// callSlot is some days of the week between two times of day.
type callSlot struct {
	days     [7]bool // by time.Weekday
	from, to int     // minutes after midnight, from inclusive, to exclusive
}

const day = 24 * 60

// Periods of the day, as people say them, in minutes after midnight.
var callPeriods = sync.OnceValue(func() map[string][2]int {
	return map[string][2]int{
		"morning": {8 * 60, 12 * 60}, "afternoon": {12 * 60, 17 * 60}, "evening": {17 * 60, 21 * 60},
		"lunch": {12 * 60, 14 * 60}, "lunchtime": {12 * 60, 14 * 60}, "midday": {12 * 60, 14 * 60},
		"noon": {12 * 60, 13 * 60}, "night": {18 * 60, 22 * 60}, "daytime": {9 * 60, 17 * 60},
	}
})

// Early and late narrow a period to its first or last part.
var callNarrowed = sync.OnceValue(func() map[string][2]int {
	return map[string][2]int{
		"early morning": {7 * 60, 9 * 60}, "late morning": {10 * 60, 12 * 60},
		"early afternoon": {12 * 60, 15 * 60}, "late afternoon": {15 * 60, 18 * 60},
		"early evening": {17 * 60, 19 * 60}, "late evening": {19 * 60, 22 * 60},
	}
})

var callDays = sync.OnceValue(func() map[string][]time.Weekday {
	return map[string][]time.Weekday{
		"monday": {time.Monday}, "mon": {time.Monday},
		"tuesday": {time.Tuesday}, "tue": {time.Tuesday}, "tues": {time.Tuesday},
		"wednesday": {time.Wednesday}, "wed": {time.Wednesday},
		"thursday": {time.Thursday}, "thu": {time.Thursday}, "thur": {time.Thursday}, "thurs": {time.Thursday},
		"friday": {time.Friday}, "fri": {time.Friday},
		"saturday": {time.Saturday}, "sat": {time.Saturday},
		"sunday": {time.Sunday}, "sun": {time.Sunday},
		"weekday": {time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		"weekend": {time.Saturday, time.Sunday},
	}
})

// Words that say nothing about the time: left out.
var callFiller = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"any": true, "on": true, "in": true, "the": true, "only": true, "best": true, "prefer": true,
		"prefers": true, "ideally": true, "and": true, "or": true, "but": true, "at": true, "a": true,
		"his": true, "her": true, "their": true, "my": true, "time": true, "times": true, "day": true,
		"days": true, "is": true, "are": true, "good": true, "fine": true, "ok": true, "okay": true,
		"usually": true, "please": true, "call": true, "calls": true, "s": true, "around": true, "about": true,
		"whenever": true, "of": true, "week": true, "weeks": true, "every": true,
	}
})

// ParseCallTimes reads a person's call times. ok is false when the words
// hold something it does not follow, or nothing about time at all: then
// nobody can say from them whether now suits.
//
// Clauses are split at ";" and ","; text in brackets is a remark. A clause
// that starts with "not", "no", "never" or "except" excludes. In a clause,
// day words ("weekdays", "tue") and periods ("mornings", "late
// afternoon", "lunch time") combine, and "before 11", "after 6pm",
// "from 9 to 11", "9-11" or "between 2 and 4" narrow the time. An hour
// said without am or pm is taken as the daytime one: 1 to 7 are in the
// afternoon or evening (after 6 is 18:00), 8 to 12 as they are.
func ParseCallTimes(s string) (CallTimes, bool) {
	var ct CallTimes
	said := false
	for _, clause := range splitClauses(s) {
		slots, neg, ok := parseClause(clause)
		if !ok {
			return CallTimes{}, false
		}
		if slots == nil {
			continue
		}
		said = true
		if neg {
			ct.exclude = append(ct.exclude, slots...)
		} else {
			ct.include = append(ct.include, slots...)
		}
	}
	return ct, said
}

// Suits reports whether t, on the person's own clock, is a time they said
// suits them.
func (ct CallTimes) Suits(t time.Time) bool {
	in := func(slots []callSlot) bool {
		m := t.Hour()*60 + t.Minute()
		for _, s := range slots {
			if s.days[t.Weekday()] && m >= s.from && m < s.to {
				return true
			}
		}
		return false
	}
	if in(ct.exclude) {
		return false
	}
	return len(ct.include) == 0 || in(ct.include)
}

// splitClauses lowercases s, drops remarks in brackets, and splits it at
// ";" and ",".
func splitClauses(s string) []string {
	var b strings.Builder
	depth := 0
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth = max(depth-1, 0)
		case depth == 0:
			b.WriteRune(r)
		}
	}
	text := strings.NewReplacer(" but not ", "; not ", " except ", "; not ", " apart from ", "; not ").Replace(" " + b.String() + " ")
	return strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == ',' })
}

// callWords splits a clause into words and times: "9-11am" becomes "9",
// "to", "11am"; "6 pm" becomes "6pm".
func callWords(clause string) []string {
	clause = strings.NewReplacer("–", " to ", "—", " to ", "-", " to ", "'", " ", "’", " ", ".", " ", "&", " and ").Replace(clause)
	var words []string
	for _, w := range strings.FieldsFunc(clause, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ':'
	}) {
		n := len(words)
		if (w == "am" || w == "pm") && n > 0 && isClock(words[n-1]) {
			words[n-1] += w
			continue
		}
		words = append(words, w)
	}
	return words
}

func isClock(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if !unicode.IsDigit(r) && r != ':' {
			return false
		}
	}
	return true
}

// parseClause reads one clause: the slots it names (nil if it names no
// time), whether it excludes them, and false if a word is not understood.
func parseClause(clause string) (slots []callSlot, neg, ok bool) {
	words := callWords(clause)
	if len(words) > 0 {
		switch words[0] {
		case "not", "no", "never", "except", "avoid":
			neg, words = true, words[1:]
		}
	}
	var days [7]bool
	anyDay := false
	var periods [][2]int
	from, to := 0, day
	bounded := false
	for i := 0; i < len(words); i++ {
		w := words[i]
		next := func() (string, bool) {
			if i+1 < len(words) {
				i++
				return words[i], true
			}
			return "", false
		}
		switch {
		case w == "early" || w == "late":
			p, more := next()
			span, known := callNarrowed()[w+" "+singular(p)]
			if !more || !known {
				return nil, false, false
			}
			periods = append(periods, span)
		case w == "anytime" || w == "any" && i+1 < len(words) && words[i+1] == "time":
			bounded = true // the whole day
		case callFiller()[w]:
		case w == "not" || w == "except":
			return nil, false, false // "weekdays but not Fridays" wants its own clause
		case len(callDays()[singular(w)]) > 0:
			anyDay = true
			for _, d := range callDays()[singular(w)] {
				days[d] = true
			}
		case callPeriods()[singular(w)] != [2]int{}:
			periods = append(periods, callPeriods()[singular(w)])
		case w == "before" || w == "until" || w == "till" || w == "by":
			t, more := next()
			m, known := clockMinutes(t)
			if !more || !known {
				return nil, false, false
			}
			to, bounded = min(to, m), true
		case w == "after" || w == "from" || w == "between":
			t, more := next()
			m, known := clockMinutes(t)
			if !more || !known {
				return nil, false, false
			}
			from, bounded = max(from, m), true
			if i+1 < len(words) && (words[i+1] == "to" || words[i+1] == "and" || words[i+1] == "until" || words[i+1] == "till") {
				i++
				t, more := next()
				m, known := clockMinutes(t)
				if !more || !known {
					return nil, false, false
				}
				to = min(to, m)
			}
		case isClockWord(w):
			// "9 to 11", "10am-12"
			m, known := clockMinutes(w)
			if !known || i+2 >= len(words) || words[i+1] != "to" {
				return nil, false, false
			}
			i += 2
			end, known := clockMinutes(words[i])
			if !known {
				return nil, false, false
			}
			from, to, bounded = max(from, m), min(to, end), true
		default:
			return nil, false, false
		}
	}
	if !anyDay && len(periods) == 0 && !bounded {
		return nil, neg, true
	}
	if !anyDay {
		for d := range days {
			days[d] = true
		}
	}
	if len(periods) == 0 {
		periods = [][2]int{{0, day}}
	}
	for _, p := range periods {
		s := callSlot{days: days, from: max(p[0], from), to: min(p[1], to)}
		if s.from < s.to {
			slots = append(slots, s)
		}
	}
	if slots == nil {
		return nil, false, false // "mornings after 6pm": says nothing that can hold
	}
	return slots, neg, true
}

// singular drops a plural s: "mornings", "weekdays", "tuesdays".
func singular(w string) string {
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}

func isClockWord(w string) bool {
	_, ok := clockMinutes(w)
	return ok
}

// clockMinutes reads "11", "6pm", "18:00", "9:30am", "noon", "midday" as
// minutes after midnight. A bare hour from 1 to 7 is in the afternoon or
// evening (nobody asks for a call at 3 in the morning); 8 to 12 as said.
func clockMinutes(w string) (int, bool) {
	switch w {
	case "noon", "midday":
		return 12 * 60, true
	case "midnight":
		return day, true
	}
	suffix := ""
	if strings.HasSuffix(w, "am") || strings.HasSuffix(w, "pm") {
		w, suffix = w[:len(w)-2], w[len(w)-2:]
	}
	hs, ms, colon := strings.Cut(w, ":")
	h, err := strconv.Atoi(hs)
	if err != nil || len(hs) > 2 {
		return 0, false
	}
	m := 0
	if colon {
		if m, err = strconv.Atoi(ms); err != nil || len(ms) != 2 || m > 59 {
			return 0, false
		}
	}
	switch {
	case suffix != "" && (h < 1 || h > 12):
		return 0, false
	case suffix == "am" && h == 12:
		h = 0
	case suffix == "pm" && h < 12:
		h += 12
	case suffix == "" && !colon && h >= 1 && h <= 7:
		h += 12
	case h > 24 || h == 24 && m > 0:
		return 0, false
	}
	return h*60 + m, true
}
