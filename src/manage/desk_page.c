/*
 * desk_page.c: the newsroom's back office: a program's articles by status
 * (/manage/programs/SLUG/articles), writing and editing one with a preview
 * rendered as the public page renders it, the review workflow (submit,
 * publish, return with a comment, unpublish: news.h's rules) and the
 * revisions of an article, any two compared side by side.
 *
 * An article is saved as the program it belongs to, through the import
 * (manage_form.h), so that the same rules judge forms and documents; the
 * revision of each save is written in the same transaction. An editor's
 * change to a published article is a pending revision only: the public
 * page keeps the published text until a reviewer publishes the change.
 * Only the program's editors, reviewers and managers see these pages.
 */
#include "manage/desk_page.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/intl.h"
#include "core/tz.h"
#include "html/view.h"
#include "manage/manage_form.h"
#include "news/news_render.h"
#include "news/photo.h"
#include "news/photo_page.h"
#include "settings/settings.h"

enum { COMPARE_MAX_LINES = 3000 };

static const struct field_spec new_article_key[] = {
	{"key", N_("Key (the address: lowercase letters, digits and dashes)"), INPUT_TEXT, NULL, true},
	{0},
};

static const struct field_spec article_fields[] = {
	{"title", N_("Title"), INPUT_TEXT, NULL, true},
	{"section", N_("Section"), INPUT_SELECT, article_sections, true},
	{"language", N_("Language (a BCP 47 tag, such as en or zh)"), INPUT_TEXT, NULL, true},
	{"created_on", N_("Date"), INPUT_DATE, NULL, true},
	{"body_markdown", N_("Text (Markdown; ![caption](photo:KEY) places a photo)"), INPUT_TEXTAREA, NULL, true},
	{0},
};

/* a version in another language: its own title and text (its captions are fields of their own) */
static const struct field_spec version_fields[] = {
	{"title", N_("Title"), INPUT_TEXT, NULL, true},
	{"body_markdown", N_("Text (Markdown; ![caption](photo:KEY) places a photo)"), INPUT_TEXTAREA, NULL, true},
	{0},
};

/* with a Publish: when it goes public, if not at once */
static const struct field_spec when_fields[] = {
	{"publish_at", N_("Publish at (the program's time; empty: at once)"), INPUT_TIME, NULL, false},
	{0},
};

static const struct field_spec credit_fields[] = {
	{"written_by", N_("Written by (person key)"), INPUT_TEXT, NULL, false},
	{"photographed_by", N_("Photographed by (person key)"), INPUT_TEXT, NULL, false},
	{"reviewed_by", N_("Reviewed by (person key)"), INPUT_TEXT, NULL, false},
	{0},
};

/* ------------------------------------------------------------ shared steps */

static const char *desk_url(struct request *r, const char *slug, const char *key, const char *rest)
{
	const char *const parts[] = {slug, key ? "articles" : NULL, key, NULL};
	return url_build(&r->arena, "/manage/programs/", parts,
			 rest ? arena_printf(&r->arena, "/%s", rest) : key ? "" : "/articles");
}

/* What the pages of one program's newsroom know: read once per request. */
struct desk {
	const char *slug;
	struct newsroom_view view;
	json_t *program;          /* the program as export writes it */
	GTimeZone *zone;          /* tz_zone's: never unref'd */
	struct article_actor actor;
};

/* Reads the newsroom of r's program (key: one article's revisions); false after answering. */
static bool desk_read(struct request *r, const char *key, struct desk *d)
{
	*d = (struct desk){.slug = r->params[0]};
	int rc = desk_store_newsroom(r->store, d->slug, key, r->caller.account, &r->arena, &d->view);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, tr(r, "There is no such program."));
		return false;
	}
	d->program = exchange_encode(&program_shape, &d->view.program);
	d->zone = tz_zone(d->view.program.timezone);
	d->actor = (struct article_actor){.editor = request_may(r, ROLE_EDITOR, d->slug),
					  .reviewer = request_may(r, ROLE_REVIEWER, d->slug),
					  .account = r->caller.email,
					  .person = d->view.caller_person};
	return true;
}

static void desk_free(struct desk *d)
{
	json_decref(d->program); /* the zone is tz_zone's, kept for the process */
}

/* The index of the article keyed key among the program's, or -1. */
static ssize_t article_index(const struct desk *d, const char *key)
{
	for (size_t i = 0; i < d->view.program.articles.n; i++)
		if (strcmp(d->view.program.articles.v[i].key, key) == 0)
			return (ssize_t)i;
	return -1;
}

/* Reads the newsroom of r's article (params: slug, key): its index, or -1 after answering. */
static ssize_t desk_read_article(struct request *r, struct desk *d)
{
	if (!desk_read(r, r->params[1], d))
		return -1;
	ssize_t i = article_index(d, r->params[1]);
	if (i < 0) {
		desk_free(d);
		respond_error(r, 404, tr(r, "There is no such article."));
	}
	return i;
}

/* true when revision rev is of version lang (NULL: the article's own text) */
static bool of_version(const struct article_revision *rev, const char *lang)
{
	return lang ? rev->language && strcmp(rev->language, lang) == 0 : !rev->language;
}

/* The newest revision of version lang among revs (newest first), or NULL. */
static const struct article_revision *newest_of(const article_revisions *revs, const char *lang)
{
	for (size_t i = 0; i < revs->n; i++)
		if (of_version(&revs->v[i], lang))
			return &revs->v[i];
	return NULL;
}

/*
 * Where version lang of the article stands (NULL: the article's own text),
 * from the article and its revisions (newest first); a version not yet
 * written stands as a draft.
 */
static struct article_state state_of(const struct article *a, const article_revisions *revs, const char *lang)
{
	const struct translation *v = lang ? translation_find(&a->translations, lang) : NULL;
	struct article_state st = {.status = !lang ? a->status : v ? v->text[ARTICLE_TEXT_STATUS] : "draft",
				   .writer = a->credits.written_by};
	const struct article_revision *last = newest_of(revs, lang);
	if (last && last->pending) {
		st.pending = true;
		st.pending_status = last->status;
	}
	for (size_t i = 0; i < revs->n; i++) {
		if (!of_version(&revs->v[i], lang))
			continue;
		const char *step = revs->v[i].step;
		if (strcmp(step, "submit") == 0) {
			st.submitted_by = revs->v[i].made_by;
			break;
		}
		if (strcmp(step, "publish") == 0 || strcmp(step, "unpublish") == 0 || strcmp(step, "return") == 0)
			break;
	}
	return st;
}

/* A status's label in the page's language. */
static const char *status_label(struct request *r, const char *status)
{
	if (strcmp(status, "draft") == 0)
		return tr(r, "draft");
	if (strcmp(status, "in-review") == 0)
		return tr(r, "in review");
	return tr(r, "published");
}

