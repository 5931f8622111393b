-- Schema v23: the coach's name on every call, plan, measure and reading,
-- ready for a team's shared file. The name is what the settings file or
-- --coach gives, or the operating system's user (coaching.Actor). Records
-- made before this version have none (''): the first write after the
-- upgrade credits them to its coach (storage/coach.go), since SQL cannot
-- know who that is.

ALTER TABLE calls ADD COLUMN coach TEXT NOT NULL DEFAULT '';
ALTER TABLE action_plans ADD COLUMN coach TEXT NOT NULL DEFAULT '';
ALTER TABLE measures ADD COLUMN coach TEXT NOT NULL DEFAULT '';
ALTER TABLE readings ADD COLUMN coach TEXT NOT NULL DEFAULT '';
