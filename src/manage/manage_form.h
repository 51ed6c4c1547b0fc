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
 * The record typed in the form: the fields of spec (a {0}-ended table)
 * named prefix + name, empty ones left out, each as its JSON type (a value
 * that is not one stays text, for the decoder to report). zone: of
 * INPUT_TIME fields.
 */
json_t *form_record(struct request *r, const char *prefix, const struct field_spec *spec, GTimeZone *zone);
/*
 * The rows of a table of records named prefix-N-FIELD, in the order of
 * their prefix-N-order fields, those marked prefix-N-remove and blank ones
 * left out; *kept gets, per row returned, its number in the form.
 */
/*
 * Gives record, typed in a form that has no fields for translations, the
 * translations of stored, the record it edits, less the texts of fields
 * that record no longer has (a version left empty goes), so that saving a
 * form never loses them. stored may be record itself.
 */
void form_keep_translations(json_t *record, json_t *stored);
/* form_keep_translations for each of rows, the form's rows kept (form_rows' kept) of stored_rows. */
void form_keep_rows_translations(json_t *rows, json_t *stored_rows, GArray *kept);
json_t *form_rows(struct request *r, const char *prefix, const struct field_spec *spec, GTimeZone *zone,
		  GArray *kept);
/*
 * The view of a record's fields for templates/manage/fields: [{id, name,
 * label, value, type, select, options, textarea, error}]. errors: field
 * name -> message (may be NULL).
 */
json_t *form_view(const char *prefix, const struct field_spec *spec, json_t *record, json_t *errors);
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
