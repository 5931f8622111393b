package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A team's caseload on PostgreSQL, end to end (issue 18): two coaches in
// two panes on one database, a program killed mid-note, and the server
// stopped mid-call and started again. The server is the test's own (initdb
// in a temp dir), so stopping it touches nothing else; psql reads what the
// programs wrote.

// privatePostgres is a PostgreSQL server of the test's own.
type privatePostgres struct {
	t    *testing.T
	bin  string // the server's programs
	data string
	port int
	as   []string // the command prefix that runs them as the server's user
}

// startPrivatePostgres makes a new cluster and starts it, with a role and
// a database "team" it owns; the cluster goes when the test ends. Without
// PostgreSQL's programs the test skips (under CI it fails).
func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	needTool(t, "psql")
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("PostgreSQL's initdb is needed for this test and CI must install it")
		}
		t.Skip("PostgreSQL's server programs are not installed")
	}
	p := &privatePostgres{t: t, bin: filepath.Dir(bins[len(bins)-1])}
	dir, err := os.MkdirTemp("", "callcoach-e2e-pg")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// The server will not run as root: as root, run it as postgres.
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, the server needs the postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		if err := os.Chown(dir, uid, -1); err != nil {
			t.Fatal(err)
		}
		p.as = []string{"runuser", "-u", "postgres", "--"}
	}
	p.data = filepath.Join(dir, "data")
	p.port = freePort(t)
	p.run("initdb", "-D", p.data, "-A", "trust", "-U", "postgres", "--no-sync")
	p.start(dir)
	t.Cleanup(func() { p.pgctl("stop", "-m", "immediate") })
	p.psql("postgres", "CREATE ROLE team LOGIN CREATEROLE")
	p.psql("postgres", "CREATE DATABASE team OWNER team")
	return p
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func (p *privatePostgres) run(prog string, args ...string) string {
	p.t.Helper()
	cmd := append(append(p.as[:len(p.as):len(p.as)], filepath.Join(p.bin, prog)), args...)
	out, err := exec.Command(cmd[0], cmd[1:]...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("%s: %v\n%s", strings.Join(cmd, " "), err, out)
	}
	return string(out)
}

func (p *privatePostgres) pgctl(args ...string) {
	p.t.Helper()
	p.run("pg_ctl", append([]string{"-D", p.data, "-w"}, args...)...)
}