static const char *when(struct request *r, int64_t at, GTimeZone *zone)
{
	GDateTime *t = g_date_time_new_from_unix_utc(at), *local = t ? g_date_time_to_timezone(t, zone) : NULL;
	char *text = local ? g_date_time_format(local, "%Y-%m-%d %H:%M") : g_strdup("?");
	const char *out = arena_strdup(&r->arena, text);
	g_free(text);
	if (local)
		g_date_time_unref(local);
	if (t)
		g_date_time_unref(t);
	return out;
}

/* ------------------------------------------------------------ the list */

static const char *language_name(struct request *r, const char *tag);
static const char *uri_escaped(struct request *r, const char *s);

static void desk_list(struct request *r)
{
	struct desk d;
	if (!desk_read(r, NULL, &d))
		return;
	static const char *const groups[] = {"in-review", "draft", "published"};
	json_t *view = json_array();
	for (size_t g = 0; g < G_N_ELEMENTS(groups); g++) {
		json_t *rows = json_array();
		for (size_t i = 0; i < d.view.program.articles.n; i++) {
			const struct article *a = &d.view.program.articles.v[i];
			const struct article_revision *last = NULL;
			for (size_t k = 0; k < d.view.revisions.n; k++)
				if (strcmp(d.view.revisions.v[k].article_key, a->key) == 0)
					last = &d.view.revisions.v[k];
			if (strcmp(a->status, groups[g]) != 0)
				continue;
			const char *pending = last && last->pending ? status_label(r, last->status) : NULL;
			json_t *versions = json_array();
			for (size_t k = 0; k < a->translations.n; k++) {
				const struct translation *v = &a->translations.v[k];
				json_array_append_new(versions, json_pack("{s:s,s:s,s:s}", "name", language_name(r, v->tag),
									  "status", status_label(r, v->text[ARTICLE_TEXT_STATUS]),
									  "url", arena_printf(&r->arena, "%s?translation=%s",
											      desk_url(r, d.slug, a->key, NULL),
											      uri_escaped(r, v->tag))));
			}
			json_array_append_new(
				rows, json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:o}", "key", a->key, "title", a->title,
						"url", desk_url(r, d.slug, a->key, NULL), "date", a->created_on,
						"writer", a->credits.written_by, "pending", pending, "comment",
						last && last->comment ? last->comment : NULL, "changed",
						last ? when(r, last->made_at, d.zone) : NULL, "versions", versions));
		}
		json_array_append_new(view, json_pack("{s:s,s:o,s:b}", "heading",
						      g == 0 ? tr(r, "In review") : g == 1 ? tr(r, "Drafts") : tr(r, "Published"),
						      "articles", rows, "any", json_array_size(rows) > 0));
	}
	json_t *ctx = json_pack("{s:s,s:s,s:o,s:s?,s:s,s:s?}", "title",
				arena_printf(&r->arena, tr(r, "Articles of %s"), d.slug), "slug", d.slug, "groups", view,
				"new", d.actor.editor ? desk_url(r, d.slug, NULL, "new-article") : NULL, "public",
				url_program(&r->arena, d.slug), "notice",
				request_query(r, "saved") ? tr(r, "Saved.") : NULL);
	desk_free(&d);
	respond_private_page(r, 200, "news/desk", ctx);
}

/* ------------------------------------------------------------ one article's form */

/* The view of a field list with labels in the page's language. */
static json_t *labelled(struct request *r, const char *prefix, const struct field_spec *spec, json_t *record,
			json_t *errors)
{
	json_t *fields = form_view(prefix, spec, NULL, NULL, record, errors), *f;
	size_t i;
	json_array_foreach (fields, i, f) {
		const char *label = tr(r, json_string_value(json_object_get(f, "label")));
		if (json_is_true(json_object_get(f, "required")))
			label = arena_printf(&r->arena, tr(r, "%s (required)"), label);
		json_object_set_new(f, "label", json_string(label));
		size_t k;
		json_t *option;
		json_array_foreach (json_object_get(f, "select"), k, option) {
			const char *value = json_string_value(json_object_get(option, "value"));
			if (value && *value)
				json_object_set_new(option, "label", view_label(&r->reading, value));
		}
	}
	return fields;
}

/* What the form shows and sends back: the article's JSON and the revision it was read at. */
struct article_form {
	const char *key;       /* NULL: a new article */
	const char *lang;      /* the version in another language edited, or NULL: the article itself */
	json_t *record;        /* the article as export writes it (the typed one after a post) */
	const char *version;
	const char *status;    /* what it stands at, for the reader */
	const char *pending;   /* the status of a pending change, or NULL */
	const char *comment;   /* the last return's comment, when it is the newest step */
	const char *preview;   /* rendered body (safe HTML), or NULL */
	const char *scheduled; /* when it goes public by itself, in words, or NULL */
};

static const char *language_name(struct request *r, const char *tag)
{
	char name[128];
	intl_language_name(tag, r->reading.page, name, sizeof name);
	return arena_strdup(&r->arena, name);
}

/* The caption fields of a version's form: one per photo of the article, its original caption in the label. */
static json_t *caption_fields(struct request *r, const struct desk *d, const struct article_form *f, json_t *errors)
{
	ssize_t i = article_index(d, f->key);
	const struct article *a = &d->view.program.articles.v[i];
	struct field_spec *spec = arena_alloc(&r->arena, (a->photos.n + 1) * sizeof *spec);
	for (size_t k = 0; k < a->photos.n; k++)
		spec[k] = (struct field_spec){a->photos.v[k].key,
					      arena_printf(&r->arena, tr(r, "Caption of photo %s (the original: %s)"),
							   a->photos.v[k].key, a->photos.v[k].caption),
					      INPUT_TEXT, NULL, false};
	return form_view("captions-", spec, NULL, NULL, json_object_get(f->record, "captions"), errors);
}

/*
 * The article's versions for its form: the original and each version in
 * another language with its status, the one edited marked.
 */
static json_t *versions_view(struct request *r, const struct desk *d, const struct article_form *f)
{
	const struct article *a = &d->view.program.articles.v[article_index(d, f->key)];
	json_t *list = json_array();
	json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:b}", "name",
					      arena_printf(&r->arena, tr(r, "%s (the original)"), language_name(r, a->language)),
					      "status", status_label(r, a->status), "url", desk_url(r, d->slug, a->key, NULL),
					      "current", f->lang == NULL));
	for (size_t k = 0; k < a->translations.n; k++) {
		const struct translation *v = &a->translations.v[k];
		char *tag = g_uri_escape_string(v->tag, NULL, FALSE);
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:b}", "name", language_name(r, v->tag), "status",
						      status_label(r, v->text[ARTICLE_TEXT_STATUS]), "url",
						      arena_printf(&r->arena, "%s?translation=%s",
								   desk_url(r, d->slug, a->key, NULL), tag),
						      "current", f->lang && strcmp(f->lang, v->tag) == 0));
		g_free(tag);
	}
	return list;
}

