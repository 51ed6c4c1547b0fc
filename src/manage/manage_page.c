/*
 * manage_page.c: the back office's forms for everything in the model: a
 * program's details, preparation phases, venues, enrolments and sessions
 * with their items; new programs (admins); organizations and people
 * (admins and managers of any program), their deletion or anonymising.
 *
 * Every form is the record it edits, read as export writes it and written
 * by import (manage_form.h): the same rules judge both, problems are shown
 * beside their fields with what was typed kept, and nothing is written
 * unless all is well. A form carries the version of what it was made from:
 * saving over a change made meanwhile is a 409 that says who made it.
 */
#include "manage/manage_page.h"

#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/intl.h"
#include "core/tz.h"
#include "html/view.h"
#include "manage/manage_form.h"

/* ------------------------------------------------------------ the fields of each record */

/* a new program's: the slug is given once; editing shows program_fields + 1 */
static const struct field_spec program_fields[] = {
	{"slug", N_("Slug (the address: lowercase letters, digits and dashes)"), INPUT_TEXT, NULL, true},
	{"title", N_("Title"), INPUT_TEXT, NULL, true},
	{"kind", N_("Kind"), INPUT_SELECT, program_kinds, true},
	{"mode", N_("Mode"), INPUT_SELECT, program_modes, true},
	{"timezone", N_("Time zone (IANA name, such as Asia/Shanghai)"), INPUT_TEXT, NULL, true},
	{"starts_on", N_("Starts on"), INPUT_DATE, NULL, true},
	{"ends_on", N_("Ends on"), INPUT_DATE, NULL, true},
	{"host", N_("Host (organization key)"), INPUT_TEXT, NULL, true},
	{"organizer", N_("Organizer (organization key)"), INPUT_TEXT, NULL, true},
	{"countries", N_("Countries (ISO codes, comma-separated)"), INPUT_LIST, NULL, false},
	{"languages", N_("Languages (BCP 47 tags, comma-separated)"), INPUT_LIST, NULL, false},
	{"capacity", N_("Capacity (confirmed participants)"), INPUT_INT, NULL, false},
	{"summary", N_("Summary"), INPUT_TEXTAREA, NULL, false},
	{0},
};

static const struct field_spec phase_fields[] = {
	{"phase", N_("Phase"), INPUT_SELECT, phase_kinds, true},
	{"title", N_("Title"), INPUT_TEXT, NULL, true},
	{"status", N_("Status"), INPUT_SELECT, phase_statuses, true},
	{"due", N_("Due"), INPUT_DATE, NULL, false},
	{"notes", N_("Working notes (never public)"), INPUT_TEXTAREA, NULL, false},
	{0},
};

static const struct field_spec venue_fields[] = {
	{"key", N_("Key"), INPUT_TEXT, NULL, true},
	{"name", N_("Name"), INPUT_TEXT, NULL, true},
	{"kind", N_("Kind"), INPUT_SELECT, venue_kinds, true},
	{"address", N_("Address (rooms)"), INPUT_TEXT, NULL, false},
	{"url", N_("Join link (online; shown only here)"), INPUT_URL, NULL, false},
	{"capacity", N_("Capacity"), INPUT_INT, NULL, false},
	{0},
};

static const struct field_spec enrolment_fields[] = {
	{"person", N_("Person (key)"), INPUT_TEXT, NULL, true},
	{"role", N_("Role"), INPUT_SELECT, enrolment_roles, true},
	{"status", N_("Status"), INPUT_SELECT, enrolment_statuses, true},
	{0},
};

static const struct field_spec session_fields[] = {
	{"key", N_("Key"), INPUT_TEXT, NULL, true},
	{"title", N_("Title"), INPUT_TEXT, NULL, true},
	{"kind", N_("Kind"), INPUT_SELECT, session_kinds, true},
	{"starts_at", N_("Starts (the program's time)"), INPUT_TIME, NULL, true},
	{"ends_at", N_("Ends (the program's time)"), INPUT_TIME, NULL, true},
	{"venues", N_("Venues (keys, comma-separated)"), INPUT_LIST, NULL, false},
	{"attendees", N_("Attendees (person keys, comma-separated)"), INPUT_LIST, NULL, false},
	{"description", N_("Description"), INPUT_TEXTAREA, NULL, false},
	{0},
};

static const struct field_spec item_fields[] = {
	{"kind", N_("Kind"), INPUT_SELECT, item_kinds, true},
	{"speaker", N_("Speaker (person key)"), INPUT_TEXT, NULL, true},
	{"title", N_("Title"), INPUT_TEXT, NULL, true},
	{"on_behalf_of", N_("On behalf of (a person key, or free text)"), INPUT_TEXT, NULL, false},
	{0},
};

