package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"

	"callcoach/coaching"
	"callcoach/coaching/config"
	"callcoach/storage"
	"callcoach/tui"
)

// localActor is who the audit trail names, and whose name records carry,
// for this program: the coach named by --coach, else by the settings
// file, else the operating system's name for the user; and that user.
func localActor(flagCoach, settingsCoach string) coaching.Actor {
	a := coaching.Actor{Coach: strings.TrimSpace(flagCoach)}
	if a.Coach == "" {
		a.Coach = settingsCoach
	}
	u, err := user.Current()
	if err != nil {
		u = &user.User{Username: os.Getenv("USER")}
	}
	a.OSUser = u.Username
	if a.Coach == "" {
		a.Coach = osUserName(u)
	}
	return a
}

// settingsCoach is the coach's name from the settings file at configPath
// (the default one for ""), for the commands that do not load the
// settings otherwise; "" when it gives none or cannot be read.
func settingsCoach(configPath string) string { return settingsFile(configPath).Coach }

// settingsDatabase is the caseload the settings file names (database:),
// or "".
func settingsDatabase(configPath string) string { return settingsFile(configPath).Database }

// settingsFile is what the settings file says, its problems aside (the
// screen reports them); the defaults if there is none.
func settingsFile(configPath string) config.Config {
	if configPath == "" {
		configPath = defaultConfigPath()
	}
	data, err := readAtMost(configPath, config.MaxFileBytes)
	if err != nil {
		return config.Default()
	}
	cfg, _ := config.Parse(configPath, data)
	return cfg
}

// osUserName is the coach's name when neither --coach nor the settings
// file gives one: the user's full name (without cgo, the first part of
// the GECOS field in /etc/passwd), or their user name when that is empty.
func osUserName(u *user.User) string {
	name, _, _ := strings.Cut(u.Name, ",")
	if name = strings.TrimSpace(name); name != "" {
		return name
	}
	return u.Username
}

// recordAudit adds an entry for a command's action; a failure to record
// is said, since the action itself was done.
func recordAudit(ctx context.Context, store *storage.Store, action coaching.AuditAction, person int64, detail string, stderr io.Writer) {
	if err := store.Audit(ctx, action, person, detail, time.Now()); err != nil {
		fmt.Fprintf(stderr, "callcoach: it was done, but the audit trail could not record it: %v\n", err)
	}
}

const auditUsage = `Usage:
  callcoach audit [--since DATE] [--db PATH]
                  list who did what and when, oldest first (times in your time zone)
  callcoach audit verify [--db PATH]
                  check that no entry was changed or removed since it was written

The trail records that things happened (a person opened, a call started or
ended, a measure given, a plan saved, a search, an export, a backup, a
restore, an import, an erasure, the screen unlocked or not), by whom, and
when; never what was written. See docs/security.md, "Audit trail".
`

