/*
 * api_page.c: the read API under /api/v1/, in the shapes of
 * podium-program/1. Errors are {"error": {"status": N, "message": "..."}}.
 */
#include "exchange/api_page.h"

#include "exchange/exchange.h"
#include "html/view.h"

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

static void api_program(struct request *r)
{
	struct program_view pv;
	int rc = program_store_view(r->store, r->params[0], &r->arena, &pv);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, "There is no such program.");
		return;
	}
	r->cacheable = true;
	respond_json(r, 200, exchange_public_program(&pv));
}

const struct route api_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/api/v1/programs", api_programs, ROLE_PUBLIC, false, ROUTE_SHARED},
	{METHOD_GET | METHOD_HEAD, "/api/v1/programs/{slug}", api_program, ROLE_PUBLIC, false,
	 ROUTE_SHARED},
	{0},
};