static const struct field_spec person_fields[] = {
	{"key", N_("Key"), INPUT_TEXT, NULL, true},
	{"name", N_("Name"), INPUT_TEXT, NULL, true},
	{"honorific", N_("Honorific"), INPUT_TEXT, NULL, false},
	{"position", N_("Position"), INPUT_TEXT, NULL, false},
	{"organization", N_("Organization (key)"), INPUT_TEXT, NULL, false},
	{"country", N_("Country (ISO code)"), INPUT_TEXT, NULL, false},
	{"email", N_("E-mail (never public)"), INPUT_EMAIL, NULL, false},
	{0},
};

static const struct field_spec org_fields[] = {
	{"key", N_("Key"), INPUT_TEXT, NULL, true},
	{"name", N_("Name"), INPUT_TEXT, NULL, true},
	{"short_name", N_("Short name"), INPUT_TEXT, NULL, false},
	{"country", N_("Country (ISO code)"), INPUT_TEXT, NULL, false},
	{"kind", N_("Kind"), INPUT_SELECT, org_kinds, false},
	{"parent", N_("Part of (organization key)"), INPUT_TEXT, NULL, false},
	{0},
};

/* A table of rows of a program, edited on a page of its own. */
struct section {
	const char *path;    /* after /manage/programs/SLUG/ */
	const char *member;  /* the program's JSON member */
	const char *title;            /* N_(), like the three below */
	const char *page_title;       /* "... of %s": the program's slug */
	const char *row_title;        /* "... %zu": a row's number */
	const char *new_row;          /* the legend of a blank row */
	const struct field_spec *fields;
	const struct translatable *texts; /* the fields translated beside them, or NULL */
};

static const struct section sections[] = {
	{"phases", "preparation", N_("Preparation phases"), N_("Preparation phases of %s"), N_("Phase %zu"),
	 N_("New phase"), phase_fields, &phase_translatable},
	{"venues", "venues", N_("Venues"), N_("Venues of %s"), N_("Venue %zu"), N_("New venue"), venue_fields,
	 &venue_translatable},
	{"enrolments", "enrolments", N_("Enrolments"), N_("Enrolments of %s"), N_("Enrolment %zu"),
	 N_("New enrolment"), enrolment_fields, NULL},
};

/* ------------------------------------------------------------ shared steps */

static void section_form(struct request *r, int status, const struct section *s, json_t *record,
			 const char *version, json_t *errors, const char *notice);

/*
 * The view of a form's fields (form_view) with their labels in the page's
 * language, a required field's marked so.
 */
static json_t *fields_view(struct request *r, const char *prefix, const struct field_spec *spec,
			   const struct translatable *texts, json_t *record, json_t *errors)
{
	json_t *fields = form_view(prefix, spec, texts, form_languages(r), record, errors), *field;
	size_t i;
	json_array_foreach (fields, i, field) {
		const char *label = tr(r, json_string_value(json_object_get(field, "label")));
		const char *lang = json_string_value(json_object_get(field, "translated_into"));
		if (lang) {
			char name[128];
			intl_language_name(lang, r->reading.page, name, sizeof name);
			label = arena_printf(&r->arena, tr(r, "%s in %s"), label, name);
		} else if (json_is_true(json_object_get(field, "required"))) {
			label = arena_printf(&r->arena, tr(r, "%s (required)"), label);
		}
		json_object_set_new(field, "label", json_string(label));
		/* a vocabulary's choices by their labels in the page's language; the values stay */
		size_t k;
		json_t *option;
		json_array_foreach (json_object_get(field, "select"), k, option) {
			const char *value = json_string_value(json_object_get(option, "value"));
			if (value && *value && g_strcmp0(value, json_string_value(json_object_get(option, "label"))) == 0)
				json_object_set_new(option, "label", view_label(&r->reading, value));
		}
	}
	return fields;
}

static const char *manage_program_url(struct request *r, const char *slug, const char *rest)
{
	return url_build(&r->arena, "/manage/programs/", (const char *const[]){slug, NULL},
			 rest ? arena_printf(&r->arena, "/%s", rest) : "");
}

/* /manage/programs/SLUG/sessions/KEY */
static const char *manage_session_url(struct request *r, const char *slug, const char *key)
{
	return url_build(&r->arena, "/manage/programs/", (const char *const[]){slug, "sessions", key, NULL}, "");
}

/* The stored program slug as export writes it (a new reference), or NULL after answering. */
static json_t *stored_program(struct request *r, const char *slug, GTimeZone **zone)
{
	struct program p;
	int rc = program_store_get(r->store, slug, &r->arena, &p);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, tr(r, "There is no such program."));
		return NULL;
	}
	if (zone)
		*zone = tz_zone(p.timezone);
	return exchange_encode(&program_shape, &p);
}

/*
 * The message of a change made meanwhile: by whom and when, from the
 * audit log of program slug when there is one (slug may be NULL).
 */
