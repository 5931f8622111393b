package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Copy describes a checked copy of a callcoach database: what it holds,
// counted after PRAGMA integrity_check passed.
type Copy struct {
	People, Calls int
	// Rescue is set when the pages of the database copied failed the
	// check: the copy was then rebuilt from what could still be read, and
	// passed its own check.
	Rescue *Rescue
}

// Rescue is what a backup found wrong with a damaged database, and what
// of it could not be copied.
type Rescue struct {
	// Damage is what the page check found, in SQLite's words.
	Damage []string
	// Lost names the tables some of whose rows could not be read, so are
	// not in the copy.
	Lost []string
}

// sidecars are the files SQLite keeps beside a database in WAL mode.
var sidecars = []string{"-wal", "-shm"}

// Backup writes a consistent copy of the database to dest (0600) while
// others may be reading and writing it, and checks the copy before it
// appears under dest. It refuses a dest that exists, and leaves nothing
// behind when it fails; working files an earlier, killed backup left in
// dest's folder go (see RemoveLeftovers). It checks the database's own
// pages first: if they fail, it rescues what can still be read into the
// copy instead, says what it found in Copy.Rescue, and the Store writes
// nothing more (see CheckPages).
func (s *Store) Backup(ctx context.Context, dest string) (Copy, error) {
	return s.backup(ctx, dest, nil)
}

// Seal wraps the writer of a file with an encryption, whose Close ends it.
type Seal func(io.Writer) (io.WriteCloser, error)

// BackupSealed is Backup writing the checked copy to dest through seal.
// The plain copy is made and checked in a working folder beside the
// database, never in dest's folder (a removable disk, say); only the
// sealed file is written there.
func (s *Store) BackupSealed(ctx context.Context, dest string, seal Seal) (Copy, error) {
	return s.backup(ctx, dest, seal)
}

func (s *Store) backup(ctx context.Context, dest string, seal Seal) (Copy, error) {
	if s.pg {
		return Copy{}, errTeamBackup(s.path)
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return Copy{}, fmt.Errorf("back up to %s: %w", dest, err)
	}
	if _, err := os.Lstat(abs); err == nil {
		return Copy{}, existsError(abs)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return Copy{}, fmt.Errorf("could not back up to %s: %w", abs, err)
	}
	dir := filepath.Dir(abs)
	RemoveLeftovers(dir, time.Now()) // best effort: the backup is what matters
	work := dir
	if seal != nil {
		work = filepath.Dir(s.path)
	}
	damage, err := s.checkSource(ctx)
	if err != nil {
		return Copy{}, fmt.Errorf("could not check %s before backing it up: %w", s.path, err)
	}
	var tmpDir, tmp string
	var lost []string
	if len(damage) == 0 {
		tmpDir, tmp, err = snapshotDSN(ctx, s.src, work)
	} else {
		tmpDir, tmp, lost, err = rescue(ctx, s.src, work)
	}
	if err != nil {
		return Copy{}, fmt.Errorf("could not back up to %s: %w", abs, err)
	}
	defer os.RemoveAll(tmpDir)
	c, err := checkCopy(ctx, tmp)
	if err != nil {
		return Copy{}, fmt.Errorf("the backup failed its check, so %s was not written: %w", abs, err)
	}
	if seal != nil {
		sealedDir, sealedTmp, err := sealCopy(tmp, dir, seal)
		if err != nil {
			return Copy{}, fmt.Errorf("could not back up to %s: %w", abs, err)
		}
		defer os.RemoveAll(sealedDir)
		tmp = sealedTmp
	}
	if err := placeNew(tmp, abs); err != nil {
		return Copy{}, err
	}
	if len(damage) > 0 {
		c.Rescue = &Rescue{Damage: damage, Lost: lost}
	}
	return c, nil
}

// sealCopy writes the file at plain through seal into a fresh working
// folder in dir, 0600 and durable. The caller removes tmpDir.
func sealCopy(plain, dir string, seal Seal) (tmpDir, tmp string, err error) {
	tmpDir, err = makeTempDir(dir, "copy")
	if err != nil {
		return "", "", err
	}
	tmp = filepath.Join(tmpDir, "sealed")
	err = func() error {
		in, err := os.Open(plain)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		w, err := seal(out)
		if err == nil {
			_, err = io.Copy(w, in)
			err = errors.Join(err, w.Close())
		}
		if err == nil {
			err = out.Sync()
		}
		return errors.Join(err, out.Close())
	}()
	if err != nil {
		os.RemoveAll(tmpDir)
		return "", "", err
	}
	return tmpDir, tmp, nil
}

