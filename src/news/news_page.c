/*
 * news_page.c: /programs/SLUG/articles/KEY, a published article with its
 * photos as figures, its credits and its link preview (Open Graph, Twitter
 * card), and /articles, every published article, newest first. Drafts and
 * articles in review are 404. The public side for other programs: the
 * Atom feeds /articles.atom and /programs/SLUG/articles.atom, /sitemap.xml
 * and /robots.txt (written by news_feed.c).
 */
#include "news/news_page.h"

#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/intl.h"
#include "html/view.h"
#include "news/news_feed.h"
#include "news/news_render.h"
#include "news/photo_page.h"
#include "person/person_page.h"
#include "settings/settings.h"

enum { ARTICLES_PER_PAGE = 50, FEED_ENTRIES = 50, DESCRIPTION_MAX = 200 };

/*
 * The site's root address (site.base_url) without its final '/', in r's
 * arena: absolute addresses start with it. NULL after answering 500.
 */
static const char *site_base(struct request *r)
{
	char *text;
	if (settings_get_text(r->store, "site.base_url", &text) != STORE_OK) {
		respond_store_error(r, STORE_ERROR, NULL);
		return NULL;
	}
	size_t len = strlen(text);
	while (len && text[len - 1] == '/')
		len--;
	const char *base = arena_printf(&r->arena, "%.*s", (int)len, text);
	g_free(text);
	return base;
}

/* {url, title} of a feed, for the <link rel="alternate"> of the page's head */
static json_t *feed_link(const char *url, const char *title)
{
	return json_pack("{s:s,s:s}", "url", url, "title", title);
}

static json_t *credit(const struct article_view *av, const struct reading *rd, struct arena *a,
		      const char *role, const char *key)
{
	json_t *who = person_view(&av->directory, rd, a, key);
	return who ? json_pack("{s:s,s:o}", "role", role, "person", who) : NULL;
}

/*
 * The absolute address of the image of a's link preview (og:image): the
 * first stored photo's widest JPEG rendition (1920, or less when the
 * original is narrower); NULL when no photo has a file.
 */
static const char *article_preview_image(const struct article *a, const char *base, struct arena *arena)
{
	for (size_t i = 0; i < a->photos.n; i++) {
		const struct photo *ph = &a->photos.v[i];
		if (ph->file && ph->sizes.n)
			return arena_printf(arena, "%s%s", base,
					    photo_url(arena, ph->file, ph->sizes.v[ph->sizes.n - 1].size, "jpeg"));
	}
	return NULL;
}

/*
 * The article's versions for its page (the original and each published
 * version): tag, language name in the page's language, address (?lang=),
 * whether it is the one shown; empty when it has no other.
 */
static json_t *article_versions(struct request *r, const struct article *a, const char *shown)
{
	json_t *list = json_array();
	const char *path = url_article(&r->arena, r->params[0], r->params[1]);
	for (size_t i = 0; i <= a->translations.n; i++) {
		const char *tag = i == 0 ? a->language : a->translations.v[i - 1].tag;
		if (i > 0 && !article_version_is_published(&a->translations.v[i - 1]))
			continue;
		char name[128], *escaped = g_uri_escape_string(tag, NULL, FALSE);
		intl_language_name(tag, tag, name, sizeof name); /* each in its own language */
		/* the interface's languages have their hreflang link in every page's head already */
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:b,s:b}", "tag", tag, "name", name, "url",
						      arena_printf(&r->arena, "%s?lang=%s", path, escaped), "current",
						      strcmp(tag, shown) == 0, "head", !catalog_exists(tag)));
		g_free(escaped);
	}
	if (json_array_size(list) < 2)
		json_array_clear(list);
	return list;
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
	const char *base = site_base(r);
	if (!base)
		return;
	/* the version in the reader's language, when it is published; else the original */
	const struct translation *version = article_version_for(&av.article, r->reading.lang);
	struct article shown = article_as_version(&av.article, version, &r->arena);
	const struct article *a = &shown;
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
	/* the link preview (Open Graph, Twitter card) */
	const char *url = arena_printf(&r->arena, "%s%s", base, url_article(&r->arena, av.program_slug, a->key));
	const char *image = article_preview_image(a, base, &r->arena);
	char locale[32], *description = news_feed_summary(a->body_markdown, DESCRIPTION_MAX);
	intl_language_region(a->language, locale, sizeof locale);
	json_t *og = json_pack("{s:s,s:s,s:s,s:s,s:s}", "title", a->title, "url", url, "locale", locale,
			       "published", a->created_on, "card", image ? "summary_large_image" : "summary");
	if (description)
		json_object_set_new(og, "description", json_string(description));
	if (image)
		json_object_set_new(og, "image", json_string(image));
	g_free(description);
	json_object_set_new(ctx, "og", og);
	/* a version asked for by ?lang= is its own page, as the head's hreflang links say */
	const char *lang = request_query(r, "lang");
	if (lang && *lang) {
		char *escaped = g_uri_escape_string(lang, NULL, FALSE);
		json_object_set_new(ctx, "canonical", json_string(arena_printf(&r->arena, "%s?lang=%s", url, escaped)));
		g_free(escaped);
	} else {
		json_object_set_new(ctx, "canonical", json_string(url));
	}
	json_object_set_new(ctx, "feed", feed_link(url_program_feed(&r->arena, av.program_slug), av.program_title));
	json_object_set_new(ctx, "versions", article_versions(r, &av.article, a->language));
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
		/* in the reader's language where a version is published */
		struct article card = {.title = c->title, .language = c->language, .translations = c->translations};
		const struct translation *v = article_version_for(&card, r->reading.lang);
		json_t *photo = photo_card_view(&r->arena, &c->photo);
		json_array_append_new(list, json_pack("{s:s,s:s,s:o,s:o,s:s,s:s,s:s,s:o?}", "url",
						      url_article(&r->arena, c->program_slug, c->key),
						      "title", v ? v->text[ARTICLE_TEXT_TITLE] : c->title, "section",
						      view_label(&r->reading, c->section),
						      "date", view_date(&r->reading, c->created_on), "language",
						      v ? v->tag : c->language, "program_url",
						      url_program(&r->arena, c->program_slug),
						      "program_title", c->program_title, "photo", photo));
	}
	json_t *ctx = json_pack("{s:s,s:o,s:o,s:o}", "title", tr(r, "Articles"), "articles", list, "pagination",
				view_pagination(page, pages, "/articles?page="), "feed",
				feed_link("/articles.atom", tr(r, "Articles")));
	r->cacheable = true;
	respond_page(r, 200, "news/articles", ctx);
}

