-- Schema v7: who has the file open, and which call each of them is writing.
-- A call is open for writing in one place at a time. Rows here describe
-- running programs, not the caseload: exports leave them out.

CREATE TABLE instances (
    id         TEXT PRIMARY KEY,       -- random, made by each program that opens the file for the screens
    pid        INTEGER NOT NULL,
    host       TEXT NOT NULL,
    os_user    TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    beat_at    TEXT NOT NULL           -- renewed every few seconds while the program runs
);

CREATE TABLE call_leases (
    call_id     INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    instance_id TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    since       TEXT NOT NULL
);

CREATE INDEX call_leases_instance ON call_leases (instance_id);
