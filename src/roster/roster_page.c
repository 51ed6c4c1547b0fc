/*
 * roster_page.c: /manage/programs/SLUG/roster: a delegation's spreadsheet
 * (CSV) uploaded, checked (what would be added, matched and changed, with
 * nothing written), then imported on confirmation; and the program's
 * roster as CSV for its managers (e-mails included: never on the public
 * site).
 */
#include "roster/roster_page.h"

#include <string.h>

#include "core/catalog.h"
#include "html/view.h"
#include "roster/roster_use.h"

static const char *const encodings[] = {"GBK", "GB18030", "Big5", "Windows-1252", "ISO-8859-1", "UTF-16",
					NULL};

static const char *roster_url(struct request *r, const char *slug, const char *file)
{
	return url_build(&r->arena, "/manage/programs/", (const char *const[]){slug, file, NULL}, "");
}

static json_t *encoding_options(struct request *r, const char *chosen)
{
	json_t *list = json_array();
	json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "value", "", "label", tr(r, "UTF-8 (\"CSV UTF-8\")"),
					      "selected", !chosen || !*chosen));
	for (const char *const *e = encodings; *e; e++)
		json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "value", *e, "label", *e, "selected",
						      g_strcmp0(chosen, *e) == 0));
	return list;
}

/* The page: the upload form, and what a checked file would do (steps) or what is wrong with it (problems). */
static void roster_form(struct request *r, int status, json_t *problems, json_t *steps, const char *summary,
			const char *csv, const char *notice)
{
	const char *slug = r->params[0];
	json_t *ctx = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o?,s:o?,s:s?,s:s?,s:s?}", "title",
				arena_printf(&r->arena, tr(r, "Roster of %s"), slug), "slug", slug, "action",
				roster_url(r, slug, "roster"), "download", roster_url(r, slug, "roster.csv"), "program",
				roster_url(r, slug, "enrolments"), "encodings",
				encoding_options(r, request_form(r, "encoding")), "problems", problems, "steps", steps,
				"summary", summary, "csv", csv, "notice", notice);
	respond_private_page(r, status, "roster/roster", ctx);
}

static void roster_get(struct request *r)
{
	bool exists;
	if (program_store_exists(r->store, r->params[0], &exists) != STORE_OK) {
		respond_store_error(r, STORE_ERROR, NULL);
		return;
	}
	if (!exists) {
		respond_error(r, 404, tr(r, "There is no such program."));
		return;
	}
	const char *done = request_query(r, "done");
	roster_form(r, 200, NULL, NULL, NULL, NULL, done ? tr(r, "The roster was imported.") : NULL);
}

/* The uploaded file's bytes (the form's file part "file"), or NULL when none was sent. */
static GString *uploaded(struct request *r, const char **name)
{
	for (guint i = 0; r->uploads && i < r->uploads->len; i++) {
		struct upload *u = r->uploads->pdata[i];
		if (strcmp(u->field, "file") != 0 || (!u->size && !*u->filename))
			continue;
		GString *data = g_string_sized_new((gsize)u->size + 1);
		char buf[16384];
		size_t got;
		while ((got = fread(buf, 1, sizeof buf, u->file)) > 0)
			g_string_append_len(data, buf, (gssize)got);
		*name = *u->filename ? u->filename : "roster.csv";
		return data;
	}
	return NULL;
}

static json_t *problem_lines(struct request *r, const struct report *rep)
{
	json_t *list = json_array();
	for (guint i = 0; i < rep->lines->len; i++)
		json_array_append_new(list, json_string(g_ptr_array_index(rep->lines, i)));
	if (rep->count > rep->lines->len)
		json_array_append_new(list, json_string(arena_printf(
			&r->arena, trn(r, "%zu more problem not shown", "%zu more problems not shown",
				       (long)(rep->count - rep->lines->len)),
			rep->count - rep->lines->len)));
	return list;
}

