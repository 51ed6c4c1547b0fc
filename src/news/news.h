/*
 * news.h: the "Activity Highlights" newsroom: articles with photos,
 * captions and credits, and their rules.
 */
#pragma once
#include "core/arena.h"
#include "core/report.h"
#include "core/translation.h"

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
	struct instant publish_at; /* a reviewed article in review goes public by itself then */
	ARRAY(struct photo) photos;
	struct credits credits;
	/*
	 * Its versions in other languages (article_translatable): each its own
	 * title, body and status, and captions of the shared photos.
	 */
	translations translations;
};

extern const struct translatable article_translatable;
/* the fields of article_translatable, by index */
enum { ARTICLE_TEXT_TITLE, ARTICLE_TEXT_BODY, ARTICLE_TEXT_STATUS };

/* true when version v of an article is published (public) */
bool article_version_is_published(const struct translation *v);
/*
 * The published version of a in the reader's language lang (its tag, else
 * one of the same language), or NULL when the reader reads the article's
 * own language, has none, or lang is NULL.
 */
const struct translation *article_version_for(const struct article *a, const char *lang);
/*
 * a as version v shows it (v NULL: a itself): v's title, body, language
 * and captions (the original's where v gives none), in arena.
 */
struct article article_as_version(const struct article *a, const struct translation *v, struct arena *arena);

extern const char *const article_sections[];
extern const char *const article_statuses[];

/* Checks an article, its photos, its body's photo references and its credits. */
void article_check(const struct article *a, const char *path, const struct refs *refs,
		   struct report *r);
/* true when the article is published (public) */
bool article_is_published(const struct article *a);

/* ------------------------------------------------------------ the review workflow */

struct store;
/*
 * Publishes every reviewed article whose publication time is due at now
 * (UTC seconds), in one transaction: the server's scheduled work.
 */
int news_publish_due(struct store *s, int64_t now);

/* What a save of the article's form asks for. */
enum article_step { STEP_SAVE, STEP_SUBMIT, STEP_PUBLISH, STEP_RETURN, STEP_UNPUBLISH, STEP_COUNT };

/* "save", "submit", ...: the step's name (a form's button, a revision's step). */
extern const char *const article_step_names[];
/* The step named name, or STEP_COUNT. */
enum article_step article_step_of(const char *name);

/* Where an article stands: its row (what the public sees when published) and a pending change. */
struct article_state {
	const char *status;         /* the article's status */
	const char *writer;         /* credits.written_by: a person's key, or NULL */
	bool pending;               /* an editor's change to the published article awaits review */
	const char *pending_status; /* that change's status (draft, in-review) */
	const char *submitted_by;   /* the account that last submitted it for review, or NULL */
};

/* Who asks: the rights they hold in the article's program, and who they are. */
struct article_actor {
	bool editor, reviewer; /* a manager holds both */
	const char *account;   /* e-mail */
	const char *person;    /* the person linked to the account, or NULL */
};

/* What a step does. */
struct article_outcome {
	const char *status; /* the status it gives: the row's, or the pending change's */
	bool pending;       /* kept as a pending change: the article's row stays as it is */
	bool reviewed;      /* the actor's person becomes credits.reviewed_by */
};

/*
 * Whether actor may take step on an article standing at st (comment: what a
 * return says to the writer): NULL with *out filled when they may, else why
 * not (English, for tr()).
 */
const char *article_step_refused(const struct article_state *st, const struct article_actor *actor,
				 enum article_step step, const char *comment, struct article_outcome *out);

/* Checks an article's title and body alone (a pending change's text): what article_check says of them. */
void article_check_text(const struct article *a, const char *path, struct report *r);

/* One line of a side-by-side comparison of two texts. */
struct diff_line {
	const char *left, *right; /* NULL on the side where the line is not */
	bool changed;
};
typedef ARRAY(struct diff_line) diff_lines;

/*
 * The lines of a and b side by side, lines common to both aligned (a
 * longest common subsequence of lines), of their first max_lines lines
 * each: true when either text has more. Strings live in arena.
 */
bool text_compare(const char *a, const char *b, size_t max_lines, struct arena *arena, diff_lines *out);
