-- Schema v11: the caseload reads every page from an index in the order it
-- shows, so a keystroke in the find field costs the same at a million
-- people as at a hundred (docs/performance.md).
--
-- name_key is each person's place in name order (name without case, then
-- id) as a number with room between neighbours: a new or renamed person
-- gets a number between the two they now sit between, and a crowded
-- stretch is spread out again (storage/nameorder.go). The finder's
-- trigram index uses name_key as its rowid, so its matches come out in
-- name order: the first page of matches is the first rows it yields, with
-- no sort of every match.

ALTER TABLE people ADD COLUMN name_key INTEGER; -- NULL only inside the transaction that adds or renames the person

WITH ranked AS (
    SELECT id, row_number() OVER (ORDER BY name COLLATE NOCASE, id) AS n FROM people
)
UPDATE people SET name_key = ranked.n * ((1 << 62) / ((SELECT count(*) FROM people) + 1))
FROM ranked WHERE ranked.id = people.id;

CREATE UNIQUE INDEX people_name_key ON people (name_key);
CREATE INDEX people_unkeyed ON people (id) WHERE name_key IS NULL;

-- A person added, or renamed (they move in name order), is given a key
-- between their two neighbours' here, by whatever writes them. Where the
-- neighbours' keys touch, the key is left NULL and the program spreads
-- the stretch out before the transaction commits (keyNames). The
-- arithmetic is nameorder.go's placeName; people_name_place holds it once
-- for both triggers (asked for one id, it works out that row alone).
CREATE VIEW people_name_place (id, name_key) AS
SELECT id, CASE
        WHEN hi IS NULL AND coalesce(lo, 0) <= (1 << 62) - (1 << 32) THEN coalesce(lo, 0) + (1 << 32)
        WHEN lo IS NULL AND hi > (1 << 32) THEN hi - (1 << 32)
        WHEN hi IS NULL AND lo < (1 << 62) THEN lo + ((1 << 62) - lo + 1) / 2
        WHEN hi - coalesce(lo, 0) >= 2 THEN coalesce(lo, 0) + (hi - coalesce(lo, 0)) / 2
    END
FROM (SELECT p.id,
        coalesce(
            (SELECT name_key FROM people WHERE name = p.name COLLATE NOCASE AND id < p.id AND name_key IS NOT NULL
                ORDER BY name COLLATE NOCASE DESC, id DESC LIMIT 1),
            (SELECT name_key FROM people WHERE name < p.name COLLATE NOCASE AND name_key IS NOT NULL
                ORDER BY name COLLATE NOCASE DESC, id DESC LIMIT 1)) AS lo,
        coalesce(
            (SELECT name_key FROM people WHERE name = p.name COLLATE NOCASE AND id > p.id AND name_key IS NOT NULL
                ORDER BY name COLLATE NOCASE, id LIMIT 1),
            (SELECT name_key FROM people WHERE name > p.name COLLATE NOCASE AND name_key IS NOT NULL
                ORDER BY name COLLATE NOCASE, id LIMIT 1)) AS hi
    FROM people p);

CREATE TRIGGER people_name_key_insert AFTER INSERT ON people WHEN new.name_key IS NULL BEGIN
    UPDATE people SET name_key = (SELECT name_key FROM people_name_place WHERE id = new.id) WHERE id = new.id;
END;

CREATE TRIGGER people_name_moved AFTER UPDATE OF name ON people WHEN new.name IS NOT old.name BEGIN
    UPDATE people SET name_key = NULL WHERE id = new.id;
    UPDATE people SET name_key = (SELECT name_key FROM people_name_place WHERE id = new.id) WHERE id = new.id;
END;

-- Due sections are read in due order, then name order, by this index; a
-- page goes on from the last row shown (next_due_at, name_key).
DROP INDEX people_next_due;
CREATE INDEX people_due ON people (next_due_at, name_key);

