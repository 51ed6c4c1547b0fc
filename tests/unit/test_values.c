/*
 * test_values.c: unit tests of the value kinds of podium-program/1
 * (core/values.h) and of the problem report they write to (core/report.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "core/report.h"
#include "core/values.h"
#include "http/uri.h"
#include "report_asserts.h"

/* ---- helpers ---------------------------------------------------------- */

/* A fresh report per test, freed by the teardown even when the test fails. */
static int report_setup(void **state)
{
	struct report *r = g_new0(struct report, 1);
	report_init(r);
	*state = r;
	return 0;
}

static int report_teardown(void **state)
{
	struct report *r = *state;
	report_free(r);
	g_free(r);
	return 0;
}

/* Returns a newly allocated string of n copies of unit (free with g_free). */
static char *repeat(const char *unit, size_t n)
{
	GString *s = g_string_new(NULL);
	for (size_t i = 0; i < n; i++)
		g_string_append(s, unit);
	return g_string_free(s, FALSE);
}

/* ---- value_is_key ----------------------------------------------------- */

/* A log line: text_is_plain_line says when text_escape_line has nothing to change. */
static void test_escape_line(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"/programs/a?b=c d", "/programs/a?b=c d"}, {"", ""},       {"a\nb", "a\\nb"},
		{"tab\there", "tab\\there"},               {"\x7f", "\\u007F"}, {"\xff", "\\xFF"},
		{"caf\xc3\xa9", "caf\xc3\xa9"}, /* UTF-8 is kept, though not "plain" */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = text_escape_line(cases[i].in);
		assert_string_equal(got, cases[i].out);
		if (text_is_plain_line(cases[i].in))
			assert_string_equal(got, cases[i].in);
		g_free(got);
	}
	assert_true(text_is_plain_line("/programs/a?b=c d"));
	assert_false(text_is_plain_line("a\nb"));
	assert_false(text_is_plain_line("caf\xc3\xa9"));
	assert_false(text_is_plain_line("\x7f"));
}

/* An address escaped for a cache key or a link: the same as GLib's, with or without its work. */
static void test_uri_append_escaped(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"", "/programs/malaysia-hightech-2021", "a-b.c_d~e", "a b", "a/b", "a?b=c&d", "%41", "caf\xc3\xa9",
		"\xff", "+", "\x01", "/zh/\xe4\xb8\xad",
	};
	static const char *const reserved[] = {NULL, "/"};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
		for (size_t j = 0; j < G_N_ELEMENTS(reserved); j++) {
			GString *want = g_string_new("x"), *got = g_string_new("x");
			g_string_append_uri_escaped(want, cases[i], reserved[j], TRUE);
			uri_append_escaped(got, cases[i], reserved[j]);
			assert_string_equal(got->str, want->str);
			g_string_free(want, TRUE);
			g_string_free(got, TRUE);
		}
}

/* The request target: a plain one is fine at once; anything else is decoded and judged. */
static void test_uri_target(void **state)
{
	(void)state;
	assert_null(uri_target_problem("/programs/a?b=c&d=e+f", 21));
	assert_null(uri_target_problem("/a%20b", 6));
	assert_null(uri_target_problem("/a b", 4));
	assert_non_null(uri_target_problem("/a%00b", 6));
	assert_non_null(uri_target_problem("/a%4", 4));
	assert_non_null(uri_target_problem("/a\x01", 3));
	assert_non_null(uri_target_problem("/a\xff", 3));
	assert_non_null(uri_target_problem("/a?b=%ff", 8));
	assert_non_null(uri_target_problem("a", 1));
	assert_non_null(uri_target_problem("/a\0b", 4)); /* a NUL inside the length */
}

static void test_key_valid(void **state)
{
	(void)state;
	assert_true(value_is_key("a"));
	assert_true(value_is_key("0"));
	assert_true(value_is_key("mofcom"));
	assert_true(value_is_key("malaysia-hightech-2021"));
	assert_true(value_is_key("9-a-"));
	assert_true(value_is_key("a--b"));
}

