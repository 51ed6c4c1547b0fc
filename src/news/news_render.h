/* news_render.h: an article's Markdown body as the HTML of its page (news_render.c). */
#pragma once
#include "news/news.h"

struct catalog;

/*
 * Renders the body of a: CommonMark in safe mode (raw HTML omitted,
 * javascript: and other unsafe links emptied); ![..](photo:KEY) of one of
 * its photos becomes the photo's figure (templates/news/figure.html), in
 * catalog's language, and any other image a link. Returns HTML (free with
 * free()). Templates must be loaded.
 */
char *news_render_body(const struct article *a, const struct catalog *catalog);
/*
 * news_render_body with the photos' renditions addressed under
 * photos_base ("/manage/.../photo-files/", followed by HASH-SIZE.EXT) where
 * they are not public yet: the back office's preview. NULL: the public
 * /photos/ addresses.
 */
char *news_render_body_from(const struct article *a, const struct catalog *catalog, const char *photos_base);