static void article_form(struct request *r, int status, const struct desk *d, const struct article_form *f,
			 const struct article_state *st, json_t *errors, const char *notice)
{
	json_t *fields = labelled(r, "", f->lang ? version_fields : article_fields, f->record, errors);
	if (f->lang) {
		json_t *captions = caption_fields(r, d, f, errors);
		json_array_extend(fields, captions); /* takes references of its own */
		json_decref(captions);
	}
	if (!f->key) {
		json_t *key = labelled(r, "", new_article_key, f->record, errors);
		json_array_extend(key, fields);
		json_decref(fields);
		fields = key;
	}
	json_t *credits = f->lang ? json_array()
				  : labelled(r, "credits-", credit_fields, json_object_get(f->record, "credits"), errors);
	json_t *steps = json_array();
	static const char *const step_labels[] = {N_("Save"), N_("Submit for review"), N_("Publish"),
						  N_("Return to the writer"), N_("Unpublish")};
	for (int i = 0; i < STEP_COUNT; i++) {
		struct article_outcome out;
		bool offered = f->key ? !article_step_refused(st, &d->actor, (enum article_step)i, "-", &out)
				      : i == STEP_SAVE;
		if (offered)
			json_array_append_new(steps, json_pack("{s:s,s:s}", "name", article_step_names[i], "label",
							       tr(r, step_labels[i])));
	}
	bool may_return = f->key && !article_step_refused(st, &d->actor, STEP_RETURN, "-", &(struct article_outcome){0});
	bool may_schedule = f->key && !f->lang && !st->pending &&
			    !article_step_refused(st, &d->actor, STEP_PUBLISH, NULL, &(struct article_outcome){0});
	const char *action = f->key ? desk_url(r, d->slug, f->key, NULL) : desk_url(r, d->slug, NULL, "new-article");
	const char *title = !f->key  ? tr(r, "New article")
			    : !f->lang ? arena_printf(&r->arena, tr(r, "Article %s"), f->key)
				       : arena_printf(&r->arena, tr(r, "Article %s in %s"), f->key, language_name(r, f->lang));
	json_t *ctx = json_pack(
		"{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s,s:s?,s:s?,s:b,s:s,s:s?}", "title",
		title, "slug", d->slug,
		"action", action, "version", f->version, "fields", fields, "credits", credits, "steps", steps, "status",
		f->status ? status_label(r, f->status) : NULL, "pending", f->pending ? status_label(r, f->pending) : NULL,
		"comment", f->comment, "preview_html", f->preview, "notice", notice, "error", form_leftover(r, errors),
		"list", desk_url(r, d->slug, NULL, NULL), "revisions",
		f->key ? desk_url(r, d->slug, f->key, "revisions") : NULL, "public",
		f->key && f->status && strcmp(f->status, "published") == 0 ? url_article(&r->arena, d->slug, f->key) : NULL,
		"may_return", may_return, "preview_url", desk_url(r, d->slug, NULL, "article-preview"), "key", f->key);
	if (f->lang) {
		json_object_set_new(ctx, "translation", json_string(f->lang));
		json_object_set_new(ctx, "credits_shared", json_true());
	}
	if (f->key) {
		json_object_set_new(ctx, "versions", versions_view(r, d, f));
		json_object_set_new(ctx, "photos", json_string(desk_url(r, d->slug, f->key, "photos")));
	}
	if (may_schedule)
		json_object_set_new(ctx, "when", labelled(r, "", when_fields, f->record, errors));
	if (f->scheduled)
		json_object_set_new(ctx, "scheduled", json_string(f->scheduled));
	json_decref(errors);
	respond_private_page(r, status, "news/desk_article", ctx);
}

/* The stored form of article i: its row, with the pending change's text over it when there is one. */
/* "2021-12-11 09:00 (Asia/Shanghai), 2021-12-11 01:00 UTC": an instant in the program's zone and in UTC. */
static const char *scheduled_words(struct request *r, const struct desk *d, int64_t utc)
{
	return arena_printf(&r->arena, tr(r, "%s (%s), %s UTC"), when(r, utc, d->zone), d->view.program.timezone,
			    when(r, utc, tz_zone("Etc/UTC")));
}

static struct article_form stored_form(struct request *r, const struct desk *d, ssize_t i, const char *lang,
				       struct article_state *st)
{
	const struct article *a = &d->view.program.articles.v[i];
	*st = state_of(a, &d->view.revisions, lang);
	json_t *article = json_array_get(json_object_get(d->program, "articles"), (size_t)i), *record;
	if (lang) {
		/* a version's texts; one not yet written starts from the original's, to translate */
		json_t *v = json_object_get(json_object_get(article, "translations"), lang);
		record = v ? json_deep_copy(v)
			   : json_pack("{s:O,s:O}", "title", json_object_get(article, "title"), "body_markdown",
				       json_object_get(article, "body_markdown"));
	} else {
		record = json_deep_copy(article);
	}
	const struct article_revision *last = newest_of(&d->view.revisions, lang);
	if (st->pending) {
		json_object_set_new(record, "title", json_string(last->title));
		json_object_set_new(record, "body_markdown", json_string(last->body_markdown));
	}
	json_t *versioned = json_pack("{s:O,s:I}", "article", record, "revision",
				      (json_int_t)(last ? last->number : 0));
	char *version = form_version(versioned);
	json_decref(versioned);
	struct article_form f = {.key = a->key, .lang = lang, .record = record,
				 .version = arena_strdup(&r->arena, version), .status = st->status,
				 .pending = st->pending ? st->pending_status : NULL,
				 .comment = last && strcmp(last->step, "return") == 0 ? last->comment : NULL,
				 .scheduled = !lang && a->publish_at.set ? scheduled_words(r, d, a->publish_at.utc) : NULL};
	g_free(version);
	return f;
}

/*
 * The version asked for (tag, from ?translation= or the form; NULL or empty:
 * the article itself) into *lang: false after answering 400 when it is not
 * a language tag, or the article's own language.
 */
static bool version_asked(struct request *r, const struct desk *d, ssize_t i, const char *tag, const char **lang)
{
	*lang = NULL;
	if (!tag || !*tag)
		return true;
	const struct article *a = &d->view.program.articles.v[i];
	if (!intl_is_language(tag)) {
		respond_error(r, 400, arena_printf(&r->arena, tr(r, "'%s' is not a language tag (such as zh or ms)."), tag));
		return false;
	}
	if (language_same(tag, a->language)) {
		respond_error(r, 400, arena_printf(&r->arena, tr(r, "The article itself is in %s: a version is in "
								 "another language."), language_name(r, a->language)));
		return false;
	}
	/* the tag as the article's versions spell it, when it has one in that language */
	const struct translation *v = translation_find(&a->translations, tag);
	*lang = v ? v->tag : arena_strdup(&r->arena, tag);
	return true;
}

