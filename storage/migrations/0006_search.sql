-- Schema v6: one full-text index over everything a coach may need to find
-- again: call notes, plans (what, and the person's own words) and
-- change-talk quotes. Triggers keep it in step with the tables it reads.
-- Each row's rowid is its source row's id * 4 + its kind (1 note, 2 plan,
-- 3 talk), so a change finds its index row by rowid, never by a scan.

CREATE VIRTUAL TABLE search_text USING fts5 (
    body,
    person_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2',
    -- Search matches the word being typed as a prefix; a prefix index for
    -- each length up to 10 keeps that a lookup (about 1 ms at 300,000
    -- notes, against 6-8 ms with only 2 and 3).
    prefix = '2 3 4 5 6 7 8 9 10'
);

INSERT INTO search_text (rowid, body, person_id)
    SELECT id * 4 + 1, notes, person_id FROM calls WHERE notes <> '';
INSERT INTO search_text (rowid, body, person_id)
    SELECT id * 4 + 2, what || ' — ' || commitment, person_id FROM action_plans;
INSERT INTO search_text (rowid, body, person_id)
    SELECT t.id * 4 + 3, t.quote, c.person_id FROM change_talk t JOIN calls c ON c.id = t.call_id;

CREATE TRIGGER search_calls_insert AFTER INSERT ON calls WHEN new.notes <> '' BEGIN
    INSERT INTO search_text (rowid, body, person_id) VALUES (new.id * 4 + 1, new.notes, new.person_id);
END;
CREATE TRIGGER search_calls_update AFTER UPDATE OF notes ON calls BEGIN
    DELETE FROM search_text WHERE rowid = old.id * 4 + 1;
    INSERT INTO search_text (rowid, body, person_id)
        SELECT new.id * 4 + 1, new.notes, new.person_id WHERE new.notes <> '';
END;
CREATE TRIGGER search_calls_delete AFTER DELETE ON calls BEGIN
    DELETE FROM search_text WHERE rowid = old.id * 4 + 1;
END;

CREATE TRIGGER search_plans_insert AFTER INSERT ON action_plans BEGIN
    INSERT INTO search_text (rowid, body, person_id)
        VALUES (new.id * 4 + 2, new.what || ' — ' || new.commitment, new.person_id);
END;
CREATE TRIGGER search_plans_update AFTER UPDATE OF what, commitment ON action_plans BEGIN
    DELETE FROM search_text WHERE rowid = old.id * 4 + 2;
    INSERT INTO search_text (rowid, body, person_id)
        VALUES (new.id * 4 + 2, new.what || ' — ' || new.commitment, new.person_id);
END;
CREATE TRIGGER search_plans_delete AFTER DELETE ON action_plans BEGIN
    DELETE FROM search_text WHERE rowid = old.id * 4 + 2;
END;

CREATE TRIGGER search_talk_insert AFTER INSERT ON change_talk BEGIN
    INSERT INTO search_text (rowid, body, person_id)
        SELECT new.id * 4 + 3, new.quote, c.person_id FROM calls c WHERE c.id = new.call_id;
END;
CREATE TRIGGER search_talk_delete AFTER DELETE ON change_talk BEGIN
    DELETE FROM search_text WHERE rowid = old.id * 4 + 3;
END;
