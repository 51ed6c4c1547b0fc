/*
 * body.c: reading POST bodies (body.h). Forms go through libmicrohttpd's
 * PostProcessor, after this file checks the Content-Type itself: the
 * PostProcessor matches types by prefix and takes the rest of the header
 * as the boundary, silently parsing nothing when another parameter follows.
 */
#include "http/body.h"

#include <string.h>

#include "core/catalog.h"

enum {
	FORM_FIELDS_MAX = 2000,
	POST_BUFFER = 16384, /* the PostProcessor's buffer for keys and part headers */
};

struct body {
	enum body_kind kind;
	uint64_t limit, received;
	struct MHD_PostProcessor *pp;
	GHashTable *fields;   /* name -> GString */
	GPtrArray *uploads;   /* struct upload *, names g_strdup'ed */
	struct upload *current;
	FILE *raw;
	bool bad;
	const char *problem;
};

static void upload_free(gpointer p)
{
	struct upload *u = p;
	if (u->file)
		fclose(u->file);
	g_free((char *)u->field);
	g_free((char *)u->filename);
	g_free((char *)u->content_type);
	g_free(u);
}

static void gstring_free(gpointer p)
{
	g_string_free(p, TRUE);
}

bool body_text_is_clean(const char *s, size_t len)
{
	if (!g_utf8_validate_len(s, len, NULL))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7f)
			return false;
	}
	return true;
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
				const char *content_type, const char *transfer_encoding, const char *data,
				uint64_t off, size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	(void)off;
	struct body *b = cls;
	if (!key || !*key)
		return MHD_YES; /* a part without a name carries nothing a form can name */
	if (filename) {
		/* a file part: a new one when key or name change */
		struct upload *u = b->current;
		if (!u || strcmp(u->field, key) != 0 || strcmp(u->filename, filename) != 0 || (off == 0 && u->size)) {
			if (b->uploads->len >= 16) {
				b->problem = N_("A form may send at most 16 files at once.");
				return MHD_NO;
			}
			u = g_new0(struct upload, 1);
			u->field = g_strdup(key);
			u->filename = g_strdup(filename);
			u->content_type = g_strdup(content_type ? content_type : "application/octet-stream");
			u->file = tmpfile();
			if (!u->file) {
				upload_free(u);
				b->problem = N_("The server cannot keep the file now.");
				return MHD_NO;
			}
			g_ptr_array_add(b->uploads, u);
			b->current = u;
		}
		if (size && fwrite(data, 1, size, u->file) != size) {
			b->problem = N_("The server cannot keep the file now.");
			return MHD_NO;
		}
		u->size += size;
		return MHD_YES;
	}
	GString *v = g_hash_table_lookup(b->fields, key);
	if (!v) {
		if (g_hash_table_size(b->fields) >= FORM_FIELDS_MAX) {
			b->problem = N_("The form has too many fields.");
			return MHD_NO;
		}
		v = g_string_new(NULL);
		g_hash_table_insert(b->fields, g_strdup(key), v);
	} else if (off == 0) {
		g_string_truncate(v, 0); /* a field sent twice: the last one counts */
	}
	g_string_append_len(v, data, (gssize)size);
	return MHD_YES;
}

/* The Content-Type of a form, judged before the PostProcessor sees it. */
static bool form_type_ok(const char *type)
{
	static const char urlencoded[] = "application/x-www-form-urlencoded";
	static const char multipart[] = "multipart/form-data;";
	if (g_ascii_strncasecmp(type, urlencoded, sizeof urlencoded - 1) == 0) {
		const char *rest = type + sizeof urlencoded - 1;
		while (*rest == ' ')
			rest++;
		return !*rest || g_ascii_strcasecmp(rest, "; charset=utf-8") == 0 ||
		       g_ascii_strcasecmp(rest, ";charset=utf-8") == 0;
	}
	if (g_ascii_strncasecmp(type, multipart, sizeof multipart - 1) != 0)
		return false;
	/* the PostProcessor takes everything after "boundary=" (case-sensitive) as the boundary */
	const char *bound = strstr(type, "boundary=");
	if (!bound)
		return false;
	const char *value = bound + strlen("boundary=");
	size_t len = strlen(value);
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
		value++;
		len -= 2;
	}
	if (len < 1 || len > 70)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!g_ascii_isalnum(value[i]) && !strchr("'()+_,-./:=? ", value[i]))
			return false;
	return true;
}

