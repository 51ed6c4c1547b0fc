/*
 * template.h: the HTML templates of templates/, compiled into the binary
 * and rendered over a JSON context (jansson). The syntax is a small
 * Mustache:
 *
 *   {{name}} {{a.b}} {{.}}   the value, HTML-escaped (quotes included)
 *   {{{name}}}               the value as it is: only for HTML that is safe
 *                            by construction (cmark's safe output)
 *   {{#name}}...{{/name}}    once per element of an array, once for an object
 *                            or another true value, never for a false one
 *                            (missing, null, false, "", 0, empty array)
 *   {{#name?}}...{{/name?}}  once when name is true, without entering it
 *                            (e.g. a list's wrapper around {{#name}})
 *   {{^name}}...{{/name}}    only when name is false
 *   {{>path}}                another template (a partial), e.g. {{>layout/head}}
 *   {{!comment}}
 *   {{_ text}}               text in the rendering's language (core/catalog.h),
 *                            escaped; {name} in it is the value of name, e.g.
 *                            {{_ due {due}}}; white space runs count as one space
 *   {{_n name|one|other}}    the same, with the plural form for the count
 *                            in name: {{_n count|{count} place|{count} places}}
 *
 * Every text of a page that a reader sees is in a {{_ }} tag: the build
 * extracts them into the catalogs' template (tools/messages.py).
 *
 * Names are looked up from the innermost section outwards.
 */
#pragma once
#include <glib.h>
#include <jansson.h>
#include <stdbool.h>

/*
 * Parses every embedded template. Returns false with *error (g_free) naming
 * the template, line and problem. Call once before rendering; not
 * thread-safe, rendering afterwards is.
 */
bool template_load_all(char **error);
/*
 * template_load_all over other files (tests): loads nothing when templates
 * are loaded already; a failed load leaves none loaded, so that the next
 * call tries again.
 */
struct embedded_file;
bool template_load(const struct embedded_file *files, size_t count, char **error);
/* true when a template of that name (path below templates/, without .html) exists */
bool template_exists(const char *name);
/* Appends template name rendered over context, in catalog's language, to out; name must exist. */
struct catalog;
void template_render(const char *name, json_t *context, const struct catalog *catalog, GString *out);
/* Appends s to out with & < > " ' escaped. */
void html_escape(GString *out, const char *s);
