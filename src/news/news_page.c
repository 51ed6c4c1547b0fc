/*
 * news_page.c: /programs/SLUG/articles/KEY, a published article rendered
 * from CommonMark by cmark in safe mode with its photos as figures, and
 * /articles, every published article, newest first. Drafts and articles in
 * review are 404.
 */
#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "html/template.h"
#include "html/view.h"
#include "person/person_page.h"
#include "program/program_page.h"

enum { ARTICLES_PER_PAGE = 50 };

static const struct photo *find_photo(const struct article *a, const char *url)
{
	if (!url || strncmp(url, "photo:", 6) != 0)
		return NULL;
	for (size_t i = 0; i < a->photos.n; i++)
		if (strcmp(a->photos.v[i].key, url + 6) == 0)
			return &a->photos.v[i];
	return NULL;
}

/* The figure of a photo: its caption (the image files do not travel with articles yet). */
static char *figure_html(const struct photo *ph, bool block)
{
	GString *html = g_string_new(block ? "<figure class=\"photo\"><div class=\"photo-frame\" "
					     "aria-hidden=\"true\">Photo</div><figcaption>"
					   : "<span class=\"photo-inline\">Photo: ");
	html_escape(html, ph->caption);
	g_string_append(html, block ? "</figcaption></figure>" : "</span>");
	return g_string_free(html, FALSE);
}

static bool is_blank(const char *s)
{
	return !s || strspn(s, " \t\r\n") == strlen(s);
}

/* true when a paragraph holds photos only (and line breaks or spaces between them) */
static bool photos_only(cmark_node *paragraph, const struct article *a)
{
	bool any = false;
	for (cmark_node *c = cmark_node_first_child(paragraph); c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_IMAGE && find_photo(a, cmark_node_get_url(c)))
			any = true;
		else if (t != CMARK_NODE_SOFTBREAK && t != CMARK_NODE_LINEBREAK &&
			 !(t == CMARK_NODE_TEXT && is_blank(cmark_node_get_literal(c))))
			return false;
	}
	return any;
}

/* Replaces node by a custom node of kind type printing html (owned by cmark afterwards). */
static void replace_with_html(cmark_node *node, cmark_node_type type, char *html)
{
	cmark_node *custom = cmark_node_new(type);
	cmark_node_set_on_enter(custom, html);
	g_free(html);
	cmark_node_replace(node, custom);
	cmark_node_free(node);
}

/*
 * Renders the body: CommonMark in safe mode (raw HTML omitted, javascript:
 * and other unsafe links emptied). A paragraph of photos only becomes
 * figures; a photo among other text becomes its caption; any other image
 * becomes a link, since pages load no outside image.
 *
 * The nodes to rewrite are collected first, images in post-order (an image
 * inside another's description comes before it), skipping the insides of
 * the paragraphs that become figures. Each collected node is rewritten once,
 * and a node is freed only with an ancestor rewritten after it.
 */
static char *article_html(const struct article *a)
{
	cmark_node *doc = cmark_parse_document(a->body_markdown, strlen(a->body_markdown), CMARK_OPT_DEFAULT);
	GPtrArray *paragraphs = g_ptr_array_new(), *images = g_ptr_array_new();
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && t == CMARK_NODE_PARAGRAPH && photos_only(n, a)) {
			g_ptr_array_add(paragraphs, n);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT); /* its images go with it */
		} else if (ev == CMARK_EVENT_EXIT && t == CMARK_NODE_IMAGE) {
			g_ptr_array_add(images, n);
		}
	}
	cmark_iter_free(it);
	for (guint i = 0; i < paragraphs->len; i++) {
		cmark_node *p = g_ptr_array_index(paragraphs, i);
		GString *html = g_string_new(NULL);
		for (cmark_node *c = cmark_node_first_child(p); c; c = cmark_node_next(c)) {
			const struct photo *ph = cmark_node_get_type(c) == CMARK_NODE_IMAGE
							 ? find_photo(a, cmark_node_get_url(c)) : NULL;
			if (ph) {
				char *fig = figure_html(ph, true);
				g_string_append(html, fig);
				g_free(fig);
			}
		}
		replace_with_html(p, CMARK_NODE_CUSTOM_BLOCK, g_string_free(html, FALSE));
	}
	for (guint i = 0; i < images->len; i++) {
		cmark_node *img = g_ptr_array_index(images, i);
		const struct photo *ph = find_photo(a, cmark_node_get_url(img));
		if (ph) {
			replace_with_html(img, CMARK_NODE_CUSTOM_INLINE, figure_html(ph, false));
		} else {
			/* an outside image: a link to it, its children (the alt text) as the link text */
			cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
			cmark_node_set_url(link, cmark_node_get_url(img));
			cmark_node *child;
			while ((child = cmark_node_first_child(img)))
				cmark_node_append_child(link, child);
			cmark_node_replace(img, link);
			cmark_node_free(img);
		}
	}
	g_ptr_array_free(paragraphs, TRUE);
	g_ptr_array_free(images, TRUE);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT); /* safe: raw HTML is omitted */
	cmark_node_free(doc);
	return html;
}

