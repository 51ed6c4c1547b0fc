/*
 * photo_page.c: the web side of photos' files. PUT and DELETE
 * /api/v1/programs/SLUG/articles/KEY/photos/PHOTO (an API token of a
 * manager, reviewer or editor of the program: ROLE_NEWSROOM; editors only
 * while the article is not published), and /photos/HASH-SIZE.EXT, a rendition of a
 * photo of a published article, content-addressed and cached for a year.
 */
#include "news/photo_page.h"

#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/report.h"
#include "core/values.h"
#include "news/photo.h"
#include "settings/settings.h"

/*
 * Whether the caller (admitted as ROLE_NEWSROOM of program slug) changes
 * the photos of drafts and articles in review only: an editor who is
 * neither reviewer nor manager.
 */
static bool photo_editable_only(struct request *r, const char *slug)
{
	return !request_may(r, ROLE_REVIEWER, slug);
}

bool photo_limits_of(struct request *r, struct photo_limits *limits)
{
	long long bytes, pixels;
	if (settings_get(r->store, "photos.max_bytes", &bytes) != STORE_OK ||
	    settings_get(r->store, "photos.max_pixels", &pixels) != STORE_OK) {
		respond_store_error(r, STORE_ERROR, NULL);
		return false;
	}
	limits->max_bytes = (uint64_t)bytes;
	limits->max_pixels = (uint64_t)pixels;
	return true;
}

/* Answers 422 with the problems of rep (the JSON of the write API's errors). */
static void respond_problems(struct request *r, const struct report *rep)
{
	json_t *list = json_array();
	for (guint i = 0; i < rep->lines->len; i++)
		json_array_append_new(list, json_pack("{s:s,s:s}", "path", (const char *)g_ptr_array_index(rep->paths, i),
						      "message", report_message(rep, i, "")));
	respond_json(r, 422, json_pack("{s:{s:i,s:s},s:o}", "error", "status", 422, "message",
				       tr(r, "The photo was not kept."), "errors", list));
}

/* The work of a PUT, off the connection threads: decoding takes a core for a while. */
static void photo_put_later(struct request *r)
{
	const char *slug = r->params[0], *article = r->params[1], *key = r->params[2];
	const char *caption = request_query(r, "caption"), *alt = request_query(r, "alt");
	bool editable_only = photo_editable_only(r, slug);
	struct photo_limits limits;
	if (!photo_limits_of(r, &limits))
		return;
	struct report rep;
	request_report_init(r, &rep);
	check_key(&rep, "", "photo", key, true);
	check_text(&rep, "", "caption", caption, TEXT_LINE, false);
	check_text(&rep, "", "alt", alt, TEXT_LINE, false);
	if (caption && !*caption)
		report_add(&rep, "", "caption", "%s", report_tr(&rep, N_("is empty")));
	if (rep.count) {
		respond_problems(r, &rep);
		report_free(&rep);
		return;
	}
	report_free(&rep);
	const char *type = request_header(r, "Content-Type");
	if (!type || !photo_extension(type)) {
		respond_error(r, 415, tr(r, "A photo is sent as image/jpeg, image/png or image/webp."));
		return;
	}
	if (!r->raw_body) {
		respond_error(r, 422, tr(r, "The request carries no photo."));
		return;
	}
	struct photo_made m;
	const char *problem = NULL;
	int status = photo_make(r->raw_body, r->raw_length, &limits, &m, &problem);
	if (status) {
		respond_error(r, status, tr(r, problem));
		return;
	}
	if (strcmp(type, m.original.content_type) != 0) {
		photo_made_clear(&m);
		respond_error(r, 415, tr(r, "The photo's Content-Type is not the type of its bytes."));
		return;
	}
	enum photo_put_result result = PHOTO_CREATED;
	struct audit_entry e = {.at = r->now, .actor = r->caller.email, .program = slug, .action = "photo",
				.record = arena_printf(&r->arena, "article %s photo %s", article, key)};
	gint64 store_started = g_get_monotonic_time();
	int rc = store_begin(r->store);
	if (rc == STORE_OK)
		rc = photo_store_put(r->store, slug, article, key, caption, alt, &m, editable_only, &result);
	if (rc == STORE_OK && (result == PHOTO_CREATED || result == PHOTO_REPLACED))
		rc = audit_store_add(r->store, &e);
	if (rc == STORE_OK && (result == PHOTO_CREATED || result == PHOTO_REPLACED))
		rc = store_commit(r->store);
	else
		store_rollback(r->store);
	/* what the upload's parts took, for browsers' tools and bench/photos.sh */
	r->server_timing = arena_printf(&r->arena, "original;dur=%.1f, renditions;dur=%.1f, store;dur=%.1f",
					m.original_ms, m.renditions_ms,
					(double)(g_get_monotonic_time() - store_started) / 1000.0);
	if (rc != STORE_OK) {
		store_rollback(r->store);
		respond_store_error(r, rc, tr(r, "There is no such article."));
	} else if (result == PHOTO_NEEDS_CAPTION) {
		respond_error(r, 422, tr(r, "A new photo needs a caption: ?caption=..."));
	} else if (result == PHOTO_NOT_EDITABLE) {
		respond_error(r, 409, tr(r, "An editor changes the photos of drafts and articles in review only."));
	} else {
		json_t *renditions = json_array();
		for (size_t i = 0; i < m.n; i++)
			json_array_append_new(renditions,
					      json_pack("{s:s,s:i,s:i,s:s}", "url",
							photo_url(&r->arena, m.original.hash, m.renditions[i].size,
								  m.renditions[i].format),
							"width", m.renditions[i].blob.width, "height",
							m.renditions[i].blob.height, "type",
							m.renditions[i].blob.content_type));
		respond_json(r, result == PHOTO_CREATED ? 201 : 200,
			     json_pack("{s:s,s:s,s:i,s:i,s:o}", "key", key, "file", m.original.hash, "width",
				       m.original.width, "height", m.original.height, "renditions", renditions));
	}
	photo_made_clear(&m);
}

