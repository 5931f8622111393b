-- Schema v5: standard measures given in calls (SEMCD-6, PHQ-2/9, GAD-2/7)
-- with every item's answer, and safety events: each time the safety panel
-- opened, what was done, and its review at a later call.
-- As in v4, every foreign key has an index on its column, so a cascade or
-- SET NULL from deleting a person, a call or a measure seeks.

-- One administration of an instrument. Scoring and bands are worked out
-- by the caller; what it worked out is stored as given.
CREATE TABLE measures (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    call_id    INTEGER REFERENCES calls (id) ON DELETE SET NULL, -- the call it was given in
    instrument TEXT NOT NULL CHECK (instrument IN ('semcd6', 'phq2', 'phq9', 'gad2', 'gad7')),
    given_at   TEXT NOT NULL,
    complete   INTEGER NOT NULL CHECK (complete IN (0, 1)),
    scored     INTEGER NOT NULL CHECK (scored IN (0, 1)),
    total      REAL,                              -- NULL when not scored
    band       TEXT NOT NULL DEFAULT '',
    closing    INTEGER CHECK (closing >= 0),      -- the unscored closing question's answer; NULL if not asked
    CHECK (scored = (total IS NOT NULL))
);

-- A person's measures of one instrument over time, for trends.
CREATE INDEX measures_person ON measures (person_id, instrument, given_at);
CREATE INDEX measures_call ON measures (call_id) WHERE call_id IS NOT NULL;

-- Each item's answer, items numbered from 1; -1 is declined.
CREATE TABLE measure_items (
    measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    item       INTEGER NOT NULL CHECK (item >= 1),
    answer     INTEGER NOT NULL CHECK (answer >= -1),
    PRIMARY KEY (measure_id, item)
);

-- The safety panel opened (raised), what the coach did (recorded), and the
-- check at a later call (reviewed). The row is written when the panel
-- opens, before anything is done, so a crash leaves it with recorded_at
-- NULL. An event is recorded exactly when it has actions, and reviewed
-- only once recorded.
CREATE TABLE safety_events (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    call_id          INTEGER REFERENCES calls (id) ON DELETE SET NULL,
    measure_id       INTEGER REFERENCES measures (id) ON DELETE SET NULL, -- the PHQ-9 that raised it, if any
    trigger          TEXT NOT NULL CHECK (trigger IN ('phq9_item9', 'coach')),
    raised_at        TEXT NOT NULL,
    actions          TEXT NOT NULL DEFAULT '',    -- comma-separated action names, in the order recorded
    note             TEXT NOT NULL DEFAULT '',
    recorded_at      TEXT,                        -- NULL while the panel is still open
    reviewed_at      TEXT,                        -- NULL until checked at a later call
    reviewed_call_id INTEGER REFERENCES calls (id) ON DELETE SET NULL,
    CHECK ((recorded_at IS NULL) = (actions = '')),
    CHECK (reviewed_at IS NULL OR recorded_at IS NOT NULL),
    CHECK (reviewed_call_id IS NULL OR reviewed_at IS NOT NULL)
);

-- A person's events, newest first, in one seek.
CREATE INDEX safety_events_person ON safety_events (person_id, raised_at);

-- Unreviewed events are few: the caseload's safety flag is one seek here
-- per row of the page. Queries must repeat this WHERE exactly for SQLite
-- to use the index.
CREATE INDEX safety_events_unreviewed ON safety_events (person_id) WHERE reviewed_at IS NULL;

CREATE INDEX safety_events_call ON safety_events (call_id) WHERE call_id IS NOT NULL;
CREATE INDEX safety_events_measure ON safety_events (measure_id) WHERE measure_id IS NOT NULL;
CREATE INDEX safety_events_reviewed_call ON safety_events (reviewed_call_id) WHERE reviewed_call_id IS NOT NULL;
