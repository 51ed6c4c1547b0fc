/*
 * api_page.c: the API under /api/v1/, in the shapes of podium-program/1:
 * reading for everybody (a program's full export for its managers), and
 * POST /api/v1/import with a token. Errors are {"error": {"status": N,
 * "message": "..."}}; an import's problems {"errors": [{"path", "message"}]}.
 */
#include "exchange/api_page.h"

#include <stdlib.h>
#include <string.h>

#include "exchange/exchange.h"
#include "html/view.h"
#include "news/photo_page.h"
#include "settings/settings.h"

enum { API_PAGE_SIZE = 50 };

static void api_programs(struct request *r)
{
	int64_t page;
	program_cards cards;
	if (!request_page_number(r, &page))
		return;
	int rc = program_store_cards(r->store, &r->arena, &cards);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, NULL);
		return;
	}
	if (page > 1 && (size_t)(page - 1) * API_PAGE_SIZE >= cards.n) {
		respond_error(r, 404, "There is no such page of programs.");
		return;
	}
	json_t *list = json_array();
	for (size_t i = (size_t)(page - 1) * API_PAGE_SIZE; i < cards.n && i < (size_t)page * API_PAGE_SIZE; i++) {
		const struct program_card *c = &cards.v[i];
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "slug", c->slug,
						      "title", c->title, "kind", c->kind, "mode", c->mode,
						      "timezone", c->timezone, "starts_on", c->starts_on,
						      "ends_on", c->ends_on, "url",
						      url_api_program(&r->arena, c->slug)));
	}
	json_t *doc = json_pack("{s:o}", "programs", list);
	if ((size_t)page * API_PAGE_SIZE < cards.n) {
		char *next = g_strdup_printf("/api/v1/programs?page=%lld", (long long)page + 1);
		json_object_set_new(doc, "next", json_string(next));
		g_free(next);
	}
	r->cacheable = true;
	respond_json(r, 200, doc);
}

/* The full export of one program (drafts, enrolments, e-mails), for its managers. */
static void api_program_full(struct request *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int rc = out ? exchange_export(r->store, r->params[0], out) : STORE_ERROR;
	if (out && fclose(out) != 0 && rc == STORE_OK)
		rc = STORE_ERROR;
	if (rc == STORE_OK)
		respond_bytes(r, 200, "application/json", text, len);
	else
		respond_store_error(r, rc, "There is no such program.");
	free(text);
}

/*
 * Adds to each photo with a file of the public articles (JSON, as export
 * writes them) its renditions: [{"url", "type", "width", "height"}], WebP
 * and JPEG, narrowest first, from p (the program they were read from).
 */
static void link_renditions(struct request *r, const struct program *p, json_t *articles)
{
	size_t i, k;
	json_t *article, *photo;
	json_array_foreach (articles, i, article) {
		const char *key = json_string_value(json_object_get(article, "key"));
		const struct article *a = NULL;
		for (size_t n = 0; n < p->articles.n && !a; n++)
			if (strcmp(p->articles.v[n].key, key) == 0)
				a = &p->articles.v[n];
		json_array_foreach (json_object_get(article, "photos"), k, photo) {
			const struct photo *ph = a && k < a->photos.n ? &a->photos.v[k] : NULL;
			if (!ph || !ph->file || !ph->sizes.n)
				continue;
			json_t *list = json_array();
			static const char *const formats[][2] = {{"webp", "image/webp"}, {"jpeg", "image/jpeg"}};
			for (size_t f = 0; f < G_N_ELEMENTS(formats); f++)
				for (size_t z = 0; z < ph->sizes.n; z++)
					json_array_append_new(
						list, json_pack("{s:s,s:s,s:i,s:i}", "url",
								photo_url(&r->arena, ph->file, ph->sizes.v[z].size, formats[f][0]),
								"type", formats[f][1], "width", ph->sizes.v[z].width, "height",
								ph->sizes.v[z].height));
			json_object_set_new(photo, "renditions", list);
		}
	}
}

static void api_program(struct request *r)
{
	if (request_may(r, ROLE_MANAGER, r->params[0])) {
		api_program_full(r);
		return;
	}
	struct program_view pv;
	int rc = program_store_view(r->store, r->params[0], &r->arena, &pv);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, "There is no such program.");
		return;
	}
	json_t *doc = exchange_public_program(&pv);
	link_renditions(r, &pv.program, json_object_get(json_array_get(json_object_get(doc, "programs"), 0), "articles"));
	r->cacheable = true;
	respond_json(r, 200, doc);
}