static const char *changed_meanwhile(struct request *r, const char *slug)
{
	audit_entries last = {0};
	if (!slug || audit_store_list(r->store, slug, NULL, 0, 1, &r->arena, &last) != STORE_OK || !last.n)
		return tr(r, "This was changed by someone else since you opened the form: nothing was saved. "
			     "What you typed is below; compare it with the page as it is now before you save again.");
	GDateTime *t = g_date_time_new_from_unix_utc(last.v[0].at);
	char *when = t ? g_date_time_format(t, "%Y-%m-%d %H:%M UTC") : g_strdup("?");
	const char *text = arena_printf(&r->arena,
					tr(r, "This was changed by %s at %s since you opened the form: nothing was "
					      "saved. What you typed is below; compare it with the page as it is now "
					      "before you save again."),
					last.v[0].actor, when);
	g_free(when);
	if (t)
		g_date_time_unref(t);
	return text;
}

/*
 * Whether the form's version is the stored record's (version: that of the
 * record now); when not, the message of the 409 is in *conflict.
 */
static bool same_version(struct request *r, json_t *now, const char *slug, const char **conflict)
{
	char *version = form_version(now);
	const char *sent = request_form(r, "version");
	bool same = sent && strcmp(sent, version) == 0;
	g_free(version);
	if (!same)
		*conflict = changed_meanwhile(r, slug);
	return same;
}

/* Answers the outcome of a form's import: true when saved (the caller redirects). */
static bool imported(struct request *r, enum import_result result)
{
	switch (result) {
	case IMPORT_OK:
		return true;
	case IMPORT_STORE_ERROR:
		respond_store_error(r, STORE_ERROR, NULL);
		return false;
	default: /* IMPORT_INVALID: the caller shows the form again */
		return false;
	}
}

/* ------------------------------------------------------------ a program's details */

static void program_form(struct request *r, int status, const char *slug, json_t *record, const char *version,
			 json_t *errors, const char *notice)
{
	json_t *fields = fields_view(r, "", program_fields + 1, &program_translatable, record, errors);
	json_t *ctx = json_pack("{s:s,s:s,s:s,s:s,s:o,s:s,s:s?,s:s?,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "title",
				arena_printf(&r->arena, tr(r, "Edit %s"), slug), "slug", slug, "action",
				manage_program_url(r, slug, NULL), "version", version, "fields", fields, "public",
				url_program(&r->arena, slug), "notice", notice, "error", form_leftover(r, errors), "phases",
				manage_program_url(r, slug, "phases"), "venues", manage_program_url(r, slug, "venues"),
				"enrolments", manage_program_url(r, slug, "enrolments"), "sessions",
				manage_program_url(r, slug, "sessions"), "roster", manage_program_url(r, slug, "roster"),
				"articles", manage_program_url(r, slug, "articles"), "submit", tr(r, "Save the program"));
	json_decref(errors);
	respond_private_page(r, status, "manage/program", ctx);
}

static void program_edit(struct request *r)
{
	const char *slug = r->params[0];
	json_t *record = stored_program(r, slug, NULL);
	if (!record)
		return;
	char *version = form_version(record);
	const char *saved = request_query(r, "saved");
	program_form(r, 200, slug, record, version, NULL, saved ? tr(r, "Saved.") : NULL);
	g_free(version);
	json_decref(record);
}

/* Saves the fields of spec typed in the form over the stored program, then the rows of a section. */
static void program_save(struct request *r, const struct field_spec *spec, const struct section *section)
{
	const char *slug = r->params[0];
	GTimeZone *zone;
	json_t *record = stored_program(r, slug, &zone);
	if (!record)
		return;
	char *version = form_version(record);
	const char *conflict = NULL;
	bool current = same_version(r, record, slug, &conflict);
	if (spec) {
		json_t *typed = form_record(r, "", spec, &program_translatable, zone);
		json_t *stored = json_incref(json_object_get(record, "translations"));
		for (const struct field_spec *f = spec; f->name; f++)
			json_object_del(record, f->name);
		json_object_del(record, "translations");
		json_object_update(record, typed);
		json_decref(typed);
		form_keep_translations(r, "", record, stored);
		json_decref(stored);
	}
	if (section) {
		GArray *kept = g_array_new(FALSE, FALSE, sizeof(int));
		json_t *rows = form_rows(r, section->member, section->fields, section->texts, zone, kept);
		form_keep_rows_translations(r, section->member, rows, json_object_get(record, section->member), kept);
		g_array_free(kept, TRUE);
		json_object_set_new(record, section->member, rows);
	}
	struct report rep;
	request_report_init(r, &rep);
	enum import_result result = IMPORT_INVALID;
	if (current)
		result = form_import(r, json_pack("{s:[O]}", "programs", record), &rep);
	if (current && imported(r, result)) {
		respond_redirect(r, 303, arena_printf(&r->arena, "%s?saved=1",
						      manage_program_url(r, slug, section ? section->path : NULL)));
	} else if (result != IMPORT_STORE_ERROR) {
		json_t *errors = form_errors(&rep, "form", "programs[0].");
		if (conflict)
			json_object_set_new(errors, "", json_string(conflict));
		if (section) {
			section_form(r, conflict ? 409 : 422, section, record, version, errors, NULL);
		} else {
			program_form(r, conflict ? 409 : 422, slug, record, version, errors, NULL);
		}
	}
	report_free(&rep);
	g_free(version);
	json_decref(record);
}

