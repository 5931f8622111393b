-- Schema v4: action plans (Brief Action Planning) with their barriers, every
-- confidence score given, reviews at the next call, and follow-ups: the
-- next contact agreed with the person.
-- Dates are YYYY-MM-DD text or NULL; times are ISO-8601 UTC text as before.
-- Every foreign key has an index on its column, so a cascade or SET NULL
-- from deleting a person or a call seeks rather than scans.

CREATE TABLE action_plans (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    call_id       INTEGER REFERENCES calls (id) ON DELETE SET NULL, -- the call it was made in
    behaviour     TEXT NOT NULL CHECK (behaviour IN ('own', 'diet', 'activity', 'sleep', 'social', 'stress', 'medicines')),
    what          TEXT NOT NULL DEFAULT '',
    how_much      TEXT NOT NULL DEFAULT '',
    when_text     TEXT NOT NULL DEFAULT '',
    where_text    TEXT NOT NULL DEFAULT '',
    backup        TEXT NOT NULL DEFAULT '',
    commitment    TEXT NOT NULL DEFAULT '',                  -- the person's own words
    days_per_week INTEGER NOT NULL DEFAULT 0 CHECK (days_per_week BETWEEN 0 AND 7), -- 0: not yet said
    start_date    TEXT CHECK (start_date IS NULL OR date(start_date) IS start_date),
    review_date   TEXT CHECK (review_date IS NULL OR date(review_date) IS review_date),
    confidence    INTEGER NOT NULL DEFAULT -1 CHECK (confidence BETWEEN -1 AND 10), -- latest score; -1: not asked
    status        TEXT NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active', 'done', 'partly_done', 'not_done', 'revised', 'dropped')),
    replaces      INTEGER REFERENCES action_plans (id) ON DELETE SET NULL, -- the plan this one revises
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- A person's plans, newest first.
CREATE INDEX action_plans_person ON action_plans (person_id, id DESC);

-- The current plan (newest not revised or dropped) in one seek. Queries
-- must repeat this WHERE exactly for SQLite to use the index.
CREATE INDEX action_plans_current ON action_plans (person_id, id DESC) WHERE status NOT IN ('revised', 'dropped');

-- A plan is replaced (revised) at most once.
CREATE UNIQUE INDEX action_plans_replaces ON action_plans (replaces) WHERE replaces IS NOT NULL;
CREATE INDEX action_plans_call ON action_plans (call_id) WHERE call_id IS NOT NULL;

-- What might get in the way and the person's way round it, in the order given.
CREATE TABLE plan_barriers (
    id       INTEGER PRIMARY KEY,
    plan_id  INTEGER NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    barrier  TEXT NOT NULL,
    solution TEXT NOT NULL DEFAULT ''
);

CREATE INDEX plan_barriers_plan ON plan_barriers (plan_id, position);

-- Every answer to "how confident, 0 to 10?"; a rescoring adds a row.
CREATE TABLE confidence_scores (
    id        INTEGER PRIMARY KEY,
    plan_id   INTEGER NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    score     INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    scored_at TEXT NOT NULL
);

-- Covering: the caseload reads each person's newest score from the index alone.
CREATE INDEX confidence_scores_plan ON confidence_scores (plan_id, scored_at, score);

-- How the plan went, asked at a later call.
CREATE TABLE plan_reviews (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    call_id     INTEGER REFERENCES calls (id) ON DELETE SET NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('done', 'partly_done', 'not_done')),
    helped      TEXT NOT NULL DEFAULT '',
    got_in_way  TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT NOT NULL
);

CREATE INDEX plan_reviews_plan ON plan_reviews (plan_id, reviewed_at);
CREATE INDEX plan_reviews_call ON plan_reviews (call_id) WHERE call_id IS NOT NULL;

-- The next contact agreed. Open while done_at is NULL; a reached call
-- closes the person's open follow-ups.
CREATE TABLE follow_ups (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    plan_id      INTEGER REFERENCES action_plans (id) ON DELETE SET NULL,
    due_at       TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    made_call_id INTEGER REFERENCES calls (id) ON DELETE SET NULL, -- the call it was agreed in, if any
    done_call_id INTEGER REFERENCES calls (id) ON DELETE SET NULL,
    done_at      TEXT,
    created_at   TEXT NOT NULL
);

-- Open follow-ups are the few that matter day to day.
CREATE INDEX follow_ups_open_due ON follow_ups (due_at) WHERE done_at IS NULL;
CREATE INDEX follow_ups_open_person ON follow_ups (person_id, due_at) WHERE done_at IS NULL;
CREATE INDEX follow_ups_person ON follow_ups (person_id);
CREATE INDEX follow_ups_plan ON follow_ups (plan_id) WHERE plan_id IS NOT NULL;
CREATE INDEX follow_ups_done_call ON follow_ups (done_call_id) WHERE done_call_id IS NOT NULL;
CREATE INDEX follow_ups_made_call ON follow_ups (made_call_id) WHERE made_call_id IS NOT NULL;

-- The caseload's sections (overdue, due today, upcoming, no follow-up)
-- and their order go by each person's earliest open follow-up. It is kept
-- on people, exact, by the triggers below, so a section's page walks one
-- index in due order and its count is one pass over that index, whatever
-- the number of plans and follow-ups.
ALTER TABLE people ADD COLUMN next_due_at TEXT; -- NULL: no open follow-up

CREATE INDEX people_next_due ON people (next_due_at, name COLLATE NOCASE);

CREATE TRIGGER follow_ups_next_due_insert AFTER INSERT ON follow_ups WHEN new.done_at IS NULL BEGIN
    UPDATE people SET next_due_at = (
        SELECT min(f.due_at) FROM follow_ups f WHERE f.person_id = new.person_id AND f.done_at IS NULL)
    WHERE id = new.person_id;
END;

CREATE TRIGGER follow_ups_next_due_update AFTER UPDATE OF person_id, due_at, done_at ON follow_ups BEGIN
    UPDATE people SET next_due_at = (
        SELECT min(f.due_at) FROM follow_ups f WHERE f.person_id = people.id AND f.done_at IS NULL)
    WHERE id IN (old.person_id, new.person_id);
END;

CREATE TRIGGER follow_ups_next_due_delete AFTER DELETE ON follow_ups WHEN old.done_at IS NULL BEGIN
    UPDATE people SET next_due_at = (
        SELECT min(f.due_at) FROM follow_ups f WHERE f.person_id = old.person_id AND f.done_at IS NULL)
    WHERE id = old.person_id;
END;
