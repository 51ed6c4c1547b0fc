/*
 * news.h: the "Activity Highlights" newsroom: articles with photos,
 * captions and credits, and their rules.
 */
#pragma once
#include "core/arena.h"
#include "core/report.h"

/* A rendition of a photo's file: its nominal size (480, 960, 1920) and its pixels. */
struct photo_size {
	int size, width, height;
};

struct photo {
	const char *key;     /* required, unique in the article */
	const char *caption; /* required */
	const char *file;    /* optional: the SHA-256 (hex) of its stored original (photo.h) */
	const char *alt;     /* optional: its alt text; the caption when NULL */
	/* read for pages only: the original's pixels and its renditions, narrowest first */
	int width, height;
	ARRAY(struct photo_size) sizes;
};

struct credits {
	const char *written_by, *photographed_by, *reviewed_by; /* person keys */
};

struct article {
	const char *key;        /* required, unique in the program */
	const char *section;    /* required: activity-highlights, news, notice */
	const char *title;      /* required */
	const char *created_on; /* required date */
	const char *language;   /* required BCP 47 tag */
	const char *status;     /* required: draft, in-review, published */
	const char *body_markdown; /* required CommonMark; ![..](photo:KEY) shows a photo */
	ARRAY(struct photo) photos;
	struct credits credits;
};

extern const char *const article_sections[];
extern const char *const article_statuses[];

/* Checks an article, its photos, its body's photo references and its credits. */
void article_check(const struct article *a, const char *path, const struct refs *refs,
		   struct report *r);
/* true when the article is published (public) */
bool article_is_published(const struct article *a);
