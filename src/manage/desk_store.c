/*
 * desk_store.c: the SQL of the newsroom's back office: the revisions of
 * articles, and what its pages show in one call (a program with its
 * articles, their revisions, the caller's person).
 */
#include "store/store_internal.h"

#define REVISION_COLUMNS                                                                          \
	"r.article_key, r.number, r.step, r.status, r.pending, r.title, r.body_markdown, r.made_at, " \
	"r.made_by, r.made_by_person, r.comment, r.language"

static void revision_read(struct stmt *st, struct arena *a, struct article_revision *rev)
{
	rev->article_key = stmt_column_text(st, 0, a);
	rev->number = stmt_column_int(st, 1);
	rev->step = stmt_column_text(st, 2, a);
	rev->status = stmt_column_text(st, 3, a);
	rev->pending = stmt_column_int(st, 4) != 0;
	rev->title = stmt_column_text(st, 5, a);
	rev->body_markdown = stmt_column_text(st, 6, a);
	rev->made_at = stmt_column_int(st, 7);
	rev->made_by = stmt_column_text(st, 8, a);
	rev->made_by_person = stmt_column_text(st, 9, a);
	rev->comment = stmt_column_text(st, 10, a);
	rev->language = stmt_column_text(st, 11, a);
}

int desk_store_newsroom(struct store *s, const char *slug, const char *key, int64_t account, struct arena *a,
			struct newsroom_view *out)
{
	*out = (struct newsroom_view){0};
	int rc = program_store_get(s, slug, a, &out->program);
	if (rc != STORE_OK)
		return rc;
	struct stmt *st = store_stmt(
		s, key ? "SELECT " REVISION_COLUMNS " FROM article_revision r JOIN program p ON p.id = r.program_id "
			 "WHERE p.slug = ?1 AND r.article_key = ?2 ORDER BY r.number DESC"
		       : "SELECT " REVISION_COLUMNS " FROM article_revision r JOIN program p ON p.id = r.program_id "
			 "WHERE p.slug = ?1 AND r.number = (SELECT max(n.number) FROM article_revision n "
			 "WHERE n.program_id = r.program_id AND n.article_key = r.article_key "
			 "AND coalesce(n.language, '') = coalesce(r.language, '')) "
			 "ORDER BY r.article_key, coalesce(r.language, '')");
	if (!st)
		return STORE_ERROR;
	stmt_bind_text(st, 1, slug);
	if (key)
		stmt_bind_text(st, 2, key);
	size_t cap = 0;
	while ((rc = stmt_step(st)) == STMT_ROW)
		revision_read(st, a, ARRAY_PUSH(a, out->revisions, &cap));
	if (rc != STMT_DONE)
		return STORE_ERROR;
	st = store_stmt(s, "SELECT p.key FROM account c JOIN person p ON p.id = c.person_id WHERE c.id = ?1");
	if (!st)
		return STORE_ERROR;
	stmt_bind_int(st, 1, account);
	rc = stmt_step(st);
	if (rc == STMT_ROW)
		out->caller_person = stmt_column_text(st, 0, a);
	stmt_reset(st);
	return rc == STMT_ROW || rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}