// runAudit lists the audit trail, or checks its chain.
func runAudit(args []string, stdout, stderr io.Writer) int {
	verify := len(args) > 0 && args[0] == "verify"
	if verify {
		args = args[1:]
	}
	fs := flag.NewFlagSet("callcoach audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, auditUsage) }
	dbPath := fs.String("db", "", "the database file")
	since := fs.String("since", "", "only entries from this date (YYYY-MM-DD)")
	if code, ok := parseCommand(fs, args, stderr); !ok {
		return code
	}
	var from time.Time
	if *since != "" {
		if verify {
			fmt.Fprintln(stderr, "callcoach: audit verify checks the whole trail; --since is for listing it.")
			return 2
		}
		t, err := time.ParseInLocation(time.DateOnly, *since, time.Local)
		if err != nil {
			fmt.Fprintf(stderr, "callcoach: --since wants a date as YYYY-MM-DD, such as 2026-11-01, not %q.\n", *since)
			return 2
		}
		from = t
	}
	ctx := context.Background()
	store, ok := openExisting(ctx, commandDB(*dbPath), "read the audit trail of", stderr)
	if !ok {
		return 1
	}
	defer store.Close()
	if verify {
		return verifyAudit(ctx, store, stdout, stderr)
	}
	w := bufio.NewWriter(stdout)
	n := 0
	err := store.AuditTrail(ctx, from, func(e coaching.AuditEntry) error {
		n++
		_, err := fmt.Fprintln(w, auditLine(e))
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	if n == 0 {
		fmt.Fprintln(stderr, "The audit trail has no entries"+map[bool]string{true: " since " + *since, false: ""}[*since != ""]+".")
	}
	return 0
}

// auditLine is one entry as the list shows it: every field from the file
// passes through the terminal-safe filter (a hand-edited row could hold
// anything).
func auditLine(e coaching.AuditEntry) string {
	who := e.Actor.OSUser
	if e.Actor.Coach != "" {
		who = e.Actor.Coach + " (" + e.Actor.OSUser + ")"
	}
	at := "(no time)"
	if !e.At.IsZero() {
		at = e.At.Local().Format("2006-01-02 15:04:05")
	}
	line := fmt.Sprintf("%6d  %s  %-14s  %s", e.ID, at, e.Action, who)
	if e.PersonID != 0 {
		line += "  person " + strconv.FormatInt(e.PersonID, 10)
	}
	if e.Detail != "" {
		line += "  " + e.Detail
	}
	return coaching.StripUnsafe(line, false)
}

func verifyAudit(ctx context.Context, store *storage.Store, stdout, stderr io.Writer) int {
	r, err := store.VerifyAudit(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	if !r.Guarded {
		fmt.Fprintln(stderr, "callcoach: the audit trail's guards (the triggers that refuse changes) were removed: someone changed the file's schema by hand.")
	}
	if r.Break != nil {
		fmt.Fprintf(stderr, "callcoach: the audit trail of %s does not hold at %v. The %d %s before it hold.\n",
			store.Path(), coaching.StripUnsafe(r.Break.Error(), false), r.Entries, plural(r.Entries, "entry", "entries"))
		return 1
	}
	if r.Entries == 0 {
		fmt.Fprintf(stdout, "The audit trail of %s is empty.\n", store.Path())
	} else {
		fmt.Fprintf(stdout, "The audit trail of %s holds: %d %s, %s to %s, none changed or removed.\n",
			store.Path(), r.Entries, plural(r.Entries, "entry", "entries"),
			r.First.Local().Format("2006-01-02 15:04"), r.Last.Local().Format("2006-01-02 15:04"))
		fmt.Fprintf(stdout, "Newest entry %d, hash %s: note it elsewhere to tell later that no entries were cut from the end.\n", r.LastID, r.Head)
	}
	if !r.Guarded {
		return 1
	}
	return 0
}

const eraseUsage = `Usage:
  callcoach erase --person ID [--db PATH]
                  delete a person and everything of theirs, after you type
                  their name to confirm (from the terminal, or one line on
                  standard input)

Their calls, notes, plans, measures, rulers, change talk, follow-ups, safety
events and drafts go, and the text is cleared from the file, not just
unlinked. The audit trail keeps that an erasure happened, not what was
erased. Backups and exports made before are not touched: see
docs/security.md, "Erasure".
`

// runErase erases a person, once the name typed matches theirs.
func runErase(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("callcoach erase", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, eraseUsage) }
	dbPath := fs.String("db", "", "the database file")
	person := fs.String("person", "", "the person's number")
	if code, ok := parseCommand(fs, args, stderr); !ok {
		return code
	}
	id, err := strconv.ParseInt(*person, 10, 64)
	if err != nil || id <= 0 {
		fmt.Fprintf(stderr, "callcoach: erase wants --person with a person's number, such as 12, not %q.\n", *person)
		return 2
	}
	ctx := context.Background()
	store, ok := openExisting(ctx, commandDB(*dbPath), "erase from", stderr)
	if !ok {
		return 1
	}
	defer store.Close()
	p, err := store.GetPerson(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		fmt.Fprintf(stderr, "callcoach: there is no person number %d in %s; nothing was erased.\n", id, store.Path())
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	fmt.Fprintf(stderr, "This erases person %d, %s, and everything of theirs. It cannot be undone.\nType their name to confirm: ", id, coaching.StripUnsafe(p.Name, false))
	typed, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintln(stderr, "\ncallcoach:", err)
		return 1
	}
	if !coaching.SameName(typed, p.Name) {
		fmt.Fprintln(stderr, "\ncallcoach: that is not their name; nothing was erased.")
		return 1
	}
	e, err := store.ErasePerson(ctx, id, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	fmt.Fprintf(stdout, "Erased person %d: %s.\n", id, tui.ErasedSummary(e))
	if !e.LogCleared {
		fmt.Fprintln(stderr, "callcoach: another program is reading the file, so its log could not be emptied yet; its old pages are overwritten as the log is reused.")
	}
	return 0
}
