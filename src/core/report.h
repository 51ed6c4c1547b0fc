/*
 * report.h: the problems found in a document or a record, each at its JSON
 * path ("programs[0].sessions[2].title: ..."), and the interface through
 * which model rules ask whether a referenced record exists.
 */
#pragma once
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

enum { REPORT_MAX_LINES = 100 };

struct catalog;
struct report {
	GPtrArray *lines; /* owned "path: message" strings, at most REPORT_MAX_LINES */
	GPtrArray *paths; /* the path of each line ("" for the whole document), owned */
	size_t count;     /* every problem added, also past the cap */
	/*
	 * The language its messages are written in (core/catalog.h): a page
	 * sets the reader's; NULL (report_init) is English, as the command
	 * line writes them.
	 */
	const struct catalog *catalog;
};

/* An empty report, in English. */
void report_init(struct report *r);
/* An empty report in the language of like (for the problems a rule gathers before merging them into like). */
void report_init_like(struct report *r, const struct report *like);
void report_free(struct report *r);
/*
 * Adds "path.field: message" (either part may be NULL or empty), the
 * message written with fmt in r's language (its catalog's translation of
 * fmt, the same conversions in it). Control characters of the path and the
 * message (of a quoted value) are escaped (\n, \u001b...), so that one
 * problem stays one line.
 */
void report_add(struct report *r, const char *path, const char *field, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);
/* text (marked N_() where it is written) in r's language: for the parts a message is made of. */
const char *report_tr(const struct report *r, const char *text) __attribute__((format_arg(2)));
/* The message of line i, without its "name: " prefix and its "path: " (paths[i] says where). */
const char *report_message(const struct report *r, guint i, const char *name);
/* Adds every problem of from to to, each line prefixed with "prefix: " (prefix may be NULL). */
void report_merge(struct report *to, const char *prefix, const struct report *from);
/*
 * Returns a copy of s (g_free) with control characters escaped as \n, \r,
 * \t or \u00XX, and invalid UTF-8 as \xXX: text for one line of a
 * terminal or a log.
 */
char *text_escape_line(const char *s);
/* Whether text_escape_line(s) would be s itself: printable ASCII only (a fast test). */
bool text_is_plain_line(const char *s);
/* Writes "podium: message" on standard error, control characters escaped: one line, whatever it quotes. */
void log_line(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
enum { REPORT_PATH_MAX = 512 };
/* Returns a newly allocated "path.field"; free with g_free. */
char *report_path(const char *path, const char *field);
/* Writes "path.field[index]" into buf (cut at REPORT_PATH_MAX bytes) and returns buf. */
const char *report_path_index(char buf[REPORT_PATH_MAX], const char *path, const char *field,
			      size_t index);

enum ref_kind { REF_ORGANIZATION, REF_PERSON };

/*
 * What a rule may ask about other records: implemented by import (the
 * document, then the store) and by check (the store alone).
 */
struct refs {
	/* true when a record of kind with key exists */
	bool (*exists)(const struct refs *self, enum ref_kind kind, const char *key);
	/* the key of the parent of organization key, NULL when none or unknown */
	const char *(*org_parent)(const struct refs *self, const char *key);
	/*
	 * What org_check found out about organizations' ancestry, by key, kept
	 * across the checks of one document or database so that each parent
	 * chain is walked once (a g_str_hash table, owned by the refs' owner;
	 * NULL walks every chain).
	 */
	GHashTable *org_ancestry;
};
