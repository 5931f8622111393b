-- Schema v25: nothing changes in a file. On a team database (PostgreSQL,
-- migrations/postgres/0025_caseload_scope.sql) a coach's caseload shows
-- their own people by default and the team's pool too on a key; a file
-- has one coach and no pool, so its version only keeps step with the
-- team database's.
SELECT 1;
