-- Schema v21: readings a person tracks at home and reports in a call
-- (coaching/readings.go): blood pressure, glucose, weight, steps, sleep,
-- mood, pain and the organisation's own kinds. The value is in the kind's
-- canonical unit (mmHg, mmol/L, kg, ...); what the coach typed, with its
-- unit, is kept beside it.

CREATE TABLE readings (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    call_id       INTEGER REFERENCES calls (id) ON DELETE SET NULL, -- the call it was reported in
    kind          TEXT NOT NULL CHECK (kind <> ''),
    value         REAL NOT NULL,
    value2        REAL,               -- a pair's second value (diastolic); NULL otherwise
    unit          TEXT NOT NULL,      -- canonical
    entered_value TEXT NOT NULL,      -- as typed, with its unit: '180 lb'
    taken_at      TEXT NOT NULL,      -- when the person says they took it; the call's time by default
    recorded_at   TEXT NOT NULL
);

-- A person's readings of one kind over time.
CREATE INDEX readings_person ON readings (person_id, kind, taken_at);
