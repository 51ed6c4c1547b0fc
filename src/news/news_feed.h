/*
 * news_feed.h: what the site tells other programs about its public pages
 * (news_feed.c): Atom feeds of the published articles, the sitemap, and
 * the plain-text summary of an article that feeds and link previews show.
 */
#pragma once
#include <glib.h>

#include "core/translation.h"
#include "store/store.h"

struct catalog;

/* The addresses and title of a feed; urls are absolute. */
struct feed_head {
	const char *base;      /* the site's root, without the final '/' (site.base_url) */
	const char *self;      /* the feed's own path: "/articles.atom" */
	const char *alternate; /* the page that lists the same articles: "/articles" */
	const char *title;
	const char *updated;   /* when no entry says: an RFC 3339 UTC instant */
};

/*
 * Writes feed as an Atom 1.0 document into out (libxml2's xmlTextWriter:
 * every text escaped for XML). Each entry's content is its body rendered
 * as on its page (news_render_body, figures in catalog's language),
 * carried as escaped HTML; its authors and contributors are its credits,
 * named in the language of rd.
 */
void news_feed_atom(const struct article_feed *feed, const struct feed_head *head,
		    const struct reading *rd, const struct catalog *catalog, struct arena *a, GString *out);

/*
 * Writes a sitemaps.org urlset into out: the fixed pages, every program,
 * person with a page and published article of map, under base (the
 * site's root, without the final '/').
 */
void news_feed_sitemap(const struct sitemap *map, const char *base, struct arena *a, GString *out);

/*
 * The first paragraph of CommonMark body that holds text, as plain text:
 * its words with their spaces collapsed, photos and raw HTML left out,
 * cut at a word's end to at most max characters with "…" when longer.
 * NULL when no paragraph holds text. Free with g_free().
 */
char *news_feed_summary(const char *body, size_t max);
