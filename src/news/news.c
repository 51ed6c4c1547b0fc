/* news.c: the rules of articles, photos and credits (news.h). */
#include "news/news.h"
#include "news/photo.h"

#include <cmark.h>
#include <stddef.h>
#include <string.h>

#include "core/catalog.h"
#include "core/values.h"
#include "store/store.h"

const char *const article_sections[] = {"activity-highlights", "news", "notice", NULL};
const char *const article_statuses[] = {"draft", "in-review", "published", NULL};

const struct translatable article_translatable = {
	N_("an article"), 3, {"title", "body_markdown", "status"}, {TEXT_TITLE, TEXT_MARKDOWN, TEXT_LINE},
	"captions", TEXT_LINE};

bool article_is_published(const struct article *a)
{
	return a->status && strcmp(a->status, "published") == 0;
}

bool article_version_is_published(const struct translation *v)
{
	return v->text[ARTICLE_TEXT_STATUS] && strcmp(v->text[ARTICLE_TEXT_STATUS], "published") == 0;
}

const struct translation *article_version_for(const struct article *a, const char *lang)
{
	if (!lang || (a->language && language_same(lang, a->language)))
		return NULL;
	const struct translation *v = translation_find(&a->translations, lang);
	if (v && article_version_is_published(v))
		return v;
	for (size_t i = 0; i < a->translations.n; i++)
		if (article_version_is_published(&a->translations.v[i]) && language_same(a->translations.v[i].tag, lang))
			return &a->translations.v[i];
	return NULL;
}

struct article article_as_version(const struct article *a, const struct translation *v, struct arena *arena)
{
	struct article out = *a;
	if (!v)
		return out;
	out.title = v->text[ARTICLE_TEXT_TITLE];
	out.body_markdown = v->text[ARTICLE_TEXT_BODY];
	out.status = v->text[ARTICLE_TEXT_STATUS];
	out.language = v->tag;
	out.photos.v = arena_alloc(arena, (a->photos.n + 1) * sizeof *out.photos.v);
	for (size_t i = 0; i < a->photos.n; i++) {
		out.photos.v[i] = a->photos.v[i];
		const char *caption = translation_map_text(v, a->photos.v[i].key);
		if (caption)
			out.photos.v[i].caption = caption;
	}
	return out;
}

/* Reports each image of the body whose target is photo:KEY with KEY not among the photos. */
static void article_check_body_photos(const struct article *a, const char *body, const char *path,
				      struct report *r)
{
	cmark_node *doc = cmark_parse_document(body, strlen(body), CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		const char *url;
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_IMAGE ||
		    !(url = cmark_node_get_url(node)) || strncmp(url, "photo:", 6) != 0)
			continue;
		size_t i = 0;
		while (i < a->photos.n && !(a->photos.v[i].key && strcmp(a->photos.v[i].key, url + 6) == 0))
			i++;
		if (i == a->photos.n)
			report_add(r, path, "body_markdown",
				   "line %d: image '%s' names no photo of this article (expected photo:KEY with KEY in photos)",
				   cmark_node_get_start_line(node), url);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
}

void article_check_text(const struct article *a, const char *path, struct report *r)
{
	check_text(r, path, "title", a->title, TEXT_TITLE, true);
	if (check_text(r, path, "body_markdown", a->body_markdown, TEXT_MARKDOWN, true))
		article_check_body_photos(a, a->body_markdown, path, r);
}

/* The rules of an article's versions in other languages, beyond check_translations'. */
static void article_check_versions(const struct article *a, const char *path, struct report *r)
{
	const char *originals[] = {a->title, a->body_markdown, a->status};
	check_translations(r, path, &a->translations, &article_translatable, originals);
	char *at = report_path(path, "translations");
	for (size_t i = 0; i < a->translations.n; i++) {
		const struct translation *v = &a->translations.v[i];
		if (!v->tag || !*v->tag)
			continue;
		char *version = report_path(at, v->tag);
		if (a->language && language_same(v->tag, a->language))
			report_add(r, version, NULL, "is in the article's own language (%s): a version is in another",
				   a->language);
		for (size_t k = 0; k < article_translatable.n; k++)
			if (!v->text[k])
				report_add(r, version, article_translatable.names[k],
					   "required: each version has its own title, body_markdown and status");
		if (v->text[ARTICLE_TEXT_STATUS])
			check_choice(r, version, "status", v->text[ARTICLE_TEXT_STATUS], article_statuses, true);
		if (v->text[ARTICLE_TEXT_BODY] && *v->text[ARTICLE_TEXT_BODY])
			article_check_body_photos(a, v->text[ARTICLE_TEXT_BODY], version, r);
		char *captions = report_path(version, "captions");
		for (size_t k = 0; k < v->map.n; k++) {
			size_t p = 0;
			while (p < a->photos.n && !(a->photos.v[p].key && strcmp(a->photos.v[p].key, v->map.v[k].key) == 0))
				p++;
			if (p == a->photos.n)
				report_add(r, captions, v->map.v[k].key, "names no photo of this article");
		}
		g_free(captions);
		g_free(version);
	}
	g_free(at);
}

