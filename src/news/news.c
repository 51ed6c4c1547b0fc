/* news.c: the rules of articles, photos and credits (news.h). */
#include "news/news.h"
#include "news/photo.h"

#include <cmark.h>
#include <stddef.h>
#include <string.h>

#include "core/catalog.h"
#include "core/values.h"

const char *const article_sections[] = {"activity-highlights", "news", "notice", NULL};
const char *const article_statuses[] = {"draft", "in-review", "published", NULL};

bool article_is_published(const struct article *a)
{
	return a->status && strcmp(a->status, "published") == 0;
}

/* Reports each image of the body whose target is photo:KEY with KEY not among the photos. */
static void article_check_body_photos(const struct article *a, const char *path, struct report *r)
{
	cmark_node *doc = cmark_parse_document(a->body_markdown, strlen(a->body_markdown),
					       CMARK_OPT_DEFAULT);
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

void article_check(const struct article *a, const char *path, const struct refs *refs,
		   struct report *r)
{
	check_key(r, path, "key", a->key, true);
	check_choice(r, path, "section", a->section, article_sections, true);
	check_text(r, path, "title", a->title, TEXT_TITLE, true);
	check_date(r, path, "created_on", a->created_on, true);
	check_language(r, path, "language", a->language, true);
	check_choice(r, path, "status", a->status, article_statuses, true);
	for (size_t i = 0; i < a->photos.n; i++) {
		char at[REPORT_PATH_MAX];
		report_path_index(at, path, "photos", i);
		check_key(r, at, "key", a->photos.v[i].key, true);
		check_text(r, at, "caption", a->photos.v[i].caption, TEXT_LINE, true);
		photo_check(&a->photos.v[i], at, r);
	}
	check_unique(r, path, "photos", a->photos.v, a->photos.n, sizeof *a->photos.v,
		     offsetof(struct photo, key), "key", N_("photo"));
	if (check_text(r, path, "body_markdown", a->body_markdown, TEXT_MARKDOWN, true))
		article_check_body_photos(a, path, r);
	check_reference(r, path, "credits.written_by", a->credits.written_by, false, refs, REF_PERSON);
	check_reference(r, path, "credits.photographed_by", a->credits.photographed_by, false, refs,
			REF_PERSON);
	check_reference(r, path, "credits.reviewed_by", a->credits.reviewed_by, false, refs, REF_PERSON);
	if (article_is_published(a)) {
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