// checkSource checks the database's pages afresh, through a connection of
// its own, and returns what it found wrong; damage also closes the Store's
// write gate.
func (s *Store) checkSource(ctx context.Context) ([]string, error) {
	db, err := sql.Open("sqlite", s.src)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	findings, err := quickCheck(ctx, db)
	if err != nil && isDamage(err) {
		findings, err = []string{err.Error()}, nil
	}
	if len(findings) > 0 {
		s.check.fail(damagedError(s.path, fmt.Errorf("page check: %s", strings.Join(findings, "; "))))
	}
	return findings, err
}

// Restore replaces the database at dest with a copy of the callcoach
// database src, after checking src is one (no newer than this build, not
// damaged) and that dest is absent or callcoach's. The file it replaces
// is moved, with its WAL, to aside, which is "" if dest did not exist. It
// refuses, with an *OpenElsewhereError, while a callcoach has dest open. If
// anything fails, dest is as it was.
func Restore(ctx context.Context, src, dest string) (aside string, err error) {
	if IsPostgresURL(dest) {
		return "", errTeamRestore(redactURL(dest))
	}
	srcAbs, err := filepath.Abs(src)
	if err != nil {
		return "", &OpenError{Path: src, Kind: Other, Err: err}
	}
	return restore(ctx, srcAbs, srcAbs, dest, false)
}

// CheckRestoreTarget says, before anything is read or asked for, whether a
// restore to dest would be refused for dest's sake: a folder, a file that
// is not callcoach's or is newer than this build, or one a callcoach has
// open (an *OpenElsewhereError). Restore checks this again itself.
func CheckRestoreTarget(ctx context.Context, dest string) error {
	if IsPostgresURL(dest) {
		return errTeamRestore(redactURL(dest))
	}
	destAbs, err := filepath.Abs(dest)
	if err != nil {
		return &OpenError{Path: dest, Kind: Other, Err: err}
	}
	destFile, err := os.Stat(destAbs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return &OpenError{Path: destAbs, Kind: Other, Err: err}
	case destFile.IsDir():
		return fmt.Errorf("%s is a folder, not a database file; nothing was restored", destAbs)
	}
	if err := inspect(ctx, destAbs, busyTimeout); err != nil {
		return err
	}
	return refuseIfOpen(ctx, destAbs, time.Now())
}

// RestoreFrom is Restore reading the backup from r (the plaintext of an
// encrypted backup, named name): it is written to a private working file
// in dest's folder, and checked and restored from there. A failure to read
// r, as any other, leaves dest as it was and the working file removed.
func RestoreFrom(ctx context.Context, r io.Reader, name, dest string) (aside string, err error) {
	if IsPostgresURL(dest) {
		return "", errTeamRestore(redactURL(dest))
	}
	destAbs, err := filepath.Abs(dest)
	if err != nil {
		return "", &OpenError{Path: dest, Kind: Other, Err: err}
	}
	dir := filepath.Dir(destAbs)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("could not restore to %s: %w", destAbs, err)
	}
	RemoveLeftovers(dir, time.Now()) // best effort, as in Backup
	tmpDir, err := makeTempDir(dir, "copy")
	if err != nil {
		return "", fmt.Errorf("could not restore to %s: %w", destAbs, err)
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, "backup.db")
	if err := writeNewFile(tmp, r); err != nil {
		return "", fmt.Errorf("could not read the backup %s, so nothing was restored: %w", name, err)
	}
	aside, err = restore(ctx, tmp, name, destAbs, true)
	var oe *OpenError
	if errors.As(err, &oe) && oe.Path == tmp {
		oe.Path = name
	}
	return aside, err
}