static void test_key_invalid(void **state)
{
	(void)state;
	assert_false(value_is_key(NULL));
	assert_false(value_is_key(""));
	assert_false(value_is_key("Mofcom"));
	assert_false(value_is_key("mofCom"));
	assert_false(value_is_key("-mofcom"));
	assert_false(value_is_key("mof_com"));
	assert_false(value_is_key("mof com"));
	assert_false(value_is_key("mof.com"));
	assert_false(value_is_key(" mofcom"));
	assert_false(value_is_key("mofcom\n"));
	assert_false(value_is_key("caf\xc3\xa9"));         /* café */
	assert_false(value_is_key("\xe5\x95\x86\xe5\x8a\xa1")); /* 商务 */
}

static void test_key_length(void **state)
{
	(void)state;
	char *k64 = repeat("a", 64), *k65 = repeat("a", 65);
	bool ok64 = value_is_key(k64), ok65 = value_is_key(k65);
	g_free(k64);
	g_free(k65);
	assert_true(ok64);
	assert_false(ok65);
}

static void test_check_key_reports(void **state)
{
	struct report *r = *state;
	assert_true(check_key(r, "people[0]", "key", "li-wei", true));
	assert_true(check_key(r, "people[0]", "key", NULL, false));
	assert_count(r, 0);
	assert_false(check_key(r, "people[0]", "key", "Li Wei", true));
	assert_false(check_key(r, "people[1]", "key", NULL, true));
	assert_count(r, 2);
	assert_line_prefix(r, 0, "people[0].key: ");
	assert_line_prefix(r, 1, "people[1].key: ");
}

/* ---- check_text ------------------------------------------------------- */

static void test_text_title_length_cjk(void **state)
{
	struct report *r = *state;
	char *t300 = repeat("\xe6\xb1\x89", 300); /* 300 x U+6C49, 900 bytes */
	char *t301 = repeat("\xe6\xb1\x89", 301);
	bool ok300 = check_text(r, "programs[0]", "title", t300, TEXT_TITLE, true);
	long len300 = value_length(t300);
	g_free(t300);
	assert_true(ok300);
	assert_int_equal(len300, 300);
	assert_count(r, 0);
	bool ok301 = check_text(r, "programs[0]", "title", t301, TEXT_TITLE, true);
	g_free(t301);
	assert_false(ok301);
	assert_count(r, 1);
	assert_line_prefix(r, 0, "programs[0].title: ");
}

static void test_text_person_name_length(void **state)
{
	struct report *r = *state;
	/* counted in code points: 200 x U+00E9 is 400 bytes */
	char *n200 = repeat("\xc3\xa9", 200), *n201 = repeat("\xc3\xa9", 201);
	bool ok200 = check_text(r, "people[3]", "name", n200, TEXT_PERSON_NAME, true);
	bool ok201 = check_text(r, "people[3]", "name", n201, TEXT_PERSON_NAME, true);
	g_free(n200);
	g_free(n201);
	assert_true(ok200);
	assert_false(ok201);
	assert_count(r, 1);
	assert_line_prefix(r, 0, "people[3].name: ");
}

static void test_text_line_and_markdown_limits(void **state)
{
	struct report *r = *state;
	char *l10000 = repeat("x", 10000), *l10001 = repeat("x", 10001);
	char *m200000 = repeat("y", 200000), *m200001 = repeat("y", 200001);
	bool a = check_text(r, "o", "line", l10000, TEXT_LINE, false);
	bool b = check_text(r, "o", "multi", l10000, TEXT_MULTILINE, false);
	bool c = check_text(r, "o", "md", m200000, TEXT_MARKDOWN, true);
	bool d = check_text(r, "o", "line", l10001, TEXT_LINE, false);
	bool e = check_text(r, "o", "multi", l10001, TEXT_MULTILINE, false);
	bool f = check_text(r, "o", "md", m200001, TEXT_MARKDOWN, true);
	g_free(l10000);
	g_free(l10001);
	g_free(m200000);
	g_free(m200001);
	assert_true(a);
	assert_true(b);
	assert_true(c);
	assert_false(d);
	assert_false(e);
	assert_false(f);
	assert_count(r, 3);
	assert_line_prefix(r, 0, "o.line: ");
	assert_line_prefix(r, 1, "o.multi: ");
	assert_line_prefix(r, 2, "o.md: ");
}