/* What the caller of an import may write: an admin everything, a manager their programs. */
struct import_rights {
	bool admin;
	account_roles_list roles;
};

static const char *may_write(void *ctx, const struct program *p, bool exists)
{
	const struct import_rights *rights = ctx;
	if (rights->admin)
		return NULL;
	if (!exists)
		return "only an administrator may create a program";
	for (size_t i = 0; i < rights->roles.n; i++)
		if (strcmp(rights->roles.v[i].slug, p->slug) == 0 && strcmp(rights->roles.v[i].role, "manager") == 0)
			return NULL;
	return "your account is not a manager of this program";
}

/* The problems of a report as [{"path": ..., "message": ...}], their "NAME: path: " left out. */
static json_t *problems_json(const struct report *rep, const char *name)
{
	json_t *list = json_array();
	for (guint i = 0; i < rep->lines->len; i++)
		json_array_append_new(list, json_pack("{s:s,s:s}", "path", (const char *)g_ptr_array_index(rep->paths, i),
						      "message", report_message(rep, i, name)));
	return list;
}

static json_t *counts_json(const struct import_counts *c)
{
	return json_pack("{s:I,s:I,s:I}", "added", (json_int_t)c->added, "updated", (json_int_t)c->updated,
			 "unchanged", (json_int_t)c->unchanged);
}

/* POST /api/v1/import: a podium-program/1 document, all or nothing, as the token's account. */
static void api_import(struct request *r)
{
	const char *replace = request_query(r, "replace");
	if (replace && strcmp(replace, "0") != 0 && strcmp(replace, "1") != 0) {
		respond_error(r, 400, "replace is 0 or 1.");
		return;
	}
	struct import_rights rights = {.admin = r->caller.admin};
	long long max_depth;
	int rc = account_store_roles(r->store, r->caller.account, &r->arena, &rights.roles);
	if (rc == STORE_OK)
		rc = settings_get(r->store, "import.max_depth", &max_depth);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, NULL);
		return;
	}
	struct import_options opt = {.replace = replace && strcmp(replace, "1") == 0, .max_depth = max_depth,
				     .may_write = may_write, .ctx = &rights, .audit_actor = r->caller.email,
				     .audit_via = "api"};
	struct file_source f = {.in = r->raw_body, .max = (long long)r->raw_length};
	struct import_source source = {exchange_file_read, &f};
	struct report rep;
	report_init(&rep);
	struct import_summary sum = {.arena = &r->arena};
	static const char name[] = "body";
	enum import_result result = r->raw_body ? exchange_import(r->store, name, &source, &opt, &rep, &sum)
						: IMPORT_SOURCE_ERROR;
	switch (result) {
	case IMPORT_OK: {
		json_t *slugs = json_array();
		for (size_t i = 0; i < sum.slugs.n; i++)
			json_array_append_new(slugs, json_string(sum.slugs.v[i]));
		respond_json(r, 200, json_pack("{s:o,s:o,s:o,s:o}", "programs", counts_json(&sum.programs), "people",
					       counts_json(&sum.people), "organizations",
					       counts_json(&sum.organizations), "slugs", slugs));
		break;
	}
	case IMPORT_INVALID:
		respond_json(r, 422, json_pack("{s:o,s:I}", "errors", problems_json(&rep, name), "count",
					       (json_int_t)rep.count));
		break;
	case IMPORT_FORBIDDEN:
		respond_json(r, 403, json_pack("{s:{s:i,s:s},s:o}", "error", "status", 403, "message",
					       "Your account may not write every program of this document.",
					       "errors", problems_json(&rep, name)));
		break;
	case IMPORT_STORE_ERROR:
		respond_store_error(r, STORE_ERROR, NULL);
		break;
	case IMPORT_SOURCE_ERROR:
		respond_error(r, 500, "The body could not be read again.");
		break;
	}
	report_free(&rep);
}

const struct route api_routes[] = {
	{METHOD_POST, "/api/v1/import", api_import, ROLE_SIGNED_IN, true, 0, BODY_JSON},
	{METHOD_GET | METHOD_HEAD, "/api/v1/programs", api_programs, ROLE_PUBLIC, false, ROUTE_SHARED},
	{METHOD_GET | METHOD_HEAD, "/api/v1/programs/{slug}", api_program, ROLE_PUBLIC, false,
	 ROUTE_SHARED},
	{0},
};