static void program_post(struct request *r)
{
	program_save(r, program_fields + 1, NULL);
}

/* ------------------------------------------------------------ sections: rows of a program */

static const struct section *section_of(struct request *r)
{
	const char *last = strrchr(r->path, '/') + 1;
	for (size_t i = 0; i < G_N_ELEMENTS(sections); i++)
		if (strcmp(sections[i].path, last) == 0)
			return &sections[i];
	return &sections[0];
}

/* The rows of a section for the template: the records, then two blank ones to add. */
static json_t *rows_view(struct request *r, const struct section *s, json_t *rows, json_t *errors)
{
	json_t *view = json_array();
	size_t n = json_array_size(rows);
	for (size_t i = 0; i < n + 2; i++) {
		char *prefix = g_strdup_printf("%s-%zu-", s->member, i);
		json_t *record = i < n ? json_array_get(rows, i) : NULL;
		const char *legend = i < n ? arena_printf(&r->arena, tr(r, s->row_title), i + 1) : tr(r, s->new_row);
		json_array_append_new(view, json_pack("{s:s,s:o,s:s,s:I,s:b}", "legend", legend, "fields",
						      fields_view(r, prefix, s->fields, s->texts, record, errors), "prefix", prefix,
						      "order", (json_int_t)i + 1, "existing", i < n));
		g_free(prefix);
	}
	return view;
}

static void section_form(struct request *r, int status, const struct section *s, json_t *record,
			 const char *version, json_t *errors, const char *notice)
{
	const char *slug = r->params[0];
	json_t *rows = json_object_get(record, s->member);
	json_t *view = rows_view(r, s, rows ? rows : json_array(), errors);
	json_t *ctx = json_pack("{s:s,s:s,s:s,s:s,s:o,s:s?,s:s?,s:s,s:s}", "title",
				arena_printf(&r->arena, tr(r, s->page_title), slug), "slug", slug, "action",
				manage_program_url(r, slug, s->path), "version", version, "rows", view, "notice", notice,
				"error", form_leftover(r, errors), "program",
				manage_program_url(r, slug, NULL), "heading", tr(r, s->title));
	json_decref(errors);
	respond_private_page(r, status, "manage/rows", ctx);
}

static void section_edit(struct request *r)
{
	json_t *record = stored_program(r, r->params[0], NULL);
	if (!record)
		return;
	char *version = form_version(record);
	section_form(r, 200, section_of(r), record, version, NULL, request_query(r, "saved") ? tr(r, "Saved.") : NULL);
	g_free(version);
	json_decref(record);
}

static void section_post(struct request *r)
{
	program_save(r, NULL, section_of(r));
}

/* ------------------------------------------------------------ sessions and their items */

static void sessions_list(struct request *r)
{
	const char *slug = r->params[0];
	json_t *record = stored_program(r, slug, NULL);
	if (!record)
		return;
	json_t *list = json_array(), *sessions = json_object_get(record, "sessions"), *s;
	size_t i;
	json_array_foreach (sessions, i, s) {
		const char *key = json_string_value(json_object_get(s, "key"));
		json_array_append_new(list, json_pack("{s:s,s:O,s:O,s:s,s:I}", "key", key, "title",
						      json_object_get(s, "title"), "starts_at",
						      json_object_get(s, "starts_at"), "url", manage_session_url(r, slug, key),
						      "items", (json_int_t)json_array_size(json_object_get(s, "items"))));
	}
	respond_private_page(r, 200, "manage/sessions",
	     json_pack("{s:s,s:s,s:o,s:s,s:s,s:s?}", "title", arena_printf(&r->arena, tr(r, "Sessions of %s"), slug), "slug",
		       slug, "sessions", list, "program", manage_program_url(r, slug, NULL), "new",
		       manage_program_url(r, slug, "new-session"), "notice",
		       request_query(r, "saved") ? tr(r, "Saved.") : NULL));
	json_decref(record);
}

/* The index of the session keyed key in the program's JSON, or -1. */
static ssize_t session_index(json_t *record, const char *key)
{
	json_t *sessions = json_object_get(record, "sessions"), *s;
	size_t i;
	json_array_foreach (sessions, i, s)
		if (key && g_strcmp0(json_string_value(json_object_get(s, "key")), key) == 0)
			return (ssize_t)i;
	return -1;
}

