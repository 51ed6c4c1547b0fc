/*
 * test_catalog.c: unit tests of the message catalogs (core/catalog.h) and
 * of the {{_ }} messages of templates (html/template.h): the embedded
 * Chinese catalog loads and translates, any Chinese tag finds it, plural
 * forms follow CLDR, a message's {name}s are filled and escaped, a tag that
 * is not well formed stops the load, and every vocabulary value has a label
 * in the catalogs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "account/account.h"
#include "core/catalog.h"
#include "core/embedded.h"
#include "html/template.h"
#include "html/view.h"
#include "news/news.h"
#include "org/org.h"
#include "program/program.h"
#include "timetable/timetable.h"

#define FILE_OF(name, text) {name, text, sizeof text - 1}

static int setup(void **state)
{
	(void)state;
	char *error = NULL;
	if (!catalog_load_all(&error)) {
		print_error("%s\n", error);
		return -1;
	}
	return 0;
}

static void test_languages(void **state)
{
	(void)state;
	char *error = NULL;
	assert_true(catalog_load_all(&error)); /* a second call does nothing */
	assert_string_equal(catalog_language(catalog_for("zh")), "zh");
	assert_string_equal(catalog_language(catalog_for("zh-Hant-TW")), "zh");
	assert_string_equal(catalog_language(catalog_for("ZH_cn")), "zh");
	assert_string_equal(catalog_language(catalog_for("en-GB")), "en");
	assert_string_equal(catalog_language(catalog_for("fr")), "en");
	assert_string_equal(catalog_language(catalog_for("zhx")), "en");
	assert_string_equal(catalog_language(catalog_for(NULL)), "en");
	assert_string_equal(catalog_language(NULL), "en");
	assert_true(catalog_exists("en"));
	assert_true(catalog_exists("en-US"));
	assert_true(catalog_exists("zh-Hans"));
	assert_false(catalog_exists("fr"));
	assert_false(catalog_exists("ar"));
}

static void test_texts(void **state)
{
	(void)state;
	const struct catalog *zh = catalog_for("zh"), *en = catalog_for("en");
	assert_string_equal(catalog_text(zh, "Not found"), "未找到");
	assert_string_equal(catalog_text(en, "Not found"), "Not found");
	assert_string_equal(catalog_text(NULL, "Not found"), "Not found");
	const char *unknown = "a message no catalog has";
	assert_ptr_equal(catalog_text(zh, unknown), unknown);
	assert_ptr_equal(catalog_text(zh, ""), ""); /* never the catalog's header */
}

static void test_plurals(void **state)
{
	(void)state;
	const struct catalog *zh = catalog_for("zh"), *en = catalog_for("en");
	const char *one = "%ld place", *other = "%ld places";
	/* English: one for 1 alone (CLDR), also where a catalog lacks the message */
	assert_ptr_equal(catalog_plural(en, one, other, 1), one);
	assert_ptr_equal(catalog_plural(en, one, other, 0), other);
	assert_ptr_equal(catalog_plural(en, one, other, 2), other);
	assert_ptr_equal(catalog_plural(en, one, other, 21), other);
	assert_ptr_equal(catalog_plural(NULL, one, other, 1), one);
	assert_ptr_equal(catalog_plural(zh, "no such %ld", "no such %lds", 1), "no such %ld");
	assert_string_equal(catalog_plural(zh, "no such %ld", "no such %lds", 5), "no such %lds");
	/* Chinese has one form: the same for every count */
	const char *sg = "{confirmed} confirmed of {capacity} place", *pl = "{confirmed} confirmed of {capacity} places";
	const char *a = catalog_plural(zh, sg, pl, 1);
	assert_string_equal(a, "已确认 {confirmed} 人，共 {capacity} 个名额");
	assert_ptr_equal(a, catalog_plural(zh, sg, pl, 7));
	assert_ptr_equal(a, catalog_plural(zh, sg, pl, 0));
	assert_ptr_equal(catalog_plural(en, sg, pl, 1), sg);
}

