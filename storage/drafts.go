package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Draft is what was typed into a form that has not been saved yet.
type Draft struct {
	Key       string
	Fields    map[string]string
	UpdatedAt time.Time
}

// SaveDraft keeps the form's fields under key, replacing any draft there.
func (s *Store) SaveDraft(ctx context.Context, key string, fields map[string]string, now time.Time) error {
	body, err := json.Marshal(fields)
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		// A team database keeps each coach's drafts apart (owner: the role).
		_, err := tx.ExecContext(ctx, s.either(`INSERT INTO drafts (key, body, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
			`INSERT INTO drafts (key, body, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (owner, key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`),
			key, string(body), formatTime(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return nil
}

// LoadDraft returns the draft under key; ok is false if there is none.
func (s *Store) LoadDraft(ctx context.Context, key string) (d Draft, ok bool, err error) {
	var body, updated string
	err = s.ro.QueryRowContext(ctx, s.either("SELECT body, updated_at FROM drafts WHERE key = ?",
		"SELECT body, updated_at FROM drafts WHERE key = ? AND owner = current_user"), key).Scan(&body, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Draft{}, false, nil
	}
	if err != nil {
		return Draft{}, false, fmt.Errorf("load draft: %w", err)
	}
	d = Draft{Key: key}
	if err := json.Unmarshal([]byte(body), &d.Fields); err != nil {
		return Draft{}, false, fmt.Errorf("load draft: the stored draft is not readable: %w", err)
	}
	if d.UpdatedAt, err = parseTime(updated); err != nil {
		return Draft{}, false, fmt.Errorf("load draft: %w", err)
	}
	return d, true, nil
}

// DeleteDraft removes the draft under key, if any.
func (s *Store) DeleteDraft(ctx context.Context, key string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.either("DELETE FROM drafts WHERE key = ?",
			"DELETE FROM drafts WHERE key = ? AND owner = current_user"), key)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete draft: %w", err)
	}
	return nil
}
