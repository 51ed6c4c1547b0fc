/*
 * test_template.c: unit tests of the template renderer (html/template.h):
 * escaping by default, sections, the once-sections {{#name?}}, partials,
 * and loading: a failed load is never taken for a good one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "core/embedded.h"
#include "html/template.h"

#define FILE_OF(name, text) {name, text, sizeof text - 1}

static const struct embedded_file broken[] = {
	FILE_OF("good.html", "<p>{{x}}</p>"),
	FILE_OF("bad.html", "{{#open}} never closed"),
};

static void test_failed_load_fails_again(void **state)
{
	(void)state;
	char *error = NULL;
	assert_false(template_load(broken, G_N_ELEMENTS(broken), &error));
	assert_non_null(strstr(error, "templates/bad.html"));
	g_free(error);
	error = NULL;
	/* before: the second call said true over a half-loaded set */
	assert_false(template_load(broken, G_N_ELEMENTS(broken), &error));
	assert_non_null(error);
	g_free(error);
	assert_false(template_exists("good"));
}

static const struct embedded_file partial_missing[] = {
	FILE_OF("page.html", "{{>nowhere}}"),
};

static void test_missing_partial_is_an_error(void **state)
{
	(void)state;
	char *error = NULL;
	assert_false(template_load(partial_missing, 1, &error));
	assert_non_null(strstr(error, "{{>nowhere}} names no template"));
	g_free(error);
}

static void test_escaping_and_sections(void **state)
{
	(void)state;
	/* the compiled-in templates load, and stay loaded */
	char *error = NULL;
	assert_true(template_load_all(&error));
	assert_true(template_load_all(&error));
	assert_true(template_exists("layout/head"));
	GString *out = g_string_new(NULL);
	json_t *ctx = json_pack("{s:s,s:b}", "caption", "<b>\"x\" & 'y'</b>", "block", 0);
	template_render("news/figure", ctx, NULL, out);
	assert_string_equal(out->str,
			    "<span class=\"photo-inline\">Photo: &lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;</span>");
	json_decref(ctx);
	g_string_free(out, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failed_load_fails_again),
		cmocka_unit_test(test_missing_partial_is_an_error),
		cmocka_unit_test(test_escaping_and_sections),
	};
	return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
