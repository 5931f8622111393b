package storage

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"time"
)

// walHeaderSize is the size of a -wal file's header; a file no longer
// holds no transactions.
const walHeaderSize = 32

// walHasFrames reports whether a -wal beside path holds any transaction.
func walHasFrames(path string) bool {
	fi, err := os.Stat(path + "-wal")
	return err == nil && fi.Mode().IsRegular() && fi.Size() > walHeaderSize
}

// immutableDSN reads the database file alone: SQLite takes no locks and
// ignores any -wal beside it.
func immutableDSN(path string, busy time.Duration) string {
	q := url.Values{}
	q.Add("_pragma", busyPragma(busy))
	q.Set("mode", "ro")
	q.Set("immutable", "1")
	return fileURI(path, q)
}

// checkWALBelongs refuses a -wal that changes the file's identity (see
// migration 0008): SQLite would replay another database's transactions
// over this one. Reading through dsn sees the file with the -wal; the file
// alone is read as immutable. Anything that cannot be read is no verdict:
// only a clear mismatch refuses.
func checkWALBelongs(ctx context.Context, path string, busy time.Duration, dsn string) error {
	alone, ok := fileToken(ctx, immutableDSN(path, busy))
	if !ok {
		return nil
	}
	withWAL, ok := fileToken(ctx, dsn)
	if ok && withWAL != alone {
		return strayWALError(path, errors.New("the -wal changes the file's identity"))
	}
	return nil
}

// fileToken reads the file's identity through dsn.
func fileToken(ctx context.Context, dsn string) (string, bool) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return "", false
	}
	defer db.Close()
	var token string
	if err := db.QueryRowContext(ctx, "SELECT token FROM file_identity WHERE only = 1").Scan(&token); err != nil {
		return "", false
	}
	return token, true
}

// soundWithoutWAL reports whether the database file alone, without the
// -wal beside it, is a callcoach database whose pages pass the check: if
// it is, and it is damaged only with the -wal, the -wal is to blame.
func soundWithoutWAL(ctx context.Context, path string, busy time.Duration) bool {
	db, err := sql.Open("sqlite", immutableDSN(path, busy))
	if err != nil {
		return false
	}
	defer db.Close()
	var appID int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil || appID != applicationID {
		return false
	}
	findings, err := quickCheck(ctx, db)
	return err == nil && len(findings) == 0
}

func strayWALError(path string, cause error) *OpenError {
	return &OpenError{Path: path, Kind: StrayWAL, Err: cause}
}
