/* schema.h: the field tables that drive decoding and encoding (exchange.h). */
#pragma once
#include <stddef.h>

#include "exchange/exchange.h"

enum field_type {
	FIELD_TEXT,    /* const char * */
	FIELD_ZONE,    /* const char *, the zone of the instants below it */
	FIELD_INT,     /* struct opt_int */
	FIELD_INSTANT, /* struct instant */
	FIELD_STRINGS, /* strv */
	FIELD_LIST,    /* ARRAY(record of shape) */
	FIELD_OBJECT,  /* a record of shape, embedded */
	FIELD_TRANSLATIONS, /* translations, of the fields of translatable */
};

struct field {
	const char *name;
	enum field_type type;
	size_t offset;
	const struct shape *shape; /* FIELD_LIST and FIELD_OBJECT */
	const struct translatable *translatable; /* FIELD_TRANSLATIONS */
};

struct shape {
	const char *what; /* "an organization" */
	size_t size;
	const struct field *fields;
	size_t n_fields;
	const char *names; /* "key, name, ..." for messages */
};