static void test_text_empty(void **state)
{
	struct report *r = *state;
	assert_false(check_text(r, "organizations[0]", "name", "", TEXT_TITLE, true));
	assert_false(check_text(r, "people[0]", "name", "", TEXT_PERSON_NAME, true));
	assert_count(r, 2);
	assert_line_prefix(r, 0, "organizations[0].name: ");
	assert_line_prefix(r, 1, "people[0].name: ");
	/* other texts may be empty */
	assert_true(check_text(r, "p", "position", "", TEXT_LINE, false));
	assert_true(check_text(r, "p", "summary", "", TEXT_MULTILINE, false));
	assert_count(r, 2);
}

static void test_text_absent(void **state)
{
	struct report *r = *state;
	assert_true(check_text(r, "p", "summary", NULL, TEXT_MULTILINE, false));
	assert_count(r, 0);
	assert_false(check_text(r, "programs[2]", "title", NULL, TEXT_TITLE, true));
	assert_count(r, 1);
	assert_line_prefix(r, 0, "programs[2].title: ");
}

static void test_text_control_chars(void **state)
{
	struct report *r = *state;
	static const char *const bad[] = {
		"bell\x07", "del\x7f", "next\xc2\x85line", "nul-ish\x01", "esc\x1b[0m", "c1\xc2\x9f",
	};
	static const enum text_kind kinds[] = {TEXT_TITLE, TEXT_PERSON_NAME, TEXT_LINE,
					       TEXT_MULTILINE, TEXT_MARKDOWN};
	size_t n = 0;
	for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
		for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
			if (check_text(r, "x", "t", bad[i], kinds[k], true))
				fail_msg("kind %zu accepted control character text #%zu", k, i);
			n++;
			assert_count(r, n);
			assert_line_prefix(r, (guint)(n - 1), "x.t: ");
		}
	}
}

static void test_text_newline_tab(void **state)
{
	struct report *r = *state;
	/* one-line texts */
	assert_false(check_text(r, "s", "title", "Opening\nceremony", TEXT_TITLE, true));
	assert_false(check_text(r, "s", "title", "Opening\tceremony", TEXT_TITLE, true));
	assert_false(check_text(r, "s", "name", "Li\nWei", TEXT_PERSON_NAME, true));
	assert_false(check_text(r, "s", "position", "Director\n", TEXT_LINE, false));
	assert_false(check_text(r, "s", "position", "\tDirector", TEXT_LINE, false));
	assert_count(r, 5);
	for (guint i = 0; i < 5; i++)
		assert_line_prefix(r, i, "s.");
	/* multi-line texts */
	assert_true(check_text(r, "s", "description", "Line one\nLine two\n\tindented",
			       TEXT_MULTILINE, false));
	assert_true(check_text(r, "a", "body_markdown", "# Title\n\n\tcode\n- item\n", TEXT_MARKDOWN,
			       true));
	assert_count(r, 5);
	/* carriage return is a control character, not a newline */
	assert_false(check_text(r, "s", "description", "a\r\nb", TEXT_MULTILINE, false));
	assert_count(r, 6);
	assert_line_prefix(r, 5, "s.description: ");
}

static void test_text_invalid_utf8(void **state)
{
	struct report *r = *state;
	static const char *const bad[] = {
		"\xff",             /* never in UTF-8 */
		"abc\x80",          /* lone continuation byte */
		"\xe6\xb1",         /* truncated sequence */
		"\xc0\xaf",         /* overlong '/' */
		"\xed\xa0\x80",     /* surrogate U+D800 */
		"\xf4\x90\x80\x80", /* beyond U+10FFFF */
		"\xc3\x28",         /* bad continuation */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		if (check_text(r, "people[0]", "name", bad[i], TEXT_PERSON_NAME, true))
			fail_msg("invalid UTF-8 #%zu accepted", i);
		if (check_text(r, "a", "body_markdown", bad[i], TEXT_MARKDOWN, true))
			fail_msg("invalid UTF-8 #%zu accepted in markdown", i);
	}
	assert_count(r, 2 * G_N_ELEMENTS(bad));
	assert_line_prefix(r, 0, "people[0].name: ");
	assert_line_prefix(r, 1, "a.body_markdown: ");
}

