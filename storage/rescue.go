package storage

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// rescue copies what can still be read of the damaged database behind
// srcDSN into a new file in a fresh private folder in dir (as snapshot
// does). VACUUM INTO would copy the damaged pages, or stop at them; so the
// copy is made anew from the migrations, and only the tables' rows are
// read, not the indexes, whose damage is the kind that goes unnoticed: the
// copy builds its own indexes, and its triggers rebuild the full-text
// indexes as the rows go in. A table that cannot be read whole is read row
// by row, from each end up to the damage, and named in lost.
func rescue(ctx context.Context, srcDSN, dir string) (tmpDir, tmp string, lost []string, err error) {
	tmpDir, err = makeTempDir(dir, "copy")
	if err != nil {
		return "", "", nil, err
	}
	tmp = filepath.Join(tmpDir, "copy.db")
	err = func() error {
		q := url.Values{}
		q.Add("_pragma", busyPragma(busyTimeout))
		// The copy is private until it is checked, and synced once at the end.
		q.Add("_pragma", "synchronous(OFF)")
		db, err := sql.Open("sqlite", fileURI(tmp, q))
		if err != nil {
			return err
		}
		defer db.Close()
		db.SetMaxOpenConns(1) // ATTACH holds for one connection only
		if err := migrate(ctx, db, tmp, SchemaVersion()); err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, "ATTACH DATABASE ? AS damaged", srcDSN); err != nil {
			return err
		}
		tables, err := copyOrder(ctx, db)
		if err != nil {
			return err
		}
		for _, table := range tables {
			if table == "installation" {
				// The caseload's installation id goes with it: the rows
				// rescued keep their exported ids.
				if _, err := db.ExecContext(ctx, "DELETE FROM installation"); err != nil {
					return err
				}
			}
			whole, err := copyTable(ctx, db, table)
			if err != nil {
				return fmt.Errorf("copy %s: %w", table, err)
			}
			if !whole {
				lost = append(lost, table)
			}
		}
		// An installation row lost to the damage: the copy keeps its own.
		// (A version 4 UUID, as migration 0017 makes one.)
		if _, err := db.ExecContext(ctx, `INSERT INTO installation (id, uuid, created_at)
			SELECT 1, lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' ||
				substr('89ab', 1 + (abs(random()) % 4), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
				strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
			FROM (SELECT hex(randomblob(16)) AS h) WHERE NOT EXISTS (SELECT 1 FROM installation)`); err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, "DETACH DATABASE damaged"); err != nil {
			return err
		}
		if err := db.Close(); err != nil {
			return err
		}
		if err := os.Chmod(tmp, 0o600); err != nil {
			return err
		}
		return syncFile(tmp)
	}()
	if err != nil {
		os.RemoveAll(tmpDir)
		return "", "", nil, err
	}
	return tmpDir, tmp, lost, nil
}

// copyOrder lists the copy's own tables (not the full-text indexes' nor
// SQLite's, not the file's identity, which is the copy's own, nor the
// caseload's counts and the measures' progress, which the copy's triggers
// keep as rows go in), each
// after the tables its foreign keys point to: the triggers that fill the
// full-text indexes read the parent rows.
func copyOrder(ctx context.Context, db *sql.DB) ([]string, error) {
	names, err := strings1(ctx, db, `SELECT name FROM pragma_table_list
		WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT IN ('file_identity', 'caseload_counts', 'measure_progress')
		ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var order []string
	placed := map[string]bool{}
	var place func(name string, depth int) error
	place = func(name string, depth int) error {
		if placed[name] || depth > len(names) {
			return nil
		}
		parents, err := strings1(ctx, db, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, name)
		if err != nil {
			return err
		}
		for _, p := range parents {
			if p != name {
				if err := place(p, depth+1); err != nil {
					return err
				}
			}
		}
		if !placed[name] {
			placed[name] = true
			order = append(order, name)
		}
		return nil
	}
	for _, n := range names {
		if err := place(n, 0); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// copyTable copies table's rows from the damaged database, whole if it
// can; whole is false if some rows could not be read.
func copyTable(ctx context.Context, db *sql.DB, table string) (whole bool, err error) {
	cols, err := strings1(ctx, db, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return false, err
	}
	for i, c := range cols {
		cols[i] = quoteIdent(c)
	}
	list, t := strings.Join(cols, ", "), quoteIdent(table)
	// NOT INDEXED: the table's own rows, whatever state its indexes are in.
	_, err = db.ExecContext(ctx, fmt.Sprintf("INSERT INTO main.%s (%s) SELECT %s FROM damaged.%s NOT INDEXED ORDER BY rowid", t, list, list, t))
	if err == nil {
		return true, nil
	}
	if !isDamage(err) {
		return false, err
	}
	// The failed statement put nothing in. Find the rows that can be
	// reached from either end, then copy them one by one.
	first, err := readableRowids(ctx, db, fmt.Sprintf("SELECT rowid FROM damaged.%s NOT INDEXED ORDER BY rowid", t))
	if err != nil {
		return false, err
	}
	last, err := readableRowids(ctx, db, fmt.Sprintf("SELECT rowid FROM damaged.%s NOT INDEXED ORDER BY rowid DESC", t))
	if err != nil {
		return false, err
	}
	one := fmt.Sprintf("INSERT INTO main.%s (%s) SELECT %s FROM damaged.%s NOT INDEXED WHERE rowid = ?", t, list, list, t)
	seen := map[int64]bool{}
	for _, id := range append(first, last...) {
		if seen[id] {
			continue
		}
		seen[id] = true
		if _, err := db.ExecContext(ctx, one, id); err != nil && !isDamage(err) {
			return false, err
		}
	}
	return false, nil
}

// readableRowids runs query, a scan of rowids, and returns those it read
// before the damage stopped it.
func readableRowids(ctx context.Context, db *sql.DB, query string) ([]int64, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		if isDamage(err) {
			return nil, nil
		}
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil && !isDamage(err) {
		return nil, err
	}
	return ids, nil
}

// strings1 returns the first column of query's rows.
func strings1(ctx context.Context, db *sql.DB, query string, args ...any) ([]string, error) {
	return column[string](ctx, db, query, args...)
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
