/*
 * news_page.c: /programs/SLUG/articles/KEY, a published article with its
 * photos as figures and its credits, and /articles, every published
 * article, newest first. Drafts and articles in review are 404.
 */
#include "news/news_page.h"

#include <stdlib.h>

#include "core/catalog.h"
#include "html/view.h"
#include "news/news_render.h"
#include "news/photo_page.h"
#include "person/person_page.h"

enum { ARTICLES_PER_PAGE = 50 };

static json_t *credit(const struct article_view *av, const struct reading *rd, struct arena *a,
		      const char *role, const char *key)
{
	json_t *who = person_view(&av->directory, rd, a, key);
	return who ? json_pack("{s:s,s:o}", "role", role, "person", who) : NULL;
}

static void article_page(struct request *r)
{
	struct article_view av;
	int rc = news_store_article_view(r->store, r->params[0], r->params[1], &r->arena, &av);
	if (rc == STORE_OK && !article_is_published(&av.article))
		rc = STORE_NOT_FOUND;
	if (rc != STORE_OK) {
		respond_store_error(r, rc, tr(r, "There is no such article."));
		return;
	}
	const struct article *a = &av.article;
	char *body = news_render_body(a, catalog_for(r->reading.page));
	json_t *credits = json_array(), *c;
	if ((c = credit(&av, &r->reading, &r->arena, tr(r, "Written by"), a->credits.written_by)))
		json_array_append_new(credits, c);
	if ((c = credit(&av, &r->reading, &r->arena, tr(r, "Photographed by"), a->credits.photographed_by)))
		json_array_append_new(credits, c);
	if ((c = credit(&av, &r->reading, &r->arena, tr(r, "Reviewed by"), a->credits.reviewed_by)))
		json_array_append_new(credits, c);
	json_t *ctx = json_pack("{s:s,s:{s:s,s:o,s:o,s:s,s:s,s:s,s:o},s:{s:s,s:s,s:o}}", "title",
				a->title, "article", "title", a->title, "section",
				view_label(&r->reading, a->section), "date", view_date(&r->reading, a->created_on), "date_iso",
				a->created_on, "language", a->language, "body_html", body, "credits",
				credits, "program", "url", url_program(&r->arena, av.program_slug),
				"title", av.program_title, "dates",
				view_date_range(&r->reading, av.program_starts_on, av.program_ends_on));
	free(body);
	/* the first stored photo's widest JPEG rendition (1920, or less when the original is narrower) */
	for (size_t i = 0; i < a->photos.n; i++) {
		const struct photo *ph = &a->photos.v[i];
		if (ph->file && ph->sizes.n) {
			json_object_set_new(ctx, "image",
					    json_string(photo_url(&r->arena, ph->file, ph->sizes.v[ph->sizes.n - 1].size,
								  "jpeg")));
			break;
		}
	}
	r->cacheable = true;
	respond_page(r, 200, "news/article", ctx);
}

static void articles_index(struct request *r)
{
	int64_t page, total;
	if (!request_page_number(r, &page))
		return;
	article_cards cards;
	int rc = news_store_published(r->store, &r->arena, (page - 1) * ARTICLES_PER_PAGE,
				      ARTICLES_PER_PAGE, &cards, &total);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, NULL);
		return;
	}
	int64_t pages = MAX(1, (total + ARTICLES_PER_PAGE - 1) / ARTICLES_PER_PAGE);
	if (page > pages) {
		respond_error(r, 404, tr(r, "There is no such page of articles."));
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < cards.n; i++) {
		const struct article_card *c = &cards.v[i];
		json_array_append_new(list, json_pack("{s:s,s:s,s:o,s:o,s:s,s:s,s:s}", "url",
						      url_article(&r->arena, c->program_slug, c->key),
						      "title", c->title, "section", view_label(&r->reading, c->section),
						      "date", view_date(&r->reading, c->created_on), "language",
						      c->language, "program_url",
						      url_program(&r->arena, c->program_slug),
						      "program_title", c->program_title));
	}
	json_t *ctx = json_pack("{s:s,s:o,s:o}", "title", tr(r, "Articles"), "articles", list, "pagination",
				view_pagination(page, pages, "/articles?page="));
	r->cacheable = true;
	respond_page(r, 200, "news/articles", ctx);
}

const struct route news_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/articles", articles_index, ROLE_PUBLIC, false, ROUTE_SHARED},
	{METHOD_GET | METHOD_HEAD, "/programs/{slug}/articles/{key}", article_page, ROLE_PUBLIC, false,
	 ROUTE_SHARED},
	{0},
};