// writeNewFile copies r into a new file at path, 0600 and durable.
func writeNewFile(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// restore is Restore from the file at srcAbs, named name in what it says.
// With owned, srcAbs is a private working file of the restore's own in
// dest's folder (RestoreFrom's), which is checked and put in place as it
// is rather than copied once more.
func restore(ctx context.Context, srcAbs, name, dest string, owned bool) (aside string, err error) {
	destAbs, err := filepath.Abs(dest)
	if err != nil {
		return "", &OpenError{Path: dest, Kind: Other, Err: err}
	}
	if _, err := checkCopy(ctx, srcAbs); err != nil {
		return "", err
	}
	destFile, err := os.Stat(destAbs)
	exists := err == nil
	if exists && !destFile.IsDir() {
		if srcFile, err := os.Stat(srcAbs); err == nil && os.SameFile(srcFile, destFile) {
			return "", fmt.Errorf("%s is already the database in use; nothing to restore", name)
		}
	}
	if err := CheckRestoreTarget(ctx, destAbs); err != nil {
		return "", err
	}
	if !exists {
		if err := os.MkdirAll(filepath.Dir(destAbs), 0o700); err != nil {
			return "", fmt.Errorf("could not restore to %s: %w", destAbs, err)
		}
	}

	tmp := srcAbs
	if !owned {
		tmpDir, copied, err := snapshot(ctx, srcAbs, filepath.Dir(destAbs))
		if err != nil {
			return "", fmt.Errorf("could not copy %s to restore it: %w", name, err)
		}
		defer os.RemoveAll(tmpDir)
		if _, err := checkCopy(ctx, copied); err != nil {
			return "", fmt.Errorf("the copy of %s failed its check, so nothing was restored: %w", name, err)
		}
		tmp = copied
	}

	if exists {
		if aside, err = moveAside(destAbs, time.Now()); err != nil {
			return "", err
		}
	}
	if err := os.Rename(tmp, destAbs); err != nil {
		err = fmt.Errorf("could not put the restored file at %s: %w", destAbs, err)
		if aside != "" {
			err = errors.Join(err, moveFiles(aside, destAbs))
		}
		return "", err
	}
	syncDir(filepath.Dir(destAbs))
	return aside, nil
}

// snapshot writes a consistent copy of the database at src with VACUUM
// INTO, through a read-only connection of its own (the Store's readers
// are query_only, which VACUUM INTO counts as writing), into a fresh 0700
// folder in dir, so the copy is private before its mode is set and on
// dest's file system for the rename. It makes the copy 0600 and durable.
// The caller removes tmpDir.
func snapshot(ctx context.Context, src, dir string) (tmpDir, tmp string, err error) {
	return snapshotDSN(ctx, inspectDSN(src, busyTimeout), dir)
}

// snapshotDSN is snapshot reading the database through srcDSN.
func snapshotDSN(ctx context.Context, srcDSN, dir string) (tmpDir, tmp string, err error) {
	RemoveLeftovers(dir, time.Now()) // best effort, as in Backup
	tmpDir, err = makeTempDir(dir, "copy")
	if err != nil {
		return "", "", err
	}
	tmp = filepath.Join(tmpDir, "copy.db")
	err = func() error {
		db, err := sql.Open("sqlite", srcDSN)
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
			return err
		}
		if err := newIdentity(ctx, tmp); err != nil {
			return err
		}
		if err := os.Chmod(tmp, 0o600); err != nil {
			return err
		}
		return syncFile(tmp)
	}()
	if err != nil {
		os.RemoveAll(tmpDir)
		return "", "", err
	}
	return tmpDir, tmp, nil
}

// newIdentity gives the copy at path an identity of its own (see
// migration 0008): it is another file now, and its original's -wal must
// not pass for its own. A copy from before version 7 has none to change.
func newIdentity(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", fileURI(path, url.Values{}))
	if err != nil {
		return err
	}
	defer db.Close()
	var has bool
	err = db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'file_identity')").Scan(&has)
	if err == nil && has {
		_, err = db.ExecContext(ctx, "UPDATE file_identity SET token = lower(hex(randomblob(16)))")
	}
	return errors.Join(err, db.Close())
}

// checkCopy checks, reading only, that path is a callcoach database no
// newer than this build that passes PRAGMA integrity_check, and counts
// what it holds. It refuses with the same *OpenError Open would.
func checkCopy(ctx context.Context, path string) (Copy, error) {
	if err := inspect(ctx, path, busyTimeout); err != nil {
		return Copy{}, err
	}
	db, err := sql.Open("sqlite", inspectDSN(path, busyTimeout))
	if err != nil {
		return Copy{}, classify(path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	var appID int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return Copy{}, classify(path, err)
	}
	if appID != applicationID {
		// inspect lets an empty file through, as Open may set it up; a
		// copy must hold a caseload.
		return Copy{}, &OpenError{Path: path, Kind: NotCallcoach, Err: errors.New("an empty database")}
	}
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&result); err != nil {
		return Copy{}, classify(path, fmt.Errorf("integrity check: %w", err))
	}
	if result != "ok" {
		return Copy{}, &OpenError{Path: path, Kind: Corrupt, Err: fmt.Errorf("integrity check: %s", result)}
	}
	var c Copy
	err = db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM calls)").Scan(&c.People, &c.Calls)
	if err != nil {
		return Copy{}, classify(path, fmt.Errorf("count: %w", err))
	}
	return c, nil
}