static json_t *credit(struct request *r, const char *role, const char *key)
{
	json_t *who = person_view(r, key);
	return who ? json_pack("{s:s,s:o}", "role", role, "person", who) : NULL;
}

static void article_page(struct request *r)
{
	struct program p;
	if (!program_page_load(r, r->params[0], &p))
		return;
	const struct article *a = NULL;
	for (size_t i = 0; i < p.articles.n && !a; i++)
		if (strcmp(p.articles.v[i].key, r->params[1]) == 0 && article_is_published(&p.articles.v[i]))
			a = &p.articles.v[i];
	if (!a) {
		respond_error(r, 404, "There is no such article.");
		return;
	}
	char *body = article_html(a);
	json_t *credits = json_array(), *c;
	if ((c = credit(r, "Written by", a->credits.written_by)))
		json_array_append_new(credits, c);
	if ((c = credit(r, "Photographed by", a->credits.photographed_by)))
		json_array_append_new(credits, c);
	if ((c = credit(r, "Reviewed by", a->credits.reviewed_by)))
		json_array_append_new(credits, c);
	char *program_url = g_strdup_printf("/programs/%s", p.slug);
	json_t *ctx = json_pack("{s:s,s:{s:s,s:o,s:o,s:s,s:s,s:s,s:o},s:{s:s,s:s}}", "title", a->title,
				"article", "title", a->title, "section", view_label(a->section), "date",
				view_date(a->created_on), "date_iso", a->created_on, "language", a->language,
				"body_html", body,
				"credits", credits, "program", "url", program_url, "title", p.title);
	free(body);
	g_free(program_url);
	r->cacheable = true;
	respond_page(r, 200, "news/article", ctx);
}

static void articles_index(struct request *r)
{
	int64_t page, total;
	if (!view_page_number(r, &page))
		return;
	article_cards cards;
	if (news_store_published(r->store, &r->arena, (page - 1) * ARTICLES_PER_PAGE, ARTICLES_PER_PAGE,
				 &cards, &total) != STORE_OK) {
		respond_error(r, 500, "The database cannot be read now.");
		return;
	}
	int64_t pages = MAX(1, (total + ARTICLES_PER_PAGE - 1) / ARTICLES_PER_PAGE);
	if (page > pages) {
		respond_error(r, 404, "There is no such page of articles.");
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < cards.n; i++) {
		const struct article_card *c = &cards.v[i];
		char *url = g_strdup_printf("/programs/%s/articles/%s", c->program_slug, c->key);
		char *program_url = g_strdup_printf("/programs/%s", c->program_slug);
		json_array_append_new(list, json_pack("{s:s,s:s,s:o,s:o,s:s,s:s,s:s}", "url", url, "title",
						      c->title, "section", view_label(c->section), "date",
						      view_date(c->created_on), "language", c->language,
						      "program_url", program_url, "program_title",
						      c->program_title));
		g_free(url);
		g_free(program_url);
	}
	json_t *ctx = json_pack("{s:s,s:o,s:o}", "title", "Articles", "articles", list, "pagination",
				view_pagination(page, pages, "/articles?page="));
	r->cacheable = true;
	respond_page(r, 200, "news/articles", ctx);
}

const struct route news_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/articles", articles_index, ROLE_PUBLIC, false},
	{METHOD_GET | METHOD_HEAD, "/programs/{slug}/articles/{key}", article_page, ROLE_PUBLIC, false},
	{0},
};
