-- Schema v9: two more ways a call can end: a wrong number, and a call
-- opened by mistake that had something in it (one with nothing in it is
-- removed instead). SQLite cannot change a CHECK in place, so the calls
-- table is rebuilt the way SQLite's documentation describes: a new table,
-- the rows copied, the old one dropped, the new one renamed, its indexes
-- and triggers made again. Migrations run with foreign keys off, so
-- dropping the old table cascades nothing; every reference is checked
-- again before the change is committed.

CREATE TABLE calls_new (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    ended_at   TEXT,                              -- NULL while unfinished
    outcome    TEXT CHECK (outcome IN ('reached', 'no_answer', 'voicemail', 'rescheduled', 'declined',
                                       'wrong_number', 'opened_by_mistake')),
    notes      TEXT NOT NULL DEFAULT '',
    notes_rev  INTEGER NOT NULL DEFAULT 0,        -- revision of the last notes save applied
    updated_at TEXT NOT NULL,
    role       TEXT NOT NULL DEFAULT 'coach' CHECK (role IN ('coach', 'peer')),
    summary    TEXT NOT NULL DEFAULT '',
    CHECK ((ended_at IS NULL) = (outcome IS NULL)) -- ended exactly when it has an outcome
);

INSERT INTO calls_new (id, person_id, started_at, ended_at, outcome, notes, notes_rev, updated_at, role, summary)
    SELECT id, person_id, started_at, ended_at, outcome, notes, notes_rev, updated_at, role, summary FROM calls;

-- A trigger on another table that reads calls would stop the rename.
DROP TRIGGER search_talk_insert;
DROP TABLE calls;
ALTER TABLE calls_new RENAME TO calls;

CREATE INDEX calls_person_started ON calls (person_id, started_at DESC, id DESC);
CREATE INDEX calls_unfinished ON calls (person_id) WHERE ended_at IS NULL;

CREATE TRIGGER search_calls_insert AFTER INSERT ON calls WHEN new.notes <> '' BEGIN
    INSERT INTO search_text (rowid, body, person_id) VALUES (new.id * 4 + 1, new.notes, new.person_id);
END;
CREATE TRIGGER search_calls_update AFTER UPDATE OF notes ON calls BEGIN
    DELETE FROM search_text WHERE rowid = old.id * 4 + 1;
    INSERT INTO search_text (rowid, body, person_id)
        SELECT new.id * 4 + 1, new.notes, new.person_id WHERE new.notes <> '';
END;
CREATE TRIGGER search_calls_delete AFTER DELETE ON calls BEGIN
    DELETE FROM search_text WHERE rowid = old.id * 4 + 1;
END;
CREATE TRIGGER search_talk_insert AFTER INSERT ON change_talk BEGIN
    INSERT INTO search_text (rowid, body, person_id)
        SELECT new.id * 4 + 3, new.quote, c.person_id FROM calls c WHERE c.id = new.call_id;
END;
