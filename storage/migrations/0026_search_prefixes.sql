-- Schema v26: nothing changes in a file. On a team database (PostgreSQL,
-- migrations/postgres/0026_search_prefixes.sql) the starts of the words
-- search_text holds are kept in a table of their own, so that search
-- finds a word begun without reading every word that begins so; FTS5
-- walks its own lists. A file's version only keeps step with the team
-- database's.
SELECT 1;