static bool json_type_ok(const char *type)
{
	static const char json[] = "application/json";
	if (g_ascii_strncasecmp(type, json, sizeof json - 1) != 0)
		return false;
	const char *rest = type + sizeof json - 1;
	return !*rest || g_ascii_strcasecmp(rest, "; charset=utf-8") == 0 ||
	       g_ascii_strcasecmp(rest, ";charset=utf-8") == 0;
}

bool body_type_ok(enum body_kind kind, const char *type)
{
	return type && (kind == BODY_JSON ? json_type_ok(type) : form_type_ok(type));
}

int body_start(struct MHD_Connection *c, enum body_kind kind, uint64_t limit, struct body **out,
	       const char **problem)
{
	*out = NULL;
	const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (length && g_ascii_strtoull(length, NULL, 10) > limit) {
		*problem = N_("The body is larger than this address takes.");
		return 413;
	}
	bool form = kind == BODY_FORM || kind == BODY_UPLOAD;
	if (kind != BODY_FILE && !body_type_ok(form ? BODY_FORM : BODY_JSON, type)) {
		*problem = form ? N_("A form is sent as application/x-www-form-urlencoded or multipart/form-data.")
				: N_("This address takes application/json.");
		return 415;
	}
	struct body *b = g_new0(struct body, 1);
	b->kind = kind;
	b->limit = limit;
	if (form) {
		b->pp = MHD_create_post_processor(c, POST_BUFFER, on_field, b);
		if (!b->pp) {
			g_free(b);
			*problem = N_("The form's Content-Type cannot be read.");
			return 400;
		}
		b->fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, gstring_free);
		b->uploads = g_ptr_array_new_with_free_func(upload_free);
	} else if (!(b->raw = tmpfile())) {
		g_free(b);
		*problem = N_("The server cannot keep the body now.");
		return 503;
	}
	*out = b;
	return 0;
}

bool body_feed(struct body *b, const char *data, size_t size)
{
	b->received += size;
	if (b->received > b->limit || b->bad)
		return false;
	if (b->pp) {
		if (MHD_post_process(b->pp, data, size) != MHD_YES)
			b->bad = true;
		return !b->bad;
	}
	return fwrite(data, 1, size, b->raw) == size;
}

int body_finish(struct body *b, struct request *r, const char **problem)
{
	if (b->pp) {
		bool ok = MHD_destroy_post_processor(b->pp) == MHD_YES && !b->bad;
		b->pp = NULL;
		if (!ok) {
			*problem = b->problem ? b->problem : N_("The form cannot be read.");
			return 400;
		}
		r->form = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		GHashTableIter it;
		gpointer key, value;
		g_hash_table_iter_init(&it, b->fields);
		while (g_hash_table_iter_next(&it, &key, &value)) {
			GString *v = value;
			if (!body_text_is_clean(key, strlen(key)) || !body_text_is_clean(v->str, v->len)) {
				*problem = N_("The form holds a value that is not text: a byte that is not UTF-8, "
					   "or a control character.");
				return 400;
			}
			g_hash_table_insert(r->form, g_strdup(key), g_strdup(v->str));
		}
		for (guint i = 0; i < b->uploads->len; i++)
			rewind(((struct upload *)b->uploads->pdata[i])->file);
		r->uploads = b->uploads;
		b->uploads = NULL;
		return 0;
	}
	if (fflush(b->raw) != 0) {
		*problem = N_("The server cannot keep the body now.");
		return 503;
	}
	rewind(b->raw);
	r->raw_body = b->raw;
	r->raw_length = b->received;
	b->raw = NULL;
	return 0;
}

void body_free(struct body *b)
{
	if (!b)
		return;
	if (b->pp)
		MHD_destroy_post_processor(b->pp);
	if (b->fields)
		g_hash_table_destroy(b->fields);
	if (b->uploads)
		g_ptr_array_free(b->uploads, TRUE);
	if (b->raw)
		fclose(b->raw);
	g_free(b);
}

void body_release(struct request *r)
{
	if (r->form)
		g_hash_table_destroy(r->form);
	if (r->uploads)
		g_ptr_array_free(r->uploads, TRUE);
	if (r->raw_body)
		fclose(r->raw_body);
	r->form = NULL;
	r->uploads = NULL;
	r->raw_body = NULL;
}