static void session_form(struct request *r, int status, const char *key, json_t *session, const char *version,
			 json_t *errors, const char *notice)
{
	const char *slug = r->params[0];
	json_t *items = json_object_get(session, "items");
	size_t n = json_array_size(items);
	json_t *rows = json_array();
	for (size_t i = 0; i < n + 2; i++) {
		char *prefix = g_strdup_printf("items-%zu-", i);
		const char *legend = i < n ? arena_printf(&r->arena, tr(r, "Item %zu"), i + 1) : tr(r, "New item");
		json_array_append_new(rows, json_pack("{s:s,s:o,s:s,s:I,s:b}", "legend", legend, "fields",
						      fields_view(r, prefix, item_fields, &item_translatable,
								  i < n ? json_array_get(items, i) : NULL, errors),
						      "prefix", prefix, "order", (json_int_t)i + 1, "existing", i < n));
		g_free(prefix);
	}
	const char *action = key ? manage_session_url(r, slug, key) : manage_program_url(r, slug, "new-session");
	json_t *fields = fields_view(r, "", session_fields, &session_translatable, session, errors);
	json_t *ctx = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:s?,s:s?,s:s,s:s}", "title",
				key ? arena_printf(&r->arena, tr(r, "Session %s of %s"), key, slug)
				    : arena_printf(&r->arena, tr(r, "New session of %s"), slug),
				"slug", slug, "action", action, "version", version, "fields", fields, "rows", rows,
				"notice", notice, "error", form_leftover(r, errors), "sessions",
				manage_program_url(r, slug, "sessions"), "program", manage_program_url(r, slug, NULL));
	json_decref(errors);
	respond_private_page(r, status, "manage/session", ctx);
}

static void session_edit(struct request *r)
{
	const char *key = r->params[1];
	json_t *record = stored_program(r, r->params[0], NULL);
	if (!record)
		return;
	ssize_t at = session_index(record, key);
	if (key && at < 0) {
		respond_error(r, 404, tr(r, "There is no such session in this program."));
	} else {
		char *version = form_version(record);
		session_form(r, 200, key, at >= 0 ? json_array_get(json_object_get(record, "sessions"), (size_t)at) : NULL,
			     version, NULL, request_query(r, "saved") ? tr(r, "Saved.") : NULL);
		g_free(version);
	}
	json_decref(record);
}

static void session_post(struct request *r)
{
	const char *slug = r->params[0], *key = r->params[1];
	GTimeZone *zone;
	json_t *record = stored_program(r, slug, &zone);
	if (!record)
		return;
	ssize_t at = session_index(record, key);
	if (key && at < 0) {
		respond_error(r, 404, tr(r, "There is no such session in this program."));
		json_decref(record);
		return;
	}
	char *version = form_version(record);
	const char *conflict = NULL;
	bool current = same_version(r, record, slug, &conflict);
	json_t *session = form_record(r, "", session_fields, &session_translatable, zone);
	json_t *sessions = json_object_get(record, "sessions"), *old = at >= 0 ? json_array_get(sessions, (size_t)at) : NULL;
	GArray *kept = g_array_new(FALSE, FALSE, sizeof(int));
	json_t *items = form_rows(r, "items", item_fields, &item_translatable, zone, kept);
	form_keep_rows_translations(r, "items", items, json_object_get(old, "items"), kept);
	g_array_free(kept, TRUE);
	json_object_set_new(session, "items", items);
	form_keep_translations(r, "", session, json_object_get(old, "translations"));
	if (!sessions) {
		sessions = json_array();
		json_object_set_new(record, "sessions", sessions);
	}
	if (at >= 0)
		json_array_set(sessions, (size_t)at, session);
	else
		json_array_append(sessions, session);
	size_t index = at >= 0 ? (size_t)at : json_array_size(sessions) - 1;
	struct report rep;
	request_report_init(r, &rep);
	enum import_result result = IMPORT_INVALID;
	if (current)
		result = form_import(r, json_pack("{s:[O]}", "programs", record), &rep);
	if (current && imported(r, result)) {
		respond_redirect(r, 303, arena_printf(&r->arena, "%s?saved=1", manage_program_url(r, slug, "sessions")));
	} else if (result != IMPORT_STORE_ERROR) {
		char base[64];
		g_snprintf(base, sizeof base, "programs[0].sessions[%zu].", index);
		json_t *errors = form_errors(&rep, "form", base);
		if (conflict)
			json_object_set_new(errors, "", json_string(conflict));
		session_form(r, conflict ? 409 : 422, key, session, version, errors, NULL);
	}
	report_free(&rep);
	json_decref(session);
	g_free(version);
	json_decref(record);
}

/* ------------------------------------------------------------ a new program (admins) */

static void new_program_form(struct request *r, int status, json_t *record, json_t *errors)
{
	json_t *fields = fields_view(r, "", program_fields, &program_translatable, record, errors);
	json_t *ctx = json_pack("{s:s,s:s,s:s,s:o,s:s?,s:s}", "title", tr(r, "New program"), "action",
				"/manage/new-program", "version", "", "fields", fields, "error", form_leftover(r, errors),
				"submit", tr(r, "Create the program"));
	json_decref(errors);
	respond_private_page(r, status, "manage/program", ctx);
}

static void new_program_get(struct request *r)
{
	new_program_form(r, 200, NULL, NULL);
}