static void article_edit(struct request *r)
{
	struct desk d;
	ssize_t i = desk_read_article(r, &d);
	if (i < 0)
		return;
	const char *lang;
	if (!version_asked(r, &d, i, request_query(r, "translation"), &lang)) {
		desk_free(&d);
		return;
	}
	struct article_state st;
	struct article_form f = stored_form(r, &d, i, lang, &st);
	article_form(r, 200, &d, &f, &st, NULL, request_query(r, "saved") ? tr(r, "Saved.") : NULL);
	json_decref(f.record);
	desk_free(&d);
}

/* The article of the form's fields over stored (a new reference); stored NULL for a new article. */
static json_t *typed_article(struct request *r, const struct desk *d, json_t *stored)
{
	json_t *record = stored ? json_deep_copy(stored) : json_pack("{s:s,s:[]}", "status", "draft", "photos");
	json_t *typed = form_record(r, "", article_fields, NULL, d->zone);
	for (const struct field_spec *f = article_fields; f->name; f++)
		json_object_del(record, f->name);
	json_object_update(record, typed);
	json_decref(typed);
	if (!stored) {
		json_t *key = form_record(r, "", new_article_key, NULL, d->zone);
		json_object_update(record, key);
		json_decref(key);
	}
	json_t *credits = form_record(r, "credits-", credit_fields, NULL, d->zone);
	if (json_object_size(credits))
		json_object_set_new(record, "credits", credits);
	else {
		json_object_del(record, "credits");
		json_decref(credits);
	}
	return record;
}

/* A version's texts typed in the form: title, text and the captions given ({photo key: caption}). */
static json_t *typed_translation(struct request *r, const struct article *a)
{
	json_t *v = form_record(r, "", version_fields, NULL, NULL), *captions = json_object();
	for (size_t k = 0; k < a->photos.n; k++) {
		char *name = g_strdup_printf("captions-%s", a->photos.v[k].key);
		const char *caption = request_form(r, name);
		if (caption && *caption)
			json_object_set_new(captions, a->photos.v[k].key, json_string(caption));
		g_free(name);
	}
	json_object_set_new(v, "captions", captions);
	return v;
}

static const char *uri_escaped(struct request *r, const char *s)
{
	char *e = g_uri_escape_string(s, NULL, FALSE);
	const char *out = arena_strdup(&r->arena, e);
	g_free(e);
	return out;
}

/* Where a preview finds the renditions of article a's photos (private while it is not published), or NULL. */
static const char *preview_photos(struct request *r, const struct article *a)
{
	return a && a->key ? arena_printf(&r->arena, "%s/", desk_url(r, r->params[0], a->key, "photo-files")) : NULL;
}

/* The body of record rendered as its public page renders it, photos of stored (may be NULL) placed. */
static const char *preview_of(struct request *r, json_t *record, const struct article *stored)
{
	struct article a = stored ? *stored : (struct article){0};
	a.body_markdown = json_string_value(json_object_get(record, "body_markdown"));
	if (!a.body_markdown)
		a.body_markdown = "";
	char *html = news_render_body_from(&a, catalog_for(r->reading.page), preview_photos(r, stored));
	const char *out = arena_strdup(&r->arena, html);
	free(html);
	return out;
}

/* The revision a step writes, and where it goes. */
struct step_commit {
	const char *slug;
	struct article_revision rev;
};

static int write_revision(void *ctx, struct store *s)
{
	struct step_commit *c = ctx;
	return news_store_add_revision(s, c->slug, &c->rev);
}

/*
 * The publication time typed with a Publish (the program's wall time), as
 * the exchange format writes an instant, when it is later than now; NULL
 * when none was typed or it is due already (publish at once), or when it
 * is no time, then with *problem set (translated).
 */
static const char *scheduled_time(struct request *r, const struct desk *d, const char **problem)
{
	*problem = NULL;
	json_t *typed = form_record(r, "", when_fields, NULL, d->zone);
	const char *text = json_string_value(json_object_get(typed, "publish_at"));
	int64_t utc = 0;
	const char *out = NULL;
	if (text && !value_parse_instant(text, &utc))
		*problem = tr(r, "Not a time: expected a date and a time of day, such as 2021-12-10 09:00.");
	else if (text && utc > r->now)
		out = arena_strdup(&r->arena, text);
	json_decref(typed);
	return out;
}

/*
 * Saves the form of article key (NULL: a new one) with step: the article
 * through the import, or a pending revision alone, and its revision.
 */
