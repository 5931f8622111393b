-- Schema v1: people on the caseload and the calls made to them.
-- Times are ISO-8601 UTC text (2026-11-23T14:05:09Z); text order is time order.

CREATE TABLE people (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    preferred_name      TEXT NOT NULL DEFAULT '',
    phone               TEXT NOT NULL DEFAULT '',
    phone_digits        TEXT NOT NULL DEFAULT '', -- digits of phone only, for search
    time_zone           TEXT NOT NULL DEFAULT '',
    conditions          TEXT NOT NULL DEFAULT '', -- ", "-joined list
    call_times          TEXT NOT NULL DEFAULT '',
    communication_needs TEXT NOT NULL DEFAULT '',
    consent             INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)),
    consent_date        TEXT,                     -- YYYY-MM-DD, NULL when not recorded
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

CREATE INDEX people_name ON people (name COLLATE NOCASE);

CREATE TABLE calls (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    ended_at   TEXT,                              -- NULL while unfinished
    outcome    TEXT CHECK (outcome IN ('reached', 'no_answer', 'voicemail', 'rescheduled', 'declined')),
    notes      TEXT NOT NULL DEFAULT '',
    notes_rev  INTEGER NOT NULL DEFAULT 0,        -- revision of the last notes save applied
    updated_at TEXT NOT NULL,
    CHECK ((ended_at IS NULL) = (outcome IS NULL)) -- ended exactly when it has an outcome
);

-- Newest call per person in one seek; id breaks ties within a second.
CREATE INDEX calls_person_started ON calls (person_id, started_at DESC, id DESC);

-- Unfinished calls are few: this keeps "has an open call" cheap.
CREATE INDEX calls_unfinished ON calls (person_id) WHERE ended_at IS NULL;

-- Finding people as the coach types: a trigram index over what the find
-- field matches, kept in step with people by triggers. Any run of three or
-- more characters is found by an index lookup, whatever the caseload size.
CREATE VIRTUAL TABLE people_search USING fts5 (
    name, preferred_name, conditions, phone_digits,
    content = 'people', content_rowid = 'id', tokenize = 'trigram'
);

CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_search (rowid, name, preferred_name, conditions, phone_digits)
    VALUES (new.id, new.name, new.preferred_name, new.conditions, new.phone_digits);
END;

CREATE TRIGGER people_search_delete AFTER DELETE ON people BEGIN
    INSERT INTO people_search (people_search, rowid, name, preferred_name, conditions, phone_digits)
    VALUES ('delete', old.id, old.name, old.preferred_name, old.conditions, old.phone_digits);
END;

CREATE TRIGGER people_search_update AFTER UPDATE OF name, preferred_name, conditions, phone_digits ON people BEGIN
    INSERT INTO people_search (people_search, rowid, name, preferred_name, conditions, phone_digits)
    VALUES ('delete', old.id, old.name, old.preferred_name, old.conditions, old.phone_digits);
    INSERT INTO people_search (rowid, name, preferred_name, conditions, phone_digits)
    VALUES (new.id, new.name, new.preferred_name, new.conditions, new.phone_digits);
END;
