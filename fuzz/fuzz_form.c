/*
 * fuzz_form.c: what a browser (or anyone) posts to a back-office form. The
 * input's first line is the Content-Type header (body.c judges it), the
 * rest an application/x-www-form-urlencoded body, decoded as
 * libmicrohttpd's PostProcessor would hand its fields over, kept when
 * body.c finds them clean; then turned into a record and into rows of a
 * table by the form machinery (manage_form.c) with fields of every input
 * kind, shown back (form_view), and the sign-in fields judged: the e-mail,
 * the password, a ticket's shape and a two-factor code (totp.c).
 */
#include <stdint.h>
#include <string.h>

#include "account/account.h"
#include "account/totp.h"
#include "core/tz.h"
#include "http/body.h"
#include "manage/manage_form.h"
#include "timetable/timetable.h"

static const char *const kinds[] = {"lecture", "visit", NULL};

/* One field of each input kind, as a record's form has them. */
static const struct field_spec spec[] = {
	{"title", "Title", INPUT_TEXT, NULL, true},
	{"description", "Description", INPUT_TEXTAREA, NULL, false},
	{"capacity", "Capacity", INPUT_INT, NULL, false},
	{"countries", "Countries", INPUT_LIST, NULL, false},
	{"kind", "Kind", INPUT_SELECT, kinds, true},
	{"starts_on", "Starts on", INPUT_DATE, NULL, false},
	{"starts_at", "Starts at", INPUT_TIME, NULL, false},
	{"email", "E-mail", INPUT_EMAIL, NULL, false},
	{"url", "Link", INPUT_URL, NULL, false},
	{0},
};

/* The fields of body, as the server hands them to a handler: name -> value, both clean. */
static GHashTable *fields_of(const char *body)
{
	GHashTable *form = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTable *params = g_uri_parse_params(body, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
	if (!params)
		return form;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, params);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (body_text_is_clean(k, strlen(k)) && body_text_is_clean(v, strlen(v)))
			g_hash_table_insert(form, g_strdup(k), g_strdup(v));
	g_hash_table_unref(params);
	return form;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static GTimeZone *zone;
	if (!zone) {
		zone = tz_zone("Asia/Shanghai");
		totp_init();
	}
	char *text = g_strndup((const char *)data, size);
	char *line_end = strchr(text, '\n');
	const char *body = line_end ? line_end + 1 : "";
	if (line_end)
		*line_end = 0;
	body_type_ok(BODY_FORM, text);
	body_type_ok(BODY_JSON, text);

	struct request r = {.method = METHOD_POST, .path = "/manage/fuzz", .form = fields_of(body)};
	json_t *record = form_record(&r, "", spec, &session_translatable, zone);
	json_t *view = form_view("", spec, &session_translatable, site_languages, record, NULL);
	GArray *kept = g_array_new(false, false, sizeof(int));
	json_t *rows = form_rows(&r, "items", spec, &session_translatable, zone, kept);
	if (rows && (size_t)kept->len != json_array_size(rows))
		__builtin_trap(); /* one row number per row returned */
	/* the translations the form has no field for are kept, those it has it decides */
	json_t *stored = json_pack("{s:{s:s,s:s},s:{s:s}}", "zh", "title", "标题", "description", "说明", "ar", "title",
				   "عنوان");
	form_keep_translations(&r, "", record, stored);
	json_t *stored_rows = json_pack("[{s:O}]", "translations", stored);
	form_keep_rows_translations(&r, "items", rows, stored_rows, kept);
	json_decref(stored_rows);
	json_decref(stored);
	json_decref(rows);
	g_array_free(kept, true);
	json_decref(view);
	json_decref(record);

	const char *email = NULL, *problem;
	struct arena a = ARENA_INIT;
	account_email_normal(request_form(&r, "email"), &a, &email, &problem);
	account_password_problem(request_form(&r, "password"));
	account_secret_shape(request_form(&r, "ticket"));
	int64_t step = 0;
	/* the secret of RFC 6238's test vectors, "12345678901234567890" */
	totp_check("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", request_form(&r, "code"), 1111111109, 0, &step);
	arena_free(&a);
	arena_free(&r.arena);
	g_hash_table_unref(r.form);
	g_free(text);
	return 0;
}