static void article_save(struct request *r, const char *key)
{
	struct desk d;
	if (!desk_read(r, key, &d))
		return;
	ssize_t i = key ? article_index(&d, key) : -1;
	if (key && i < 0) {
		desk_free(&d);
		respond_error(r, 404, tr(r, "There is no such article."));
		return;
	}
	const char *lang = NULL;
	if (key && !version_asked(r, &d, i, request_form(r, "translation"), &lang)) {
		desk_free(&d);
		return;
	}
	struct article_state st = {.status = "draft"};
	struct article_form f = {.version = ""};
	if (key)
		f = stored_form(r, &d, i, lang, &st);
	const char *sent_step = request_form(r, "step");
	bool preview = sent_step && strcmp(sent_step, "preview") == 0;
	enum article_step step = article_step_of(sent_step ? sent_step : "save");
	json_t *stored = key ? json_array_get(json_object_get(d.program, "articles"), (size_t)i) : NULL;
	/* the whole article as it will be written, and what the form shows (a version's texts) */
	json_t *record = lang ? json_deep_copy(stored) : typed_article(r, &d, stored);
	json_t *typed = lang ? typed_translation(r, &d.view.program.articles.v[i]) : json_incref(record);
	const char *comment = request_form(r, "comment");
	if (comment && !*comment)
		comment = NULL;
	json_t *errors = json_object();
	struct article_form shown = f;
	shown.record = typed;
	const char *sent_version = request_form(r, "version");
	struct article_outcome out = {0};
	const char *refused = NULL;
	if (preview) {
		shown.preview = preview_of(r, typed, key ? &d.view.program.articles.v[i] : NULL);
		article_form(r, 200, &d, &shown, &st, errors, NULL);
		goto done;
	}
	if (key && (!sent_version || strcmp(sent_version, f.version) != 0)) {
		json_object_set_new(errors, "", json_string(tr(r, "This article was changed by someone else since you "
							       "opened it: nothing was saved. What you typed is below; "
							       "compare it with the article as it is now before you "
							       "save again.")));
		article_form(r, 409, &d, &shown, &st, errors, NULL);
		goto done;
	}
	if (step == STEP_COUNT)
		refused = N_("There is no such step.");
	else if (!key && !d.actor.editor)
		refused = N_("Only the program's editors and managers write new articles.");
	else
		refused = article_step_refused(&st, &d.actor, step, comment, &out);
	if (refused) {
		json_object_set_new(errors, "", json_string(tr(r, refused)));
		article_form(r, 403, &d, &shown, &st, errors, NULL);
		goto done;
	}
	if (!key) {
		/* a new article is its writer's: the caller's person */
		if (d.actor.person && !json_object_get(json_object_get(record, "credits"), "written_by")) {
			json_t *credits = json_object_get(record, "credits");
			if (!credits)
				json_object_set_new(record, "credits", credits = json_object());
			json_object_set_new(credits, "written_by", json_string(d.actor.person));
		}
	}
	const char *status = out.pending ? f.status : key ? out.status : "draft";
	/* a publication time: the article waits in review, reviewed, until the server publishes it */
	const char *schedule = step == STEP_PUBLISH && !lang ? scheduled_time(r, &d, &refused) : NULL;
	if (refused || (schedule && out.pending)) {
		json_object_set_new(errors, "publish_at",
				    json_string(refused ? refused
							: tr(r, "A change to a published article is published at once: "
								"leave the time empty.")));
		article_form(r, 422, &d, &shown, &st, errors, NULL);
		goto done;
	}
	if (schedule) {
		status = "in-review";
		json_object_set_new(record, "publish_at", json_string(schedule));
	} else if (!(step == STEP_SAVE && status && strcmp(status, "in-review") == 0)) {
		json_object_del(record, "publish_at"); /* any other step ends a schedule */
	}
	if (lang) {
		json_t *versions = json_object_get(record, "translations"), *v = json_deep_copy(typed);
		if (!versions)
			json_object_set_new(record, "translations", versions = json_object());
		json_object_set_new(v, "status", json_string(status ? status : "draft"));
		json_object_set_new(versions, lang, v);
	} else {
		json_object_set_new(record, "status", json_string(status));
	}
	if (out.reviewed) {
		json_t *credits = json_object_get(record, "credits");
		if (!credits)
			json_object_set_new(record, "credits", credits = json_object());
		json_object_set_new(credits, "reviewed_by", json_string(d.actor.person));
	}
	const char *new_key = json_string_value(json_object_get(record, "key"));
	struct step_commit commit = {
		.slug = d.slug,
		.rev = {.article_key = new_key ? new_key : "", .step = schedule ? "schedule" : article_step_names[step],
			.status = schedule ? "in-review" : key ? out.status : "draft", .pending = out.pending,
			.language = lang,
			.title = json_string_value(json_object_get(typed, "title")),
			.body_markdown = json_string_value(json_object_get(typed, "body_markdown")),
			.made_at = r->now, .made_by = r->caller.email, .made_by_person = d.actor.person,
			.comment = step == STEP_RETURN ? comment : NULL},
	};
	struct report rep;
	request_report_init(r, &rep);
	size_t at = key ? (size_t)i : json_array_size(json_object_get(d.program, "articles"));
	const char *base = lang ? arena_printf(&r->arena, "programs[0].articles[%zu].translations.%s.", at, lang)
			        : arena_printf(&r->arena, "programs[0].articles[%zu].", at);
	bool saved = false;
	if (out.pending) {
		/* the published article stays: only the change is kept, once its text is sound */
		struct article a = d.view.program.articles.v[i];
		a.title = commit.rev.title;
		a.body_markdown = commit.rev.body_markdown;
		char *path = g_strndup(base, strlen(base) - 1);
		article_check_text(&a, path, &rep);
		g_free(path);
		int rc = STORE_OK;
		if (!rep.count && ((rc = store_begin(r->store)) != STORE_OK ||
				   (rc = news_store_add_revision(r->store, d.slug, &commit.rev)) != STORE_OK ||
				   (rc = store_commit(r->store)) != STORE_OK)) {
			store_rollback(r->store);
			respond_store_error(r, STORE_ERROR, NULL);
			report_free(&rep);
			json_decref(errors);
			goto done;
		}
		saved = !rep.count;
	} else {
		json_t *program = json_deep_copy(d.program);
		json_t *articles = json_object_get(program, "articles");
		if (!articles)
			json_object_set_new(program, "articles", articles = json_array());
		if (key) {
			json_array_set(articles, (size_t)i, record);
		} else {
			json_array_append(articles, record);
		}
		enum import_result result =
			form_import_then(r, json_pack("{s:[o]}", "programs", program), &rep, write_revision, &commit);
		if (result == IMPORT_STORE_ERROR) {
			respond_store_error(r, STORE_ERROR, NULL);
			report_free(&rep);
			json_decref(errors);
			goto done;
		}
		saved = result == IMPORT_OK;
	}
	json_decref(errors);
	if (saved)
		respond_redirect(r, 303, arena_printf(&r->arena, "%s?saved=1%s%s", desk_url(r, d.slug, new_key, NULL),
						      lang ? "&translation=" : "", lang ? uri_escaped(r, lang) : ""));
	else
		article_form(r, 422, &d, &shown, &st, form_errors(&rep, "form", base), NULL);
	report_free(&rep);
done: /* errors was taken by article_form, or freed */
	json_decref(typed);
	json_decref(record);
	json_decref(f.record);
	desk_free(&d);
}

static void article_post(struct request *r)
{
	article_save(r, r->params[1]);
}

static void new_article_get(struct request *r)
{
	struct desk d;
	if (!desk_read(r, NULL, &d))
		return;
	/* today in the program's zone, and the program's first language */
	GDateTime *now = g_date_time_new_from_unix_utc(r->now), *local = g_date_time_to_timezone(now, d.zone);
	char *today = g_date_time_format(local, "%Y-%m-%d");
	const char *lang = d.view.program.languages.n ? d.view.program.languages.v[0] : r->reading.original;
	json_t *record = json_pack("{s:s,s:s,s:s}", "section", "activity-highlights", "created_on", today, "language",
				   lang ? lang : "en");
	if (d.actor.person)
		json_object_set_new(record, "credits", json_pack("{s:s}", "written_by", d.actor.person));
	g_free(today);
	g_date_time_unref(local);
	g_date_time_unref(now);
	struct article_state st = {.status = "draft"};
	struct article_form f = {.record = record, .version = ""};
	article_form(r, 200, &d, &f, &st, NULL, NULL);
	json_decref(record);
	desk_free(&d);
}

static void new_article_post(struct request *r)
{
	article_save(r, NULL);
}

