-- Schema v17: the file's installation id, made once at random (a UUID,
-- version 4) and kept: records exported from this file (FHIR ids and
-- identifiers) are named from it, so two caseloads made apart never share
-- an id, and the same record keeps its id in every export.

CREATE TABLE installation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    uuid       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

INSERT INTO installation (id, uuid, created_at)
SELECT 1,
       lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' ||
             substr('89ab', 1 + (abs(random()) % 4), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM (SELECT hex(randomblob(16)) AS h);
