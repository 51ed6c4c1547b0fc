/*
 * schema.c: the fields of each record of podium-program/1, in the order
 * of exchange-format.md, which is the canonical order of export.
 */
#include "exchange/schema.h"

#include "core/catalog.h"

#define TEXT(T, f) {#f, FIELD_TEXT, offsetof(T, f), NULL, NULL}
#define TRANSLATIONS(T, of) {"translations", FIELD_TRANSLATIONS, offsetof(T, translations), NULL, &of}
/* what: marked N_() (the decoder's messages name it in the reader's language) */
#define SHAPE(var, T, what, table, names) \
	const struct shape var = {what, sizeof(T), table, G_N_ELEMENTS(table), names}

static const struct field org_fields[] = {
	TEXT(struct org, key),     TEXT(struct org, name), TEXT(struct org, short_name),
	TEXT(struct org, country), TEXT(struct org, kind), TEXT(struct org, parent),
	TRANSLATIONS(struct org, org_translatable),
};
SHAPE(org_shape, struct org, N_("an organization"), org_fields,
      "key, name, short_name, country, kind, parent, translations");

static const struct field person_fields[] = {
	TEXT(struct person, key),      TEXT(struct person, name),         TEXT(struct person, honorific),
	TEXT(struct person, position), TEXT(struct person, organization), TEXT(struct person, country),
	TEXT(struct person, email),     TRANSLATIONS(struct person, person_translatable),
};
SHAPE(person_shape, struct person, N_("a person"), person_fields,
      "key, name, honorific, position, organization, country, email, translations");

static const struct field phase_fields[] = {
	TEXT(struct phase, phase), TEXT(struct phase, title), TEXT(struct phase, status),
	TEXT(struct phase, due),   TEXT(struct phase, notes), TRANSLATIONS(struct phase, phase_translatable),
};
static SHAPE(phase_shape, struct phase, N_("a phase"), phase_fields,
	     "phase, title, status, due, notes, translations");

static const struct field venue_fields[] = {
	TEXT(struct venue, key),     TEXT(struct venue, name), TEXT(struct venue, kind),
	TEXT(struct venue, address), TEXT(struct venue, url),
	{"capacity", FIELD_INT, offsetof(struct venue, capacity), NULL, NULL},
	TRANSLATIONS(struct venue, venue_translatable),
};
static SHAPE(venue_shape, struct venue, N_("a venue"), venue_fields,
	     "key, name, kind, address, url, capacity, translations");

static const struct field enrolment_fields[] = {
	TEXT(struct enrolment, person), TEXT(struct enrolment, role), TEXT(struct enrolment, status),
};
static SHAPE(enrolment_shape, struct enrolment, N_("an enrolment"), enrolment_fields,
	     "person, role, status");

static const struct field item_fields[] = {
	TEXT(struct item, kind), TEXT(struct item, speaker), TEXT(struct item, title),
	TEXT(struct item, on_behalf_of), TRANSLATIONS(struct item, item_translatable),
};
static SHAPE(item_shape, struct item, N_("an item"), item_fields,
	     "kind, speaker, title, on_behalf_of, translations");

static const struct field session_fields[] = {
	TEXT(struct session, key),
	TEXT(struct session, title),
	TEXT(struct session, kind),
	{"starts_at", FIELD_INSTANT, offsetof(struct session, starts_at), NULL},
	{"ends_at", FIELD_INSTANT, offsetof(struct session, ends_at), NULL},
	{"venues", FIELD_STRINGS, offsetof(struct session, venues), NULL},
	{"attendees", FIELD_STRINGS, offsetof(struct session, attendees), NULL},
	{"items", FIELD_LIST, offsetof(struct session, items), &item_shape},
	TEXT(struct session, description),
	TRANSLATIONS(struct session, session_translatable),
};
static SHAPE(session_shape, struct session, N_("a session"), session_fields,
	     "key, title, kind, starts_at, ends_at, venues, attendees, items, description, translations");

static const struct field photo_fields[] = {
	TEXT(struct photo, key),
	TEXT(struct photo, caption),
	TEXT(struct photo, file),
	TEXT(struct photo, alt),
};
static SHAPE(photo_shape, struct photo, N_("a photo"), photo_fields, "key, caption, file, alt");

static const struct field credits_fields[] = {
	TEXT(struct credits, written_by),
	TEXT(struct credits, photographed_by),
	TEXT(struct credits, reviewed_by),
};
static SHAPE(credits_shape, struct credits, "credits", credits_fields,
	     "written_by, photographed_by, reviewed_by");

static const struct field article_fields[] = {
	TEXT(struct article, key),
	TEXT(struct article, section),
	TEXT(struct article, title),
	TEXT(struct article, created_on),
	TEXT(struct article, language),
	TEXT(struct article, status),
	TEXT(struct article, body_markdown),
	{"publish_at", FIELD_INSTANT, offsetof(struct article, publish_at), NULL},
	{"photos", FIELD_LIST, offsetof(struct article, photos), &photo_shape},
	{"credits", FIELD_OBJECT, offsetof(struct article, credits), &credits_shape},
	TRANSLATIONS(struct article, article_translatable),
};
static SHAPE(article_shape, struct article, N_("an article"), article_fields,
	     "key, section, title, created_on, language, status, body_markdown, publish_at, photos, credits, "
	     "translations");

static const struct field program_fields[] = {
	TEXT(struct program, slug),
	TEXT(struct program, title),
	TEXT(struct program, kind),
	TEXT(struct program, mode),
	{"timezone", FIELD_ZONE, offsetof(struct program, timezone), NULL},
	TEXT(struct program, starts_on),
	TEXT(struct program, ends_on),
	TEXT(struct program, host),
	TEXT(struct program, organizer),
	{"countries", FIELD_STRINGS, offsetof(struct program, countries), NULL},
	{"capacity", FIELD_INT, offsetof(struct program, capacity), NULL},
	{"languages", FIELD_STRINGS, offsetof(struct program, languages), NULL},
	TEXT(struct program, summary),
	{"preparation", FIELD_LIST, offsetof(struct program, preparation), &phase_shape},
	{"venues", FIELD_LIST, offsetof(struct program, venues), &venue_shape},
	{"enrolments", FIELD_LIST, offsetof(struct program, enrolments), &enrolment_shape},
	{"sessions", FIELD_LIST, offsetof(struct program, sessions), &session_shape},
	{"articles", FIELD_LIST, offsetof(struct program, articles), &article_shape},
	TRANSLATIONS(struct program, program_translatable),
};
SHAPE(program_shape, struct program, N_("a program"), program_fields,
      "slug, title, kind, mode, timezone, starts_on, ends_on, host, organizer, countries, capacity, "
      "languages, summary, preparation, venues, enrolments, sessions, articles, translations");

static const struct field document_fields[] = {
	TEXT(struct document, format),
	{"organizations", FIELD_LIST, offsetof(struct document, organizations), &org_shape},
	{"people", FIELD_LIST, offsetof(struct document, people), &person_shape},
	{"programs", FIELD_LIST, offsetof(struct document, programs), &program_shape},
};
SHAPE(document_shape, struct document, N_("a podium-program/1 document"), document_fields,
      "format, organizations, people, programs");
