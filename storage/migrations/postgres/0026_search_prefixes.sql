-- Schema v26: the starts of the words of each search_text row, in a
-- table of their own (storage/searchpg.go). Search takes each word typed
-- as the start of longer ones too ("walk" finds "walking"): in the GIN
-- index of words that is a partial match, which reads the list of every
-- word so begun into one list before it can compare it with another
-- word's. Two common words never in one note ("days mornings") cost
-- hundreds of milliseconds in a million notes. search_starts keeps, as
-- lexemes of their own, the first 2 to 12 characters of each word of a
-- row (and a word of one letter itself), under a GIN index: a word begun
-- is then an exact lexeme, whose list GIN reads only as far as the other
-- word's allows. It only narrows the rows: search still asks words @@ the
-- query of each row found so, so a word longer than 12 characters is
-- found as before. A table of its own, not a column of search_text: the
-- starts are twice the rest of a row, and a newest-first walk would read
-- twice the pages.
CREATE FUNCTION search_prefixes(words tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN array_to_tsvector(ARRAY(
        SELECT DISTINCT left(w, k) FROM unnest(tsvector_to_array(words)) w,
            generate_series(least(length(w), 2), least(length(w), 12)) k));

CREATE TABLE search_starts (
    rowid     bigint PRIMARY KEY,
    person_id bigint NOT NULL,
    prefixes  tsvector NOT NULL
);
INSERT INTO search_starts (rowid, person_id, prefixes)
    SELECT rowid, person_id, search_prefixes(words) FROM search_text;
CREATE INDEX search_starts_prefixes ON search_starts USING gin (prefixes);

-- Kept by search_text's own writes, as the owner: a coach reads the
-- table through its policy, and writes it only so.
CREATE FUNCTION search_starts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM search_starts WHERE rowid = OLD.rowid;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO search_starts (rowid, person_id, prefixes) VALUES (NEW.rowid, NEW.person_id, search_prefixes(NEW.words));
    END IF;
    RETURN NULL;
END $$;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION search_starts_keep() SECURITY DEFINER SET search_path = %I, pg_temp', current_schema());
END $$;
REVOKE EXECUTE ON FUNCTION search_starts_keep() FROM PUBLIC;
CREATE TRIGGER search_starts_keep AFTER INSERT OR UPDATE OR DELETE ON search_text
    FOR EACH ROW EXECUTE FUNCTION search_starts_keep();

-- Read as search_text is: a coach the rows of the people they may see, a
-- supervisor only when the organisation opens notes to them.
ALTER TABLE search_starts ENABLE ROW LEVEL SECURITY;
CREATE POLICY coach ON search_starts TO callcoach_coach
    USING (EXISTS (SELECT FROM people x WHERE x.id = search_starts.person_id));
CREATE POLICY supervisor ON search_starts FOR SELECT TO callcoach_supervisor
    USING (NOT pg_has_role(current_user, 'callcoach_coach', 'MEMBER'));
GRANT SELECT ON search_starts TO callcoach_coach;
DO $$
BEGIN
    IF has_table_privilege('callcoach_supervisor', 'search_text', 'SELECT') THEN
        GRANT SELECT ON search_starts TO callcoach_supervisor;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION supervisors_read_notes(allowed boolean) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF allowed THEN
        GRANT SELECT (notes, summary) ON calls TO callcoach_supervisor;
        GRANT SELECT (quote) ON change_talk TO callcoach_supervisor;
        GRANT SELECT (body) ON drafts TO callcoach_supervisor;
        GRANT SELECT (note) ON handovers TO callcoach_supervisor;
        GRANT SELECT (note) ON safety_events TO callcoach_supervisor;
        GRANT SELECT ON notes_pending, search_text, search_starts, call_notes TO callcoach_supervisor;
    ELSE
        REVOKE SELECT (notes, summary) ON calls FROM callcoach_supervisor;
        REVOKE SELECT (quote) ON change_talk FROM callcoach_supervisor;
        REVOKE SELECT (body) ON drafts FROM callcoach_supervisor;
        REVOKE SELECT (note) ON handovers FROM callcoach_supervisor;
        REVOKE SELECT (note) ON safety_events FROM callcoach_supervisor;
        REVOKE SELECT ON notes_pending, search_text, search_starts, call_notes FROM callcoach_supervisor;
    END IF;
END $$;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION supervisors_read_notes(boolean) SET search_path = %I, pg_temp', current_schema());
END $$;
