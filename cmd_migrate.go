package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"callcoach/storage"
)

const migrateUsage = `Usage:
  callcoach migrate --to postgres://USER@HOST/DATABASE [--db PATH] [--coach NAME]

Copies your caseload (the file, --db PATH or your usual one) into your
team's database: every person with their calls, notes, plans, follow-ups,
measures, safety events and readings. The people it copies are yours, the
coach running it (--coach, as elsewhere). The file itself is not changed.
Running it again copies only what was added to the file since: nothing
is copied twice. A change to something already copied (a note edited
afterwards) is not carried over. Either everything is copied or, if
anything goes wrong, nothing is.
`

// runMigrate copies the coach's file into a team's PostgreSQL database.
func runMigrate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, migrateUsage) }
	to := fs.String("to", "", "the team's database, postgres://USER@HOST/DATABASE")
	dbPath := fs.String("db", "", "the database file to copy")
	coach := fs.String("coach", "", "your name, as the team's records give it")
	if code, ok := parseCommand(fs, args, stderr); !ok {
		return code
	}
	switch {
	case *to == "":
		fmt.Fprintln(stderr, "callcoach: migrate needs --to postgres://USER@HOST/DATABASE, the address of your team's database.")
		return 2
	case !storage.IsPostgresURL(*to):
		fmt.Fprintf(stderr, "callcoach: --to wants your team's database as postgres://USER@HOST/DATABASE, not %q.\n", *to)
		return 2
	}
	path := commandDB(*dbPath)
	if storage.IsPostgresURL(path) {
		fmt.Fprintln(stderr, "callcoach: --db names the caseload file to copy from; the team's database goes after --to.")
		return 2
	}
	ctx := context.Background()
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(stderr, "callcoach: there is no caseload file at %s to copy (%v); name it with --db PATH.\n", path, err)
		return 1
	}
	src, err := storage.OpenReadOnly(ctx, path)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	defer src.Close()
	team, err := storage.Open(ctx, *to)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	defer team.Close()
	team.SetActor(localActor(*coach, settingsCoach("")))
	c, err := src.CopyTo(ctx, team, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "callcoach: nothing was copied into %s: %v\n", team.Path(), err)
		return 1
	}
	fmt.Fprintln(stdout, migrateSummary(c, team.Path()))
	return 0
}

// migrateSummary says what a copy did, in a sentence or three.
func migrateSummary(c storage.CopyCounts, where string) string {
	var b strings.Builder
	if c.Copied() == 0 {
		fmt.Fprintf(&b, "Nothing new to copy into %s", where)
	} else {
		var parts []string
		for _, p := range []struct {
			n         int
			one, many string
		}{
			{c.People, "person", "people"}, {c.Calls, "call", "calls"}, {c.Plans, "plan", "plans"},
			{c.FollowUps, "follow-up", "follow-ups"}, {c.Measures, "measure", "measures"},
			{c.SafetyEvents, "safety event", "safety events"}, {c.Readings, "reading", "readings"},
			{c.Rulers, "ruler", "rulers"}, {c.ChangeTalk, "change talk quote", "change talk quotes"},
			{c.Tally, "tally mark", "tally marks"}, {c.Drafts, "unsaved form", "unsaved forms"},
		} {
			switch p.n {
			case 0:
			case 1:
				parts = append(parts, "1 "+p.one)
			default:
				parts = append(parts, fmt.Sprintf("%d %s", p.n, p.many))
			}
		}
		list := parts[0]
		if len(parts) > 1 {
			list = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
		}
		fmt.Fprintf(&b, "Copied %s into %s", list, where)
	}
	switch c.PeopleBefore {
	case 0:
		b.WriteString(".")
	case 1:
		b.WriteString("; 1 person was there already from an earlier copy.")
	default:
		fmt.Fprintf(&b, "; %d people were there already from an earlier copy.", c.PeopleBefore)
	}
	switch c.LeftOut {
	case 0:
	case 1:
		b.WriteString(" 1 record was left out: what it belongs to was erased from the team's database after an earlier copy.")
	default:
		fmt.Fprintf(&b, " %d records were left out: what they belong to was erased from the team's database after an earlier copy.", c.LeftOut)
	}
	return b.String()
}
