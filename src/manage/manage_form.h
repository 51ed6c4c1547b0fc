/*
 * manage_form.h: the forms of the back office, made from one table of
 * fields per record. A form's fields are named after the record's JSON
 * members ("title", "items-2-speaker" for items[2].speaker), so a form
 * becomes a podium-program/1 record and is judged and written by import
 * itself (one implementation of every rule), and each problem's JSON path
 * names the field it belongs beside.
 */
#pragma once
#include <jansson.h>

#include "core/report.h"
#include "core/translation.h"
#include "exchange/exchange.h"
#include "http/http.h"

enum input {
	INPUT_TEXT,
	INPUT_TEXTAREA,
	INPUT_INT,    /* a JSON integer */
	INPUT_LIST,   /* a JSON array of texts, typed separated by commas */
	INPUT_SELECT, /* one of choices */
	INPUT_DATE,   /* YYYY-MM-DD */
	INPUT_TIME,   /* an instant, typed as the wall time in the program's zone */
	INPUT_EMAIL,
	INPUT_URL,
};

struct field_spec {
	const char *name;              /* the record's JSON member */
	const char *label;
	enum input input;
	const char *const *choices;    /* INPUT_SELECT: NULL-terminated */
	bool required;
};

/*
 * Translations are typed beside their fields: the field name of the
 * translation into tag of field title is prefix + "translations-" + tag +
 * "-title" (items-2-translations-zh-title), the JSON path of the record's
 * translations.zh.title written the form's way. A form offers the
 * languages of the site but the originals' (form_languages).
 */
const char *const *form_languages(struct request *r);
/*
 * The record typed in the form: the fields of spec (a {0}-ended table)
 * named prefix + name, empty ones left out, each as its JSON type (a value
 * that is not one stays text, for the decoder to report), and the
 * translations typed of its fields that texts names (NULL: none). zone: of
 * INPUT_TIME fields.
 */
json_t *form_record(struct request *r, const char *prefix, const struct field_spec *spec,
		    const struct translatable *texts, GTimeZone *zone);
/*
 * Gives record, typed in the form of prefix, the translations of stored
 * (the stored record's "translations", may be NULL) that the form has no
 * field for (another language's, or a form without them), less the texts
 * of fields that record no longer has (a version left empty goes), so that
 * saving a form never loses them; what the form has a field for, the form
 * decides (emptied: removed).
 */
void form_keep_translations(struct request *r, const char *prefix, json_t *record, json_t *stored);
/* form_keep_translations for each of rows, the form's rows kept (form_rows' kept) of stored_rows. */
void form_keep_rows_translations(struct request *r, const char *prefix, json_t *rows, json_t *stored_rows,
				 GArray *kept);
/*
 * The rows of a table of records named prefix-N-FIELD, in the order of
 * their prefix-N-order fields, those marked prefix-N-remove and blank ones
 * left out; *kept gets, per row returned, its number in the form.
 */
json_t *form_rows(struct request *r, const char *prefix, const struct field_spec *spec,
		  const struct translatable *texts, GTimeZone *zone, GArray *kept);
/*
 * The view of a record's fields for templates/manage/fields: [{id, name,
 * label, required, value, type, select, options, textarea, error}], each
 * field of texts followed by one for its translation into each of
 * languages (NULL-ended; with translated_into: its tag). label: the table's, untranslated.
 * errors: field name -> message (may be NULL).
 */
json_t *form_view(const char *prefix, const struct field_spec *spec, const struct translatable *texts,
		  const char *const *languages, json_t *record, json_t *errors);
/*
 * The problems of rep as field name -> message, for the paths under base
 * ("programs[0]." or "programs[0].sessions[3]."): "items[1].speaker" becomes
 * "items-1-speaker" (rows are numbered as judged, which is how the form
 * shows them again). Problems of no field go under "" (shown at the top).
 */
json_t *form_errors(const struct report *rep, const char *name, const char *base);
/*
 * The problems form_view did not show beside a field (they are removed from
 * errors as it shows them): one line for the top of the form, or NULL.
 */
const char *form_leftover(struct request *r, json_t *errors);
/* The SHA-256 of a record's canonical JSON: the version a form carries to detect a change meanwhile. */
char *form_version(json_t *record);
/*
 * Imports doc (a podium-program/1 document, stolen) with replace, as the
 * caller (audited "via": "form"): all or nothing, problems into rep.
 */
enum import_result form_import(struct request *r, json_t *doc, struct report *rep);
/* form_import, running before_commit(ctx, store) in its transaction before the commit (exchange.h) */
enum import_result form_import_then(struct request *r, json_t *doc, struct report *rep,
				    int (*before_commit)(void *ctx, struct store *s), void *ctx);

/* A back-office page's route, and a form's (its POST, CSRF-checked) */
#define GET_PAGE(pattern, handler, role) {METHOD_GET | METHOD_HEAD, pattern, handler, role, false, 0, BODY_NONE}
#define POST_FORM(pattern, handler, role) {METHOD_POST, pattern, handler, role, true, 0, BODY_FORM}
