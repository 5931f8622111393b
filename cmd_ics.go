package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"callcoach/coaching"
	"callcoach/storage"
)

// The coach's follow-ups as an iCalendar file (RFC 5545), for their own
// calendar: `callcoach export --format ics`. docs/queue.md, "Follow-ups in
// your calendar", says what goes in and why.

// icsCancelDays is how long a follow-up closed since an earlier export
// stays in the file, cancelled, so that a calendar that took that export
// removes its event.
const icsCancelDays = 30

// icsCallLength is how long each event lasts in the calendar.
const icsCallLength = 20 * time.Minute

// writeICS writes the open follow-ups (and those closed in the last
// icsCancelDays, cancelled) as one VCALENDAR. Each event's UID is the
// follow-up's number, so importing a newer export updates the events
// rather than adding them again. Without names, an event says only the
// person's initials and "callcoach follow-up": calendars sync to services
// outside the organisation.
func writeICS(ctx context.Context, store *storage.Store, w io.Writer, f storage.ExportFilter, now time.Time, names bool) error {
	fs, err := store.CalendarFollowUps(ctx, f, now.AddDate(0, 0, -icsCancelDays))
	if err != nil {
		return err
	}
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//callcoach//follow-ups//EN")
	cal.Props.SetText(ical.PropMethod, "PUBLISH")
	for _, c := range fs {
		e := ical.NewEvent()
		e.Props.SetText(ical.PropUID, fmt.Sprintf("callcoach-follow-up-%d@callcoach", c.ID))
		e.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC())
		e.Props.SetDateTime(ical.PropLastModified, c.Changed.UTC())
		// A calendar applies a re-imported event with a higher sequence:
		// the due time in minutes goes up whenever a retry moves it on,
		// and a cancelled event goes past every open one.
		seq := c.Due.Unix() / 60 % 1_000_000_000
		if c.Closed {
			seq = 1_000_000_000 + c.Changed.Unix()/60%1_000_000_000
		}
		e.Props.Set(&ical.Prop{Name: ical.PropSequence, Params: ical.Params{}, Value: strconv.FormatInt(seq, 10)})
		e.Props.SetDateTime(ical.PropDateTimeStart, c.Due.UTC())
		e.Props.SetDateTime(ical.PropDateTimeEnd, c.Due.Add(icsCallLength).UTC())
		who := initials(c.Name)
		if names {
			who = coaching.Person{Name: c.Name, PreferredName: c.PreferredName}.DisplayName()
		}
		e.Props.SetText(ical.PropSummary, who+" · callcoach follow-up")
		if names && c.Reason != "" {
			e.Props.SetText(ical.PropDescription, c.Reason)
		}
		status := "CONFIRMED"
		if c.Closed {
			status = "CANCELLED"
		}
		e.Props.SetText(ical.PropStatus, status)
		cal.Children = append(cal.Children, e.Component)
	}
	fw := &icsFolder{w: w}
	if len(cal.Children) == 0 {
		// Nothing to put in it: go-ical refuses a calendar without a
		// component (RFC 5545 wants one), but "no follow-ups" is still an
		// answer a scheduled export should get, and calendars take it.
		_, err := io.WriteString(w, "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nPRODID:-//callcoach//follow-ups//EN\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
		return err
	}
	if err := ical.NewEncoder(fw).Encode(cal); err != nil {
		return err
	}
	return fw.err
}

// icsFolder folds the lines written through it at 75 octets, as RFC 5545
// (3.1) asks: each longer line goes on in a line that starts with a space,
// cut between characters, never inside one. The encoder writes whole
// lines ending in CRLF, one a Write.
type icsFolder struct {
	w   io.Writer
	err error
}

func (f *icsFolder) Write(line []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	body := bytes.TrimSuffix(line, []byte("\r\n"))
	var out bytes.Buffer
	limit := 75
	for len(body) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		out.Write(body[:cut])
		out.WriteString("\r\n ")
		body = body[cut:]
		limit = 74 // the space that starts the line counts
	}
	out.Write(body)
	out.WriteString("\r\n")
	if _, f.err = f.w.Write(out.Bytes()); f.err != nil {
		return 0, f.err
	}
	return len(line), nil
}

// initials are the first letter of each word of a name, with full stops:
// "Rosa María Díaz" is "R. M. D.".
func initials(name string) string {
	var parts []string
	for _, word := range strings.Fields(name) {
		for _, r := range word {
			if unicode.IsLetter(r) {
				parts = append(parts, string(unicode.ToUpper(r))+".")
				break
			}
		}
	}
	if len(parts) == 0 {
		return "?"
	}
	return strings.Join(parts, " ")
}
