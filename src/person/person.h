/* person.h: people (officials, speakers, staff, writers) and their rules. */
#pragma once
#include <glib.h>

#include "core/arena.h"
#include "core/report.h"
#include "org/org.h"

struct person {
	const char *key;          /* required */
	const char *name;         /* required, 1-200 */
	const char *honorific;    /* free text: "Ms.", "Datuk Seri" */
	const char *position;
	const char *organization; /* organization key */
	const char *country;
	const char *email;        /* personal data: never public */
	translations translations; /* of name, position (person_translatable) */
};

extern const struct translatable person_translatable;
/* the fields of person_translatable, by index */
enum { PERSON_TEXT_NAME, PERSON_TEXT_POSITION };

/* Checks every rule of one person and reports at path; refs resolves the organization. */
void person_check(const struct person *p, const char *path, const struct refs *refs,
		  struct report *r);

/*
 * A directory: the people and organizations a page names, looked up by key.
 * Filled by the store (store.h's *_view functions), then sorted once.
 */
struct directory {
	ARRAY(struct person) people;
	ARRAY(struct org) orgs;
};

/* Sorts both lists by key, for the lookups below. */
void directory_sort(struct directory *d);
/* The person or organization with key, or NULL (key may be NULL). */
const struct person *directory_person(const struct directory *d, const char *key);
const struct org *directory_org(const struct directory *d, const char *key);
/*
 * Appends the organization's name followed by its parents' names ("Legal
 * Affairs Division, Prime Minister's Department") to out, in the language
 * of rd; nothing when key names none. Stops after 16 levels.
 */
void directory_org_chain(const struct directory *d, const char *key, const struct reading *rd, GString *out);
