-- 0002_data_version.sql (PostgreSQL, as sql/sqlite/): the data version that every committed write makes
-- larger (store_commit), the same for every connection, process and node:
-- pages' ETags are made from it. And who is public, defined once.

CREATE TABLE meta (
	id           integer PRIMARY KEY CHECK (id = 1),
	data_version bigint NOT NULL
);
INSERT INTO meta(id, data_version) VALUES (1, 1);

-- Where a person appears in public: the speaker of an item, the person an
-- item is given on behalf of, and the writer, photographer and reviewer of
-- a published article. Nobody else of a program is public.
CREATE VIEW public_appearance AS
	SELECT i.speaker_id AS person_id, s.program_id, i.id AS item_id, CAST(NULL AS bigint) AS article_id,
	       'speaker' AS role
	FROM item i JOIN session s ON s.id = i.session_id
	UNION ALL
	SELECT i.on_behalf_of_person_id, s.program_id, i.id, NULL, 'on behalf of'
	FROM item i JOIN session s ON s.id = i.session_id
	WHERE i.on_behalf_of_person_id IS NOT NULL
	UNION ALL
	SELECT a.written_by_id, a.program_id, NULL, a.id, 'written by'
	FROM article a WHERE a.status = 'published' AND a.written_by_id IS NOT NULL
	UNION ALL
	SELECT a.photographed_by_id, a.program_id, NULL, a.id, 'photographed by'
	FROM article a WHERE a.status = 'published' AND a.photographed_by_id IS NOT NULL
	UNION ALL
	SELECT a.reviewed_by_id, a.program_id, NULL, a.id, 'reviewed by'
	FROM article a WHERE a.status = 'published' AND a.reviewed_by_id IS NOT NULL;
