package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The notes spool (issue 18, point 4). A team's caseload is on a server
// that can go away: restarted, or the network dropped. So on PostgreSQL
// each notes save is first written to a file on this computer, one per
// call, holding the newest revision typed here; then it goes to the
// server. A program killed while the server could not be reached loses
// nothing typed: the next start sends what the spool holds (SendSpooled).
// Sending is SaveNotes, which stores a revision only if it is newer than
// the one stored, so a note sent twice, or one that reached the server
// already, or one overtaken by a newer save from elsewhere, changes
// nothing: no duplicates, and the newest text wins. The file is not
// synced to disk: it is there for a killed program or a lost server, and
// the server keeps what it was sent.
//
// The spool files are 0600 in a 0700 folder, one folder per team
// database (named from its URL less the password), in the data folder
// the program gives (UseSpool). They hold notes: nothing else reads them,
// and each is removed once its call's notes are on the server.

// spoolMagic starts every spool file.
const spoolMagic = "callcoach notes spool 1\n"

// SpoolFolder is the folder under dataDir that UseSpool keeps the spool
// of the team database at url in.
func SpoolFolder(dataDir, url string) string {
	sum := sha256.Sum256([]byte(redactURL(url)))
	return filepath.Join(dataDir, "spool", hex.EncodeToString(sum[:8]))
}

// UseSpool makes this Store keep each notes save in a file under dataDir
// before sending it (see SpoolFolder), on a team database; on an SQLite
// file, which is on this computer already, it does nothing.
func (s *Store) UseSpool(dataDir string) error {
	if !s.pg {
		return nil
	}
	dir := SpoolFolder(dataDir, s.url)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("make the notes spool: %w", err)
	}
	s.spool = dir
	return nil
}

func (s *Store) spoolFile(callID int64) string {
	return filepath.Join(s.spool, "call-"+strconv.FormatInt(callID, 10)+".notes")
}

// spoolNotes writes the call's notes at rev to its spool file, in place of
// what it held: a new file renamed over the old, so a program killed while
// writing leaves the old whole.
func (s *Store) spoolNotes(callID, rev int64, notes string) error {
	if s.spool == "" {
		return nil
	}
	f, err := os.CreateTemp(s.spool, ".call-*.tmp")
	if err != nil {
		return fmt.Errorf("keep the notes on this computer: %w", err)
	}
	_, werr := fmt.Fprintf(f, "%s%d\n%d\n%s", spoolMagic, callID, rev, notes)
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("keep the notes on this computer: %w", err)
	}
	if err := os.Rename(f.Name(), s.spoolFile(callID)); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("keep the notes on this computer: %w", err)
	}
	return nil
}

// unspool removes the call's spool file.
func (s *Store) unspool(callID int64) error {
	if err := os.Remove(s.spoolFile(callID)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// tidySpool removes the call's spool file if the server holds its notes
// at that revision or a newer one (the call ended or was discarded), or
// the call is gone. Anything else, a failure to look included, leaves it
// for SendSpooled.
func (s *Store) tidySpool(ctx context.Context, callID int64) {
	if s.spool == "" {
		return
	}
	data, err := os.ReadFile(s.spoolFile(callID))
	if err != nil {
		return
	}
	sp, ok := parseSpooled(string(data))
	if !ok {
		return
	}
	c, err := s.GetCall(ctx, callID)
	if errors.Is(err, ErrNotFound) || (err == nil && c.NotesRev >= sp.Rev) {
		s.unspool(callID)
	}
}

// Spooled is one call's notes as the spool holds them.
type Spooled struct {
	CallID int64
	Rev    int64
	Notes  string
}

// readSpooled reads the spool's files, skipping (and reporting) any that
// is not one.
func (s *Store) readSpooled() ([]Spooled, error) {
	if s.spool == "" {
		return nil, nil
	}
	names, err := filepath.Glob(filepath.Join(s.spool, "call-*.notes"))
	if err != nil {
		return nil, err
	}
	var out []Spooled
	var bad []error
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			bad = append(bad, err)
			continue
		}
		sp, ok := parseSpooled(string(data))
		if !ok {
			bad = append(bad, fmt.Errorf("%s is not a notes spool file; it was left as it is", name))
			continue
		}
		out = append(out, sp)
	}
	return out, errors.Join(bad...)
}

func parseSpooled(data string) (Spooled, bool) {
	rest, ok := strings.CutPrefix(data, spoolMagic)
	if !ok {
		return Spooled{}, false
	}
	id, rest, ok1 := strings.Cut(rest, "\n")
	rev, notes, ok2 := strings.Cut(rest, "\n")
	callID, err1 := strconv.ParseInt(id, 10, 64)
	r, err2 := strconv.ParseInt(rev, 10, 64)
	if !ok1 || !ok2 || err1 != nil || err2 != nil || callID <= 0 || r <= 0 {
		return Spooled{}, false
	}
	return Spooled{CallID: callID, Rev: r, Notes: notes}, true
}

// SendSpooled sends the notes the spool holds to the server, call by
// call, and returns how many calls' notes it sent. A call's file is
// removed once the server has its notes at that revision or a newer one,
// or the call is gone; it is kept while the server cannot be reached, and
// while another callcoach has the call open (its coach's newer typing is
// not overwritten; Pending lists what waits).
func (s *Store) SendSpooled(ctx context.Context, now time.Time) (int, error) {
	spooled, err := s.readSpooled()
	sent := 0
	self, registered := s.Self()
	for _, sp := range spooled {
		h, held, herr := s.CallHolderOf(ctx, sp.CallID, now)
		if herr != nil {
			return sent, errors.Join(err, herr)
		}
		if held && (!registered || h.ID != self.ID) {
			continue
		}
		_, serr := s.saveNotes(ctx, sp.CallID, sp.Notes, sp.Rev, now)
		if errors.Is(serr, ErrNotFound) {
			err = errors.Join(err, s.unspool(sp.CallID)) // the call was deleted: nothing to send it to
			continue
		}
		if serr != nil {
			return sent, errors.Join(err, serr)
		}
		sent++
		err = errors.Join(err, s.unspool(sp.CallID)) // the server has this revision, or a newer one
	}
	return sent, err
}

// PendingSpool lists the calls whose notes the spool holds, not yet sent.
func (s *Store) PendingSpool() ([]Spooled, error) { return s.readSpooled() }
