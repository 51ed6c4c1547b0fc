/*
 * news_feed.c: the public side's documents for other programs (news_feed.h):
 * Atom feeds of the published articles, the sitemap, and an article's
 * plain-text summary. XML is written by libxml2's xmlTextWriter, which
 * escapes every text and attribute value for XML, rather than by the HTML
 * templates: feed readers are strict XML parsers, and HTML escaping is not
 * XML escaping (an HTML template may hold entities and markup XML refuses).
 */
#include "news/news_feed.h"

#include <cmark.h>
#include <libxml/xmlwriter.h>
#include <string.h>

#include "html/view.h"
#include "news/news_render.h"
#include "person/person.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"

/* A writer into a memory buffer, libxml2 made ready once for every thread. */
static xmlTextWriterPtr writer_new(xmlBufferPtr *buffer)
{
	static gsize ready;
	if (g_once_init_enter(&ready)) {
		xmlInitParser(); /* not thread-safe itself: once, before any thread's writer */
		g_once_init_leave(&ready, 1);
	}
	*buffer = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(*buffer, 0);
	g_assert(*buffer && w); /* out of memory */
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST " ");
	xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
	return w;
}

/* Ends the document of w and appends it to out; frees w and its buffer. */
static void writer_finish(xmlTextWriterPtr w, xmlBufferPtr buffer, GString *out)
{
	int rc = xmlTextWriterEndDocument(w); /* closes every open element */
	xmlFreeTextWriter(w);                  /* flushes into buffer */
	g_assert(rc >= 0); /* a memory buffer fails only when memory does */
	g_string_append_len(out, (const char *)xmlBufferContent(buffer), xmlBufferLength(buffer));
	xmlBufferFree(buffer);
}

static void element(xmlTextWriterPtr w, const char *name, const char *text)
{
	xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST text);
}

static void attribute(xmlTextWriterPtr w, const char *name, const char *value)
{
	xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value);
}

/* <link rel=... type=... href=.../> */
static void atom_link(xmlTextWriterPtr w, const char *rel, const char *type, const char *href)
{
	xmlTextWriterStartElement(w, BAD_CAST "link");
	attribute(w, "rel", rel);
	attribute(w, "type", type);
	attribute(w, "href", href);
	xmlTextWriterEndElement(w);
}

/* <author> or <contributor> of the person key, named in the language of rd; nothing for a NULL key. */
static void atom_person(xmlTextWriterPtr w, const char *kind, const struct article_feed *feed, const char *key,
			const struct feed_head *head, const struct reading *rd, struct arena *a)
{
	const struct person *p = directory_person(&feed->directory, key);
	if (!p)
		return;
	const char *tag;
	xmlTextWriterStartElement(w, BAD_CAST kind);
	element(w, "name", translated(rd, &p->translations, PERSON_TEXT_NAME, p->name, &tag));
	element(w, "uri", arena_printf(a, "%s%s", head->base, url_person(a, p->key)));
	xmlTextWriterEndElement(w);
}

static void atom_entry(xmlTextWriterPtr w, const struct article_feed *feed, const struct article_entry *e,
		       const struct feed_head *head, const struct reading *rd, const struct catalog *catalog,
		       struct arena *a)
{
	const struct article *ar = &e->article;
	const char *url = arena_printf(a, "%s%s", head->base, url_article(a, e->program_slug, ar->key));
	xmlTextWriterStartElement(w, BAD_CAST "entry");
	attribute(w, "xml:lang", ar->language);
	element(w, "id", url); /* the article's address: stable while the site's address is */
	element(w, "title", ar->title);
	atom_link(w, "alternate", "text/html", url);
	element(w, "published", arena_printf(a, "%sT00:00:00Z", ar->created_on));
	element(w, "updated", e->updated);
	if (directory_person(&feed->directory, ar->credits.written_by))
		atom_person(w, "author", feed, ar->credits.written_by, head, rd, a);
	else {
		xmlTextWriterStartElement(w, BAD_CAST "author"); /* Atom wants one */
		element(w, "name", "Podium");
		xmlTextWriterEndElement(w);
	}
	atom_person(w, "contributor", feed, ar->credits.photographed_by, head, rd, a);
	atom_person(w, "contributor", feed, ar->credits.reviewed_by, head, rd, a);
	json_t *label = view_label(rd, ar->section);
	xmlTextWriterStartElement(w, BAD_CAST "category");
	attribute(w, "term", ar->section);
	attribute(w, "label", json_string_value(label));
	xmlTextWriterEndElement(w);
	json_decref(label);
	char *summary = news_feed_summary(ar->body_markdown, 300);
	if (summary)
		element(w, "summary", summary);
	g_free(summary);
	char *body = news_render_body(ar, catalog);
	xmlTextWriterStartElement(w, BAD_CAST "content");
	attribute(w, "type", "html"); /* the HTML as text, escaped once more by the writer */
	xmlTextWriterWriteString(w, BAD_CAST body);
	xmlTextWriterEndElement(w);
	free(body);
	xmlTextWriterEndElement(w);
}