static void test_text_valid_unicode(void **state)
{
	struct report *r = *state;
	assert_true(check_text(r, "p", "name", "Datuk Seri Mohd \xc3\x89mile", TEXT_PERSON_NAME, true));
	assert_true(check_text(r, "p", "title", "\xe4\xb8\xad\xe5\x9b\xbd \xf0\x9f\x87\xb2\xf0\x9f\x87\xbe",
			       TEXT_TITLE, true));
	assert_count(r, 0);
	assert_int_equal(value_length("\xe4\xb8\xad\xe5\x9b\xbd"), 2);
	assert_int_equal(value_length("\xf0\x9f\x98\x80"), 1);
	assert_int_equal(value_length(""), 0);
}

/* ---- dates ------------------------------------------------------------- */

static void test_date(void **state)
{
	(void)state;
	assert_true(value_is_date("2021-12-09"));
	assert_true(value_is_date("2024-02-29"));
	assert_true(value_is_date("2000-02-29"));
	/* the years Podium accepts: 1900 to 2200 */
	assert_true(value_is_date("1900-01-01"));
	assert_true(value_is_date("2200-12-31"));
	assert_false(value_is_date("1899-12-31"));
	assert_false(value_is_date("2201-01-01"));
	assert_false(value_is_date("0001-01-01"));
	assert_false(value_is_date("9999-12-31"));
	assert_true(value_is_date_shape("0001-01-01"));
	assert_true(value_is_date_shape("9999-12-31"));
	assert_true(value_is_date("2021-04-30"));
	assert_false(value_is_date("2021-02-29"));
	assert_false(value_is_date("1900-02-29"));
	assert_false(value_is_date("2021-04-31"));
	assert_false(value_is_date("2021-13-01"));
	assert_false(value_is_date("2021-00-10"));
	assert_false(value_is_date("2021-12-00"));
	assert_false(value_is_date("2021-12-32"));
	assert_false(value_is_date("0000-01-01"));
	assert_false(value_is_date("21-12-09"));
	assert_false(value_is_date("2021-1-09"));
	assert_false(value_is_date("2021/12/09"));
	assert_false(value_is_date("2021-12-09x"));
	assert_false(value_is_date("2021-12-09 "));
	assert_false(value_is_date("2021-12-09T00:00:00Z"));
	assert_false(value_is_date(" 2021-12-09"));
	assert_false(value_is_date("+021-12-09"));
	assert_false(value_is_date(""));
	assert_false(value_is_date(NULL));
}

static void test_check_date_outside_years(void **state)
{
	struct report *r = *state;
	assert_false(check_date(r, "programs[0]", "ends_on", "9999-12-31", true));
	assert_count(r, 1);
	assert_line_prefix(r, 0, "programs[0].ends_on: 9999-12-31 is outside the years Podium accepts (1900 to 2200)");
}

static void test_check_date_reports(void **state)
{
	struct report *r = *state;
	assert_true(check_date(r, "programs[0]", "starts_on", "2021-12-09", true));
	assert_true(check_date(r, "programs[0].preparation[0]", "due", NULL, false));
	assert_count(r, 0);
	assert_false(check_date(r, "programs[0]", "ends_on", "2021-02-29", true));
	assert_false(check_date(r, "programs[1]", "starts_on", NULL, true));
	assert_count(r, 2);
	assert_line_prefix(r, 0, "programs[0].ends_on: ");
	assert_line_prefix(r, 1, "programs[1].starts_on: ");
}

/* ---- instants ---------------------------------------------------------- */

