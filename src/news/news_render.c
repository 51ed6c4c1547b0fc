/*
 * news_render.c: an article's CommonMark body rendered by cmark in safe
 * mode, with its photos placed as figures (news_render.h).
 */
#include "news/news_render.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "html/template.h"
#include "news/photo_page.h"

static const struct photo *find_photo(const struct article *a, const char *url)
{
	if (!url || strncmp(url, "photo:", 6) != 0)
		return NULL;
	for (size_t i = 0; i < a->photos.n; i++)
		if (strcmp(a->photos.v[i].key, url + 6) == 0)
			return &a->photos.v[i];
	return NULL;
}

/* The widest rendition that is at most 960 wide: the picture's src, whose pixels size it. */
static const struct photo_size *photo_src(const struct photo *ph)
{
	const struct photo_size *src = &ph->sizes.v[0];
	for (size_t i = 1; i < ph->sizes.n; i++)
		if (ph->sizes.v[i].size <= 960)
			src = &ph->sizes.v[i];
	return src;
}

/* "URL 480w, URL 960w..." of the renditions of ph in format. */
/* The address of rendition size in format of ph: the public one (base NULL), or under base. */
static const char *rendition_url(struct arena *a, const char *base, const struct photo *ph, int size,
				 const char *format)
{
	const char *url = photo_url(a, ph->file, size, format); /* "/photos/NAME" */
	return base ? arena_printf(a, "%s%s", base, url + strlen("/photos/")) : url;
}

static char *photo_srcset(const struct photo *ph, const char *format, const char *base)
{
	struct arena a = ARENA_INIT;
	GString *set = g_string_new(NULL);
	for (size_t i = 0; i < ph->sizes.n; i++)
		g_string_append_printf(set, "%s%s %dw", i ? ", " : "", rendition_url(&a, base, ph, ph->sizes.v[i].size, format),
				       ph->sizes.v[i].width);
	arena_free(&a);
	return g_string_free(set, FALSE);
}

/*
 * The figure of a photo from its template: a block of its own, or inline
 * in text. A block of a photo with a stored file is a picture of its
 * renditions (WebP, then JPEG), sized, lazy after the first (*shown counts
 * the pictures so far); without a file, today's placeholder.
 */
static void figure_html(const struct photo *ph, bool block, const struct catalog *catalog, const char *base,
			int *shown, GString *out)
{
	json_t *ctx = json_pack("{s:s,s:b}", "caption", ph->caption, "block", block);
	if (block && ph->file && ph->sizes.n) {
		struct arena a = ARENA_INIT;
		const struct photo_size *src = photo_src(ph);
		char *webp = photo_srcset(ph, "webp", base), *jpeg = photo_srcset(ph, "jpeg", base);
		json_object_update_new(ctx, json_pack("{s:b,s:s,s:s,s:s,s:i,s:i,s:s,s:s,s:b}", "file", true, "webp_srcset",
							webp, "jpeg_srcset", jpeg, "src",
							rendition_url(&a, base, ph, src->size, "jpeg"), "width", src->width,
							"height", src->height, "alt", ph->alt ? ph->alt : ph->caption,
							"sizes", "(max-width: 60rem) 100vw, 60rem", "lazy", (*shown)++ > 0));
		g_free(webp);
		g_free(jpeg);
		arena_free(&a);
	}
	template_render("news/figure", ctx, catalog, out);
	json_decref(ctx);
}

/* The photos doc places (images whose target is photo:KEY, wherever they stand): key -> itself. */
static GHashTable *placed_photos(cmark_node *doc)
{
	GHashTable *keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *url;
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_IMAGE &&
		    (url = cmark_node_get_url(n)) && strncmp(url, "photo:", 6) == 0)
			g_hash_table_add(keys, g_strdup(url + 6));
	}
	cmark_iter_free(it);
	return keys;
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

/* Replaces node by a custom node of kind type printing html (a copy is kept by cmark). */
static void replace_with_html(cmark_node *node, cmark_node_type type, GString *html)
{
	cmark_node *custom = cmark_node_new(type);
	cmark_node_set_on_enter(custom, html->str);
	g_string_free(html, TRUE);
	cmark_node_replace(node, custom);
	cmark_node_free(node);
}

/*
 * The nodes to rewrite are collected first, images in post-order (an image
 * inside another's description comes before it), skipping the insides of
 * the paragraphs that become figures. Each collected node is rewritten once,
 * and a node is freed only with an ancestor rewritten after it.
 */
char *news_render_body(const struct article *a, const struct catalog *catalog)
{
	return news_render_body_from(a, catalog, NULL);
}

char *news_render_body_from(const struct article *a, const struct catalog *catalog, const char *photos_base)
{
	cmark_node *doc = cmark_parse_document(a->body_markdown, strlen(a->body_markdown), CMARK_OPT_DEFAULT);
	GPtrArray *paragraphs = g_ptr_array_new(), *images = g_ptr_array_new();
	GHashTable *placed = placed_photos(doc);
	int shown = 0;
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
			if (ph)
				figure_html(ph, true, catalog, photos_base, &shown, html);
		}
		replace_with_html(p, CMARK_NODE_CUSTOM_BLOCK, html);
	}
	for (guint i = 0; i < images->len; i++) {
		cmark_node *img = g_ptr_array_index(images, i);
		const struct photo *ph = find_photo(a, cmark_node_get_url(img));
		if (ph) {
			GString *html = g_string_new(NULL);
			figure_html(ph, false, catalog, photos_base, &shown, html);
			replace_with_html(img, CMARK_NODE_CUSTOM_INLINE, html);
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
	/* the photos the text does not place: a gallery after it */
	GString *gallery = NULL;
	for (size_t i = 0; i < a->photos.n; i++) {
		if (g_hash_table_contains(placed, a->photos.v[i].key))
			continue;
		if (!gallery)
			gallery = g_string_new("<div class=\"gallery\">");
		figure_html(&a->photos.v[i], true, catalog, photos_base, &shown, gallery);
	}
	g_hash_table_destroy(placed);
	if (!gallery)
		return html;
	g_string_append(gallery, "</div>\n");
	size_t len = strlen(html);
	char *all = malloc(len + gallery->len + 1); /* the caller frees it as cmark's, with free() */
	if (!all)
		abort();
	memcpy(all, html, len);
	memcpy(all + len, gallery->str, gallery->len + 1);
	free(html);
	g_string_free(gallery, TRUE);
	return all;
}