static void roster_post(struct request *r)
{
	const char *slug = r->params[0], *name = "roster.csv";
	const char *encoding = request_form(r, "encoding");
	if (encoding && !*encoding)
		encoding = NULL;
	bool confirm = request_form(r, "confirm") != NULL;
	/* the checked text comes back with the confirmation, already UTF-8 */
	GString *data = confirm ? NULL : uploaded(r, &name);
	const char *text = confirm ? request_form(r, "csv") : NULL;
	if (confirm) {
		name = request_form(r, "name") ? request_form(r, "name") : name;
		encoding = NULL;
	}
	if (!data && !text) {
		roster_form(r, 422, json_pack("[s]", tr(r, "Choose the roster's file (CSV) first.")), NULL, NULL, NULL, NULL);
		return;
	}
	if (encoding && !roster_encoding_known(encoding)) {
		roster_form(r, 422, json_pack("[s]", tr(r, "That encoding is not known.")), NULL, NULL, NULL, NULL);
		if (data)
			g_string_free(data, TRUE);
		return;
	}
	/* what the confirmation sends back: the text as UTF-8 */
	char *utf8 = NULL;
	if (data && encoding)
		utf8 = g_convert(data->str, (gssize)data->len, "UTF-8", encoding, NULL, NULL, NULL);
	else if (data && g_utf8_validate_len(data->str, data->len, NULL))
		utf8 = g_strndup(data->str, data->len);
	struct arena a = ARENA_INIT;
	struct report rep;
	request_report_init(r, &rep);
	struct roster roster;
	struct roster_plan plan;
	enum roster_read_result read = text ? roster_read(name, text, strlen(text), NULL, &a, &roster, &rep)
					    : roster_read(name, data->str, data->len, encoding, &a, &roster, &rep);
	enum roster_result result = ROSTER_INVALID;
	if (read == ROSTER_READ_OK)
		result = roster_import(r->store, slug, &roster, !confirm, r->caller.email, "form", &a, &plan, &rep);
	switch (result) {
	case ROSTER_OK:
		if (confirm) {
			(void)name;
			respond_redirect(r, 303, arena_printf(&r->arena, "%s?done=1", roster_url(r, slug, "roster")));
		} else {
			json_t *steps = json_array();
			for (size_t i = 0; i < plan.steps.n; i++) {
				char *line = roster_step_line(&plan.steps.v[i], catalog_for(r->reading.page));
				json_array_append_new(steps, json_string(line));
				g_free(line);
			}
			char *summary = roster_summary_line(slug, &plan.counts, true, catalog_for(r->reading.page));
			roster_form(r, 200, NULL, steps, arena_strdup(&r->arena, summary), utf8 ? utf8 : "", NULL);
			g_free(summary);
		}
		break;
	case ROSTER_INVALID:
		roster_form(r, 422, problem_lines(r, &rep), NULL, NULL, NULL, NULL);
		break;
	case ROSTER_NO_PROGRAM:
		respond_error(r, 404, tr(r, "There is no such program."));
		break;
	case ROSTER_STORE_ERROR:
		respond_store_error(r, STORE_ERROR, NULL);
		break;
	}
	report_free(&rep);
	arena_free(&a);
	g_free(utf8);
	if (data)
		g_string_free(data, TRUE);
}

static void roster_csv(struct request *r)
{
	GString *out = g_string_new(NULL);
	int rc = roster_export(r->store, r->params[0], out);
	if (rc == STORE_OK) {
		r->private_page = true;
		r->filename = arena_printf(&r->arena, "%s-roster.csv", r->params[0]);
		respond_bytes(r, 200, "text/csv; charset=utf-8", out->str, out->len);
	} else {
		respond_store_error(r, rc, tr(r, "There is no such program."));
	}
	g_string_free(out, TRUE);
}

const struct route roster_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/manage/programs/{slug}/roster", roster_get, ROLE_MANAGER, false, 0, BODY_NONE},
	{METHOD_POST, "/manage/programs/{slug}/roster", roster_post, ROLE_MANAGER, true, 0, BODY_FORM},
	{METHOD_GET | METHOD_HEAD, "/manage/programs/{slug}/roster.csv", roster_csv, ROLE_MANAGER, false, 0,
	 BODY_NONE},
	{0},
};