static void test_instant_offsets(void **state)
{
	(void)state;
	int64_t t = 0;
	assert_true(value_parse_instant("2021-12-09T09:00:00Z", &t));
	assert_int_equal(t, 1639040400);
	t = 0;
	assert_true(value_parse_instant("2021-12-09T09:00:00+08:00", &t));
	assert_int_equal(t, 1639011600);
	t = 0;
	assert_true(value_parse_instant("2021-12-09T09:00:00-03:00", &t));
	assert_int_equal(t, 1639051200);
	t = 0;
	assert_true(value_parse_instant("2021-12-09T09:00:00+05:45", &t));
	assert_int_equal(t, 1639019700);
	t = 0;
	assert_true(value_parse_instant("2021-12-09T09:00:00+00:00", &t));
	assert_int_equal(t, 1639040400);
	t = -1;
	assert_true(value_parse_instant("1970-01-01T00:00:00Z", &t));
	assert_int_equal(t, 0);
	t = 0;
	assert_true(value_parse_instant("2024-02-29T23:59:59Z", &t));
	assert_int_equal(t, 1709251199);
	/* the same instant written with different offsets */
	int64_t a = 0, b = 1;
	assert_true(value_parse_instant("2021-12-09T00:00:00+08:00", &a));
	assert_true(value_parse_instant("2021-12-08T11:00:00-05:00", &b));
	assert_int_equal(a, b);
	assert_int_equal(a, 1638979200);
}

static void test_instant_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2021-12-09T09:00+08:00",      /* no seconds */
		"2021-12-09T09:00Z",           /* no seconds */
		"2021-12-09T09:00:00.000Z",    /* fraction */
		"2021-12-09T09:00:00.5+08:00", /* fraction */
		"2021-12-09T09:00:00",         /* no offset */
		"2021-12-09t09:00:00Z",        /* lowercase t */
		"2021-12-09T09:00:00z",        /* lowercase z */
		"2021-12-09 09:00:00Z",        /* space */
		"2021-12-09T24:00:00Z",        /* hour 24 */
		"2021-12-09T09:60:00Z",
		"2021-12-09T09:00:60Z",
		"2021-12-09T09:00:00+0800",    /* offset without colon */
		"2021-12-09T09:00:00+08",
		"2021-12-09T09:00:00+24:00",
		"2021-12-09T09:00:00+08:60",
		"2021-12-09T09:00:00 08:00",
		"2021-12-09T09:00:00*08:00",
		"2021-12-09T09:00:00ZZ",
		"2021-12-09T09:00:00Z ",
		"2021-12-09T09:00:00+08:00x",  /* trailing characters */
		"2021-12-09T09:00:00+08:00Z",
		"2021-12-09T09:00:00+08:00:00",
		"2021-02-29T09:00:00Z",        /* no such day */
		"2021-13-09T09:00:00Z",
		"21-12-09T09:00:00Z",
		"2021-12-09",
		"",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		int64_t t = 0;
		if (value_parse_instant(bad[i], &t))
			fail_msg("'%s' was accepted as an instant (%lld)", bad[i], (long long)t);
	}
	int64_t t = 0;
	assert_false(value_parse_instant(NULL, &t));
}

static void test_check_required_instant(void **state)
{
	struct report *r = *state;
	struct instant set = {true, 1639011600}, unset = {false, 0};
	assert_true(check_required_instant(r, "programs[0].sessions[0]", "starts_at", &set));
	assert_count(r, 0);
	assert_false(check_required_instant(r, "programs[0].sessions[0]", "ends_at", &unset));
	assert_count(r, 1);
	assert_line_prefix(r, 0, "programs[0].sessions[0].ends_at: ");
}

/* ---- e-mail and URLs --------------------------------------------------- */

static void test_email(void **state)
{
	(void)state;
	assert_true(value_is_email("a@b"));
	assert_true(value_is_email("li.wei@mofcom.example"));
	assert_true(value_is_email("name+tag@example.org"));
	assert_false(value_is_email(NULL));
	assert_false(value_is_email(""));
	assert_false(value_is_email("li.wei"));
	assert_false(value_is_email("@mofcom.example"));
	assert_false(value_is_email("li.wei@"));
	assert_false(value_is_email("li@wei@mofcom.example"));
	assert_false(value_is_email("li@@mofcom.example"));
	assert_false(value_is_email("li wei@mofcom.example"));
	assert_false(value_is_email("li.wei@mofcom .example"));
	assert_false(value_is_email("li.wei@mofcom.example "));
	assert_false(value_is_email("li\t@mofcom.example"));
}

