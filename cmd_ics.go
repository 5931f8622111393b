package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"

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
	cal := ics.NewCalendarFor("callcoach")
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//callcoach//follow-ups//EN")
	for _, c := range fs {
		e := cal.AddEvent(fmt.Sprintf("callcoach-follow-up-%d@callcoach", c.ID))
		e.SetDtStampTime(now)
		e.SetModifiedAt(c.Changed)
		// A calendar applies a re-imported event with a higher sequence:
		// the due time in minutes goes up whenever a retry moves it on,
		// and a cancelled event goes past every open one.
		seq := int(c.Due.Unix() / 60 % 1_000_000_000)
		if c.Closed {
			seq = 1_000_000_000 + int(c.Changed.Unix()/60%1_000_000_000)
		}
		e.SetSequence(seq)
		e.SetStartAt(c.Due)
		e.SetEndAt(c.Due.Add(icsCallLength))
		who := initials(c.Name)
		if names {
			who = coaching.Person{Name: c.Name, PreferredName: c.PreferredName}.DisplayName()
		}
		e.SetSummary(who + " · callcoach follow-up")
		if names && c.Reason != "" {
			e.SetDescription(c.Reason)
		}
		if c.Closed {
			e.SetStatus(ics.ObjectStatusCancelled)
		} else {
			e.SetStatus(ics.ObjectStatusConfirmed)
		}
	}
	return cal.SerializeTo(w, ics.WithNewLine("\r\n")) // RFC 5545: lines end in CRLF
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
