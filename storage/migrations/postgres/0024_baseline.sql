-- PostgreSQL baseline: the schema an SQLite file has at version 24
-- (migrations/0001 to 0024), made in one step in an empty database.
-- storage/schema_parity_test.go holds the two to the same tables, columns,
-- NOT NULLs and indexes, and the triggers to the same effects.
--
-- Types: INTEGER is bigint (SQLite's integers are 64-bit), an INTEGER
-- PRIMARY KEY that numbers rows is an identity column (BY DEFAULT, so a
-- copy from SQLite keeps its ids), REAL is double precision. 0/1 flags
-- stay integers with the same CHECKs, so queries and scans are the same on
-- both engines. Text is COLLATE "C": SQLite compares text byte by byte,
-- and so then does every ORDER BY, index and comparison here, whatever
-- the database's locale. Times and dates stay text in the form SQLite
-- holds them (RFC 3339 as written by Go, YYYY-MM-DD for dates): they are
-- compared and sorted as text, and an RFC 3339 time's own offset would be
-- lost in a timestamptz.
--
-- Instead of SQLite's FTS5 tables: search_text is a plain table kept by
-- the same triggers, searched through a GIN index of its words
-- (search_words: PostgreSQL's simple parser over the body made to split
-- and fold words as FTS5's unicode61 does); people_search, the
-- finder's trigram index, is a GIN pg_trgm index on the people table
-- itself. SQLite's triggers are PL/pgSQL trigger functions doing the same.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- SQLite's user_version.
CREATE TABLE schema_version (
    id      integer PRIMARY KEY CHECK (id = 1),
    version integer NOT NULL
);

-- SQLite's COLLATE NOCASE: ASCII letters folded, nothing else (lower()
-- would fold every letter), compared byte by byte.
CREATE FUNCTION nocase(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE "C";

-- The finder's case: FTS5's trigram tokenizer (case_sensitive 0) folds
-- every letter, not only ASCII, so "éLODIE" finds "Élodie". ICU's root
-- locale does so whatever the database's own locale.
CREATE FUNCTION finder_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(t COLLATE "und-x-icu") COLLATE "C";

-- SQLite's CHECK (d IS NULL OR date(d) IS d): a real date written YYYY-MM-DD.
CREATE FUNCTION is_iso_date(d text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN d ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND to_char(d::date, 'YYYY-MM-DD') = d;
EXCEPTION WHEN others THEN
    RETURN false;
END $$;

-- SQLite's unixepoch(t) for a time stored as RFC 3339 text: its seconds
-- since 1970, so the same queries count durations on both engines.
CREATE FUNCTION unixepoch(t text) RETURNS bigint
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    RETURN floor(extract(epoch FROM t::timestamptz))::bigint;

CREATE TEXT SEARCH CONFIGURATION callcoach_search (COPY = simple);

-- The words of a search_text body as FTS5's unicode61 (remove_diacritics
-- 2) reads them (storage/search.go): accents off Latin letters only (ł
-- and ø are letters of their own; ά and й keep theirs); ASCII punctuation
-- only separating words, so the parser never reads an email, a URL, a
-- hyphenated word, 6.5 or a <tag> as one token; other scripts' marks
-- separating words too (the class is pgMarks in storage/search_test.go);
-- number signs such as ² and ½ part of a word, as U+0345, a mark the
-- parser keeps in a word and no search can type; and a final ς is σ. The
-- simple parser folds case.
CREATE FUNCTION search_words(body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN to_tsvector('callcoach_search', translate(regexp_replace(normalize(regexp_replace(
        regexp_replace(normalize(body, NFD), '([A-Za-z\u00c0-\u024f\u1e00-\u1eff])[\u0300-\u036f]+', '\1', 'g'),
        '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+', ' ', 'g'), NFC),
        '[\u0483-\u0489\u0591-\u05bd\u05bf\u05c1-\u05c2\u05c4-\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7-\u06e8\u06ea-\u06ed\u0711\u0730-\u074a\u07a6-\u07b0\u07eb-\u07f3\u07fd\u0816-\u0819\u081b-\u0823\u0825-\u0827\u0829-\u082d\u0859-\u085b\u0898-\u089f\u08ca-\u08e1\u08e3-\u0903\u093a-\u093c\u093e-\u094f\u0951-\u0957\u0962-\u0963\u0981-\u0983\u09bc\u09be-\u09c4\u09c7-\u09c8\u09cb-\u09cd\u09d7\u09e2-\u09e3\u09fe\u0a01-\u0a03\u0a3c\u0a3e-\u0a42\u0a47-\u0a48\u0a4b-\u0a4d\u0a51\u0a70-\u0a71\u0a75\u0a81-\u0a83\u0abc\u0abe-\u0ac5\u0ac7-\u0ac9\u0acb-\u0acd\u0ae2-\u0ae3\u0afa-\u0aff\u0b01-\u0b03\u0b3c\u0b3e-\u0b44\u0b47-\u0b48\u0b4b-\u0b4d\u0b55-\u0b57\u0b62-\u0b63\u0b82\u0bbe-\u0bc2\u0bc6-\u0bc8\u0bca-\u0bcd\u0bd7\u0c00-\u0c04\u0c3c\u0c3e-\u0c44\u0c46-\u0c48\u0c4a-\u0c4d\u0c55-\u0c56\u0c62-\u0c63\u0c81-\u0c83\u0cbc\u0cbe-\u0cc4\u0cc6-\u0cc8\u0cca-\u0ccd\u0cd5-\u0cd6\u0ce2-\u0ce3\u0cf3\u0d00-\u0d03\u0d3b-\u0d3c\u0d3e-\u0d44\u0d46-\u0d48\u0d4a-\u0d4d\u0d57\u0d62-\u0d63\u0d81-\u0d83\u0dca\u0dcf-\u0dd4\u0dd6\u0dd8-\u0ddf\u0df2-\u0df3\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ece\u0f18-\u0f19\u0f35\u0f37\u0f39\u0f3e-\u0f3f\u0f71-\u0f84\u0f86-\u0f87\u0f8d-\u0f97\u0f99-\u0fbc\u0fc6\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064\u1067-\u106d\u1071-\u1074\u1082-\u108d\u108f\u109a-\u109d\u135d-\u135f\u1712-\u1715\u1732-\u1734\u1752-\u1753\u1772-\u1773\u17b4-\u17d3\u17dd\u180b-\u180d\u180f\u1885-\u1886\u18a9\u1920-\u192b\u1930-\u193b\u1a17-\u1a1b\u1a55-\u1a5e\u1a60-\u1a7c\u1a7f\u1ab0-\u1ace\u1b00-\u1b04\u1b34-\u1b44\u1b6b-\u1b73\u1b80-\u1b82\u1ba1-\u1bad\u1be6-\u1bf3\u1c24-\u1c37\u1cd0-\u1cd2\u1cd4-\u1ce8\u1ced\u1cf4\u1cf7-\u1cf9\u1dc0-\u1dff\u20d0-\u20f0\u2cef-\u2cf1\u2d7f\u2de0-\u2dff\u302a-\u302f\u3099-\u309a\ua66f-\ua672\ua674-\ua67d\ua69e-\ua69f\ua6f0-\ua6f1\ua802\ua806\ua80b\ua823-\ua827\ua82c\ua880-\ua881\ua8b4-\ua8c5\ua8e0-\ua8f1\ua8ff\ua926-\ua92d\ua947-\ua953\ua980-\ua983\ua9b3-\ua9c0\ua9e5\uaa29-\uaa36\uaa43\uaa4c-\uaa4d\uaa7b-\uaa7d\uaab0\uaab2-\uaab4\uaab7-\uaab8\uaabe-\uaabf\uaac1\uaaeb-\uaaef\uaaf5-\uaaf6\uabe3-\uabea\uabec-\uabed\ufb1e\ufe00-\ufe0f\ufe20-\ufe2f]+', ' ', 'g'),
        'ς¹²³¼½¾⁰⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞⅟', 'σ' || repeat(U&'\0345', 64)));

CREATE TABLE people (
    id                  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name                text COLLATE "C" NOT NULL,
    preferred_name      text COLLATE "C" NOT NULL DEFAULT '',
    phone               text COLLATE "C" NOT NULL DEFAULT '',
    phone_digits        text COLLATE "C" NOT NULL DEFAULT '',
    time_zone           text COLLATE "C" NOT NULL DEFAULT '',
    conditions          text COLLATE "C" NOT NULL DEFAULT '',
    call_times          text COLLATE "C" NOT NULL DEFAULT '',
    communication_needs text COLLATE "C" NOT NULL DEFAULT '',
    consent             bigint NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)),
    consent_date        text COLLATE "C",
    status              text COLLATE "C" NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
    created_at          text COLLATE "C" NOT NULL,
    updated_at          text COLLATE "C" NOT NULL,
    next_due_at         text COLLATE "C",
    name_key            bigint,
    consent_at          text COLLATE "C",
    identifier          text COLLATE "C" NOT NULL DEFAULT '',
    identifier_system   text COLLATE "C" NOT NULL DEFAULT '',
    given_names         text COLLATE "C" NOT NULL DEFAULT '',
    family_name         text COLLATE "C" NOT NULL DEFAULT '',
    -- The finder's text: the three fields a filter looks in, folded and
    -- joined by a character no filter holds (so no match spans two), kept
    -- so a match is checked without folding each row again.
    finder              text COLLATE "C" GENERATED ALWAYS AS (finder_fold(name) || E'\x1f' ||
        finder_fold(preferred_name) || E'\x1f' || finder_fold(conditions)) STORED
);
CREATE INDEX people_name ON people (nocase(name));
CREATE UNIQUE INDEX people_name_key ON people (name_key);
CREATE INDEX people_unkeyed ON people (id) WHERE name_key IS NULL;
CREATE INDEX people_due ON people (next_due_at, name_key);
CREATE INDEX people_key_due ON people (name_key, next_due_at);
-- The finder (SQLite's people_search, FTS5 trigram): the same four
-- columns, case-insensitive substrings (caseload.go asks finder LIKE
-- finder_fold(pattern)). The phone's digits have no case.
CREATE INDEX people_search ON people USING gin (finder gin_trgm_ops, phone_digits gin_trgm_ops);

CREATE TABLE drafts (
    key        text COLLATE "C" PRIMARY KEY,
    body       text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL
);

CREATE TABLE calls (
    id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person_id  bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    started_at text COLLATE "C" NOT NULL,
    ended_at   text COLLATE "C",
    outcome    text COLLATE "C" CHECK (outcome IN ('reached', 'no_answer', 'voicemail', 'rescheduled', 'declined',
                                                   'wrong_number', 'opened_by_mistake')),
    notes      text COLLATE "C" NOT NULL DEFAULT '',
    notes_rev  bigint NOT NULL DEFAULT 0,
    updated_at text COLLATE "C" NOT NULL,
    role       text COLLATE "C" NOT NULL DEFAULT 'coach' CHECK (role IN ('coach', 'peer')),
    summary    text COLLATE "C" NOT NULL DEFAULT '',
    coach      text COLLATE "C" NOT NULL DEFAULT '',
    CHECK ((ended_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX calls_person_started ON calls (person_id, started_at DESC, id DESC);
CREATE INDEX calls_unfinished ON calls (person_id) WHERE ended_at IS NULL;
CREATE INDEX calls_started ON calls (started_at, outcome);
CREATE INDEX calls_uncredited ON calls (id) WHERE coach = '';

CREATE TABLE call_stages (
    id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    call_id    bigint NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    stage      text COLLATE "C" NOT NULL CHECK (stage IN ('engage', 'review', 'focus', 'explore', 'plan',
                                                          'commit', 'confidence', 'follow_up', 'close')),
    entered_at text COLLATE "C" NOT NULL
);
CREATE INDEX call_stages_call ON call_stages (call_id, id);

CREATE TABLE tally_marks (
    id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    call_id   bigint NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    kind      text COLLATE "C" NOT NULL CHECK (kind IN ('open_question', 'closed_question', 'simple_reflection',
                                                        'complex_reflection', 'affirmation', 'summary', 'mi_inconsistent')),
    marked_at text COLLATE "C" NOT NULL,
    undone_at text COLLATE "C"
);
CREATE INDEX tally_marks_call ON tally_marks (call_id, id);
CREATE INDEX tally_marks_standing ON tally_marks (call_id, undone_at, kind);

CREATE TABLE rulers (
    id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    call_id    bigint NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    kind       text COLLATE "C" NOT NULL CHECK (kind IN ('importance', 'confidence')),
    score      bigint NOT NULL CHECK (score BETWEEN 0 AND 10),
    about      text COLLATE "C" NOT NULL DEFAULT '',
    follow_up  text COLLATE "C" NOT NULL DEFAULT '',
    asked_at   text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL
);
CREATE INDEX rulers_call ON rulers (call_id, id);

CREATE TABLE change_talk (
    id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    call_id bigint NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    kind    text COLLATE "C" NOT NULL CHECK (kind IN ('desire', 'ability', 'reason', 'need',
                                                      'commitment', 'activation', 'taking_steps', 'sustain')),
    quote   text COLLATE "C" NOT NULL CHECK (length(quote) > 0),
    said_at text COLLATE "C" NOT NULL
);
CREATE INDEX change_talk_call ON change_talk (call_id, id);

CREATE TABLE action_plans (
    id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person_id     bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    call_id       bigint REFERENCES calls (id) ON DELETE SET NULL,
    behaviour     text COLLATE "C" NOT NULL CHECK (behaviour IN ('own', 'diet', 'activity', 'sleep', 'social', 'stress', 'medicines')),
    what          text COLLATE "C" NOT NULL DEFAULT '',
    how_much      text COLLATE "C" NOT NULL DEFAULT '',
    when_text     text COLLATE "C" NOT NULL DEFAULT '',
    where_text    text COLLATE "C" NOT NULL DEFAULT '',
    backup        text COLLATE "C" NOT NULL DEFAULT '',
    commitment    text COLLATE "C" NOT NULL DEFAULT '',
    days_per_week bigint NOT NULL DEFAULT 0 CHECK (days_per_week BETWEEN 0 AND 7),
    start_date    text COLLATE "C" CHECK (start_date IS NULL OR is_iso_date(start_date)),
    review_date   text COLLATE "C" CHECK (review_date IS NULL OR is_iso_date(review_date)),
    confidence    bigint NOT NULL DEFAULT -1 CHECK (confidence BETWEEN -1 AND 10),
    status        text COLLATE "C" NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active', 'done', 'partly_done', 'not_done', 'revised', 'dropped')),
    -- DEFERRABLE: a JSON import may meet the plan before the one it names.
    replaces      bigint REFERENCES action_plans (id) ON DELETE SET NULL DEFERRABLE,
    created_at    text COLLATE "C" NOT NULL,
    updated_at    text COLLATE "C" NOT NULL,
    coach         text COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX action_plans_person ON action_plans (person_id, id DESC);
CREATE INDEX action_plans_current ON action_plans (person_id, id DESC) WHERE status NOT IN ('revised', 'dropped');
CREATE UNIQUE INDEX action_plans_replaces ON action_plans (replaces) WHERE replaces IS NOT NULL;
CREATE INDEX action_plans_call ON action_plans (call_id) WHERE call_id IS NOT NULL;
CREATE INDEX action_plans_created ON action_plans (created_at);
CREATE INDEX action_plans_uncredited ON action_plans (id) WHERE coach = '';

CREATE TABLE plan_barriers (
    id       bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    plan_id  bigint NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    position bigint NOT NULL,
    barrier  text COLLATE "C" NOT NULL,
    solution text COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX plan_barriers_plan ON plan_barriers (plan_id, position);

CREATE TABLE confidence_scores (
    id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    plan_id   bigint NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    score     bigint NOT NULL CHECK (score BETWEEN 0 AND 10),
    scored_at text COLLATE "C" NOT NULL
);
CREATE INDEX confidence_scores_plan ON confidence_scores (plan_id, scored_at, score);

CREATE TABLE plan_reviews (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    plan_id     bigint NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    call_id     bigint REFERENCES calls (id) ON DELETE SET NULL,
    outcome     text COLLATE "C" NOT NULL CHECK (outcome IN ('done', 'partly_done', 'not_done')),
    helped      text COLLATE "C" NOT NULL DEFAULT '',
    got_in_way  text COLLATE "C" NOT NULL DEFAULT '',
    reviewed_at text COLLATE "C" NOT NULL
);
CREATE INDEX plan_reviews_plan ON plan_reviews (plan_id, reviewed_at);
CREATE INDEX plan_reviews_call ON plan_reviews (call_id) WHERE call_id IS NOT NULL;

CREATE TABLE follow_ups (
    id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person_id    bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    plan_id      bigint REFERENCES action_plans (id) ON DELETE SET NULL,
    due_at       text COLLATE "C" NOT NULL,
    reason       text COLLATE "C" NOT NULL DEFAULT '',
    made_call_id bigint REFERENCES calls (id) ON DELETE SET NULL,
    done_call_id bigint REFERENCES calls (id) ON DELETE SET NULL,
    done_at      text COLLATE "C",
    created_at   text COLLATE "C" NOT NULL,
    -- DEFERRABLE: a JSON import meets a follow-up before the one replacing it.
    replaced_by  bigint REFERENCES follow_ups (id) ON DELETE SET NULL DEFERRABLE
);
CREATE INDEX follow_ups_open_due ON follow_ups (due_at) WHERE done_at IS NULL;
CREATE INDEX follow_ups_open_person ON follow_ups (person_id, due_at) WHERE done_at IS NULL;
CREATE INDEX follow_ups_person ON follow_ups (person_id);
CREATE INDEX follow_ups_plan ON follow_ups (plan_id) WHERE plan_id IS NOT NULL;
CREATE INDEX follow_ups_done_call ON follow_ups (done_call_id) WHERE done_call_id IS NOT NULL;
CREATE INDEX follow_ups_made_call ON follow_ups (made_call_id) WHERE made_call_id IS NOT NULL;
CREATE INDEX follow_ups_due ON follow_ups (due_at);

CREATE TABLE measures (
    id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person_id  bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    call_id    bigint REFERENCES calls (id) ON DELETE SET NULL,
    instrument text COLLATE "C" NOT NULL CHECK (instrument IN ('semcd6', 'phq2', 'phq9', 'gad2', 'gad7')),
    given_at   text COLLATE "C" NOT NULL,
    complete   bigint NOT NULL CHECK (complete IN (0, 1)),
    scored     bigint NOT NULL CHECK (scored IN (0, 1)),
    total      double precision,
    band       text COLLATE "C" NOT NULL DEFAULT '',
    closing    bigint CHECK (closing >= 0),
    coach      text COLLATE "C" NOT NULL DEFAULT '',
    CHECK ((scored = 1) = (total IS NOT NULL))
);
CREATE INDEX measures_person ON measures (person_id, instrument, given_at);
CREATE INDEX measures_call ON measures (call_id) WHERE call_id IS NOT NULL;
CREATE INDEX measures_uncredited ON measures (id) WHERE coach = '';

CREATE TABLE measure_items (
    measure_id bigint NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    item       bigint NOT NULL CHECK (item >= 1),
    answer     bigint NOT NULL CHECK (answer >= -1),
    PRIMARY KEY (measure_id, item)
);

CREATE TABLE safety_events (
    id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person_id        bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    call_id          bigint REFERENCES calls (id) ON DELETE SET NULL,
    measure_id       bigint REFERENCES measures (id) ON DELETE SET NULL,
    trigger          text COLLATE "C" NOT NULL CHECK (trigger IN ('phq9_item9', 'coach')),
    raised_at        text COLLATE "C" NOT NULL,
    actions          text COLLATE "C" NOT NULL DEFAULT '',
    note             text COLLATE "C" NOT NULL DEFAULT '',
    recorded_at      text COLLATE "C",
    reviewed_at      text COLLATE "C",
    reviewed_call_id bigint REFERENCES calls (id) ON DELETE SET NULL,
    review_reason    text COLLATE "C" NOT NULL DEFAULT '',
    CHECK (review_reason = '' OR reviewed_at IS NOT NULL),
    CHECK ((recorded_at IS NULL) = (actions = '')),
    CHECK (reviewed_at IS NULL OR recorded_at IS NOT NULL),
    CHECK (reviewed_call_id IS NULL OR reviewed_at IS NOT NULL)
);
CREATE INDEX safety_events_person ON safety_events (person_id, raised_at);
CREATE INDEX safety_events_unreviewed ON safety_events (person_id) WHERE reviewed_at IS NULL;
CREATE INDEX safety_events_call ON safety_events (call_id) WHERE call_id IS NOT NULL;
CREATE INDEX safety_events_measure ON safety_events (measure_id) WHERE measure_id IS NOT NULL;
CREATE INDEX safety_events_reviewed_call ON safety_events (reviewed_call_id) WHERE reviewed_call_id IS NOT NULL;

-- SQLite's FTS5 search_text: rowid is named as FTS5's (the source row's id
-- * 4 + its kind: 1 note, 2 plan, 3 quote), so the same queries serve both
-- engines, and newest-first is ORDER BY rowid DESC. words keeps each
-- body's words, so that a newest-first walk for a common word reads them
-- rather than splitting every body again (ten times slower).
CREATE TABLE search_text (
    rowid     bigint PRIMARY KEY,
    body      text COLLATE "C" NOT NULL,
    person_id bigint NOT NULL,
    words     tsvector NOT NULL GENERATED ALWAYS AS (search_words(body)) STORED
);
CREATE INDEX search_text_words ON search_text USING gin (words);

CREATE TABLE instances (
    id         text COLLATE "C" PRIMARY KEY,
    pid        bigint NOT NULL,
    host       text COLLATE "C" NOT NULL,
    os_user    text COLLATE "C" NOT NULL DEFAULT '',
    started_at text COLLATE "C" NOT NULL,
    beat_at    text COLLATE "C" NOT NULL
);

CREATE TABLE call_leases (
    call_id     bigint PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    instance_id text COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    since       text COLLATE "C" NOT NULL
);
CREATE INDEX call_leases_instance ON call_leases (instance_id);

-- Kept for the same schema on both engines; only an SQLite file's -wal
-- check reads it. ONLY is a reserved word here: the column is "only".
CREATE TABLE file_identity (
    "only" bigint PRIMARY KEY CHECK ("only" = 1),
    token  text COLLATE "C" NOT NULL
);
INSERT INTO file_identity ("only", token) VALUES (1, replace(gen_random_uuid()::text, '-', ''));

CREATE TABLE caseload_counts (
    id           bigint PRIMARY KEY CHECK (id = 1),
    people       bigint NOT NULL,
    no_follow_up bigint NOT NULL
);
INSERT INTO caseload_counts (id, people, no_follow_up) VALUES (1, 0, 0);

CREATE TABLE notes_unindexed (
    call_id bigint PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE
);

CREATE TABLE notes_pending (
    call_id  bigint PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    head     bigint NOT NULL CHECK (head >= 0),
    mid      text COLLATE "C" NOT NULL,
    tail     bigint NOT NULL CHECK (tail >= 0),
    rev      bigint NOT NULL,
    saved_at text COLLATE "C" NOT NULL
);

CREATE TABLE installation (
    id         bigint PRIMARY KEY CHECK (id = 1),
    uuid       text COLLATE "C" NOT NULL,
    created_at text COLLATE "C" NOT NULL
);
INSERT INTO installation (id, uuid, created_at)
VALUES (1, gen_random_uuid()::text, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));

CREATE TABLE audit (
    id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at        text COLLATE "C" NOT NULL,
    coach     text COLLATE "C" NOT NULL,
    os_user   text COLLATE "C" NOT NULL,
    action    text COLLATE "C" NOT NULL,
    person_id bigint NOT NULL,
    detail    text COLLATE "C" NOT NULL,
    prev_hash text COLLATE "C" NOT NULL,
    hash      text COLLATE "C" NOT NULL
);

CREATE TABLE readings (
    id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person_id     bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    call_id       bigint REFERENCES calls (id) ON DELETE SET NULL,
    kind          text COLLATE "C" NOT NULL CHECK (kind <> ''),
    value         double precision NOT NULL,
    value2        double precision,
    unit          text COLLATE "C" NOT NULL,
    entered_value text COLLATE "C" NOT NULL,
    taken_at      text COLLATE "C" NOT NULL,
    recorded_at   text COLLATE "C" NOT NULL,
    coach         text COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX readings_person ON readings (person_id, kind, taken_at);
CREATE INDEX readings_uncredited ON readings (id) WHERE coach = '';

-- state is STORED: PostgreSQL 15 has no virtual generated columns.
CREATE TABLE measure_progress (
    person_id    bigint NOT NULL,
    instrument   text COLLATE "C" NOT NULL CHECK (instrument IN ('phq9', 'gad7')),
    first_total  double precision NOT NULL,
    first_at     text COLLATE "C" NOT NULL,
    latest_total double precision NOT NULL,
    latest_at    text COLLATE "C" NOT NULL,
    count        bigint NOT NULL CHECK (count >= 1),
    state        bigint GENERATED ALWAYS AS (
        CASE WHEN first_total < 10 THEN 2 WHEN latest_total * 2 <= first_total THEN 1 ELSE 0 END) STORED,
    PRIMARY KEY (person_id, instrument)
);
CREATE INDEX measure_progress_registry ON measure_progress (instrument, state, first_at, person_id);

-- Views, as SQLite's.

CREATE VIEW people_name_place (id, name_key) AS
SELECT id, CASE
        WHEN hi IS NULL AND coalesce(lo, 0) <= (1::bigint << 62) - (1::bigint << 32) THEN coalesce(lo, 0) + (1::bigint << 32)
        WHEN lo IS NULL AND hi > (1::bigint << 32) THEN hi - (1::bigint << 32)
        WHEN hi IS NULL AND lo < (1::bigint << 62) THEN lo + ((1::bigint << 62) - lo + 1) / 2
        WHEN hi - coalesce(lo, 0) >= 2 THEN coalesce(lo, 0) + (hi - coalesce(lo, 0)) / 2
    END
FROM (SELECT p.id,
        coalesce(
            (SELECT name_key FROM people WHERE nocase(name) = nocase(p.name) AND id < p.id AND name_key IS NOT NULL
                ORDER BY nocase(name) DESC, id DESC LIMIT 1),
            (SELECT name_key FROM people WHERE nocase(name) < nocase(p.name) AND name_key IS NOT NULL
                ORDER BY nocase(name) DESC, id DESC LIMIT 1)) AS lo,
        coalesce(
            (SELECT name_key FROM people WHERE nocase(name) = nocase(p.name) AND id > p.id AND name_key IS NOT NULL
                ORDER BY nocase(name), id LIMIT 1),
            (SELECT name_key FROM people WHERE nocase(name) > nocase(p.name) AND name_key IS NOT NULL
                ORDER BY nocase(name), id LIMIT 1)) AS hi
    FROM people p) AS places;

-- head and tail count bytes, as SQLite's substr of a BLOB does.
CREATE VIEW call_notes (call_id, notes, notes_rev, updated_at) AS
SELECT c.id,
       CASE WHEN p.call_id IS NULL THEN c.notes
            ELSE convert_from(substring(convert_to(c.notes, 'UTF8') FROM 1 FOR p.head::int) || convert_to(p.mid, 'UTF8') ||
                              substring(convert_to(c.notes, 'UTF8') FROM octet_length(c.notes) - p.tail::int + 1), 'UTF8')
       END,
       coalesce(p.rev, c.notes_rev),
       greatest(c.updated_at, coalesce(p.saved_at, c.updated_at))
FROM calls c LEFT JOIN notes_pending p ON p.call_id = c.id;

-- Triggers, as SQLite's (their names are SQLite's, one function for the
-- INSERT, UPDATE and DELETE triggers of one purpose).

-- people.next_due_at: the earliest open follow-up.
CREATE FUNCTION follow_ups_next_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE people SET next_due_at = (
        SELECT min(f.due_at) FROM follow_ups f WHERE f.person_id = people.id AND f.done_at IS NULL)
    WHERE id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.person_id END,
                 CASE WHEN TG_OP <> 'DELETE' THEN NEW.person_id END);
    RETURN NULL;
END $$;
CREATE TRIGGER follow_ups_next_due_insert AFTER INSERT ON follow_ups
    FOR EACH ROW WHEN (NEW.done_at IS NULL) EXECUTE FUNCTION follow_ups_next_due();
CREATE TRIGGER follow_ups_next_due_update AFTER UPDATE OF person_id, due_at, done_at ON follow_ups
    FOR EACH ROW EXECUTE FUNCTION follow_ups_next_due();
CREATE TRIGGER follow_ups_next_due_delete AFTER DELETE ON follow_ups
    FOR EACH ROW WHEN (OLD.done_at IS NULL) EXECUTE FUNCTION follow_ups_next_due();

-- search_text: plans (kind 2), change talk (3) and calls' first notes (1);
-- later notes reach it through notes_unindexed and Store.IndexNotes.
CREATE FUNCTION search_plans() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_text WHERE rowid = OLD.id * 4 + 2;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_text (rowid, body, person_id)
        VALUES (NEW.id * 4 + 2, NEW.what || ' — ' || NEW.commitment, NEW.person_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_plans_insert AFTER INSERT ON action_plans
    FOR EACH ROW EXECUTE FUNCTION search_plans();
CREATE TRIGGER search_plans_update AFTER UPDATE OF what, commitment ON action_plans
    FOR EACH ROW EXECUTE FUNCTION search_plans();
CREATE TRIGGER search_plans_delete AFTER DELETE ON action_plans
    FOR EACH ROW EXECUTE FUNCTION search_plans();

CREATE FUNCTION search_talk() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_text WHERE rowid = OLD.id * 4 + 3;
    ELSE
        INSERT INTO search_text (rowid, body, person_id)
        SELECT NEW.id * 4 + 3, NEW.quote, c.person_id FROM calls c WHERE c.id = NEW.call_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_talk_insert AFTER INSERT ON change_talk
    FOR EACH ROW EXECUTE FUNCTION search_talk();
CREATE TRIGGER search_talk_delete AFTER DELETE ON change_talk
    FOR EACH ROW EXECUTE FUNCTION search_talk();

CREATE FUNCTION search_calls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_text WHERE rowid = OLD.id * 4 + 1;
    ELSE
        INSERT INTO search_text (rowid, body, person_id) VALUES (NEW.id * 4 + 1, NEW.notes, NEW.person_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_calls_insert AFTER INSERT ON calls
    FOR EACH ROW WHEN (NEW.notes <> '') EXECUTE FUNCTION search_calls();
CREATE TRIGGER search_calls_delete AFTER DELETE ON calls
    FOR EACH ROW EXECUTE FUNCTION search_calls();

CREATE FUNCTION search_calls_mark_unindexed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO notes_unindexed (call_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER search_calls_mark_unindexed AFTER UPDATE OF notes ON calls
    FOR EACH ROW WHEN (NEW.notes IS DISTINCT FROM OLD.notes) EXECUTE FUNCTION search_calls_mark_unindexed();

-- name_key: a new or renamed person's place in name order, from
-- people_name_place (storage/nameorder.go spreads a crowded stretch).
CREATE FUNCTION people_name_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        UPDATE people SET name_key = NULL WHERE id = NEW.id;
    END IF;
    UPDATE people SET name_key = (SELECT name_key FROM people_name_place WHERE id = NEW.id) WHERE id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER people_name_key_insert AFTER INSERT ON people
    FOR EACH ROW WHEN (NEW.name_key IS NULL) EXECUTE FUNCTION people_name_key();
CREATE TRIGGER people_name_moved AFTER UPDATE OF name ON people
    FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION people_name_key();

-- caseload_counts: how many people, and how many with no follow-up.
CREATE FUNCTION caseload_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE caseload_counts SET people = people + 1,
            no_follow_up = no_follow_up + (NEW.next_due_at IS NULL)::int WHERE id = 1;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE caseload_counts SET people = people - 1,
            no_follow_up = no_follow_up - (OLD.next_due_at IS NULL)::int WHERE id = 1;
    ELSE
        UPDATE caseload_counts SET
            no_follow_up = no_follow_up + (NEW.next_due_at IS NULL)::int - (OLD.next_due_at IS NULL)::int WHERE id = 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER caseload_counts_insert AFTER INSERT ON people
    FOR EACH ROW EXECUTE FUNCTION caseload_counts();
CREATE TRIGGER caseload_counts_delete AFTER DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION caseload_counts();
CREATE TRIGGER caseload_counts_due AFTER UPDATE OF next_due_at ON people
    FOR EACH ROW WHEN ((OLD.next_due_at IS NULL) <> (NEW.next_due_at IS NULL)) EXECUTE FUNCTION caseload_counts();

-- The audit trail is append-only (TRUNCATE too, which SQLite has not).
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- measure_progress: each person's first and latest PHQ-9 and GAD-7.
CREATE FUNCTION measure_progress_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO measure_progress AS mp (person_id, instrument, first_total, first_at, latest_total, latest_at, count)
    VALUES (NEW.person_id, NEW.instrument, NEW.total, NEW.given_at, NEW.total, NEW.given_at, 1)
    ON CONFLICT (person_id, instrument) DO UPDATE SET
        first_total  = CASE WHEN excluded.first_at < mp.first_at THEN excluded.first_total ELSE mp.first_total END,
        first_at     = least(mp.first_at, excluded.first_at),
        latest_total = CASE WHEN excluded.latest_at >= mp.latest_at THEN excluded.latest_total ELSE mp.latest_total END,
        latest_at    = greatest(mp.latest_at, excluded.latest_at),
        count        = mp.count + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER measure_progress_insert AFTER INSERT ON measures
    FOR EACH ROW WHEN (NEW.complete = 1 AND NEW.scored = 1 AND NEW.instrument IN ('phq9', 'gad7'))
    EXECUTE FUNCTION measure_progress_insert();

CREATE FUNCTION measure_progress_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM measure_progress WHERE person_id = OLD.person_id AND instrument = OLD.instrument;
    INSERT INTO measure_progress (person_id, instrument, first_total, first_at, latest_total, latest_at, count)
    SELECT OLD.person_id, OLD.instrument, f.total, f.given_at, l.total, l.given_at, n.c
    FROM (SELECT total, given_at FROM measures
          WHERE person_id = OLD.person_id AND instrument = OLD.instrument AND complete = 1 AND scored = 1
          ORDER BY given_at, id LIMIT 1) AS f,
         (SELECT total, given_at FROM measures
          WHERE person_id = OLD.person_id AND instrument = OLD.instrument AND complete = 1 AND scored = 1
          ORDER BY given_at DESC, id DESC LIMIT 1) AS l,
         (SELECT count(*) AS c FROM measures
          WHERE person_id = OLD.person_id AND instrument = OLD.instrument AND complete = 1 AND scored = 1) AS n;
    RETURN NULL;
END $$;
CREATE TRIGGER measure_progress_delete AFTER DELETE ON measures
    FOR EACH ROW WHEN (OLD.complete = 1 AND OLD.scored = 1 AND OLD.instrument IN ('phq9', 'gad7'))
    EXECUTE FUNCTION measure_progress_delete();

-- Live caseloads (storage/listen.go): a row written to what a caseload
-- shows tells every program listening when it commits; PostgreSQL sends
-- one notice per table and transaction, however many rows. (A statement
-- trigger would tell of an UPDATE that changed no row, as crediting a coach
-- does at every start.) Notes as typed go to notes_pending, which tells
-- nobody: a caseload does not show them.
CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('callcoach_changes', TG_TABLE_NAME);
    RETURN NULL;
END $$;
CREATE TRIGGER people_notify AFTER INSERT OR UPDATE OR DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION notify_change();
CREATE TRIGGER calls_notify AFTER INSERT OR UPDATE OR DELETE ON calls
    FOR EACH ROW EXECUTE FUNCTION notify_change();
CREATE TRIGGER follow_ups_notify AFTER INSERT OR UPDATE OR DELETE ON follow_ups
    FOR EACH ROW EXECUTE FUNCTION notify_change();
CREATE TRIGGER action_plans_notify AFTER INSERT OR UPDATE OR DELETE ON action_plans
    FOR EACH ROW EXECUTE FUNCTION notify_change();
CREATE TRIGGER measures_notify AFTER INSERT OR UPDATE OR DELETE ON measures
    FOR EACH ROW EXECUTE FUNCTION notify_change();
CREATE TRIGGER safety_events_notify AFTER INSERT OR UPDATE OR DELETE ON safety_events
    FOR EACH ROW EXECUTE FUNCTION notify_change();
CREATE TRIGGER call_leases_notify AFTER INSERT OR UPDATE OR DELETE ON call_leases
    FOR EACH ROW EXECUTE FUNCTION notify_change();

-- callcoach migrate --to (storage/copyto.go): the id each row copied from
-- a coach's file (its installation id) got here, so a second copy adds
-- only what is new. A team database's own: a file is copied from, never to.
CREATE TABLE copied_rows (
    installation text COLLATE "C" NOT NULL,
    table_name   text COLLATE "C" NOT NULL,
    source_id    bigint NOT NULL,
    team_id      bigint NOT NULL,
    PRIMARY KEY (installation, table_name, source_id)
);

-- ==== Teams (issue 18, point 2): coaches, assignment, hand-overs, and
-- who sees what, enforced by row-level security. Keep this block last:
-- it grants on, and puts policies on, the tables made above. ====

-- Each coach is a login role, a member of callcoach_coach; supervisors
-- are members of callcoach_supervisor. The server enforces row-level
-- security on current_user, which a coach cannot change by a setting.
-- The two group roles are the cluster's, shared by its databases: made
-- here if missing (that takes CREATEROLE), left alone if there.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['callcoach_coach', 'callcoach_supervisor'] LOOP
        CONTINUE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = r);
        IF NOT (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            RAISE EXCEPTION 'the role % may not create the role %, which a team database needs: give % CREATEROLE, '
                'or have an administrator run CREATE ROLE % NOLOGIN, then open the database again', current_user, r, current_user, r;
        END IF;
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- made meanwhile for another database of this cluster
        END;
    END LOOP;
END $$;

-- A coach's role and the name records carry (calls.coach and the rest).
CREATE TABLE coaches (
    role text COLLATE "C" PRIMARY KEY,
    name text COLLATE "C" NOT NULL CHECK (name <> '')
);

-- The role running this, if it is a coach (superusers are members of
-- every role, but are no coach for it).
CREATE FUNCTION current_coach() RETURNS text
    LANGUAGE sql STABLE
    RETURN CASE WHEN pg_has_role(current_user, 'callcoach_coach', 'MEMBER')
                 AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
           THEN current_user::text END;

-- Whose caseload a person is in: NULL is the team's shared pool (new
-- referrals, people handed back). Whoever adds a person, or copies a
-- file in, has them.
ALTER TABLE people ADD COLUMN assigned_to text COLLATE "C" DEFAULT current_coach();
CREATE INDEX people_assigned ON people (assigned_to, name_key);

-- A person handed from one coach to another (to_role NULL: to the pool),
-- with a note; seen_at is when the new coach first saw it.
CREATE TABLE handovers (
    id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person_id bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    from_role text COLLATE "C" NOT NULL DEFAULT current_user,
    to_role   text COLLATE "C",
    note      text COLLATE "C" NOT NULL DEFAULT '',
    at        text COLLATE "C" NOT NULL,
    seen_at   text COLLATE "C"
);
CREATE INDEX handovers_unseen ON handovers (to_role, at) WHERE seen_at IS NULL;
CREATE INDEX handovers_person ON handovers (person_id);

-- caseload_counts is the team's. A coach's caseload shows their own people
-- and the pool's, so each is counted as well, kept by the owner's trigger
-- (the policies below show a coach their row and the pool's).
CREATE TABLE caseload_counts_by_coach (
    assigned_to  text COLLATE "C" UNIQUE NULLS NOT DISTINCT,
    people       bigint NOT NULL,
    no_follow_up bigint NOT NULL
);
INSERT INTO caseload_counts_by_coach (assigned_to, people, no_follow_up)
SELECT assigned_to, count(*), count(*) FILTER (WHERE next_due_at IS NULL) FROM people GROUP BY assigned_to;
CREATE FUNCTION caseload_counts_by_coach() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE caseload_counts_by_coach SET people = people - 1, no_follow_up = no_follow_up - (OLD.next_due_at IS NULL)::int
        WHERE assigned_to IS NOT DISTINCT FROM OLD.assigned_to;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO caseload_counts_by_coach AS c (assigned_to, people, no_follow_up)
        VALUES (NEW.assigned_to, 1, (NEW.next_due_at IS NULL)::int)
        ON CONFLICT (assigned_to) DO UPDATE SET people = c.people + 1, no_follow_up = c.no_follow_up + excluded.no_follow_up;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER caseload_counts_by_coach_insert AFTER INSERT ON people
    FOR EACH ROW EXECUTE FUNCTION caseload_counts_by_coach();
CREATE TRIGGER caseload_counts_by_coach_delete AFTER DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION caseload_counts_by_coach();
CREATE TRIGGER caseload_counts_by_coach_moved AFTER UPDATE OF assigned_to, next_due_at ON people
    FOR EACH ROW WHEN (OLD.assigned_to IS DISTINCT FROM NEW.assigned_to OR (OLD.next_due_at IS NULL) <> (NEW.next_due_at IS NULL))
    EXECUTE FUNCTION caseload_counts_by_coach();

-- Typing kept for later is its writer's own: two coaches' drafts under
-- one key (a new person's form) are two drafts.
ALTER TABLE drafts ADD COLUMN owner text COLLATE "C" NOT NULL DEFAULT current_user;
ALTER TABLE drafts DROP CONSTRAINT drafts_pkey, ADD PRIMARY KEY (owner, key);

-- Row-level security. A coach sees the people assigned to them and the
-- pool; what belongs to a person follows them (each policy's EXISTS reads
-- the parent through its own policy). A coach may put a person in their
-- own caseload or the pool; into another coach's only by a hand-over (an
-- UPDATE that reads its rows must leave them visible to its writer, so a
-- hand-over is a row in handovers, whose trigger moves the person).
-- Supervisors read every row; which columns, their grants below say. A
-- role in both groups is a coach only: grants are a role's, not a row's,
-- so it would read every coach's notes through its coach grants; a
-- supervisor who coaches too has a login for each. The owner, who
-- migrates, bypasses it all.
CREATE POLICY coach ON people TO callcoach_coach
    USING (assigned_to = current_user OR assigned_to IS NULL);
CREATE POLICY coach ON drafts TO callcoach_coach USING (owner = current_user);
CREATE POLICY coach ON caseload_counts_by_coach FOR SELECT TO callcoach_coach
    USING (assigned_to = current_user OR assigned_to IS NULL);
CREATE POLICY coach_reads ON handovers FOR SELECT TO callcoach_coach
    USING (EXISTS (SELECT FROM people p WHERE p.id = handovers.person_id));
CREATE POLICY coach_hands_over ON handovers FOR INSERT TO callcoach_coach
    WITH CHECK (from_role = current_user AND EXISTS (SELECT FROM people p WHERE p.id = handovers.person_id)
                AND (to_role IS NULL OR to_role IN (SELECT role FROM coaches)));
CREATE POLICY coach_sees ON handovers FOR UPDATE TO callcoach_coach
    USING (EXISTS (SELECT FROM people p WHERE p.id = handovers.person_id));

-- The hand-over's policy has checked, as its writer, that they see the
-- person and hand them to a coach or the pool; this moves the person.
CREATE FUNCTION hand_over() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE people SET assigned_to = NEW.to_role WHERE id = NEW.person_id;
    RETURN NULL;
END $$;
CREATE TRIGGER hand_over AFTER INSERT ON handovers FOR EACH ROW EXECUTE FUNCTION hand_over();

-- Erasing a person takes every coach's drafts of them, which the eraser's
-- own DELETE (erase.go) cannot see (tui keys a form's draft "person:N" or
-- "plan:N", N the person's id).
CREATE FUNCTION people_erase_drafts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM drafts WHERE key IN ('person:' || OLD.id, 'plan:' || OLD.id);
    RETURN NULL;
END $$;
CREATE TRIGGER people_erase_drafts AFTER DELETE ON people FOR EACH ROW EXECUTE FUNCTION people_erase_drafts();
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('calls', 'people', 'person_id'), ('action_plans', 'people', 'person_id'),
        ('follow_ups', 'people', 'person_id'), ('measures', 'people', 'person_id'),
        ('safety_events', 'people', 'person_id'), ('readings', 'people', 'person_id'),
        ('search_text', 'people', 'person_id'), ('measure_progress', 'people', 'person_id'),
        ('call_stages', 'calls', 'call_id'), ('tally_marks', 'calls', 'call_id'),
        ('rulers', 'calls', 'call_id'), ('change_talk', 'calls', 'call_id'),
        ('notes_pending', 'calls', 'call_id'), ('notes_unindexed', 'calls', 'call_id'),
        ('call_leases', 'calls', 'call_id'),
        ('plan_barriers', 'action_plans', 'plan_id'), ('confidence_scores', 'action_plans', 'plan_id'),
        ('plan_reviews', 'action_plans', 'plan_id'), ('measure_items', 'measures', 'measure_id')
    ) AS v (child, parent, fk) LOOP
        EXECUTE format('CREATE POLICY coach ON %I TO callcoach_coach USING (EXISTS (SELECT FROM %I x WHERE x.id = %I.%I))',
            t.child, t.parent, t.child, t.fk);
    END LOOP;
    FOR t IN SELECT unnest(ARRAY['people', 'drafts', 'handovers', 'caseload_counts_by_coach', 'calls',
        'action_plans', 'follow_ups', 'measures', 'safety_events', 'readings', 'search_text', 'measure_progress',
        'call_stages', 'tally_marks', 'rulers', 'change_talk', 'notes_pending', 'notes_unindexed', 'call_leases',
        'plan_barriers', 'confidence_scores', 'plan_reviews', 'measure_items']) AS name LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.name);
        EXECUTE format('CREATE POLICY supervisor ON %I FOR SELECT TO callcoach_supervisor
            USING (NOT pg_has_role(current_user, ''callcoach_coach'', ''MEMBER''))', t.name);
    END LOOP;
END $$;

-- The view reads calls and notes_pending as whoever reads it, through
-- their policies and grants (a view otherwise reads as its owner).
ALTER VIEW call_notes SET (security_invoker = true);

-- What must see past the policies runs as the owner: a person's place in
-- name order (name_key is unique across everyone, so a key from the
-- visible neighbours only could meet a hidden one's), the counts, measure
-- progress, hand-overs, erasure. storage/nameorder.go calls the name_*
-- functions on PostgreSQL for the same reason.
CREATE FUNCTION name_neighbour_key(person_name text, person_id bigint, before boolean) RETURNS bigint
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT CASE WHEN before THEN coalesce(
        (SELECT p.name_key FROM people p WHERE nocase(p.name) = nocase(person_name) AND p.id < person_id
            AND p.name_key IS NOT NULL ORDER BY nocase(p.name) DESC, p.id DESC LIMIT 1),
        (SELECT p.name_key FROM people p WHERE nocase(p.name) < nocase(person_name)
            AND p.name_key IS NOT NULL ORDER BY nocase(p.name) DESC, p.id DESC LIMIT 1))
    ELSE coalesce(
        (SELECT p.name_key FROM people p WHERE nocase(p.name) = nocase(person_name) AND p.id > person_id
            AND p.name_key IS NOT NULL ORDER BY nocase(p.name), p.id LIMIT 1),
        (SELECT p.name_key FROM people p WHERE nocase(p.name) > nocase(person_name)
            AND p.name_key IS NOT NULL ORDER BY nocase(p.name), p.id LIMIT 1)) END;
END;

CREATE FUNCTION name_keys_from(from_key bigint, width bigint, down boolean) RETURNS TABLE (id bigint, name_key bigint)
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF down THEN
        RETURN QUERY SELECT p.id, p.name_key FROM people p WHERE p.name_key <= from_key ORDER BY p.name_key DESC LIMIT width;
    ELSE
        RETURN QUERY SELECT p.id, p.name_key FROM people p WHERE p.name_key >= from_key ORDER BY p.name_key LIMIT width;
    END IF;
END $$;

CREATE FUNCTION set_name_key(person_id bigint, key bigint) RETURNS void
    LANGUAGE sql
BEGIN ATOMIC
    UPDATE people SET name_key = set_name_key.key WHERE id = set_name_key.person_id;
END;

DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['hand_over()', 'people_erase_drafts()', 'people_name_key()', 'caseload_counts()',
        'caseload_counts_by_coach()', 'measure_progress_insert()', 'measure_progress_delete()',
        'name_neighbour_key(text, bigint, boolean)', 'name_keys_from(bigint, bigint, boolean)',
        'set_name_key(bigint, bigint)'] LOOP
        EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp', f, current_schema());
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION name_neighbour_key(text, bigint, boolean), name_keys_from(bigint, bigint, boolean),
    set_name_key(bigint, bigint) TO callcoach_coach;

-- Grants. Coaches read and write their people's records (the policies
-- say which), and all of instances (presence sees other programs); the
-- audit trail is append-only, and they read all of it so its chain
-- verifies (its details hold ids and counts, never notes).
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO callcoach_coach, callcoach_supervisor', current_schema());
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO callcoach_coach', current_schema());
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON people, drafts, calls, call_stages, tally_marks, rulers, change_talk,
    action_plans, plan_barriers, confidence_scores, plan_reviews, follow_ups, measures, measure_items,
    safety_events, readings, search_text, measure_progress, notes_pending, notes_unindexed, call_leases,
    instances TO callcoach_coach;
GRANT SELECT, INSERT ON audit TO callcoach_coach;
GRANT SELECT, INSERT ON handovers TO callcoach_coach;
GRANT SELECT, INSERT ON copied_rows TO callcoach_coach; -- a coach copies their file in (callcoach migrate)
GRANT UPDATE (seen_at) ON handovers TO callcoach_coach;
GRANT SELECT ON installation, schema_version, file_identity, caseload_counts, caseload_counts_by_coach, coaches, call_notes
    TO callcoach_coach;

-- Supervisors read every row for the practice reports, but not what was
-- said: the columns and tables in supervisors_read_notes stay closed to
-- them unless the organisation opens them.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.table_name, string_agg(quote_ident(c.column_name), ', ') AS cols
        FROM information_schema.columns c JOIN information_schema.tables x USING (table_schema, table_name)
        WHERE c.table_schema = current_schema() AND x.table_type = 'BASE TABLE'
          AND c.table_name NOT IN ('notes_pending', 'search_text')
          AND (c.table_name, c.column_name) NOT IN (('calls', 'notes'), ('calls', 'summary'), ('change_talk', 'quote'),
              ('drafts', 'body'), ('handovers', 'note'), ('safety_events', 'note'))
        GROUP BY c.table_name LOOP
        EXECUTE format('GRANT SELECT (%s) ON %I TO callcoach_supervisor', t.cols, t.table_name);
    END LOOP;
END $$;

-- The organisation's switch, for the owner: supervisors_read_notes(true)
-- lets supervisors read notes, summaries, quotes, drafts and hand-over
-- and safety notes; (false) closes them again.
CREATE FUNCTION supervisors_read_notes(allowed boolean) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF allowed THEN
        GRANT SELECT (notes, summary) ON calls TO callcoach_supervisor;
        GRANT SELECT (quote) ON change_talk TO callcoach_supervisor;
        GRANT SELECT (body) ON drafts TO callcoach_supervisor;
        GRANT SELECT (note) ON handovers TO callcoach_supervisor;
        GRANT SELECT (note) ON safety_events TO callcoach_supervisor;
        GRANT SELECT ON notes_pending, search_text, call_notes TO callcoach_supervisor;
    ELSE
        REVOKE SELECT (notes, summary) ON calls FROM callcoach_supervisor;
        REVOKE SELECT (quote) ON change_talk FROM callcoach_supervisor;
        REVOKE SELECT (body) ON drafts FROM callcoach_supervisor;
        REVOKE SELECT (note) ON handovers FROM callcoach_supervisor;
        REVOKE SELECT (note) ON safety_events FROM callcoach_supervisor;
        REVOKE SELECT ON notes_pending, search_text, call_notes FROM callcoach_supervisor;
    END IF;
END $$;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION supervisors_read_notes(boolean) SET search_path = %I, pg_temp', current_schema());
END $$;
REVOKE EXECUTE ON FUNCTION supervisors_read_notes(boolean) FROM PUBLIC;