/* The Atom feed of program slug's published articles (NULL: of every program's). */
static void articles_feed(struct request *r, const char *slug)
{
	struct article_feed feed;
	int rc = news_store_feed(r->store, slug, FEED_ENTRIES, &r->arena, &feed);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, tr(r, "There is no such program."));
		return;
	}
	const char *base = site_base(r);
	if (!base)
		return;
	GDateTime *now = g_date_time_new_from_unix_utc(r->now);
	char *now_text = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	struct feed_head head = {
		.base = base,
		.self = slug ? url_program_feed(&r->arena, slug) : "/articles.atom",
		.alternate = slug ? url_program(&r->arena, slug) : "/articles",
		.title = slug ? feed.program_title : tr(r, "Articles"),
		.updated = arena_strdup(&r->arena, now_text), /* an empty feed's */
	};
	g_free(now_text);
	g_date_time_unref(now);
	GString *out = g_string_new(NULL);
	news_feed_atom(&feed, &head, &r->reading, catalog_for(r->reading.page), &r->arena, out);
	respond_bytes(r, 200, "application/atom+xml; charset=utf-8", out->str, out->len);
	g_string_free(out, TRUE);
	r->cacheable = true;
}

static void site_feed(struct request *r)
{
	articles_feed(r, NULL);
}

static void program_feed(struct request *r)
{
	articles_feed(r, r->params[0]);
}

static void sitemap(struct request *r)
{
	struct sitemap map;
	int rc = news_store_sitemap(r->store, &r->arena, &map);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, NULL);
		return;
	}
	const char *base = site_base(r);
	if (!base)
		return;
	GString *out = g_string_new(NULL);
	news_feed_sitemap(&map, base, &r->arena, out);
	respond_bytes(r, 200, "application/xml; charset=utf-8", out->str, out->len);
	g_string_free(out, TRUE);
	r->cacheable = true;
}

/* Robots may read every public page; the back office is nothing to them. */
static void robots(struct request *r)
{
	const char *base = site_base(r);
	if (!base)
		return;
	const char *text = arena_printf(&r->arena, "User-agent: *\nDisallow: /manage\n\nSitemap: %s/sitemap.xml\n",
					base);
	respond_bytes(r, 200, "text/plain; charset=utf-8", text, strlen(text));
	r->cacheable = true;
}

const struct route news_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/articles.atom", site_feed, ROLE_PUBLIC, false, ROUTE_SHARED},
	{METHOD_GET | METHOD_HEAD, "/programs/{slug}/articles.atom", program_feed, ROLE_PUBLIC, false,
	 ROUTE_SHARED},
	{METHOD_GET | METHOD_HEAD, "/sitemap.xml", sitemap, ROLE_PUBLIC, false, ROUTE_SHARED},
	{METHOD_GET | METHOD_HEAD, "/robots.txt", robots, ROLE_PUBLIC, false, ROUTE_SHARED},
	{METHOD_GET | METHOD_HEAD, "/articles", articles_index, ROLE_PUBLIC, false, ROUTE_SHARED},
	{METHOD_GET | METHOD_HEAD, "/programs/{slug}/articles/{key}", article_page, ROLE_PUBLIC, false,
	 ROUTE_SHARED},
	{0},
};