void article_check(const struct article *a, const char *path, const struct refs *refs,
		   struct report *r)
{
	check_key(r, path, "key", a->key, true);
	check_choice(r, path, "section", a->section, article_sections, true);
	check_date(r, path, "created_on", a->created_on, true);
	check_language(r, path, "language", a->language, true);
	check_choice(r, path, "status", a->status, article_statuses, true);
	article_check_text(a, path, r);
	for (size_t i = 0; i < a->photos.n; i++) {
		char at[REPORT_PATH_MAX];
		report_path_index(at, path, "photos", i);
		check_key(r, at, "key", a->photos.v[i].key, true);
		check_text(r, at, "caption", a->photos.v[i].caption, TEXT_LINE, true);
		photo_check(&a->photos.v[i], at, r);
	}
	check_unique(r, path, "photos", a->photos.v, a->photos.n, sizeof *a->photos.v,
		     offsetof(struct photo, key), "key", N_("photo"));
	check_reference(r, path, "credits.written_by", a->credits.written_by, false, refs, REF_PERSON);
	check_reference(r, path, "credits.photographed_by", a->credits.photographed_by, false, refs,
			REF_PERSON);
	check_reference(r, path, "credits.reviewed_by", a->credits.reviewed_by, false, refs, REF_PERSON);
	article_check_versions(a, path, r);
	if (a->publish_at.set) {
		/* scheduled: reviewed already, waiting for its time */
		if (a->status && strcmp(a->status, "in-review") != 0)
			report_add(r, path, "publish_at", "only an article in review is scheduled (its status is %s)",
				   a->status);
		if (!a->credits.reviewed_by)
			report_add(r, path, "publish_at", "a scheduled article names its reviewer (credits.reviewed_by)");
		else if (a->credits.written_by && strcmp(a->credits.written_by, a->credits.reviewed_by) == 0)
			report_add(r, path, "credits.reviewed_by",
				   "'%s' also wrote the article: a scheduled article is reviewed by someone else",
				   a->credits.reviewed_by);
	}
	bool any_published = article_is_published(a);
	for (size_t i = 0; i < a->translations.n; i++)
		any_published = any_published || article_version_is_published(&a->translations.v[i]);
	if (any_published) {
		if (!a->credits.written_by)
			report_add(r, path, "credits.written_by", "required: a published article names its writer");
		if (!a->credits.reviewed_by)
			report_add(r, path, "credits.reviewed_by", "required: a published article names its reviewer");
		else if (a->credits.written_by && strcmp(a->credits.written_by, a->credits.reviewed_by) == 0)
			report_add(r, path, "credits.reviewed_by",
				   "'%s' also wrote the article: a published article is reviewed by someone else",
				   a->credits.reviewed_by);
	}
}

/* ------------------------------------------------------------ the review workflow */

int news_publish_due(struct store *s, int64_t now)
{
	struct arena a = ARENA_INIT;
	article_revisions published;
	strv slugs;
	int rc = store_begin(s);
	if (rc == STORE_OK)
		rc = news_store_publish_due(s, now, &a, &published, &slugs);
	/* nothing due: no commit, which would make the data version (and every page cached) new */
	if (rc == STORE_OK && published.n)
		rc = store_commit(s);
	if (rc != STORE_OK || !published.n)
		store_rollback(s);
	arena_free(&a);
	return rc;
}

const char *const article_step_names[] = {"save", "submit", "publish", "return", "unpublish", NULL};

enum article_step article_step_of(const char *name)
{
	for (int i = 0; name && i < STEP_COUNT; i++)
		if (strcmp(article_step_names[i], name) == 0)
			return (enum article_step)i;
	return STEP_COUNT;
}

