/*
 * timetable.h: a program's venues and its sessions with their ordered
 * agenda items (speeches, lectures...), and their rules.
 */
#pragma once
#include <glib.h>

#include "core/arena.h"
#include "core/report.h"
#include "core/translation.h"
#include "core/values.h"

struct venue {
	const char *key;     /* required, unique in the program */
	const char *name;    /* required */
	const char *kind;    /* required: room, online */
	const char *address; /* rooms only */
	const char *url;     /* online only: the join link, https, never public */
	struct opt_int capacity;
	translations translations; /* of name (venue_translatable) */
};

struct item {
	const char *kind;         /* required: speech, lecture... */
	const char *speaker;      /* required person key */
	const char *title;        /* required */
	const char *on_behalf_of; /* a person key when it has a key's shape, else free text */
	translations translations; /* of title, free-text on_behalf_of (item_translatable) */
};

struct session {
	const char *key;   /* required, unique in the program */
	const char *title; /* required */
	const char *kind;  /* required */
	struct instant starts_at, ends_at; /* required, starts_at < ends_at */
	strv venues;       /* venue keys of the same program */
	strv attendees;    /* person keys */
	ARRAY(struct item) items;
	const char *description;
	translations translations; /* of title, description (session_translatable) */
};

extern const struct translatable venue_translatable, item_translatable, session_translatable;
/* the fields of venue_, session_ and item_translatable, by index */
enum { VENUE_TEXT_NAME };
enum { SESSION_TEXT_TITLE, SESSION_TEXT_DESCRIPTION };
enum { ITEM_TEXT_TITLE, ITEM_TEXT_ON_BEHALF_OF };

/* What a session is judged against: its program's zone, dates and venues. */
struct session_frame {
	GTimeZone *zone;      /* NULL when the program's zone is invalid: times are not judged */
	const char *starts_on, *ends_on; /* NULL when invalid: times are not judged */
	int64_t first, end;   /* 00:00 of starts_on and 24:00 of ends_on in zone, when judged */
	const struct venue *venues;
	size_t n_venues;
};

extern const char *const venue_kinds[];
extern const char *const session_kinds[];
extern const char *const item_kinds[];

void venue_check(const struct venue *v, const char *path, struct report *r);
/* Checks a session and its items; refs resolves people. */
void session_check(const struct session *s, const struct session_frame *frame, const char *path,
		   const struct refs *refs, struct report *r);
/* true when an item's on_behalf_of names a person (it has a key's shape) */
bool item_on_behalf_of_is_person(const struct item *it);