func (p *privatePostgres) start(dir string) {
	p.t.Helper()
	p.pgctl("start", "-l", filepath.Join(filepath.Dir(p.data), "log"),
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", p.port, filepath.Dir(p.data)))
}

// url is the team database, as role names it: team, its owner, or a coach.
func (p *privatePostgres) url(role string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/team?sslmode=disable", role, p.port)
}

// psql runs one statement in db and returns its rows, unaligned.
func (p *privatePostgres) psql(db, query string) string {
	p.t.Helper()
	out, err := exec.Command("psql", "-h", "127.0.0.1", "-p", strconv.Itoa(p.port), "-U", "postgres", "-d", db,
		"-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", query).CombinedOutput()
	if err != nil {
		p.t.Fatalf("psql %q: %v\n%s", query, err, out)
	}
	return strings.TrimSpace(string(out))
}

// waitForTeam waits until query's result in the team database is want.
func (p *privatePostgres) waitForTeam(query, want string) {
	p.t.Helper()
	waitForQuery(p.t, query, want, func(q string) string { return p.psql("team", q) })
}

func TestEndToEndTeamOnPostgres(t *testing.T) {
	bin := binary(t)
	pg := startPrivatePostgres(t)
	// The coaches' clocks read about 10:00, so a retry two hours on is
	// still today.
	zone := "TZ=" + zoneAtHour(10)
	envOne, dir, _ := e2eEnv(t, zone)
	envTwo, _, _ := e2eEnv(t, zone)

	csv := filepath.Join(dir, "people.csv")
	writeFile(t, csv, "name,time zone,call times,consent\nAda Ames,Europe/London,any time,yes\nBo Banks,Europe/London,any time,yes\n")
	// The owner sets the database up and imports two referrals: they are
	// in the team's pool, which every coach sees. Each coach logs in as a
	// role of their own.
	if out, errOut, code := runMain(t, "import", csv, "--db", pg.url("team")); code != 0 {
		t.Fatalf("import into the team database: %d %q %q", code, out, errOut)
	}
	for role, name := range map[string]string{"jo": "Jo Smith", "sam": "Sam Patel"} {
		pg.psql("team", "CREATE ROLE "+role+" LOGIN IN ROLE callcoach_coach")
		pg.psql("team", fmt.Sprintf("INSERT INTO coaches (role, name) VALUES ('%s', '%s')", role, name))
	}
	at := func(d time.Duration) string { return time.Now().UTC().Add(d).Format(time.RFC3339) }
	pg.psql("team", fmt.Sprintf("INSERT INTO follow_ups (person_id, due_at, reason, created_at) VALUES (1, '%s', 'check in', '%s')",
		at(-26*time.Hour), at(-96*time.Hour)))

	// Two coaches, each on a computer of their own, see their own
	// caseloads, empty; t shows the team's pool too, where Ada is to be
	// called now. One logs a no-answer; the other's Now view follows
	// without a key pressed.
	socket := fmt.Sprintf("callcoach-e2e-team-%d", os.Getpid())
	one := startTmux(t, socket, "one", envOne, bin, "--db", pg.url("jo"))
	two := startTmux(t, socket, "two", envTwo, bin, "--db", pg.url("sam"))
	for _, pane := range []*tmuxSession{one, two} {
		pane.waitFor("No one is on your caseload yet")
		pane.keys("t")
		pane.waitFor("Your caseload and the team's pool")
		pane.waitFor("[Now 1]")
	}
	two.waitFor("made 0, reached 0 today")
	one.keys("a")
	one.waitFor("How did it end?")
	one.keys("n")
	one.waitFor("2 hours later")
	one.keys("Enter")
	one.waitFor("Logged for Ada Ames")
	two.waitFor("made 1, reached 0 today")
	two.waitUntil("Ada's row to show the attempt", func(screen string) bool {
		for _, l := range strings.Split(screen, "\n") {
			if strings.Contains(l, "Ada Ames") && strings.Contains(l, "1/1") && strings.Contains(l, "no answer") {
				return true
			}
		}
		return false
	})
	pg.waitForTeam("SELECT outcome FROM calls WHERE person_id = 1", "no_answer")

	// Jo hands Ada to Sam with a note. She leaves Jo's caseload; Sam's
	// Now view lists her first, with the note, without a key pressed, and
	// opening her marks the hand-over seen.
	one.keys("Enter")
	one.waitFor("Ada Ames · no. 1")
	one.keys("H")
	one.waitFor("Hand over Ada Ames")
	one.waitFor("(•) Sam Patel")
	one.keys("Tab")
	one.typeText("Prefers mornings; her daughter helps.")
	one.keys("C-s")
	one.waitFor("Handed Ada Ames to Sam Patel.")
	one.waitFor("[Everyone 1]")
	two.waitFor("1 handed to you")
	two.waitFor("from Jo Smith")
	pg.waitForTeam("SELECT assigned_to || ' ' || (seen_at IS NULL) FROM people p JOIN handovers h ON h.person_id = p.id", "sam true")
	two.keys("Enter")
	two.waitFor("to you by Jo Smith")
	two.waitFor("daughter helps.")
	pg.waitForTeam("SELECT seen_at IS NOT NULL FROM handovers", "t")
	two.keys("Escape")
	two.waitUntil("the Now view without the hand-over", func(screen string) bool {
		return !strings.Contains(screen, "handed to you") && strings.Contains(screen, "[Now 1]")
	})
	if got := pg.psql("team", "SELECT action || ' ' || detail FROM audit WHERE action = 'handed-over'"); got != "handed-over to sam" {
		t.Errorf("the audit trail says %q of the hand-over", got)
	}

	// Practice reports: a supervisor reads each coach's and the team's
	// (counts only). A coach's own counts what they still see: Jo's
	// attempt with Ada went with her to Sam.
	pg.psql("team", "CREATE ROLE lee LOGIN IN ROLE callcoach_supervisor")
	totals := regexp.MustCompile(`(?m)^(== .* ==|All weeks +\d+ +\d+)`)
	for role, want := range map[string]string{
		"jo":  "All weeks 0 0",
		"sam": "All weeks 0 0",
		"lee": "== Jo Smith (jo) ==|All weeks 1 0|== Sam Patel (sam) ==|All weeks 0 0|== The whole team ==|All weeks 1 0",
	} {
		out, errOut, code := runMain(t, "report", "--db", pg.url(role))
		if code != 0 {
			t.Fatalf("report as %s: %d %q", role, code, errOut)
		}
		got := strings.Join(strings.Fields(strings.Join(totals.FindAllString(out, -1), "|")), " ")
		if got != strings.ReplaceAll(want, "| ", "|") {
			t.Errorf("report as %s: %q, want %q:\n%s", role, got, want, out)
		}
	}

	// One starts a call with Bo and is killed mid-note: what was typed a
	// moment before is in the team database, and on screen at the restart.
	one.keys("/")
	one.typeText("Bo")
	one.waitFor("1 of 1 people match")
	one.keys("Enter", "Enter")
	one.waitFor("Bo Banks · no. 2")
	one.keys("c")
	one.waitFor("Call with Bo")
	one.typeText("Knee better; walking daily.")
	pg.waitForTeam("SELECT n.notes FROM call_notes n JOIN calls c ON c.id = n.call_id WHERE c.person_id = 2", "Knee better; walking daily.")
	one.kill9()
	one = startTmux(t, socket, "one-again", envOne, bin, "--db", pg.url("jo"))
	one.waitFor("Your caseload")
	one.keys("t")
	one.waitFor("Your caseload and the team's pool")
	one.keys("/")
	one.typeText("Bo")
	one.waitFor("1 of 1 people match")
	one.keys("Enter", "Enter")
	one.waitFor("Knee better; walking daily.")
	one.keys("c")
	one.waitFor("There is an unfinished call")
	one.keys("Enter")
	one.waitFor("Call with Bo")
	one.waitFor("saved")

	// The server stops mid-call. What is typed meanwhile is kept on this
	// computer, and reaches the server once it is back, with nothing lost.
	one.keys("C-End")
	pg.pgctl("stop", "-m", "fast")
	one.typeText(" Typed while the server was down.")
	one.waitFor("kept on this computer")
	one.typeText(" And more.")
	pg.start(filepath.Dir(pg.data))
	pg.waitForTeam("SELECT n.notes FROM call_notes n JOIN calls c ON c.id = n.call_id WHERE c.person_id = 2",
		"Knee better; walking daily. Typed while the server was down. And more.")
	one.waitFor("saved")
}
