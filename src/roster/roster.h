/*
 * roster.h: a program's roster as the spreadsheet that delegations send and
 * managers keep (docs/cli.md, `podium roster`): a CSV file, one row per
 * person with their enrolment.
 *
 * roster_csv.c reads and writes the file (encodings, a BOM, comma or
 * semicolon, the header). roster.c judges its rows: which stored person
 * each names, what it adds and changes, every value through the people's,
 * organizations' and program's own rules. Both are pure: what is stored
 * comes in as records and through struct refs. roster_use.c runs them
 * against the store.
 */
#pragma once
#include <glib.h>

#include "core/arena.h"
#include "core/report.h"
#include "org/org.h"
#include "person/person.h"
#include "program/program.h"

/* The columns a header may name, in the order export writes them. */
enum roster_column {
	ROSTER_KEY,
	ROSTER_HONORIFIC,
	ROSTER_NAME,
	ROSTER_POSITION,
	ROSTER_ORGANIZATION,
	ROSTER_COUNTRY,
	ROSTER_EMAIL,
	ROSTER_ROLE,
	ROSTER_STATUS,
	ROSTER_COLUMNS
};
/* Their names ("key", "honorific"...), by enum roster_column. */
extern const char *const roster_columns[ROSTER_COLUMNS];

struct roster_row {
	size_t line;                      /* the file's line where the row starts, the header's being 1 */
	const char *cell[ROSTER_COLUMNS]; /* trimmed; NULL when empty or not a column of the file */
};

struct roster {
	const char *name;          /* the file's name, starting every problem */
	char delimiter;            /* ',' or ';' */
	bool has[ROSTER_COLUMNS];  /* the columns its header names */
	ARRAY(struct roster_row) rows;
};

/*
 * Adds "NAME:LINE:COLUMN: message" to r ("NAME:LINE: message" when column
 * is NULL): a problem of a roster's file, COLUMN being a header's name.
 */
void roster_report(struct report *r, const char *name, size_t line, const char *column,
		   const char *fmt, ...) G_GNUC_PRINTF(5, 6);

enum roster_read_result { ROSTER_READ_OK, ROSTER_READ_INVALID, ROSTER_READ_UNKNOWN_ENCODING };

/*
 * Reads the CSV of the len bytes at data, named name in problems, into
 * out (allocated in a). encoding NULL: the bytes must be UTF-8 (a BOM is
 * skipped); else they are converted from encoding (any name iconv knows:
 * GBK, Windows-1252...). The delimiter is ',' or ';', whichever makes more
 * of the header's names known columns. Problems go to r as
 * "NAME:LINE:COLUMN: message" (COLUMN a header name) or "NAME:LINE:
 * message"; ROSTER_READ_UNKNOWN_ENCODING when iconv knows no encoding of
 * that name (nothing is reported).
 */
/* true when GLib (iconv) converts from encoding to UTF-8. */
bool roster_encoding_known(const char *encoding);
enum roster_read_result roster_read(const char *name, const char *data, size_t len,
				    const char *encoding, struct arena *a, struct roster *out,
				    struct report *r);

/*
 * Appends to out the CSV of program p's enrolments, in their order, one
 * row per person with every column: a header, a UTF-8 BOM and CRLF line
 * ends, as spreadsheets write "CSV UTF-8", every field quoted (RFC 4180).
 * people holds the enrolled people (sorted: directory_sort).
 */
void roster_write(GString *out, const struct program *p, const struct directory *people);

/* How a row found its person. */
enum roster_match { ROSTER_ADDED, ROSTER_BY_KEY, ROSTER_BY_EMAIL };
/* What a row does to its person's enrolment. */
enum roster_enrol { ROSTER_ENROLLED, ROSTER_ENROLMENT_UPDATED, ROSTER_ENROLMENT_SAME };

/* What one row does. */
struct roster_step {
	size_t line;
	enum roster_match match;
	struct person person;           /* as it will be stored */
	const struct person *stored;    /* the person matched, as stored; NULL when added */
	bool changed;                   /* added, or matched and a field differs */
	const struct org *new_org;      /* the organization this row adds, or NULL */
	enum roster_enrol enrol;
	struct enrolment enrolment;     /* as it will be stored */
	struct enrolment before;        /* as it was (not for ROSTER_ENROLLED) */
};

struct roster_counts {
	size_t rows, people_added, people_matched, people_changed, orgs_added;
	size_t enrolled, enrolments_updated, enrolments_same;
};

struct roster_plan {
	ARRAY(struct roster_step) steps; /* one per row, in order */
	struct program program;          /* the program with its enrolments as they will be */
	struct roster_counts counts;
};

/*
 * Judges every row of roster against program (as stored) and plans what
 * importing it does, in out (allocated in a). A row's person is the stored
 * one of its key, else of its e-mail (ASCII letters of either case alike),
 * else a new one with a key made from the name; an enrolled person's
 * enrolment is updated, not made twice. A cell left empty keeps what is
 * stored. known holds the stored people and organizations the rows may
 * name (by key, e-mail, name or short name: more does no harm); refs
 * answers for everything else stored (whether a key is taken, what the
 * program's rules ask). Every problem goes to r as
 * "NAME:LINE:COLUMN: message"; returns true when there was none.
 */
bool roster_plan(const struct roster *roster, const struct program *program,
		 const struct directory *known, const struct refs *refs, struct arena *a,
		 struct roster_plan *out, struct report *r);

/*
 * One line on what step does (g_free): "line 3: add person anwar-ibrahim
 * (Anwar Ibrahim), enrol as participant (invited)", in the language of
 * catalog c (NULL: English, as the command line writes it).
 */
struct catalog;
char *roster_step_line(const struct roster_step *step, const struct catalog *c);
/*
 * What a whole import did, or would do (g_free): "roster SLUG: 59 rows:
 * 57 people added, 2 matched, 0 changed; 59 enrolled", in the language of c.
 */
char *roster_summary_line(const char *slug, const struct roster_counts *counts, bool dry_run,
			  const struct catalog *c);
