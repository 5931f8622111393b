-- Schema v7: a random identity for the file, set once when the file is
-- made (or brought to this version) and never changed after. A -wal file
-- replays its transactions over the database beside it, whichever database
-- wrote it; one whose transactions change this identity was written by
-- another file, and Open refuses it before SQLite lets it in.

CREATE TABLE file_identity (
    only  INTEGER PRIMARY KEY CHECK (only = 1),
    token TEXT NOT NULL
);

INSERT INTO file_identity (only, token) VALUES (1, lower(hex(randomblob(16))));
