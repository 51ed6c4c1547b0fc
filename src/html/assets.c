/* assets.c: the static files compiled into the binary, by content-hashed URL (assets.h). */
#include "html/assets.h"

#include <glib.h>
#include <string.h>

#include "static_files.h"

static struct asset *assets;
static GOnce assets_once = G_ONCE_INIT;

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

static gpointer assets_init(gpointer unused)
{
	(void)unused;
	assets = g_new0(struct asset, static_files_count);
	for (size_t i = 0; i < static_files_count; i++) {
		const struct embedded_file *f = &static_files[i];
		char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)f->data, f->size);
		const char *dot = strrchr(f->name, '.');
		size_t stem = dot ? (size_t)(dot - f->name) : strlen(f->name);
		assets[i] = (struct asset){
			.name = f->name,
			.url = g_strdup_printf("/static/%.*s.%.12s%s", (int)stem, f->name, sum, dot ? dot : ""),
			.type = type_of(f->name),
			.data = f->data,
			.size = f->size,
		};
		g_free(sum);
	}
	return NULL;
}

const char *assets_url(const char *name)
{
	g_once(&assets_once, assets_init, NULL);
	for (size_t i = 0; i < static_files_count; i++)
		if (strcmp(assets[i].name, name) == 0)
			return assets[i].url;
	g_error("static/%s is not compiled in", name);
	return NULL;
}

const struct asset *assets_find(const char *file)
{
	g_once(&assets_once, assets_init, NULL);
	for (size_t i = 0; i < static_files_count; i++)
		if (strcmp(assets[i].url + strlen("/static/"), file) == 0)
			return &assets[i];
	return NULL;
}

void assets_add_urls(json_t *context)
{
	json_object_set_new(context, "static",
			    json_pack("{s:s,s:s,s:s}", "css", assets_url("podium.css"), "js",
				      assets_url("podium.js"), "icon", assets_url("favicon.svg")));
}
