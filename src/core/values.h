/*
 * values.h: the value kinds of podium-program/1 (keys, texts, dates,
 * instants, e-mail addresses, join links, choices) as pure functions, and
 * the checks that report a field's problem at its path. Every entry point
 * (import, forms, API) checks values through these, so they agree.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "core/report.h"

/* An instant as UTC seconds since the epoch; set is false when absent. */
struct instant {
	bool set;
	int64_t utc;
};

/* An optional integer; set is false when absent. */
struct opt_int {
	bool set;
	int64_t value;
};

enum text_kind {
	TEXT_TITLE,       /* names and titles: 1-300 code points, one line */
	TEXT_PERSON_NAME, /* a person's name: 1-200 code points, one line */
	TEXT_LINE,        /* any other text: at most 10,000 code points, one line */
	TEXT_MULTILINE,   /* summary, description, notes: at most 10,000, newline and tab allowed */
	TEXT_MARKDOWN,    /* body_markdown: at most 200,000, newline and tab allowed */
};

/* true when s matches ^[a-z0-9][a-z0-9-]{0,63}$ */
bool value_is_key(const char *s);
/* The years Podium accepts in dates and instants. */
enum { VALUE_YEAR_MIN = 1900, VALUE_YEAR_MAX = 2200 };
/* true when s is YYYY-MM-DD and a real date of the years VALUE_YEAR_MIN to VALUE_YEAR_MAX */
bool value_is_date(const char *s);
/* true when s is YYYY-MM-DD and a real date of any year from 0001 to 9999 */
bool value_is_date_shape(const char *s);
/* true when s starts with a year (YYYY) from VALUE_YEAR_MIN to VALUE_YEAR_MAX */
bool value_year_in_range(const char *s);
/*
 * Parses an RFC 3339 instant with seconds and an offset and no fraction
 * (YYYY-MM-DDTHH:MM:SS+HH:MM, -HH:MM or Z) into UTC seconds. Returns false
 * when s has another shape or names no real time.
 */
bool value_parse_instant(const char *s, int64_t *utc);
/* true when s is in the NULL-terminated list */
bool value_in(const char *s, const char *const *choices);
/* true when s has the shape local@domain: one '@', both sides non-empty, no space */
bool value_is_email(const char *s);
/* true when s is an absolute https URL with a host */
bool value_is_https_url(const char *s);
/* number of code points of valid UTF-8 s */
long value_length(const char *s);

/*
 * The checks below report at path.field and return true when the value is
 * acceptable. A NULL value is "absent": an error for the _required forms,
 * fine for the others.
 */
bool check_text(struct report *r, const char *path, const char *field, const char *s,
		enum text_kind kind, bool required);
bool check_choice(struct report *r, const char *path, const char *field, const char *s,
		  const char *const *choices, bool required);
bool check_key(struct report *r, const char *path, const char *field, const char *s, bool required);
/* An ISO 3166-1 alpha-2 country code that is assigned (intl.h). */
bool check_country(struct report *r, const char *path, const char *field, const char *s, bool required);
/* A well-formed BCP 47 language tag (intl.h). */
bool check_language(struct report *r, const char *path, const char *field, const char *s,
		    bool required);
bool check_date(struct report *r, const char *path, const char *field, const char *s, bool required);
bool check_required_instant(struct report *r, const char *path, const char *field,
			    const struct instant *t);
/* Checks a reference: key syntax, then refs->exists (skipped when refs is NULL). */
bool check_reference(struct report *r, const char *path, const char *field, const char *s,
		     bool required, const struct refs *refs, enum ref_kind kind);

/*
 * Reports each second occurrence of a string among n records: the string
 * of record i is the const char * at base + i * stride + offset (NULLs are
 * skipped). The problem is reported at path.field[i].member (member may be
 * NULL for a plain list of strings), naming what it is ("venue").
 */
void check_unique(struct report *r, const char *path, const char *field, const void *base,
		  size_t n, size_t stride, size_t offset, const char *member, const char *what);
