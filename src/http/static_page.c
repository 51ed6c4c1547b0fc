/*
 * static_page.c: /static/NAME.HASH.EXT, the compiled-in files of static/
 * with a year's cache lifetime, and /healthz.
 */
#include "html/assets.h"
#include "http/http.h"
#include "http/static_page.h"

static void static_serve(struct request *r)
{
	const struct asset *a = assets_find(r->params[0]);
	if (!a) {
		respond_error(r, 404, tr(r, "There is no such file."));
		return;
	}
	respond_bytes(r, 200, a->type, a->data, a->size);
	r->immutable = true;
	r->cacheable = true;
}

static void healthz(struct request *r)
{
	int64_t version;
	if (store_data_version(r->store, &version) != STORE_OK) {
		static const char down[] = "database unavailable\n";
		respond_bytes(r, 503, "text/plain; charset=utf-8", down, sizeof down - 1);
		return;
	}
	respond_bytes(r, 200, "text/plain; charset=utf-8", "ok\n", 3);
}

const struct route static_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/static/{file}", static_serve, ROLE_PUBLIC, false,
	 ROUTE_SHARED | ROUTE_FIXED},
	{METHOD_GET | METHOD_HEAD, "/healthz", healthz, ROLE_PUBLIC, false, 0},
	{0},
};
