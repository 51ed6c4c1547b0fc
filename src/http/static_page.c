/*
 * static_page.c: the files of static/ (styles, script, icon), compiled in
 * and served under content-hashed names with a year's cache lifetime, and
 * /healthz.
 */
#include <string.h>

#include "http/http.h"
#include "static_files.h"

struct static_file {
	const struct embedded_file *file;
	char *url;          /* "/static/podium.1a2b3c4d5e6f.css" */
	const char *type;
};

static struct static_file *files;
static GOnce files_once = G_ONCE_INIT;

static const char *type_of(const char *name)
{
	static const char *const types[][2] = {
		{".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"}, {".png", "image/png"}, {".ico", "image/x-icon"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
		if (g_str_has_suffix(name, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}

static gpointer files_init(gpointer unused)
{
	(void)unused;
	files = g_new0(struct static_file, static_files_count);
	for (size_t i = 0; i < static_files_count; i++) {
		const struct embedded_file *f = &static_files[i];
		char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)f->data, f->size);
		const char *dot = strrchr(f->name, '.');
		size_t stem = dot ? (size_t)(dot - f->name) : strlen(f->name);
		files[i].file = f;
		files[i].url = g_strdup_printf("/static/%.*s.%.12s%s", (int)stem, f->name, sum, dot ? dot : "");
		files[i].type = type_of(f->name);
		g_free(sum);
	}
	return NULL;
}

const char *static_url(const char *name)
{
	g_once(&files_once, files_init, NULL);
	for (size_t i = 0; i < static_files_count; i++)
		if (strcmp(files[i].file->name, name) == 0)
			return files[i].url;
	g_error("static/%s is not compiled in", name);
	return NULL;
}

void static_add_urls(json_t *context)
{
	json_object_set_new(context, "static",
			    json_pack("{s:s,s:s,s:s}", "css", static_url("podium.css"), "js",
				      static_url("podium.js"), "icon", static_url("favicon.svg")));
}

static void static_serve(struct request *r)
{
	g_once(&files_once, files_init, NULL);
	for (size_t i = 0; i < static_files_count; i++) {
		if (strcmp(files[i].url + strlen("/static/"), r->params[0]) == 0) {
			respond_bytes(r, 200, files[i].type, files[i].file->data, files[i].file->size);
			r->immutable = true;
			r->cacheable = true;
			return;
		}
	}
	respond_error(r, 404, "There is no such file.");
}

static void healthz(struct request *r)
{
	int64_t version;
	if (store_data_version(r->store, &version) != STORE_OK) {
		respond_bytes(r, 503, "text/plain; charset=utf-8", "database unavailable\n", 21);
		return;
	}
	respond_bytes(r, 200, "text/plain; charset=utf-8", "ok\n", 3);
}

const struct route static_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/static/{file}", static_serve, ROLE_PUBLIC, false},
	{METHOD_GET | METHOD_HEAD, "/healthz", healthz, ROLE_PUBLIC, false},
	{0},
};