static void test_https_url(void **state)
{
	(void)state;
	assert_true(value_is_https_url("https://meet.example.com/j/123456?pwd=abc"));
	assert_true(value_is_https_url("https://example.com"));
	assert_true(value_is_https_url("https://example.com:8443/room#x"));
	assert_false(value_is_https_url("http://meet.example.com/j/123456"));
	assert_false(value_is_https_url("ftp://example.com/"));
	assert_false(value_is_https_url("https://"));
	assert_false(value_is_https_url("https:///j/123"));
	assert_false(value_is_https_url("https:example.com"));
	assert_false(value_is_https_url("https://exa mple.com/"));
	assert_false(value_is_https_url("https://example.com/a b"));
	assert_false(value_is_https_url(" https://example.com/"));
	assert_false(value_is_https_url("https://example.com/\n"));
	assert_false(value_is_https_url("example.com"));
	assert_false(value_is_https_url("//example.com/x"));
	assert_false(value_is_https_url(""));
	assert_false(value_is_https_url(NULL));
}

/* ---- choices ----------------------------------------------------------- */

static const char *const colours[] = {"red", "green", "blue", NULL};

static void test_value_in(void **state)
{
	(void)state;
	assert_true(value_in("red", colours));
	assert_true(value_in("blue", colours));
	assert_false(value_in("Red", colours));
	assert_false(value_in("re", colours));
	assert_false(value_in("", colours));
	assert_false(value_in(NULL, colours));
}

static void test_check_choice(void **state)
{
	struct report *r = *state;
	assert_true(check_choice(r, "o", "kind", "green", colours, true));
	assert_true(check_choice(r, "o", "kind", NULL, colours, false));
	assert_count(r, 0);
	assert_false(check_choice(r, "organizations[1]", "kind", "purple", colours, false));
	assert_count(r, 1);
	assert_line_prefix(r, 0, "organizations[1].kind: ");
	/* the message names the value and the choices */
	assert_non_null(strstr(line_at(r, 0), "purple"));
	assert_non_null(strstr(line_at(r, 0), "red, green, blue"));
	assert_false(check_choice(r, "organizations[2]", "kind", NULL, colours, true));
	assert_false(check_choice(r, "organizations[3]", "kind", "GREEN", colours, true));
	assert_count(r, 3);
	assert_line_prefix(r, 1, "organizations[2].kind: ");
	assert_line_prefix(r, 2, "organizations[3].kind: ");
}

/* ---- check_unique ------------------------------------------------------ */

struct keyed {
	int before;
	const char *key;
	double after;
};

static void test_check_unique_records(void **state)
{
	struct report *r = *state;
	struct keyed v[] = {
		{1, "hall", 0}, {2, "zoom", 0}, {3, "hall", 0}, {4, NULL, 0}, {5, NULL, 0}, {6, "zoom", 0},
		{7, "hall", 0},
	};
	check_unique(r, "programs[0]", "venues", v, G_N_ELEMENTS(v), sizeof v[0],
		     offsetof(struct keyed, key), "key", "venue");
	assert_count(r, 3);
	assert_line_prefix(r, 0, "programs[0].venues[2].key: ");
	assert_line_prefix(r, 1, "programs[0].venues[5].key: ");
	assert_line_prefix(r, 2, "programs[0].venues[6].key: ");
	assert_non_null(strstr(line_at(r, 0), "venues[0]"));
	assert_non_null(strstr(line_at(r, 1), "venues[1]"));
	assert_non_null(strstr(line_at(r, 2), "venues[0]"));
}

