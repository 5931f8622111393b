-- Schema v23: the coach's name on every call, plan, measure and reading,
-- ready for a team's shared file. The name is what the settings file or
-- --coach gives, or the operating system's user (coaching.Actor). Records
-- made before this version have none (''): the first coach to open the
-- upgraded file for writing is credited with them (storage/coach.go),
-- since SQL cannot know who that is. The partial indexes find those
-- records, and are empty once they are credited, so looking costs nothing.

ALTER TABLE calls ADD COLUMN coach TEXT NOT NULL DEFAULT '';
ALTER TABLE action_plans ADD COLUMN coach TEXT NOT NULL DEFAULT '';
ALTER TABLE measures ADD COLUMN coach TEXT NOT NULL DEFAULT '';
ALTER TABLE readings ADD COLUMN coach TEXT NOT NULL DEFAULT '';

CREATE INDEX calls_uncredited ON calls (id) WHERE coach = '';
CREATE INDEX action_plans_uncredited ON action_plans (id) WHERE coach = '';
CREATE INDEX measures_uncredited ON measures (id) WHERE coach = '';
CREATE INDEX readings_uncredited ON readings (id) WHERE coach = '';
