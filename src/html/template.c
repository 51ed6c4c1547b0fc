/*
 * template.c: parsing and rendering of the embedded templates (template.h).
 * Templates are parsed once into a tree of nodes; rendering walks the tree
 * with a stack of JSON contexts.
 */
#include "html/template.h"

#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "template_files.h"

enum node_kind { NODE_TEXT, NODE_VALUE, NODE_RAW, NODE_SECTION, NODE_INVERTED, NODE_PARTIAL, NODE_MESSAGE };

struct node {
	enum node_kind kind;
	char *text;          /* NODE_TEXT: the text; NODE_MESSAGE: the msgid; others: the name (without a trailing '?') */
	size_t len;          /* NODE_TEXT: its length */
	bool once;           /* a {{#name?}} section: rendered once when name is true */
	GPtrArray *children; /* sections: their nodes */
	char *plural;        /* a {{_n}} message: the plural msgid */
	char *count;         /* and the name of its count */
};

struct template {
	char *name;
	GPtrArray *nodes;
};

static GHashTable *templates; /* name -> struct template*, filled once by template_load_all */

static void node_free(gpointer p)
{
	struct node *n = p;
	g_free(n->text);
	g_free(n->plural);
	g_free(n->count);
	if (n->children)
		g_ptr_array_free(n->children, TRUE);
	g_free(n);
}

static struct node *node_new(enum node_kind kind, const char *text, size_t len)
{
	struct node *n = g_new0(struct node, 1);
	n->kind = kind;
	n->text = g_strndup(text, len);
	n->len = len;
	if (kind == NODE_SECTION || kind == NODE_INVERTED)
		n->children = g_ptr_array_new_with_free_func(node_free);
	return n;
}

static int line_of(const char *start, const char *at)
{
	int line = 1;
	for (const char *p = start; p < at; p++)
		line += *p == '\n';
	return line;
}

/* The }} that closes a message tag whose body starts at p (braces of {name} inside), or NULL. */
static const char *message_end(const char *p)
{
	int depth = 0;
	for (; *p; p++) {
		if (p[0] == '}' && p[1] == '}' && depth == 0)
			return p;
		depth += *p == '{' ? 1 : *p == '}' ? -1 : 0;
	}
	return NULL;
}