static void test_check_unique_strings(void **state)
{
	struct report *r = *state;
	const char *none[] = {"a", "b", "c"};
	check_unique(r, "programs[0]", "countries", none, 3, sizeof none[0], 0, NULL, "country");
	assert_count(r, 0);
	const char *one[] = {"MY"};
	check_unique(r, "programs[0]", "countries", one, 1, sizeof one[0], 0, NULL, "country");
	check_unique(r, "programs[0]", "countries", NULL, 0, sizeof one[0], 0, NULL, "country");
	assert_count(r, 0);
	const char *dup[] = {"MY", "CN", "MY"};
	check_unique(r, "programs[0]", "countries", dup, 3, sizeof dup[0], 0, NULL, "country");
	assert_count(r, 1);
	assert_line_prefix(r, 0, "programs[0].countries[2]: ");
}

/* ---- check_reference --------------------------------------------------- */

static bool refs_exists_mofcom(const struct refs *self, enum ref_kind kind, const char *key)
{
	(void)self;
	return kind == REF_ORGANIZATION && strcmp(key, "mofcom") == 0;
}

static const char *refs_no_parent(const struct refs *self, const char *key)
{
	(void)self;
	(void)key;
	return NULL;
}

static void test_check_reference(void **state)
{
	struct report *r = *state;
	const struct refs refs = {refs_exists_mofcom, refs_no_parent};
	assert_true(check_reference(r, "p", "organization", "mofcom", true, &refs, REF_ORGANIZATION));
	assert_true(check_reference(r, "p", "organization", NULL, false, &refs, REF_ORGANIZATION));
	assert_true(check_reference(r, "p", "organization", "anything", true, NULL, REF_ORGANIZATION));
	assert_count(r, 0);
	assert_false(check_reference(r, "people[0]", "organization", "mofcom", true, &refs, REF_PERSON));
	assert_false(check_reference(r, "people[1]", "organization", "unknown-org", false, &refs,
				     REF_ORGANIZATION));
	assert_false(check_reference(r, "people[2]", "organization", "Not A Key", false, &refs,
				     REF_ORGANIZATION));
	assert_false(check_reference(r, "people[3]", "organization", NULL, true, &refs,
				     REF_ORGANIZATION));
	assert_count(r, 4);
	assert_line_prefix(r, 0, "people[0].organization: ");
	assert_line_prefix(r, 1, "people[1].organization: ");
	assert_line_prefix(r, 2, "people[2].organization: ");
	assert_line_prefix(r, 3, "people[3].organization: ");
}

/* ---- report ------------------------------------------------------------ */

static void test_report_path(void **state)
{
	(void)state;
	static const struct {
		const char *path, *field, *want;
	} cases[] = {
		{"programs[0]", "title", "programs[0].title"},
		{"programs[0]", "[3]", "programs[0][3]"},
		{"programs[0].sessions[1]", "items", "programs[0].sessions[1].items"},
		{NULL, "format", "format"},
		{"", "format", "format"},
		{"programs[0]", NULL, "programs[0]"},
		{"programs[0]", "", "programs[0]"},
		{NULL, NULL, ""},
		{"", "", ""},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = report_path(cases[i].path, cases[i].field);
		bool same = strcmp(got, cases[i].want) == 0;
		if (!same)
			print_message("report_path case %zu: got '%s', want '%s'\n", i, got, cases[i].want);
		g_free(got);
		assert_true(same);
	}
}

