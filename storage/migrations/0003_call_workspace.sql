-- Schema v3: what the call workspace records as the call goes: who made the
-- call, the stages visited, the MI tally, rulers, change talk, the summary.
-- Every list is read per call in the order it happened: (call_id, id).

ALTER TABLE calls ADD COLUMN role TEXT NOT NULL DEFAULT 'coach' CHECK (role IN ('coach', 'peer'));
ALTER TABLE calls ADD COLUMN summary TEXT NOT NULL DEFAULT '';

-- One row each time the call moves to a stage; a stage may be visited again.
CREATE TABLE call_stages (
    id         INTEGER PRIMARY KEY,
    call_id    INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    stage      TEXT NOT NULL CHECK (stage IN ('engage', 'review', 'focus', 'explore', 'plan',
                                              'commit', 'confidence', 'follow_up', 'close')),
    entered_at TEXT NOT NULL
);

CREATE INDEX call_stages_call ON call_stages (call_id, id);

-- One row per mark keyed in. Undo sets undone_at and keeps the row, so the
-- history of the tally is never lost; counts skip undone marks.
CREATE TABLE tally_marks (
    id        INTEGER PRIMARY KEY,
    call_id   INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('open_question', 'closed_question', 'simple_reflection',
                                            'complex_reflection', 'affirmation', 'summary', 'mi_inconsistent')),
    marked_at TEXT NOT NULL,
    undone_at TEXT             -- NULL while the mark counts
);

CREATE INDEX tally_marks_call ON tally_marks (call_id, id);

-- 0-10 scaling questions; the follow-up answer is often typed after the score.
CREATE TABLE rulers (
    id         INTEGER PRIMARY KEY,
    call_id    INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('importance', 'confidence')),
    score      INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    about      TEXT NOT NULL DEFAULT '',
    follow_up  TEXT NOT NULL DEFAULT '',
    asked_at   TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX rulers_call ON rulers (call_id, id);

-- The person's own words about change (DARN-CAT) or against it (sustain).
CREATE TABLE change_talk (
    id      INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('desire', 'ability', 'reason', 'need',
                                          'commitment', 'activation', 'taking_steps', 'sustain')),
    quote   TEXT NOT NULL CHECK (length(quote) > 0),
    said_at TEXT NOT NULL
);

CREATE INDEX change_talk_call ON change_talk (call_id, id);
