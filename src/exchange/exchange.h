/*
 * exchange.h: podium-program/1, the JSON exchange format of import, export
 * and the API (docs: docs/exchange-format.md). Decoding turns
 * JSON into the features' records and reports type problems; the features'
 * rules judge the values; encoding writes the canonical form.
 */
#pragma once
#include <glib.h>
#include <jansson.h>
#include <stdio.h>

#include "core/arena.h"
#include "core/report.h"
#include "org/org.h"
#include "person/person.h"
#include "program/program.h"
#include "store/store.h"

#define EXCHANGE_FORMAT "podium-program/1"

struct document {
	const char *format;
	ARRAY(struct org) organizations;
	ARRAY(struct person) people;
	ARRAY(struct program) programs;
};

/* The shape of a record: its fields in canonical order. */
struct shape;
extern const struct shape document_shape, org_shape, person_shape, program_shape;

/*
 * Returns the canonical JSON of record in (a new reference): fields in
 * format order, missing values and empty arrays left out, instants in the
 * program's zone.
 */
json_t *exchange_encode(const struct shape *shape, const void *in);

struct import_options {
	bool replace;         /* update stored records that differ instead of failing */
	long long max_depth;  /* nesting limit, the top-level object counting as 1 */
	/*
	 * Whether the importer may write program p (exists: it is stored
	 * already): NULL when it may, else why not. Asked once the document is
	 * judged sound, before the commit. NULL: everything may be written.
	 */
	const char *(*may_write)(void *ctx, const struct program *p, bool exists);
	void *ctx;
	/* who imports, for the audit log ("cli:USER", an account's e-mail); NULL writes no entry */
	const char *audit_actor;
	const char *audit_via; /* "cli", "api" */
	/*
	 * Run in the import's transaction once it has written everything,
	 * before the commit (NULL: nothing): any result but STORE_OK rolls
	 * the import back as a store error.
	 */
	int (*before_commit)(void *ctx, struct store *s);
	void *commit_ctx;
	/*
	 * The folder of the photos' files (export --files): a photo whose file
	 * is not stored is read from it as HASH.jpg, .png or .webp. NULL: every
	 * file a photo names must be stored already.
	 */
	const char *files_dir;
};

/* IMPORT_FORBIDDEN: may_write refused a program (the reasons are the report's lines) */
enum import_result { IMPORT_OK, IMPORT_INVALID, IMPORT_STORE_ERROR, IMPORT_SOURCE_ERROR, IMPORT_FORBIDDEN };

/* A document read from a file, at most max bytes: an import_source's ctx for exchange_file_read. */
struct file_source {
	FILE *in;
	long long max, total;
	bool too_large;
	int error; /* errno of a failed read, or 0 */
};
int exchange_file_read(void *ctx, char *buf, size_t cap, size_t *got);

/* Where a document's bytes come from: read puts up to cap bytes in buf, *got 0 at the end; non-zero on failure. */
struct import_source {
	int (*read)(void *ctx, char *buf, size_t cap, size_t *got);
	void *ctx;
};

struct import_counts {
	size_t added, updated, unchanged;
};

/* What an import did. */
struct import_summary {
	struct import_counts organizations, people, programs;
	strv slugs;          /* the document's programs, in its order */
	struct arena *arena; /* where slugs live: set by the caller */
};

/*
 * Imports the document read from source, named name in messages, in one
 * transaction: on any problem nothing is written. Problems are added to r
 * as whole lines ("NAME: path: message", "NAME:LINE:COLUMN: message").
 * IMPORT_STORE_ERROR leaves the store's error in store_error();
 * IMPORT_SOURCE_ERROR says the source failed (its own context tells why).
 * On success sum (may be NULL) counts what was added, updated and left
 * unchanged.
 */
enum import_result exchange_import(struct store *s, const char *name, const struct import_source *source,
				   const struct import_options *opt, struct report *r,
				   struct import_summary *sum);
/* "imported SLUG: 1 program, 11 people added, 2 unchanged": one line, what sum says (g_free). */
char *exchange_summary_line(const struct import_summary *sum);

/*
 * Writes the canonical document of everything (slug NULL) or of one program
 * with the people and organizations it names to out. Returns STORE_OK,
 * STORE_NOT_FOUND for an unknown slug, or STORE_ERROR.
 */
int exchange_export(struct store *s, const char *slug, FILE *out);

/*
 * The public podium-program/1 document of one program (a new reference):
 * what export SLUG writes, less what program_hide_private removes, the
 * e-mails, the people not public in this program and the organizations
 * only they named. Hides pv's private parts in place.
 */
json_t *exchange_public_program(struct program_view *pv);

/* Checks every stored record against the model rules, reporting problems. */
int exchange_check_store(struct store *s, struct report *r);
