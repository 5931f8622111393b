-- Schema v20: the audit trail (docs/security.md, "Audit trail"): who
-- did what and when, one row an action, each with a SHA-256 hash over the
-- row and the hash of the row before it. It holds no text from a record:
-- the action, the person's id, and a detail such as a format or a count.

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,   -- one more than the entry before: a gap is a removed entry
    at        TEXT NOT NULL,         -- UTC to the microsecond
    coach     TEXT NOT NULL,         -- the coach's name from the settings file, or ''
    os_user   TEXT NOT NULL,         -- the operating system's user
    action    TEXT NOT NULL,
    person_id INTEGER NOT NULL,      -- 0 when not about one person; kept after an erasure
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

-- Append-only for callcoach itself; a change made around these (with the
-- sqlite3 CLI, say) is what the hashes find.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