static void new_program_post(struct request *r)
{
	json_t *record = form_record(r, "", program_fields, &program_translatable, NULL);
	const char *slug = json_string_value(json_object_get(record, "slug"));
	bool exists = false;
	if (slug && program_store_exists(r->store, slug, &exists) != STORE_OK) {
		respond_store_error(r, STORE_ERROR, NULL);
		json_decref(record);
		return;
	}
	struct report rep, mine;
	request_report_init(r, &rep);
	request_report_init(r, &mine);
	enum import_result result = IMPORT_INVALID;
	if (exists)
		report_add(&mine, "programs[0]", "slug", "there is already a program '%s'", slug);
	else
		result = form_import(r, json_pack("{s:[O]}", "programs", record), &rep);
	report_merge(&rep, "form", &mine);
	if (imported(r, result))
		respond_redirect(r, 303, manage_program_url(r, slug, NULL));
	else if (result != IMPORT_STORE_ERROR)
		new_program_form(r, 422, record, form_errors(&rep, "form", "programs[0]."));
	report_free(&mine);
	report_free(&rep);
	json_decref(record);
}

/* ------------------------------------------------------------ organizations and people */

struct shared {
	const char *plural, *singular; /* "people", "person": of addresses */
	const char *title, *name;      /* N_(): the list's title, a record's kind in messages */
	const char *member;            /* the document's member: "people", "organizations" */
	const struct field_spec *fields;
	const struct translatable *texts;
};

static const struct shared shared_people = {"people", "person", N_("People"), N_("person"), "people",
					    person_fields, &person_translatable};
static const struct shared shared_orgs = {"organizations", "organization", N_("Organizations"),
					  N_("organization"), "organizations", org_fields, &org_translatable};

static const struct shared *shared_of(struct request *r)
{
	return strstr(r->path, "organization") ? &shared_orgs : &shared_people;
}

static const char *shared_url(struct request *r, const struct shared *k, const char *key, const char *rest)
{
	const char *list = k == &shared_people ? "/manage/people" : "/manage/organizations";
	if (!key)
		return list;
	return url_build(&r->arena, arena_printf(&r->arena, "%s/", list), (const char *const[]){key, NULL},
			 rest ? arena_printf(&r->arena, "/%s", rest) : "");
}

/* The stored record of key as export writes it (a new reference), or NULL after answering. */
static json_t *stored_shared(struct request *r, const struct shared *k, const char *key)
{
	int rc;
	json_t *record = NULL;
	if (k == &shared_people) {
		struct person p;
		rc = person_store_get(r->store, key, &r->arena, &p);
		if (rc == STORE_OK)
			record = exchange_encode(&person_shape, &p);
	} else {
		struct org o;
		rc = org_store_get(r->store, key, &r->arena, &o);
		if (rc == STORE_OK)
			record = exchange_encode(&org_shape, &o);
	}
	if (rc != STORE_OK)
		respond_store_error(r, rc, arena_printf(&r->arena, tr(r, "There is no such %s."), tr(r, k->name)));
	return record;
}

static int list_person(void *ctx, const struct person *p)
{
	json_array_append_new(ctx, json_pack("{s:s,s:s,s:s?}", "key", p->key, "name", p->name, "detail", p->position));
	return STORE_OK;
}

static int list_org(void *ctx, const struct org *o)
{
	json_array_append_new(ctx, json_pack("{s:s,s:s,s:s?}", "key", o->key, "name", o->name, "detail", o->short_name));
	return STORE_OK;
}

/* Records {name, key...} by name in the collation of language lang (keys part equal names). */
static int by_name(const void *a, const void *b, void *lang)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = intl_collate(lang, json_string_value(json_object_get(x, "name")),
			     json_string_value(json_object_get(y, "name")));
	return c ? c
		 : strcmp(json_string_value(json_object_get(x, "key")), json_string_value(json_object_get(y, "key")));
}

/* list (a new reference) sorted by name for a reader of the page's language. */
static json_t *sorted_by_name(struct request *r, json_t *list)
{
	GPtrArray *rows = g_ptr_array_new();
	size_t i;
	json_t *e;
	json_array_foreach (list, i, e)
		g_ptr_array_add(rows, json_incref(e));
	g_ptr_array_sort_with_data(rows, by_name, (void *)r->reading.page);
	json_t *sorted = json_array();
	for (guint k = 0; k < rows->len; k++)
		json_array_append_new(sorted, g_ptr_array_index(rows, k));
	g_ptr_array_free(rows, TRUE);
	json_decref(list);
	return sorted;
}

static void shared_list(struct request *r)
{
	const struct shared *k = shared_of(r);
	json_t *list = json_array();
	int rc = k == &shared_people ? person_store_each(r->store, &r->arena, list_person, list)
				     : org_store_each(r->store, &r->arena, list_org, list);
	if (rc != STORE_OK) {
		json_decref(list);
		respond_store_error(r, rc, NULL);
		return;
	}
	list = sorted_by_name(r, list);
	size_t i;
	json_t *e;
	json_array_foreach (list, i, e)
		json_object_set_new(e, "url", json_string(shared_url(r, k, json_string_value(json_object_get(e, "key")),
								     NULL)));
	respond_private_page(r, 200, "manage/shared",
	     json_pack("{s:s,s:s,s:o,s:s,s:s?}", "title", tr(r, k->title), "singular", tr(r, k->name), "records", list, "new",
		       arena_printf(&r->arena, "/manage/new-%s", k->singular), "notice",
		       request_query(r, "saved")     ? tr(r, "Saved.")
		       : request_query(r, "deleted") ? tr(r, "Deleted.")
						     : NULL));
}

