/*
 * program.h: a program (seminar, training course...) with its preparation
 * phases and enrolments, holding its timetable and its articles; the rules
 * that span the whole program.
 */
#pragma once
#include "core/arena.h"
#include "core/report.h"
#include "core/values.h"
#include "news/news.h"
#include "timetable/timetable.h"

struct phase {
	const char *phase;  /* required: needs-analysis, materials-collection... */
	const char *title;  /* required */
	const char *status; /* required: todo, doing, done */
	const char *due;    /* date */
	const char *notes;
	translations translations; /* of title (phase_translatable) */
};

struct enrolment {
	const char *person; /* required person key, once per program */
	const char *role;   /* required: participant, speaker, guest, staff, interpreter */
	const char *status; /* required: invited, registered, confirmed, withdrawn */
};

struct program {
	const char *slug, *title;  /* required */
	const char *kind, *mode;   /* required */
	const char *timezone;      /* required IANA zone */
	const char *starts_on, *ends_on; /* required dates */
	const char *host, *organizer;    /* required organization keys */
	strv countries;            /* target countries */
	struct opt_int capacity;   /* confirmed participants may not exceed it */
	strv languages;
	const char *summary;
	ARRAY(struct phase) preparation;
	ARRAY(struct venue) venues;
	ARRAY(struct enrolment) enrolments;
	ARRAY(struct session) sessions;
	ARRAY(struct article) articles;
	translations translations; /* of title, summary (program_translatable) */
};

extern const struct translatable program_translatable, phase_translatable;
/* the fields of program_translatable and phase_translatable, by index */
enum { PROGRAM_TEXT_TITLE, PROGRAM_TEXT_SUMMARY };
enum { PHASE_TEXT_TITLE };

extern const char *const program_kinds[];
extern const char *const program_modes[];
extern const char *const phase_kinds[];
extern const char *const phase_statuses[];
extern const char *const enrolment_roles[];
extern const char *const enrolment_statuses[];

/*
 * Checks every rule of a program and everything it holds, reporting at
 * path; refs resolves organizations and people.
 */
void program_check(const struct program *p, const char *path, const struct refs *refs,
		   struct report *r);
/* Number of enrolments with role participant and status confirmed. */
size_t program_confirmed_participants(const struct program *p);
/*
 * Removes from p what is never public: enrolments, session attendees,
 * online venues' join links, preparation phases' working notes, and
 * articles that are not published. The one place that says what of a
 * program is private; every public page and the public API apply it.
 */
void program_hide_private(struct program *p);