static const struct embedded_file bad_messages[][1] = {
	{FILE_OF("a.html", "<p>{{_ one | two}}</p>")},
	{FILE_OF("b.html", "<p>{{_n count|one}}</p>")},
	{FILE_OF("c.html", "<p>{{_ a {not a name} b}}</p>")},
	{FILE_OF("d.html", "<p>{{_ a {b} never closed</p>")},
	{FILE_OF("e.html", "<p>{{_ a } b}}</p>")},
	{FILE_OF("f.html", "<p>{{_  }}</p>")},
};

static void test_bad_message_tags(void **state)
{
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(bad_messages); i++) {
		char *error = NULL;
		assert_false(template_load(bad_messages[i], 1, &error));
		assert_non_null(error);
		assert_non_null(strstr(error, bad_messages[i][0].name));
		assert_non_null(strstr(error, ":1:"));
		g_free(error);
	}
}

static const struct embedded_file messages[] = {
	FILE_OF("page.html", "<h1>{{_ Not found}}</h1>\n<p title=\"{{_ Not\n   found}}\">{{_ {who} & <{what}>}}</p>"
			     "<p>{{_n n|{n} person|{n} people}}</p>"),
};

static char *render(const char *lang, json_t *ctx)
{
	GString *out = g_string_new(NULL);
	template_render("page", ctx, catalog_for(lang), out);
	return g_string_free(out, FALSE);
}

static void test_template_messages(void **state)
{
	(void)state;
	char *error = NULL;
	assert_true(template_load(messages, G_N_ELEMENTS(messages), &error));
	json_t *ctx = json_pack("{s:s,s:s,s:i}", "who", "\"Li\"", "what", "<b>", "n", 1);
	char *en = render("en", ctx), *zh = render("zh", ctx);
	assert_string_equal(en, "<h1>Not found</h1>\n<p title=\"Not found\">&quot;Li&quot; &amp; &lt;&lt;b&gt;&gt;</p>"
				"<p>1 person</p>");
	assert_non_null(strstr(zh, "<h1>未找到</h1>\n<p title=\"未找到\">"));
	json_object_set_new(ctx, "n", json_integer(3));
	char *en3 = render("en", ctx);
	assert_non_null(strstr(en3, "<p>3 people</p>"));
	g_free(en);
	g_free(zh);
	g_free(en3);
	json_decref(ctx);
}

/* "training-course" -> "Training course", as view_label makes it */
static char *label_of(const char *value)
{
	char *label = g_strdup(value);
	for (char *p = label; *p; p++)
		if (*p == '-')
			*p = ' ';
	label[0] = g_ascii_toupper(label[0]);
	return label;
}

static void test_every_vocabulary_label_is_translated(void **state)
{
	(void)state;
	const char *const *const vocabularies[] = {
		program_kinds, program_modes, phase_kinds,     phase_statuses,   enrolment_roles,
		enrolment_statuses, venue_kinds, session_kinds, item_kinds,       org_kinds,
		article_sections,   article_statuses, account_roles,
	};
	const struct catalog *zh = catalog_for("zh");
	for (size_t v = 0; v < G_N_ELEMENTS(vocabularies); v++)
		for (const char *const *value = vocabularies[v]; *value; value++) {
			char *label = label_of(*value);
			bool listed = false;
			for (const char *const *l = view_vocabulary_labels; *l; l++)
				listed |= strcmp(*l, label) == 0;
			if (!listed || strcmp(catalog_text(zh, label), label) == 0)
				fail_msg("'%s' (%s): its label is %s", label, *value,
					 listed ? "not translated in po/zh.po" : "missing from view_vocabulary_labels");
			g_free(label);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_plurals),
		cmocka_unit_test(test_bad_message_tags),
		cmocka_unit_test(test_template_messages),
		cmocka_unit_test(test_every_vocabulary_label_is_translated),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