// placeNew gives tmp the name dest without replacing anything there: a
// hard link fails if dest exists. Where links are not supported it falls
// back to a rename after a last look.
func placeNew(tmp, dest string) error {
	err := os.Link(tmp, dest)
	switch {
	case errors.Is(err, fs.ErrExist):
		return existsError(dest)
	case err != nil:
		if _, err := os.Lstat(dest); err == nil {
			return existsError(dest)
		}
		if err := os.Rename(tmp, dest); err != nil {
			return fmt.Errorf("could not back up to %s: %w", dest, err)
		}
	}
	syncDir(filepath.Dir(dest))
	return nil
}

func existsError(path string) error {
	return fmt.Errorf("%s already exists and was not changed; choose a new name for the backup", path)
}

// moveAside renames path and its WAL files to a name no file has yet,
// path.before-restore-<UTC time>, and returns that name.
func moveAside(path string, now time.Time) (string, error) {
	base := path + ".before-restore-" + now.UTC().Format("20060102T150405Z")
	aside := base
	for n := 2; ; n++ {
		if !anyExists(aside) {
			break
		}
		aside = base + "-" + strconv.Itoa(n)
	}
	if err := moveFiles(path, aside); err != nil {
		return "", fmt.Errorf("could not keep the current file aside, so nothing was restored: %w", err)
	}
	return aside, nil
}

// anyExists reports whether path or one of its WAL files exists.
func anyExists(path string) bool {
	for _, suffix := range append([]string{""}, sidecars...) {
		if _, err := os.Lstat(path + suffix); !errors.Is(err, fs.ErrNotExist) {
			return true
		}
	}
	return false
}

// moveFiles renames from and its WAL files to to, putting back what it
// moved if one rename fails.
func moveFiles(from, to string) error {
	var moved []string
	for _, suffix := range append([]string{""}, sidecars...) {
		err := os.Rename(from+suffix, to+suffix)
		if suffix != "" && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			for _, m := range moved {
				err = errors.Join(err, os.Rename(to+m, from+m))
			}
			return err
		}
		moved = append(moved, suffix)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// syncDir makes a rename in dir durable where it can. Some systems cannot
// sync a folder; the rename has happened, so that is not worth failing for.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

// OpenElsewhereError refuses to replace a file that running callcoach
// programs have open: they would go on writing into the file set aside.
type OpenElsewhereError struct {
	Path      string
	Instances []Instance
}

func (e *OpenElsewhereError) Error() string {
	i := e.Instances[0]
	more := ""
	if n := len(e.Instances) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more)", n)
	}
	return fmt.Sprintf("callcoach has %s open (%s, since %s)%s; nothing was restored. Close callcoach there first, then restore again.",
		e.Path, i.Where(), i.StartedAt.Local().Format("Mon 2 Jan 15:04"), more)
}

// refuseIfOpen is an *OpenElsewhereError if a callcoach has path open.
func refuseIfOpen(ctx context.Context, path string, now time.Time) error {
	live, err := liveInstances(ctx, path, now)
	if err != nil {
		return classify(path, fmt.Errorf("see who has the file open: %w", err))
	}
	if len(live) > 0 {
		return &OpenElsewhereError{Path: path, Instances: live}
	}
	return nil
}

// A team database lives on its server, which keeps and restores it with
// PostgreSQL's own tools: callcoach copies files, not servers.
func errTeamBackup(where string) error {
	return fmt.Errorf("%s is a team database: it is backed up on its server, with PostgreSQL's own tools "+
		"(its administrator runs pg_dump on a schedule, e.g. pg_dump -Fc -f team.dump DATABASE); "+
		"for a copy of its records here, run: callcoach export --format json --db URL; nothing was written", where)
}

func errTeamRestore(where string) error {
	return fmt.Errorf("%s is a team database: it is restored on its server, with PostgreSQL's own tools (pg_restore); "+
		"to bring the caseload of a file into it, run: callcoach migrate --to URL --db FILE; nothing was changed", where)
}