/*
 * POST /manage/programs/SLUG/article-preview: the body typed so far
 * rendered as its public page will render it, the photos of the article
 * keyed key (a field; none for a new one) placed: a fragment, for the script.
 */
static void preview_post(struct request *r)
{
	struct desk d;
	if (!desk_read(r, NULL, &d))
		return;
	const char *key = request_form(r, "key");
	ssize_t i = key ? article_index(&d, key) : -1;
	const char *body = request_form(r, "body_markdown");
	struct article a = i >= 0 ? d.view.program.articles.v[i] : (struct article){0};
	a.body_markdown = body ? body : "";
	char *html = news_render_body_from(&a, catalog_for(r->reading.page), preview_photos(r, i >= 0 ? &a : NULL));
	respond_bytes(r, 200, "text/html; charset=utf-8", html, strlen(html));
	free(html);
	desk_free(&d);
}

/* ------------------------------------------------------------ revisions */

/* The revision numbered n of revs, or NULL. */
static const struct article_revision *revision_numbered(const article_revisions *revs, int64_t n)
{
	for (size_t i = 0; i < revs->n; i++)
		if (revs->v[i].number == n)
			return &revs->v[i];
	return NULL;
}

static const char *step_label(struct request *r, const char *step)
{
	static const char *const labels[] = {N_("saved"), N_("submitted for review"), N_("published"),
					     N_("returned to the writer"), N_("unpublished")};
	enum article_step s = article_step_of(step);
	return s < STEP_COUNT ? tr(r, labels[s]) : step;
}

static bool query_number(struct request *r, const char *name, int64_t *n)
{
	const char *v = request_query(r, name);
	if (!v)
		return true;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (errno || end == v || *end || x < 1) {
		respond_error(r, 400, arena_printf(&r->arena, tr(r, "%s must be a revision's number."), name));
		return false;
	}
	*n = x;
	return true;
}

static void revisions_page(struct request *r)
{
	int64_t na = 0, nb = 0;
	if (!query_number(r, "a", &na) || !query_number(r, "b", &nb))
		return;
	struct desk d;
	if (!desk_read(r, r->params[1], &d))
		return;
	const char *key = r->params[1];
	if (article_index(&d, key) < 0 && !d.view.revisions.n) {
		desk_free(&d);
		respond_error(r, 404, tr(r, "There is no such article."));
		return;
	}
	const article_revisions *revs = &d.view.revisions;
	/* by default the two newest */
	if (!nb && revs->n)
		nb = revs->v[0].number;
	if (!na && revs->n > 1)
		na = revs->v[1].number;
	const struct article_revision *a = na ? revision_numbered(revs, na) : NULL,
				      *b = nb ? revision_numbered(revs, nb) : NULL;
	if ((na && !a) || (nb && !b)) {
		desk_free(&d);
		respond_error(r, 404, tr(r, "There is no such revision."));
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < revs->n; i++) {
		const struct article_revision *v = &revs->v[i];
		json_array_append_new(list, json_pack("{s:I,s:s?,s:s,s:s,s:s,s:s,s:s?,s:b,s:b,s:b}", "number",
						      (json_int_t)v->number, "language",
						      v->language ? language_name(r, v->language) : NULL,
						      "step", step_label(r, v->step), "status",
						      status_label(r, v->status), "when", when(r, v->made_at, d.zone), "by",
						      v->made_by, "comment", v->comment, "pending", v->pending, "is_a",
						      v == a, "is_b", v == b));
	}
	json_t *compare = NULL;
	if (a && b) {
		diff_lines lines;
		bool cut = text_compare(a->body_markdown, b->body_markdown, COMPARE_MAX_LINES, &r->arena, &lines);
		json_t *rows = json_array();
		for (size_t i = 0; i < lines.n; i++)
			json_array_append_new(rows, json_pack("{s:s?,s:s?,s:b}", "left", lines.v[i].left, "right",
							      lines.v[i].right, "changed", lines.v[i].changed));
		compare = json_pack("{s:I,s:I,s:s,s:s,s:b,s:o,s:b}", "a", (json_int_t)a->number, "b",
				    (json_int_t)b->number, "title_a", a->title, "title_b", b->title, "title_changed",
				    strcmp(a->title, b->title) != 0, "lines", rows, "cut", cut);
	}
	json_t *ctx = json_pack("{s:s,s:s,s:o,s:o?,s:s,s:s}", "title",
				arena_printf(&r->arena, tr(r, "Revisions of %s"), key), "slug", d.slug, "revisions", list,
				"compare", compare, "article", desk_url(r, d.slug, key, NULL), "action",
				desk_url(r, d.slug, key, "revisions"));
	desk_free(&d);
	respond_private_page(r, 200, "news/desk_revisions", ctx);
}

/* ------------------------------------------------------------ an article's photos */

enum { THUMBNAIL_SIZE = 480 };

/*
 * GET .../articles/KEY/photo-files/HASH: the 480-wide JPEG of a photo of the
 * article, and .../HASH-SIZE.EXT any of its renditions (the preview's), for
 * the newsroom alone, whatever the article's status.
 */
static void photo_thumbnail(struct request *r)
{
	struct photo_blob b;
	char hash[PHOTO_HASH_HEX + 1];
	int size = THUMBNAIL_SIZE;
	const char *format = "jpeg";
	bool named = photo_hash_is_valid(r->params[2]) || photo_name_parse(r->params[2], hash, &size, &format);
	int rc = named ? photo_store_article_rendition(r->store, r->params[0], r->params[1],
						       photo_hash_is_valid(r->params[2]) ? r->params[2] : hash, size, format,
						       &r->arena, &b)
		       : STORE_NOT_FOUND;
	if (rc != STORE_OK) {
		respond_store_error(r, rc, tr(r, "There is no such file."));
		return;
	}
	r->private_page = true;
	respond_bytes(r, 200, b.content_type, b.data, b.len);
}

/* A photo's row of the form: the fields of photo k (prefix photos-K-). */
static json_t *photo_row(struct request *r, const struct desk *d, const char *key, size_t k, json_t *photo,
			 json_t *errors)
{
	static const struct field_spec photo_fields[] = {
		{"caption", N_("Caption"), INPUT_TEXT, NULL, true},
		{"alt", N_("Alt text (when not the caption)"), INPUT_TEXT, NULL, false},
		{0},
	};
	char *prefix = g_strdup_printf("photos-%zu-", k);
	const char *file = json_string_value(json_object_get(photo, "file"));
	json_t *row = json_pack("{s:s,s:o,s:s,s:I,s:s?}", "key", json_string_value(json_object_get(photo, "key")),
				"fields", labelled(r, prefix, photo_fields, photo, errors), "prefix", prefix, "order",
				(json_int_t)k + 1, "thumbnail",
				file ? url_build(&r->arena, "/manage/programs/",
						 (const char *const[]){d->slug, "articles", key, "photo-files", file, NULL}, "")
				     : NULL);
	g_free(prefix);
	return row;
}