/* text with each run of white space made one space, and trimmed (a new string). */
static char *squeeze(const char *text, size_t len)
{
	GString *out = g_string_sized_new(len);
	for (size_t i = 0; i < len; i++) {
		if (g_ascii_isspace(text[i])) {
			if (out->len && out->str[out->len - 1] != ' ')
				g_string_append_c(out, ' ');
		} else {
			g_string_append_c(out, text[i]);
		}
	}
	if (out->len && out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	return g_string_free(out, FALSE);
}

/* Whether every { of msgid opens a {name} placeholder with a name of letters, digits, _ . ? */
static bool placeholders_valid(const char *msgid)
{
	for (const char *p = msgid; (p = strpbrk(p, "{}")); p++) {
		if (*p == '}')
			return false;
		size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.?");
		if (n == 0 || p[1 + n] != '}')
			return false;
		p += 1 + n;
	}
	return true;
}

/*
 * A {{_ text}} or {{_n count|singular|plural}} tag at open (body at body)
 * into a NODE_MESSAGE; *end gets what follows it. NULL with *error.
 */
static struct node *message_parse(const char *name, const char *src, const char *open, const char *body,
				  bool plural, const char **end, char **error)
{
	const char *close = message_end(body);
	if (!close) {
		*error = g_strdup_printf("templates/%s.html:%d: a message tag is never closed", name,
					 line_of(src, open));
		return NULL;
	}
	*end = close + 2;
	char *text = squeeze(body, (size_t)(close - body));
	char **parts = g_strsplit(text, "|", -1);
	g_free(text);
	struct node *n = NULL;
	guint count = g_strv_length(parts);
	for (guint i = 0; i < count; i++)
		g_strstrip(parts[i]);
	if (plural ? count != 3 || !*parts[0] || !*parts[1] || !*parts[2] : count != 1 || !*parts[0]) {
		*error = g_strdup_printf("templates/%s.html:%d: %s", name, line_of(src, open),
					 plural ? "{{_n count|singular|plural}} needs its three parts"
						: "{{_ text}} needs a text without '|'");
	} else if (!placeholders_valid(parts[plural ? 1 : 0]) || (plural && !placeholders_valid(parts[2]))) {
		*error = g_strdup_printf("templates/%s.html:%d: a brace in a message that is not a {name}",
					 name, line_of(src, open));
	} else {
		n = node_new(NODE_MESSAGE, parts[plural ? 1 : 0], strlen(parts[plural ? 1 : 0]));
		n->plural = plural ? g_strdup(parts[2]) : NULL;
		n->count = plural ? g_strdup(parts[0]) : NULL;
	}
	g_strfreev(parts);
	return n;
}

/* Parses src into nodes; returns false with *error. */
static bool template_parse(const char *name, const char *src, GPtrArray *nodes, char **error)
{
	GPtrArray *stack = g_ptr_array_new(); /* open sections */
	GPtrArray *into = nodes;
	const char *p = src;
	while (*p) {
		const char *open = strstr(p, "{{");
		if (!open) {
			g_ptr_array_add(into, node_new(NODE_TEXT, p, strlen(p)));
			break;
		}
		if (open > p)
			g_ptr_array_add(into, node_new(NODE_TEXT, p, (size_t)(open - p)));
		if (open[2] == '_' && (open[3] == ' ' || (open[3] == 'n' && open[4] == ' '))) {
			bool plural = open[3] == 'n';
			struct node *m = message_parse(name, src, open, open + (plural ? 5 : 4), plural, &p, error);
			if (!m)
				goto fail;
			g_ptr_array_add(into, m);
			continue;
		}
		bool triple = open[2] == '{';
		const char *close = strstr(open + 2, triple ? "}}}" : "}}");
		if (!close) {
			*error = g_strdup_printf("templates/%s.html:%d: '{{' is never closed", name,
						 line_of(src, open));
			goto fail;
		}
		const char *tag = open + (triple ? 3 : 2);
		char sigil = triple ? '{' : *tag;
		if (strchr("#^/>!", sigil) && !triple)
			tag++;
		char *tag_name = g_strstrip(g_strndup(tag, (size_t)(close - tag)));
		p = close + (triple ? 3 : 2);
		if (sigil == '!') {
			g_free(tag_name);
			continue;
		}
		if (!*tag_name) {
			*error = g_strdup_printf("templates/%s.html:%d: empty tag", name, line_of(src, open));
			g_free(tag_name);
			goto fail;
		}
		switch (sigil) {
		case '#':
		case '^': {
			size_t len = strlen(tag_name);
			bool once = len > 1 && tag_name[len - 1] == '?';
			struct node *n = node_new(sigil == '#' ? NODE_SECTION : NODE_INVERTED, tag_name,
						  once ? len - 1 : len);
			n->once = once;
			g_ptr_array_add(into, n);
			g_ptr_array_add(stack, n);
			into = n->children;
			break;
		}
		case '/': {
			struct node *top = stack->len ? g_ptr_array_index(stack, stack->len - 1) : NULL;
			size_t len = strlen(tag_name);
			bool once = len > 1 && tag_name[len - 1] == '?';
			if (!top || top->once != once || strncmp(top->text, tag_name, len - once) != 0 ||
			    top->text[len - once] != '\0') {
				*error = g_strdup_printf("templates/%s.html:%d: {{/%s}} closes %s%s", name,
							 line_of(src, open), tag_name,
							 top ? "{{#" : "nothing", top ? top->text : "");
				g_free(tag_name);
				goto fail;
			}
			g_ptr_array_remove_index(stack, stack->len - 1);
			into = stack->len ? ((struct node *)g_ptr_array_index(stack, stack->len - 1))->children
					  : nodes;
			break;
		}
		case '>':
			g_ptr_array_add(into, node_new(NODE_PARTIAL, tag_name, strlen(tag_name)));
			break;
		default:
			g_ptr_array_add(into, node_new(triple ? NODE_RAW : NODE_VALUE, tag_name,
						       strlen(tag_name)));
		}
		g_free(tag_name);
	}
	if (stack->len) {
		*error = g_strdup_printf("templates/%s.html: {{#%s}} is never closed", name,
					 ((struct node *)g_ptr_array_index(stack, stack->len - 1))->text);
		goto fail;
	}
	g_ptr_array_free(stack, TRUE);
	return true;
fail:
	g_ptr_array_free(stack, TRUE);
	return false;
}

/* Every partial a template names must exist. */
static bool check_partials(const char *name, GPtrArray *nodes, char **error)
{
	for (guint i = 0; i < nodes->len; i++) {
		struct node *n = g_ptr_array_index(nodes, i);
		if (n->kind == NODE_PARTIAL && !template_exists(n->text)) {
			*error = g_strdup_printf("templates/%s.html: {{>%s}} names no template", name, n->text);
			return false;
		}
		if (n->children && !check_partials(name, n->children, error))
			return false;
	}
	return true;
}

static void template_free(gpointer p)
{
	struct template *t = p;
	g_free(t->name);
	g_ptr_array_free(t->nodes, TRUE);
	g_free(t);
}

/* Parses every file into templates; false with *error at the first problem. */
static bool template_parse_all(const struct embedded_file *files, size_t count, char **error)
{
	for (size_t i = 0; i < count; i++) {
		const struct embedded_file *f = &files[i];
		struct template *t = g_new0(struct template, 1);
		size_t len = strlen(f->name);
		t->name = g_strndup(f->name, g_str_has_suffix(f->name, ".html") ? len - 5 : len);
		t->nodes = g_ptr_array_new_with_free_func(node_free);
		g_hash_table_insert(templates, t->name, t);
		if (!template_parse(t->name, f->data, t->nodes, error))
			return false;
	}
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, templates);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		struct template *t = value;
		if (!check_partials(t->name, t->nodes, error))
			return false;
	}
	return true;
}

