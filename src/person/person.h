/* person.h: people (officials, speakers, staff, writers) and their rules. */
#pragma once
#include "core/report.h"

struct person {
	const char *key;          /* required */
	const char *name;         /* required, 1-200 */
	const char *honorific;    /* free text: "Ms.", "Datuk Seri" */
	const char *position;
	const char *organization; /* organization key */
	const char *country;
	const char *email;        /* personal data: never public */
};

/* Checks every rule of one person and reports at path; refs resolves the organization. */
void person_check(const struct person *p, const char *path, const struct refs *refs,
		  struct report *r);