static void photos_form(struct request *r, int status, const struct desk *d, const char *key, json_t *photos,
			const char *version, json_t *errors, const char *notice)
{
	json_t *rows = json_array(), *photo;
	size_t k;
	json_array_foreach (photos, k, photo)
		json_array_append_new(rows, photo_row(r, d, key, k, photo, errors));
	static const struct field_spec new_fields[] = {
		{"new_caption", N_("Caption of the new photos (each can be changed afterwards)"), INPUT_TEXT, NULL, false},
		{"new_alt", N_("Alt text of the new photos (when not the caption)"), INPUT_TEXT, NULL, false},
		{0},
	};
	json_t *typed = json_pack("{s:s?,s:s?}", "new_caption", request_form(r, "new_caption"), "new_alt",
				  request_form(r, "new_alt"));
	json_t *new_view = labelled(r, "", new_fields, typed, errors);
	const char *files_error = arena_strdup(&r->arena, json_string_value(json_object_get(errors, "files")));
	json_object_del(errors, "files");
	json_t *ctx = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:s?,s:s?,s:s?,s:I}", "title",
				arena_printf(&r->arena, tr(r, "Photos of %s"), key), "action",
				desk_url(r, d->slug, key, "photos"), "version", version, "rows", rows, "new", new_view,
				"article", desk_url(r, d->slug, key, NULL), "files_error", files_error, "notice", notice,
				"error", form_leftover(r, errors), "max_files", (json_int_t)UPLOAD_FILES_MAX);
	json_decref(typed);
	json_decref(errors);
	respond_private_page(r, status, "news/desk_photos", ctx);
}

/* The article's photos as export writes them, and the version the form carries. */
static json_t *stored_photos(struct request *r, const struct desk *d, ssize_t i, const char **version)
{
	json_t *article = json_array_get(json_object_get(d->program, "articles"), (size_t)i);
	json_t *photos = json_deep_copy(json_object_get(article, "photos"));
	if (!photos)
		photos = json_array();
	char *v = form_version(article);
	*version = arena_strdup(&r->arena, v);
	g_free(v);
	return photos;
}

static void photos_get(struct request *r)
{
	struct desk d;
	ssize_t i = desk_read_article(r, &d);
	if (i < 0)
		return;
	const char *version;
	json_t *photos = stored_photos(r, &d, i, &version);
	photos_form(r, 200, &d, r->params[1], photos, version, json_object(),
		    request_query(r, "saved") ? tr(r, "Saved.") : NULL);
	json_decref(photos);
	desk_free(&d);
}

/* "opening-ceremony" of "Opening Ceremony.JPG": a photo key made of a file's name, unique among photos. */
static const char *key_of_file(struct request *r, const char *filename, json_t *photos)
{
	GString *key = g_string_new(NULL);
	const char *dot = strrchr(filename, '.');
	for (const char *p = filename; *p && p != dot && key->len < 40; p++) {
		char c = g_ascii_tolower(*p);
		if (g_ascii_isalnum(c))
			g_string_append_c(key, c);
		else if (key->len && key->str[key->len - 1] != '-')
			g_string_append_c(key, '-');
	}
	while (key->len && key->str[key->len - 1] == '-')
		g_string_truncate(key, key->len - 1);
	if (!key->len)
		g_string_assign(key, "photo");
	const char *out = arena_strdup(&r->arena, key->str);
	for (int n = 2;; n++) {
		bool taken = false;
		size_t k;
		json_t *photo;
		json_array_foreach (photos, k, photo)
			taken |= g_strcmp0(json_string_value(json_object_get(photo, "key")), out) == 0;
		if (!taken)
			break;
		out = arena_printf(&r->arena, "%s-%d", key->str, n);
	}
	g_string_free(key, TRUE);
	return out;
}

struct order {
	int64_t order;
	size_t k;
	json_t *photo;
};

static int by_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	return x->order != y->order ? (x->order < y->order ? -1 : 1) : (x->k < y->k ? -1 : x->k > y->k);
}

/*
 * POST .../articles/KEY/photos: the captions, alt texts and order of the
 * photos, those ticked removed, and the files sent added (each decoded
 * whole, upright and stripped, with its renditions; on the slow pool).
 * Nothing is written unless all is well.
 */