bool template_load(const struct embedded_file *files, size_t count, char **error)
{
	if (templates)
		return true;
	templates = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, template_free);
	if (template_parse_all(files, count, error))
		return true;
	/* nothing half-loaded stays: a second call fails again, with its error */
	g_hash_table_destroy(templates);
	templates = NULL;
	return false;
}

bool template_load_all(char **error)
{
	return template_load(template_files, template_files_count, error);
}

bool template_exists(const char *name)
{
	return templates && g_hash_table_contains(templates, name);
}

void html_escape(GString *out, const char *s)
{
	const char *run = s;
	for (const char *p = s; *p; p++) {
		const char *entity;
		switch (*p) {
		case '&': entity = "&amp;"; break;
		case '<': entity = "&lt;"; break;
		case '>': entity = "&gt;"; break;
		case '"': entity = "&quot;"; break;
		case '\'': entity = "&#39;"; break;
		default: continue;
		}
		g_string_append_len(out, run, p - run);
		g_string_append(out, entity);
		run = p + 1;
	}
	g_string_append(out, run);
}

/* Looks a dotted name up from the innermost context outwards; allocates nothing. */
static json_t *lookup(GPtrArray *stack, const char *name)
{
	if (strcmp(name, ".") == 0)
		return g_ptr_array_index(stack, stack->len - 1);
	const char *dot = strchr(name, '.');
	size_t first_len = dot ? (size_t)(dot - name) : strlen(name);
	json_t *v = NULL;
	for (guint i = stack->len; i-- > 0 && !v;) {
		json_t *ctx = g_ptr_array_index(stack, i);
		if (json_is_object(ctx))
			v = json_object_getn(ctx, name, first_len);
	}
	while (v && dot) {
		const char *next = strchr(dot + 1, '.');
		size_t len = next ? (size_t)(next - dot - 1) : strlen(dot + 1);
		if (json_is_array(v) && len && strspn(dot + 1, "0123456789") >= len)
			v = json_array_get(v, strtoul(dot + 1, NULL, 10)); /* items.0: the first item */
		else
			v = json_is_object(v) ? json_object_getn(v, dot + 1, len) : NULL;
		dot = next;
	}
	return v;
}

static bool truthy(json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT: return true;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0;
	case JSON_TRUE: return true;
	default: return false;
	}
}

