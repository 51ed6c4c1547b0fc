/*
 * assets.h: the files of static/ (styles, script, icon), compiled in and
 * named by content hash, so that pages can link them for a year's cache.
 */
#pragma once
#include <jansson.h>
#include <stddef.h>

struct asset {
	const char *name;  /* "podium.css" */
	const char *url;   /* "/static/podium.1a2b3c4d5e6f.css" */
	const char *type;  /* its Content-Type */
	const char *data;
	size_t size;
};

/* The path of an embedded static file by its name ("podium.css"), content-hashed. */
const char *assets_url(const char *name);
/* The asset whose URL ends with file ("podium.1a2b3c4d5e6f.css"), or NULL. */
const struct asset *assets_find(const char *file);
/* Adds "static" (the URLs of the styles, script and icon) to a page context. */
void assets_add_urls(json_t *context);
