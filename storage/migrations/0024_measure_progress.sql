-- Schema v24: each person's PHQ-9 and GAD-7 progress, for the treat to
-- target registry (coaching/target.go): the first and the latest complete,
-- scored measure and how many there were, kept by triggers on measures so
-- the registry's page is one range of an index at any caseload size.

CREATE TABLE measure_progress (
    person_id    INTEGER NOT NULL,   -- no foreign key: the delete trigger removes the row with the last measure
    instrument   TEXT NOT NULL CHECK (instrument IN ('phq9', 'gad7')),
    first_total  REAL NOT NULL,
    first_at     TEXT NOT NULL,
    latest_total REAL NOT NULL,
    latest_at    TEXT NOT NULL,
    count        INTEGER NOT NULL CHECK (count >= 1),
    -- Where the person stands, as far as it does not depend on the clock:
    -- 0 tracked and not yet down by half, 1 down by half (a response),
    -- 2 not tracked (first below 10). coaching.Progress.Responded and
    -- Tracked are the same tests; storage's TestMeasureProgressState
    -- holds them together. Within 0, who is "not on track" is a range of
    -- first_at: in care since before now minus the set weeks.
    state        INTEGER GENERATED ALWAYS AS (
        CASE WHEN first_total < 10 THEN 2 WHEN latest_total * 2 <= first_total THEN 1 ELSE 0 END) VIRTUAL,
    PRIMARY KEY (person_id, instrument)
) WITHOUT ROWID;

-- The registry's order: not responding (the longest in care first, so the
-- not on track lead), then responding, then not tracked.
CREATE INDEX measure_progress_registry ON measure_progress (instrument, state, first_at, person_id);

CREATE TRIGGER measure_progress_insert AFTER INSERT ON measures
WHEN new.complete = 1 AND new.scored = 1 AND new.instrument IN ('phq9', 'gad7')
BEGIN
    INSERT INTO measure_progress (person_id, instrument, first_total, first_at, latest_total, latest_at, count)
    VALUES (new.person_id, new.instrument, new.total, new.given_at, new.total, new.given_at, 1)
    ON CONFLICT (person_id, instrument) DO UPDATE SET
        first_total  = CASE WHEN excluded.first_at < first_at THEN excluded.first_total ELSE first_total END,
        first_at     = min(first_at, excluded.first_at),
        latest_total = CASE WHEN excluded.latest_at >= latest_at THEN excluded.latest_total ELSE latest_total END,
        latest_at    = max(latest_at, excluded.latest_at),
        count        = count + 1;
END;

-- A measure goes only with its person (or an erase); work the row out
-- again from what is left, which is one person's few measures.
CREATE TRIGGER measure_progress_delete AFTER DELETE ON measures
WHEN old.complete = 1 AND old.scored = 1 AND old.instrument IN ('phq9', 'gad7')
BEGIN
    DELETE FROM measure_progress WHERE person_id = old.person_id AND instrument = old.instrument;
    INSERT INTO measure_progress (person_id, instrument, first_total, first_at, latest_total, latest_at, count)
    SELECT old.person_id, old.instrument, f.total, f.given_at, l.total, l.given_at, n.c
    FROM (SELECT total, given_at FROM measures
          WHERE person_id = old.person_id AND instrument = old.instrument AND complete = 1 AND scored = 1
          ORDER BY given_at, id LIMIT 1) AS f,
         (SELECT total, given_at FROM measures
          WHERE person_id = old.person_id AND instrument = old.instrument AND complete = 1 AND scored = 1
          ORDER BY given_at DESC, id DESC LIMIT 1) AS l,
         (SELECT count(*) AS c FROM measures
          WHERE person_id = old.person_id AND instrument = old.instrument AND complete = 1 AND scored = 1) AS n;
END;

INSERT INTO measure_progress (person_id, instrument, first_total, first_at, latest_total, latest_at, count)
SELECT g.person_id, g.instrument,
    (SELECT total FROM measures m WHERE m.person_id = g.person_id AND m.instrument = g.instrument
        AND m.complete = 1 AND m.scored = 1 ORDER BY m.given_at, m.id LIMIT 1),
    g.first_at,
    (SELECT total FROM measures m WHERE m.person_id = g.person_id AND m.instrument = g.instrument
        AND m.complete = 1 AND m.scored = 1 ORDER BY m.given_at DESC, m.id DESC LIMIT 1),
    g.latest_at, g.c
FROM (SELECT person_id, instrument, min(given_at) AS first_at, max(given_at) AS latest_at, count(*) AS c
      FROM measures WHERE complete = 1 AND scored = 1 AND instrument IN ('phq9', 'gad7')
      GROUP BY person_id, instrument) AS g;