static void append_value(GString *out, json_t *v, bool raw)
{
	char number[32];
	const char *text = NULL;
	if (json_is_string(v))
		text = json_string_value(v);
	else if (json_is_integer(v))
		text = (g_snprintf(number, sizeof number, "%" JSON_INTEGER_FORMAT, json_integer_value(v)), number);
	else if (json_is_real(v))
		text = (g_snprintf(number, sizeof number, "%g", json_real_value(v)), number);
	else if (json_is_true(v))
		text = "true";
	if (!text)
		return;
	if (raw)
		g_string_append(out, text);
	else
		html_escape(out, text);
}

/* A rendering: its stack of contexts, its language and where it goes. */
struct render {
	GPtrArray *stack;
	const struct catalog *catalog;
	GString *out;
};

/* The count of a {{_n}} message: an integer, or a string of one; else 0. */
static long count_of(json_t *v)
{
	if (json_is_integer(v))
		return (long)json_integer_value(v);
	return json_is_string(v) ? strtol(json_string_value(v), NULL, 10) : 0;
}

/* Message n in the rendering's language, its {name}s filled in, all of it escaped. */
static void render_message(const struct node *n, struct render *rn)
{
	const char *text = n->plural ? catalog_plural(rn->catalog, n->text, n->plural,
						      count_of(lookup(rn->stack, n->count)))
				     : catalog_text(rn->catalog, n->text);
	const char *p = text;
	for (const char *brace; (brace = strchr(p, '{'));) {
		const char *close = strchr(brace, '}');
		if (!close)
			break;
		char *text_part = g_strndup(p, (size_t)(brace - p));
		html_escape(rn->out, text_part);
		g_free(text_part);
		char *name = g_strndup(brace + 1, (size_t)(close - brace - 1));
		append_value(rn->out, lookup(rn->stack, name), false);
		g_free(name);
		p = close + 1;
	}
	html_escape(rn->out, p);
}

static void render_nodes(GPtrArray *nodes, struct render *rn, int depth);

static void render_template(const char *name, struct render *rn, int depth)
{
	struct template *t = g_hash_table_lookup(templates, name);
	g_assert(t);
	g_assert(depth < 32); /* partials that include themselves */
	render_nodes(t->nodes, rn, depth + 1);
}

static void render_nodes(GPtrArray *nodes, struct render *rn, int depth)
{
	GPtrArray *stack = rn->stack;
	GString *out = rn->out;
	for (guint i = 0; i < nodes->len; i++) {
		struct node *n = g_ptr_array_index(nodes, i);
		switch (n->kind) {
		case NODE_TEXT:
			g_string_append_len(out, n->text, (gssize)n->len);
			break;
		case NODE_VALUE:
		case NODE_RAW:
			append_value(out, lookup(stack, n->text), n->kind == NODE_RAW);
			break;
		case NODE_MESSAGE:
			render_message(n, rn);
			break;
		case NODE_PARTIAL:
			render_template(n->text, rn, depth);
			break;
		case NODE_INVERTED:
			if (!truthy(lookup(stack, n->text)))
				render_nodes(n->children, rn, depth);
			break;
		case NODE_SECTION: {
			json_t *v = lookup(stack, n->text);
			if (!truthy(v))
				break;
			if (n->once) {
				render_nodes(n->children, rn, depth);
			} else if (json_is_array(v)) {
				size_t k;
				json_t *item;
				json_array_foreach(v, k, item) {
					g_ptr_array_add(stack, item);
					render_nodes(n->children, rn, depth);
					g_ptr_array_remove_index(stack, stack->len - 1);
				}
			} else {
				g_ptr_array_add(stack, v);
				render_nodes(n->children, rn, depth);
				g_ptr_array_remove_index(stack, stack->len - 1);
			}
			break;
		}
		}
	}
}

void template_render(const char *name, json_t *context, const struct catalog *catalog, GString *out)
{
	struct render rn = {g_ptr_array_new(), catalog, out};
	g_ptr_array_add(rn.stack, context);
	render_template(name, &rn, 0);
	g_ptr_array_free(rn.stack, TRUE);
}