static void test_report_path_index(void **state)
{
	(void)state;
	static const struct {
		const char *path, *field;
		size_t index;
		const char *want;
	} cases[] = {
		{"programs[0]", "sessions", 1, "programs[0].sessions[1]"},
		{NULL, "programs", 0, "programs[0]"},
		{"", "people", 12, "people[12]"},
		{"programs[0].sessions[2]", "venues", 99, "programs[0].sessions[2].venues[99]"},
		{"programs[0].countries", NULL, 4, "programs[0].countries[4]"},
		{"programs[0].countries", "", 5, "programs[0].countries[5]"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char buf[REPORT_PATH_MAX];
		memset(buf, 'X', sizeof buf);
		const char *got = report_path_index(buf, cases[i].path, cases[i].field, cases[i].index);
		assert_ptr_equal(got, buf);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("report_path_index case %zu: got '%s', want '%s'", i, got, cases[i].want);
	}
}

static void test_report_path_index_cut(void **state)
{
	(void)state;
	/* a path longer than the buffer is cut, never overflows it */
	char *path = repeat("p", REPORT_PATH_MAX + 100);
	char buf[REPORT_PATH_MAX + 1];
	buf[REPORT_PATH_MAX] = '!';
	report_path_index(buf, path, "items", 3);
	size_t len = strlen(buf);
	bool prefix = strncmp(buf, path, len) == 0;
	g_free(path);
	assert_true(len < REPORT_PATH_MAX);
	assert_true(len > 0);
	assert_true(prefix);
	assert_int_equal(buf[REPORT_PATH_MAX], '!');
}

static void test_report_add(void **state)
{
	struct report *r = *state;
	assert_int_equal(r->count, 0);
	assert_int_equal(r->lines->len, 0);
	report_add(r, "programs[0]", "title", "bad %s %d", "title", 7);
	report_add(r, NULL, "format", "missing");
	report_add(r, NULL, NULL, "line %d, column %d: malformed", 3, 14);
	report_add(r, "programs[0].sessions", "[1]", "x");
	assert_count(r, 4);
	assert_string_equal(line_at(r, 0), "programs[0].title: bad title 7");
	assert_string_equal(line_at(r, 1), "format: missing");
	assert_string_equal(line_at(r, 2), "line 3, column 14: malformed");
	assert_string_equal(line_at(r, 3), "programs[0].sessions[1]: x");
}

static void test_report_cap(void **state)
{
	struct report *r = *state;
	for (int i = 0; i < REPORT_MAX_LINES + 50; i++)
		report_add(r, "people", NULL, "problem %d", i);
	assert_int_equal(r->lines->len, REPORT_MAX_LINES);
	assert_int_equal(r->count, REPORT_MAX_LINES + 50);
	assert_string_equal(line_at(r, 0), "people: problem 0");
	char want[64];
	snprintf(want, sizeof want, "people: problem %d", REPORT_MAX_LINES - 1);
	assert_string_equal(line_at(r, REPORT_MAX_LINES - 1), want);
	/* checks keep counting past the cap */
	assert_false(check_key(r, "people[0]", "key", "BAD", true));
	assert_int_equal(r->count, REPORT_MAX_LINES + 51);
	assert_int_equal(r->lines->len, REPORT_MAX_LINES);
}

static void test_report_free_reinit(void **state)
{
	struct report *r = *state;
	report_add(r, "a", "b", "c");
	report_free(r);
	assert_null(r->lines);
	assert_int_equal(r->count, 0);
	report_free(r); /* twice is harmless */
	report_init(r);
	assert_non_null(r->lines);
	assert_int_equal(r->lines->len, 0);
	assert_int_equal(r->count, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, report_setup, report_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_escape_line),
		T(test_uri_append_escaped),
		T(test_uri_target),
		T(test_key_valid),
		T(test_key_invalid),
		T(test_key_length),
		T(test_check_key_reports),
		T(test_text_title_length_cjk),
		T(test_text_person_name_length),
		T(test_text_line_and_markdown_limits),
		T(test_text_empty),
		T(test_text_absent),
		T(test_text_control_chars),
		T(test_text_newline_tab),
		T(test_text_invalid_utf8),
		T(test_text_valid_unicode),
		T(test_date),
		T(test_check_date_outside_years),
		T(test_check_date_reports),
		T(test_instant_offsets),
		T(test_instant_invalid),
		T(test_check_required_instant),
		T(test_email),
		T(test_https_url),
		T(test_value_in),
		T(test_check_choice),
		T(test_check_unique_records),
		T(test_check_unique_strings),
		T(test_check_reference),
		T(test_report_path),
		T(test_report_path_index),
		T(test_report_path_index_cut),
		T(test_report_add),
		T(test_report_cap),
		T(test_report_free_reinit),
	};
	return cmocka_run_group_tests_name("values", tests, NULL, NULL);
}