-- Sorting a filter's matches into sections, and picking a section's
-- matches, read each match's next_due_at by its name key: from this
-- index alone, whose entries lie in name order (a few pages for a page of
-- matches), rather than from each person's row (a page each).
CREATE INDEX people_key_due ON people (name_key, next_due_at);

-- The finder's trigram index, keyed by name_key. It keeps no copy of the
-- text (contentless): it is only ever asked which keys match.
DROP TRIGGER people_search_insert;
DROP TRIGGER people_search_delete;
DROP TRIGGER people_search_update;
DROP TABLE people_search;

CREATE VIRTUAL TABLE people_search USING fts5 (
    name, preferred_name, conditions, phone_digits,
    content = '', tokenize = 'trigram'
);

INSERT INTO people_search (rowid, name, preferred_name, conditions, phone_digits)
    SELECT name_key, name, preferred_name, conditions, phone_digits FROM people;

-- A bulk load leaves the index in many segments, and a filter reads each
-- of them for each of its trigrams: merged into one, a key typed in the
-- finder costs a twentieth (docs/performance.md). Later additions are
-- merged as they come by FTS5's automerge.
INSERT INTO people_search (people_search) VALUES ('optimize');

-- A contentless index forgets a row by being told the values it indexed
-- ('delete'), which the triggers have as old.*. (contentless_delete would
-- need SQLite 3.43, newer than the sqlite3 many machines have.)
CREATE TRIGGER people_search_insert AFTER INSERT ON people WHEN new.name_key IS NOT NULL BEGIN
    INSERT INTO people_search (rowid, name, preferred_name, conditions, phone_digits)
    VALUES (new.name_key, new.name, new.preferred_name, new.conditions, new.phone_digits);
END;

CREATE TRIGGER people_search_delete AFTER DELETE ON people WHEN old.name_key IS NOT NULL BEGIN
    INSERT INTO people_search (people_search, rowid, name, preferred_name, conditions, phone_digits)
    VALUES ('delete', old.name_key, old.name, old.preferred_name, old.conditions, old.phone_digits);
END;

CREATE TRIGGER people_search_update AFTER UPDATE OF name, preferred_name, conditions, phone_digits, name_key ON people BEGIN
    INSERT INTO people_search (people_search, rowid, name, preferred_name, conditions, phone_digits)
    SELECT 'delete', old.name_key, old.name, old.preferred_name, old.conditions, old.phone_digits
    WHERE old.name_key IS NOT NULL;
    INSERT INTO people_search (rowid, name, preferred_name, conditions, phone_digits)
    SELECT new.name_key, new.name, new.preferred_name, new.conditions, new.phone_digits
    WHERE new.name_key IS NOT NULL;
END;

-- How many people there are, and how many have no follow-up, kept as they
-- change: the caseload's title and tabs never count the whole table.
CREATE TABLE caseload_counts (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    people       INTEGER NOT NULL,
    no_follow_up INTEGER NOT NULL
);

INSERT INTO caseload_counts (id, people, no_follow_up)
    SELECT 1, count(*), count(*) FILTER (WHERE next_due_at IS NULL) FROM people;

CREATE TRIGGER caseload_counts_insert AFTER INSERT ON people BEGIN
    UPDATE caseload_counts SET people = people + 1, no_follow_up = no_follow_up + (new.next_due_at IS NULL) WHERE id = 1;
END;

CREATE TRIGGER caseload_counts_delete AFTER DELETE ON people BEGIN
    UPDATE caseload_counts SET people = people - 1, no_follow_up = no_follow_up - (old.next_due_at IS NULL) WHERE id = 1;
END;

CREATE TRIGGER caseload_counts_due AFTER UPDATE OF next_due_at ON people
WHEN (old.next_due_at IS NULL) <> (new.next_due_at IS NULL) BEGIN
    UPDATE caseload_counts SET no_follow_up = no_follow_up + (new.next_due_at IS NULL) - (old.next_due_at IS NULL) WHERE id = 1;
END;