static void photo_put(struct request *r)
{
	respond_later(r, photo_put_later);
}

static void photo_delete(struct request *r)
{
	const char *slug = r->params[0], *article = r->params[1], *key = r->params[2];
	bool editable_only = photo_editable_only(r, slug), published = false;
	struct audit_entry e = {.at = r->now, .actor = r->caller.email, .program = slug, .action = "delete",
				.record = arena_printf(&r->arena, "article %s photo %s", article, key)};
	int rc = store_begin(r->store);
	if (rc == STORE_OK)
		rc = photo_store_delete(r->store, slug, article, key, editable_only, &published);
	bool refused = rc == STORE_OK && editable_only && published;
	if (rc == STORE_OK && !refused)
		rc = audit_store_add(r->store, &e);
	if (rc == STORE_OK && !refused)
		rc = store_commit(r->store);
	else
		store_rollback(r->store);
	if (rc != STORE_OK)
		respond_store_error(r, rc, tr(r, "There is no such photo."));
	else if (refused)
		respond_error(r, 409, tr(r, "An editor changes the photos of drafts and articles in review only."));
	else
		respond_json(r, 200, json_pack("{s:s}", "deleted", key));
}

json_t *photo_card_view(struct arena *a, const struct card_photo *p)
{
	if (!p->file)
		return NULL;
	return json_pack("{s:s,s:i,s:i}", "url", photo_url(a, p->file, 480, "jpeg"), "width", p->width, "height",
			 p->height);
}

const char *photo_url(struct arena *a, const char *hash, int size, const char *format)
{
	return arena_printf(a, "/photos/%s-%d.%s", hash, size, strcmp(format, "jpeg") == 0 ? "jpg" : format);
}

bool photo_name_parse(const char *name, char hash[PHOTO_HASH_HEX + 1], int *size, const char **format)
{
	const char *dash = strchr(name, '-');
	const char *dot = dash ? strchr(dash, '.') : NULL;
	*size = 0;
	*format = NULL;
	if (dash && dot && (size_t)(dash - name) == PHOTO_HASH_HEX) {
		memcpy(hash, name, PHOTO_HASH_HEX);
		hash[PHOTO_HASH_HEX] = 0;
		char *end;
		long n = strtol(dash + 1, &end, 10);
		for (size_t i = 0; i < G_N_ELEMENTS(photo_sizes); i++)
			if (end == dot && n == photo_sizes[i])
				*size = (int)n;
		*format = strcmp(dot, ".jpg") == 0 ? "jpeg" : strcmp(dot, ".webp") == 0 ? "webp" : NULL;
	}
	return *size && *format && photo_hash_is_valid(hash);
}

/* GET /photos/HASH-SIZE.EXT: a rendition of a published article's photo. */
static void photo_serve(struct request *r)
{
	char hash[PHOTO_HASH_HEX + 1];
	int size;
	const char *format;
	if (!photo_name_parse(r->params[0], hash, &size, &format)) {
		respond_error(r, 404, tr(r, "There is no such file."));
		return;
	}
	struct photo_blob b;
	int rc = photo_store_rendition(r->store, hash, size, format, &r->arena, &b);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, tr(r, "There is no such file."));
		return;
	}
	respond_bytes(r, 200, b.content_type, b.data, b.len);
	r->immutable = true;
	r->cacheable = true;
}

#define PHOTO_API "/api/v1/programs/{slug}/articles/{key}/photos/{photo}"

const struct route photo_routes[] = {
	{METHOD_PUT, PHOTO_API, photo_put, ROLE_NEWSROOM, true, 0, BODY_FILE},
	{METHOD_DELETE, PHOTO_API, photo_delete, ROLE_NEWSROOM, true, 0, BODY_NONE},
	{METHOD_GET | METHOD_HEAD, "/photos/{file}", photo_serve, ROLE_PUBLIC, false, ROUTE_SHARED},
	{0},
};