static void shared_form(struct request *r, int status, const struct shared *k, const char *key, json_t *record,
			const char *version, json_t *errors, const char *notice)
{
	json_t *fields = fields_view(r, "", k->fields, k->texts, record, errors);
	json_t *ctx = json_pack("{s:s,s:s,s:s,s:o,s:s?,s:s?,s:s,s:s?,s:s}", "title",
				key ? arena_printf(&r->arena, tr(r, "Edit %s %s"), tr(r, k->name), key)
				    : arena_printf(&r->arena, tr(r, "New %s"), tr(r, k->name)),
				"action", key ? shared_url(r, k, key, NULL) : arena_printf(&r->arena, "/manage/new-%s", k->singular),
				"version", version, "fields", fields, "notice", notice, "error", form_leftover(r, errors),
				"list", shared_url(r, k, NULL, NULL),
				"delete", key ? shared_url(r, k, key, "delete") : NULL, "submit",
				arena_printf(&r->arena, tr(r, "Save the %s"), tr(r, k->name)));
	json_decref(errors);
	respond_private_page(r, status, "manage/record", ctx);
}

static void shared_edit(struct request *r)
{
	const struct shared *k = shared_of(r);
	const char *key = r->params[0];
	json_t *record = key ? stored_shared(r, k, key) : json_object();
	if (!record)
		return;
	char *version = form_version(record);
	shared_form(r, 200, k, key, record, version, NULL, request_query(r, "saved") ? tr(r, "Saved.") : NULL);
	g_free(version);
	json_decref(record);
}

static void shared_post(struct request *r)
{
	const struct shared *k = shared_of(r);
	const char *key = r->params[0];
	json_t *stored = key ? stored_shared(r, k, key) : json_object();
	if (!stored)
		return;
	char *version = form_version(stored);
	const char *conflict = NULL;
	bool current = !key || same_version(r, stored, NULL, &conflict);
	json_t *record = form_record(r, "", k->fields, k->texts, NULL);
	form_keep_translations(r, "", record, json_object_get(stored, "translations"));
	struct report rep, mine;
	request_report_init(r, &rep);
	request_report_init(r, &mine);
	char base[32];
	g_snprintf(base, sizeof base, "%s[0]", k->member);
	enum import_result result = IMPORT_INVALID;
	const char *typed_key = json_string_value(json_object_get(record, "key"));
	bool exists = false;
	int rc = STORE_OK;
	if (!key && typed_key)
		rc = k == &shared_people ? person_store_exists(r->store, typed_key, &exists)
					 : org_store_exists(r->store, typed_key, &exists);
	if (key && g_strcmp0(typed_key, key) != 0)
		report_add(&mine, base, "key", "a key cannot change: make a new %s instead", tr(r, k->name));
	else if (exists)
		report_add(&mine, base, "key", "there is already a %s '%s'", tr(r, k->name), typed_key);
	else if (current && rc == STORE_OK)
		result = form_import(r, json_pack("{s:[O]}", k->member, record), &rep);
	report_merge(&rep, "form", &mine);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, NULL);
	} else if (imported(r, result)) {
		respond_redirect(r, 303, arena_printf(&r->arena, "%s?saved=1", shared_url(r, k, typed_key, NULL)));
	} else if (result != IMPORT_STORE_ERROR) {
		g_strlcat(base, ".", sizeof base);
		json_t *errors = form_errors(&rep, "form", base);
		if (conflict)
			json_object_set_new(errors, "", json_string(conflict));
		shared_form(r, conflict ? 409 : 422, k, key, record, version, errors, NULL);
	}
	report_free(&mine);
	report_free(&rep);
	json_decref(record);
	json_decref(stored);
	g_free(version);
}

/* What refers to the record of key: one line each ("enrolled in malaysia-hightech-2021"). */
static int references(struct request *r, const struct shared *k, const char *key, strv *out)
{
	return k == &shared_people ? person_store_references(r->store, key, &r->arena, out)
				   : org_store_references(r->store, key, &r->arena, out);
}

static void delete_form(struct request *r, int status, const struct shared *k, const char *key, const strv *refs,
			const char *notice)
{
	json_t *list = json_array();
	for (size_t i = 0; i < refs->n; i++)
		json_array_append_new(list, json_string(refs->v[i]));
	respond_private_page(r, status, "manage/delete",
	     json_pack("{s:s,s:s,s:s,s:s,s:o,s:b,s:s,s:s?}", "title",
		       arena_printf(&r->arena, tr(r, "Delete %s %s"), tr(r, k->name), key), "singular", tr(r, k->name),
		       "key", key,
		       "action", shared_url(r, k, key, "delete"), "references", list, "person", k == &shared_people,
		       "back", shared_url(r, k, key, NULL), "notice", notice));
}