static void photos_post_later(struct request *r)
{
	struct desk d;
	const char *key = r->params[1];
	ssize_t i = desk_read_article(r, &d);
	if (i < 0)
		return;
	const struct article *a = &d.view.program.articles.v[i];
	const char *version;
	json_t *stored = stored_photos(r, &d, i, &version), *errors = json_object();
	GPtrArray *made = g_ptr_array_new();
	json_t *typed = json_array();
	/* the rows as typed, in their order */
	size_t n = json_array_size(stored);
	struct order *rows = g_new0(struct order, n + 1);
	size_t kept = 0;
	for (size_t k = 0; k < n; k++) {
		json_t *photo = json_deep_copy(json_array_get(stored, k));
		const char *caption = request_form(r, arena_printf(&r->arena, "photos-%zu-caption", k));
		const char *alt = request_form(r, arena_printf(&r->arena, "photos-%zu-alt", k));
		const char *order = request_form(r, arena_printf(&r->arena, "photos-%zu-order", k));
		json_object_set_new(photo, "caption", json_string(caption ? caption : ""));
		if (alt && *alt)
			json_object_set_new(photo, "alt", json_string(alt));
		else
			json_object_del(photo, "alt");
		json_array_append_new(typed, photo);
		if (request_form(r, arena_printf(&r->arena, "photos-%zu-delete", k)))
			continue;
		struct report rep;
		request_report_init(r, &rep);
		/* a caption is required, and an empty one is none */
		check_text(&rep, "", arena_printf(&r->arena, "photos-%zu-caption", k), caption && *caption ? caption : NULL,
			   TEXT_LINE, true);
		check_text(&rep, "", arena_printf(&r->arena, "photos-%zu-alt", k), alt, TEXT_LINE, false);
		json_object_update_new(errors, form_errors(&rep, "form", ""));
		report_free(&rep);
		char *end = NULL;
		long long o = order ? strtoll(order, &end, 10) : (long long)k + 1;
		if (order && (!*order || *end))
			json_object_set_new(errors, arena_printf(&r->arena, "photos-%zu-order", k),
					    json_string(tr(r, "An order is a number.")));
		rows[kept++] = (struct order){o, k, photo};
	}
	qsort(rows, kept, sizeof *rows, by_order);
	json_t *photos = json_array();
	for (size_t k = 0; k < kept; k++)
		json_array_append(photos, rows[k].photo);
	g_free(rows);
	/* the files sent */
	struct photo_limits limits;
	if (!photo_limits_of(r, &limits))
		goto out;
	const char *new_caption = request_form(r, "new_caption"), *new_alt = request_form(r, "new_alt");
	size_t sent = 0;
	for (guint u = 0; r->uploads && u < r->uploads->len; u++) {
		struct upload *up = r->uploads->pdata[u];
		if (strcmp(up->field, "files") != 0 || (!up->size && !*up->filename))
			continue;
		if (++sent > UPLOAD_FILES_MAX) {
			json_object_set_new(errors, "files", json_string(arena_printf(&r->arena,
				tr(r, "At most %d photos are sent at once."), UPLOAD_FILES_MAX)));
			break;
		}
		struct photo_made *m = g_new0(struct photo_made, 1);
		const char *problem = NULL;
		if (photo_make(up->file, up->size, &limits, m, &problem)) {
			g_free(m);
			const char *had = json_string_value(json_object_get(errors, "files"));
			json_object_set_new(errors, "files", json_string(arena_printf(&r->arena, "%s%s%s: %s", had ? had : "",
										       had ? " " : "", up->filename,
										       tr(r, problem))));
			continue;
		}
		g_ptr_array_add(made, m);
		json_array_append_new(photos, json_pack("{s:s,s:s,s:s}", "key", key_of_file(r, up->filename, photos),
							"caption", new_caption ? new_caption : "", "file", m->original.hash));
		if (new_alt && *new_alt)
			json_object_set_new(json_array_get(photos, json_array_size(photos) - 1), "alt", json_string(new_alt));
	}
	if (sent && !json_object_get(errors, "files")) {
		struct report rep;
		request_report_init(r, &rep);
		check_text(&rep, "", "new_caption", new_caption && *new_caption ? new_caption : NULL, TEXT_LINE, true);
		check_text(&rep, "", "new_alt", new_alt, TEXT_LINE, false);
		json_object_update_new(errors, form_errors(&rep, "form", ""));
		report_free(&rep);
	}
	const char *sent_version = request_form(r, "version");
	if (!sent_version || strcmp(sent_version, version) != 0)
		json_object_set_new(errors, "", json_string(tr(r, "This article was changed by someone else since you "
							       "opened it: nothing was saved. What you typed is below; "
							       "compare it with the article as it is now before you "
							       "save again.")));
	else if (!d.actor.reviewer && article_is_published(a))
		json_object_set_new(errors, "", json_string(tr(r, "An editor changes the photos of drafts and articles "
							       "in review only.")));
	if (json_object_size(errors)) {
		int status = json_object_get(errors, "") ? 409 : 422;
		photos_form(r, status, &d, key, typed, version, json_incref(errors), NULL);
		goto out;
	}
	/* the files first, committed (the import judges a photo's file by what is stored), then the article */
	int rc = STORE_OK;
	if (made->len) {
		rc = store_begin(r->store);
		for (guint m = 0; rc == STORE_OK && m < made->len; m++)
			rc = photo_store_keep_made(r->store, made->pdata[m]);
		if (rc == STORE_OK)
			rc = store_commit(r->store);
		if (rc != STORE_OK) {
			store_rollback(r->store);
			respond_store_error(r, STORE_ERROR, NULL);
			goto out;
		}
	}
	json_t *program = json_deep_copy(d.program);
	json_t *article = json_array_get(json_object_get(program, "articles"), (size_t)i);
	json_object_set(article, "photos", photos);
	if (!json_array_size(photos))
		json_object_del(article, "photos");
	if (made->len && d.actor.person && !a->credits.photographed_by) {
		/* who sends photos took them, unless the credits say otherwise */
		json_t *credits = json_object_get(article, "credits");
		if (!credits)
			json_object_set_new(article, "credits", credits = json_object());
		json_object_set_new(credits, "photographed_by", json_string(d.actor.person));
	}
	struct report rep;
	request_report_init(r, &rep);
	enum import_result result = form_import(r, json_pack("{s:[o]}", "programs", program), &rep);
	if (result != IMPORT_OK && made->len) {
		/* the files nobody took: gone again */
		if (store_begin(r->store) != STORE_OK || photo_store_collect(r->store) != STORE_OK ||
		    store_commit(r->store) != STORE_OK)
			store_rollback(r->store);
	}
	if (result == IMPORT_OK) {
		respond_redirect(r, 303, arena_printf(&r->arena, "%s?saved=1", desk_url(r, d.slug, key, "photos")));
	} else if (result == IMPORT_STORE_ERROR) {
		respond_store_error(r, STORE_ERROR, NULL);
	} else {
		/* the article's rules (a photo its text places was removed...): said at the top */
		json_t *top = json_object();
		GString *all = g_string_new(NULL);
		for (guint l = 0; l < rep.lines->len; l++)
			g_string_append_printf(all, "%s%s", l ? "; " : "", report_message(&rep, l, "form"));
		json_object_set_new(top, "", json_string(all->str));
		g_string_free(all, TRUE);
		photos_form(r, 422, &d, key, typed, version, top, NULL);
	}
	report_free(&rep);
out:
	for (guint m = 0; m < made->len; m++) {
		photo_made_clear(made->pdata[m]);
		g_free(made->pdata[m]);
	}
	g_ptr_array_free(made, TRUE);
	json_decref(photos);
	json_decref(typed);
	json_decref(stored);
	json_decref(errors);
	desk_free(&d);
}

static void photos_post(struct request *r)
{
	respond_later(r, photos_post_later);
}

/* ------------------------------------------------------------ the routes */


const struct route desk_routes[] = {
	GET_PAGE("/manage/programs/{slug}/articles", desk_list, ROLE_NEWSROOM),
	GET_PAGE("/manage/programs/{slug}/new-article", new_article_get, ROLE_EDITOR),
	POST_FORM("/manage/programs/{slug}/new-article", new_article_post, ROLE_EDITOR),
	GET_PAGE("/manage/programs/{slug}/articles/{key}", article_edit, ROLE_NEWSROOM),
	POST_FORM("/manage/programs/{slug}/articles/{key}", article_post, ROLE_NEWSROOM),
	POST_FORM("/manage/programs/{slug}/article-preview", preview_post, ROLE_NEWSROOM),
	GET_PAGE("/manage/programs/{slug}/articles/{key}/revisions", revisions_page, ROLE_NEWSROOM),
	GET_PAGE("/manage/programs/{slug}/articles/{key}/photos", photos_get, ROLE_NEWSROOM),
	{METHOD_POST, "/manage/programs/{slug}/articles/{key}/photos", photos_post, ROLE_NEWSROOM, true, 0, BODY_UPLOAD},
	GET_PAGE("/manage/programs/{slug}/articles/{key}/photo-files/{file}", photo_thumbnail, ROLE_NEWSROOM),
	{0},
};