void news_feed_atom(const struct article_feed *feed, const struct feed_head *head,
		    const struct reading *rd, const struct catalog *catalog, struct arena *a, GString *out)
{
	xmlBufferPtr buffer;
	xmlTextWriterPtr w = writer_new(&buffer);
	xmlTextWriterStartElementNS(w, NULL, BAD_CAST "feed", BAD_CAST ATOM_NS);
	attribute(w, "xml:lang", rd->page ? rd->page : "en");
	attribute(w, "xml:base", arena_printf(a, "%s/", head->base)); /* for the bodies' own links */
	const char *self = arena_printf(a, "%s%s", head->base, head->self);
	element(w, "id", self);
	element(w, "title", head->title);
	/* newest first, so the first entry changed last, until revisions change the order */
	const char *updated = head->updated;
	for (size_t i = 0; i < feed->entries.n; i++)
		if (i == 0 || strcmp(feed->entries.v[i].updated, updated) > 0)
			updated = feed->entries.v[i].updated;
	element(w, "updated", updated);
	atom_link(w, "self", "application/atom+xml", self);
	atom_link(w, "alternate", "text/html", arena_printf(a, "%s%s", head->base, head->alternate));
	xmlTextWriterStartElement(w, BAD_CAST "generator");
	attribute(w, "version", PODIUM_VERSION);
	xmlTextWriterWriteString(w, BAD_CAST "Podium");
	xmlTextWriterEndElement(w);
	for (size_t i = 0; i < feed->entries.n; i++)
		atom_entry(w, feed, &feed->entries.v[i], head, rd, catalog, a);
	writer_finish(w, buffer, out);
}

/* <url><loc>base path</loc><lastmod>lastmod</lastmod></url>, lastmod left out when NULL */
static void sitemap_url(xmlTextWriterPtr w, const char *base, const char *path, const char *lastmod,
			struct arena *a)
{
	xmlTextWriterStartElement(w, BAD_CAST "url");
	element(w, "loc", arena_printf(a, "%s%s", base, path));
	if (lastmod)
		element(w, "lastmod", lastmod);
	xmlTextWriterEndElement(w);
}

void news_feed_sitemap(const struct sitemap *map, const char *base, struct arena *a, GString *out)
{
	xmlBufferPtr buffer;
	xmlTextWriterPtr w = writer_new(&buffer);
	xmlTextWriterStartElementNS(w, NULL, BAD_CAST "urlset", BAD_CAST SITEMAP_NS);
	sitemap_url(w, base, "/", NULL, a);
	/* the list of articles changed when its newest one did */
	sitemap_url(w, base, "/articles", map->articles.n ? map->articles.v[0].updated : NULL, a);
	for (size_t i = 0; i < map->programs.n; i++)
		sitemap_url(w, base, url_program(a, map->programs.v[i]), NULL, a);
	for (size_t i = 0; i < map->articles.n; i++)
		sitemap_url(w, base, url_article(a, map->articles.v[i].program_slug, map->articles.v[i].key),
			    map->articles.v[i].updated, a);
	for (size_t i = 0; i < map->people.n; i++)
		sitemap_url(w, base, url_person(a, map->people.v[i]), NULL, a);
	writer_finish(w, buffer, out);
}

/* Appends the text of node's inline children to out, leaving images (photos) out. */
static void plain_text(cmark_node *node, GString *out)
{
	for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			g_string_append(out, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			g_string_append_c(out, ' ');
			break;
		case CMARK_NODE_IMAGE:
		case CMARK_NODE_HTML_INLINE:
			break;
		default: /* emphasis, strong, links: their text */
			plain_text(c, out);
		}
	}
}

/* Collapses runs of white space in text to one space and trims it, in place. */
static void collapse_spaces(GString *text)
{
	size_t to = 0;
	for (size_t from = 0; from < text->len; from++) {
		bool space = g_ascii_isspace(text->str[from]);
		if (space && (to == 0 || text->str[to - 1] == ' '))
			continue;
		text->str[to++] = space ? ' ' : text->str[from];
	}
	while (to && text->str[to - 1] == ' ')
		to--;
	g_string_truncate(text, to);
}

char *news_feed_summary(const char *body, size_t max)
{
	cmark_node *doc = cmark_parse_document(body, strlen(body), CMARK_OPT_DEFAULT);
	GString *text = g_string_new(NULL);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while (!text->len && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH) {
			plain_text(n, text);
			collapse_spaces(text);
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	if (!text->len) {
		g_string_free(text, TRUE);
		return NULL;
	}
	if ((size_t)g_utf8_strlen(text->str, -1) > max) {
		/* cut at max characters less the ellipsis, back to a space when there is one in the last fifth */
		const char *end = g_utf8_offset_to_pointer(text->str, (glong)max - 1);
		const char *space = end;
		while (space > text->str && *space != ' ' && g_utf8_pointer_to_offset(space, end) < (glong)max / 5)
			space = g_utf8_prev_char(space);
		g_string_truncate(text, (size_t)((*space == ' ' ? space : end) - text->str));
		g_string_append(text, "…");
	}
	return g_string_free(text, FALSE);
}