static void delete_get(struct request *r)
{
	const struct shared *k = shared_of(r);
	json_t *record = stored_shared(r, k, r->params[0]);
	if (!record)
		return;
	json_decref(record);
	strv refs = {0};
	if (references(r, k, r->params[0], &refs) != STORE_OK)
		respond_store_error(r, STORE_ERROR, NULL);
	else
		delete_form(r, 200, k, r->params[0], &refs, NULL);
}

/*
 * Deletes the record, refused (409, with what refers to it) while anything
 * does; a person referred to may be anonymised instead (forget=1): name
 * replaced, e-mail, position and honorific removed.
 */
static void delete_post(struct request *r)
{
	const struct shared *k = shared_of(r);
	const char *key = r->params[0];
	bool forget = request_form(r, "forget") && k == &shared_people;
	strv refs = {0};
	struct audit_entry e = {.at = r->now, .actor = r->caller.email, .action = forget ? "anonymise" : "delete",
				.record = arena_printf(&r->arena, "%s %s", k->singular, key)};
	int rc = store_begin(r->store);
	if (rc == STORE_OK)
		rc = references(r, k, key, &refs);
	if (rc == STORE_OK && refs.n && !forget) {
		store_rollback(r->store);
		delete_form(r, 409, k, key, &refs, tr(r, "It cannot be deleted while these refer to it."));
		return;
	}
	if (rc == STORE_OK)
		rc = forget ? person_store_anonymise(r->store, key)
		     : k == &shared_people ? person_store_delete(r->store, key)
					   : org_store_delete(r->store, key);
	if (rc == STORE_OK)
		rc = audit_store_add(r->store, &e);
	if (rc == STORE_OK)
		rc = store_commit(r->store);
	if (rc != STORE_OK) {
		store_rollback(r->store);
		respond_store_error(r, rc, arena_printf(&r->arena, tr(r, "There is no such %s."), tr(r, k->name)));
		return;
	}
	respond_redirect(r, 303, forget ? arena_printf(&r->arena, "%s?saved=1", shared_url(r, k, key, NULL))
				       : arena_printf(&r->arena, "%s?deleted=1", shared_url(r, k, NULL, NULL)));
}

/* ------------------------------------------------------------ the routes */


const struct route manage_routes[] = {
	GET_PAGE("/manage/new-program", new_program_get, ROLE_ADMIN),
	POST_FORM("/manage/new-program", new_program_post, ROLE_ADMIN),
	GET_PAGE("/manage/programs/{slug}", program_edit, ROLE_MANAGER),
	POST_FORM("/manage/programs/{slug}", program_post, ROLE_MANAGER),
	GET_PAGE("/manage/programs/{slug}/phases", section_edit, ROLE_MANAGER),
	POST_FORM("/manage/programs/{slug}/phases", section_post, ROLE_MANAGER),
	GET_PAGE("/manage/programs/{slug}/venues", section_edit, ROLE_MANAGER),
	POST_FORM("/manage/programs/{slug}/venues", section_post, ROLE_MANAGER),
	GET_PAGE("/manage/programs/{slug}/enrolments", section_edit, ROLE_MANAGER),
	POST_FORM("/manage/programs/{slug}/enrolments", section_post, ROLE_MANAGER),
	GET_PAGE("/manage/programs/{slug}/sessions", sessions_list, ROLE_MANAGER),
	GET_PAGE("/manage/programs/{slug}/new-session", session_edit, ROLE_MANAGER),
	POST_FORM("/manage/programs/{slug}/new-session", session_post, ROLE_MANAGER),
	GET_PAGE("/manage/programs/{slug}/sessions/{key}", session_edit, ROLE_MANAGER),
	POST_FORM("/manage/programs/{slug}/sessions/{key}", session_post, ROLE_MANAGER),
	GET_PAGE("/manage/people", shared_list, ROLE_STAFF),
	GET_PAGE("/manage/new-person", shared_edit, ROLE_STAFF),
	POST_FORM("/manage/new-person", shared_post, ROLE_STAFF),
	GET_PAGE("/manage/people/{key}", shared_edit, ROLE_STAFF),
	POST_FORM("/manage/people/{key}", shared_post, ROLE_STAFF),
	GET_PAGE("/manage/people/{key}/delete", delete_get, ROLE_STAFF),
	POST_FORM("/manage/people/{key}/delete", delete_post, ROLE_STAFF),
	GET_PAGE("/manage/organizations", shared_list, ROLE_STAFF),
	GET_PAGE("/manage/new-organization", shared_edit, ROLE_STAFF),
	POST_FORM("/manage/new-organization", shared_post, ROLE_STAFF),
	GET_PAGE("/manage/organizations/{key}", shared_edit, ROLE_STAFF),
	POST_FORM("/manage/organizations/{key}", shared_post, ROLE_STAFF),
	GET_PAGE("/manage/organizations/{key}/delete", delete_get, ROLE_STAFF),
	POST_FORM("/manage/organizations/{key}/delete", delete_post, ROLE_STAFF),
	{0},
};
