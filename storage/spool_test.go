package storage

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"callcoach/coaching"
)

// cutProxy stands between a Store and the PostgreSQL server, so a test
// can take the server away (cut: every connection dropped, new ones
// refused) and bring it back (restore), as a restart or a network drop
// would, without touching the server other tests use.
type cutProxy struct {
	t      testing.TB
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
}

func newCutProxy(t testing.TB, target string) *cutProxy {
	p := &cutProxy{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *cutProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

// cut drops every connection and stops listening: connecting is refused.
func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// restore listens again on the same address.
func (p *cutProxy) restore() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.serve(ln)
}

// proxied is the URL of a new test database, reached through a cutProxy.
func proxied(t *testing.T) (string, *cutProxy) {
	t.Helper()
	u, err := url.Parse(newPostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	p := newCutProxy(t, net.JoinHostPort(u.Hostname(), port))
	u.Host = p.addr
	return u.String(), p
}

// spoolingCall has s keep its notes' spool under data, and starts a call
// with Ann, a new person on it.
func spoolingCall(t *testing.T, s *Store, data string) (*Store, coaching.Call) {
	t.Helper()
	if err := s.UseSpool(data); err != nil {
		t.Fatal(err)
	}
	ann := createPerson(t, s, coaching.Person{Name: "Ann"})
	call, err := s.StartCall(context.Background(), ann, coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	return s, call
}

// A server that goes away mid-call loses nothing typed: the save says the
// server cannot be reached and keeps the notes in the spool; a program
// killed meanwhile sends them from the spool when it next starts, once,
// and the newest text wins.
func TestSpoolKeepsNotesWhileTheServerIsAway(t *testing.T) {
	if !onPostgres() {
		t.Skip("the spool is for a team database: run with " + engineEnv + "=postgres")
	}
	ctx := context.Background()
	where, proxy := proxied(t)
	data := t.TempDir()
	s, call := spoolingCall(t, openNew(t, where), data)
	if _, err := s.SaveNotes(ctx, call.ID, "first words", 1, t0); err != nil {
		t.Fatal(err)
	}

	proxy.cut()
	_, err := s.SaveNotes(ctx, call.ID, "first words, then more while the server was away", 2, t0)
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("save with the server away: %v, want ErrUnreachable", err)
	}
	if msg := Explain(err); msg == "" || !strings.Contains(msg, "cannot be reached") {
		t.Errorf("the coach is told %q", msg)
	}
	files, _ := filepath.Glob(filepath.Join(SpoolFolder(data, where), "*"))
	if len(files) != 1 {
		t.Fatalf("spool holds %q, want the call's one file", files)
	}
	if fi, err := os.Stat(files[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("spool file mode %v, %v; want 0600", fi.Mode(), err)
	}
	if fi, err := os.Stat(filepath.Dir(files[0])); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("spool folder mode %v, %v; want 0700", fi.Mode(), err)
	}

	// The program is killed (nothing more of s is used) and started again
	// once the server is back.
	proxy.restore()
	again := openNew(t, where)
	if err := again.UseSpool(data); err != nil {
		t.Fatal(err)
	}
	sent, err := again.SendSpooled(ctx, t0)
	if err != nil || sent != 1 {
		t.Fatalf("SendSpooled = %d, %v; want 1 call's notes sent", sent, err)
	}
	got, err := again.GetCall(ctx, call.ID)
	if err != nil || got.Notes != "first words, then more while the server was away" || got.NotesRev != 2 {
		t.Fatalf("notes on the server %q at rev %d, %v", got.Notes, got.NotesRev, err)
	}
	if sent, err := again.SendSpooled(ctx, t0); err != nil || sent != 0 {
		t.Errorf("a second SendSpooled sent %d, %v; want nothing", sent, err)
	}
	if left, _ := filepath.Glob(filepath.Join(SpoolFolder(data, where), "*")); len(left) != 0 {
		t.Errorf("spool still holds %q", left)
	}
}

// A spooled note older than what the server has (a newer one came from
// elsewhere) changes nothing when sent, and leaves the spool.
func TestSpoolNeverOverwritesNewerNotes(t *testing.T) {
	if !onPostgres() {
		t.Skip("the spool is for a team database: run with " + engineEnv + "=postgres")
	}
	ctx := context.Background()
	s, call := spoolingCall(t, openNew(t, newPostgresURL(t)), t.TempDir())
	if err := s.spoolNotes(call.ID, 3, "older"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.saveNotes(ctx, call.ID, "newer, from another program", 5, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendSpooled(ctx, t0); err != nil {
		t.Fatal(err)
	}
	got, _ := s.GetCall(ctx, call.ID)
	if got.Notes != "newer, from another program" {
		t.Errorf("notes %q: the spool overwrote newer ones", got.Notes)
	}
	if left, _ := s.PendingSpool(); len(left) != 0 {
		t.Errorf("spool still holds %v", left)
	}
}

// Ending a call whose notes are on the server clears its spool file; the
// spool is only for what the server does not have.
func TestEndingACallClearsItsSpool(t *testing.T) {
	if !onPostgres() {
		t.Skip("the spool is for a team database: run with " + engineEnv + "=postgres")
	}
	ctx := context.Background()
	s, call := spoolingCall(t, newStore(t), t.TempDir())
	if _, err := s.SaveNotes(ctx, call.ID, "said and saved", 1, t0); err != nil {
		t.Fatal(err)
	}
	if left, _ := s.PendingSpool(); len(left) != 1 {
		t.Fatalf("spool holds %v during the call, want the call's notes", left)
	}
	if err := s.EndCall(ctx, call.ID, coaching.OutcomeReached, t0); err != nil {
		t.Fatal(err)
	}
	if left, _ := s.PendingSpool(); len(left) != 0 {
		t.Errorf("spool holds %v after the call ended", left)
	}
}

func TestParseSpooled(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{spoolMagic + "7\n3\nnotes\nover lines", true},
		{spoolMagic + "7\n3\n", true},
		{spoolMagic + "7\n0\nnotes", false},
		{spoolMagic + "x\n3\nnotes", false},
		{spoolMagic + "7\n", false},
		{"something else\n7\n3\nnotes", false},
		{"", false},
	} {
		if _, ok := parseSpooled(tt.in); ok != tt.ok {
			t.Errorf("parseSpooled(%q) ok = %v, want %v", tt.in, ok, tt.ok)
		}
	}
	sp, _ := parseSpooled(spoolMagic + "7\n3\nnotes\nover lines")
	if sp != (Spooled{CallID: 7, Rev: 3, Notes: "notes\nover lines"}) {
		t.Errorf("parsed %+v", sp)
	}
}