static bool is(const char *status, const char *value)
{
	return status && strcmp(status, value) == 0;
}

const char *article_step_refused(const struct article_state *st, const struct article_actor *actor,
				 enum article_step step, const char *comment, struct article_outcome *out)
{
	bool published = is(st->status, "published");
	/* the status the step acts on: the pending change's while there is one */
	const char *working = published && st->pending ? st->pending_status : st->status;
	*out = (struct article_outcome){.status = working, .pending = published && st->pending};
	switch (step) {
	case STEP_SAVE:
		if (!actor->editor && !actor->reviewer)
			return N_("Only the program's editors, reviewers and managers change its articles.");
		/* an editor's change to a published article waits for review; a reviewer's is live */
		if (published && !actor->reviewer) {
			out->pending = true;
			out->status = st->pending ? st->pending_status : "draft";
		} else {
			out->pending = false;
			out->status = st->status;
		}
		return NULL;
	case STEP_SUBMIT:
		if (!actor->editor)
			return N_("Only the program's editors and managers submit articles for review.");
		if (!is(working, "draft"))
			return N_("Only a draft is submitted for review.");
		out->status = "in-review";
		return NULL;
	case STEP_PUBLISH:
	case STEP_RETURN:
		if (!actor->reviewer)
			return N_("Only the program's reviewers and managers publish or return articles.");
		if (!is(working, "in-review"))
			return N_("Only an article in review is published or returned.");
		if (step == STEP_RETURN) {
			if (!comment || !*comment)
				return N_("Say what the writer should change: a return needs a comment.");
			out->status = "draft";
			return NULL;
		}
		if (!actor->person)
			return N_("Your account is linked to no person, so the article cannot name you as its "
				  "reviewer: ask an administrator to link it.");
		if (st->writer && strcmp(st->writer, actor->person) == 0)
			return N_("You wrote this article: someone else reviews and publishes it.");
		if (st->submitted_by && actor->account && strcmp(st->submitted_by, actor->account) == 0)
			return N_("You submitted this article for review: someone else publishes it.");
		out->status = "published";
		out->pending = false;
		out->reviewed = true;
		return NULL;
	case STEP_UNPUBLISH:
		if (!actor->reviewer)
			return N_("Only the program's reviewers and managers take articles off the public site.");
		if (!published)
			return N_("Only a published article is unpublished.");
		out->status = "draft";
		out->pending = false;
		return NULL;
	case STEP_COUNT:
		break;
	}
	return N_("There is no such step.");
}

/* The lines of text (its last line may lack a newline), at most max. */
static strv lines_of(const char *text, size_t max, struct arena *arena, size_t *all)
{
	strv out = {0};
	size_t cap = 0;
	*all = 0;
	for (const char *p = text; p && *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (out.n < max)
			*ARRAY_PUSH(arena, out, &cap) = arena_strndup(arena, p, len);
		(*all)++;
		p = end ? end + 1 : p + len;
	}
	return out;
}

bool text_compare(const char *a, const char *b, size_t max_lines, struct arena *arena, diff_lines *out)
{
	size_t all_a, all_b;
	strv la = lines_of(a, max_lines, arena, &all_a), lb = lines_of(b, max_lines, arena, &all_b);
	size_t n = la.n, m = lb.n, cap = 0;
	/* lcs[i][j]: the longest common subsequence of la[i..] and lb[j..] */
	guint32 *lcs = g_new0(guint32, (n + 1) * (m + 1));
#define LCS(i, j) lcs[(i) * (m + 1) + (j)]
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			LCS(i, j) = strcmp(la.v[i], lb.v[j]) == 0 ? LCS(i + 1, j + 1) + 1
								   : MAX(LCS(i + 1, j), LCS(i, j + 1));
	*out = (diff_lines){0};
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		struct diff_line *d = ARRAY_PUSH(arena, *out, &cap);
		if (i < n && j < m && strcmp(la.v[i], lb.v[j]) == 0) {
			d->left = la.v[i++];
			d->right = lb.v[j++];
		} else if (j < m && (i == n || LCS(i, j + 1) >= LCS(i + 1, j))) {
			d->right = lb.v[j++];
			d->changed = true;
		} else {
			d->left = la.v[i++];
			d->changed = true;
		}
	}
#undef LCS
	g_free(lcs);
	return all_a > n || all_b > m;
}
