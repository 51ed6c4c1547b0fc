/*
 * test_roster.c: unit tests of a roster's file and rows (roster/roster.h):
 * reading (encodings, BOM, delimiter, header, line numbers), the words of
 * made keys (core/intl.h), judging rows and writing the file back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "core/intl.h"
#include "core/catalog.h"
#include "roster/roster.h"
#include "report_asserts.h"

/* A roster read from text, with its arena and report: freed by the teardown. */
struct fixture {
	struct arena a;
	struct report r;
	struct roster roster;
};

static int setup(void **state)
{
	struct fixture *f = g_new0(struct fixture, 1);
	report_init(&f->r);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	report_free(&f->r);
	arena_free(&f->a);
	g_free(f);
	return 0;
}

static enum roster_read_result read_text(struct fixture *f, const char *text, const char *encoding)
{
	return roster_read("r.csv", text, strlen(text), encoding, &f->a, &f->roster, &f->r);
}

/* ---- reading ------------------------------------------------------------ */

static void test_read_comma(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(read_text(f, "name,email\nAnwar Ibrahim , anwar@example.my\n\n,\nSiti,\n", NULL),
			 ROSTER_READ_OK);
	assert_int_equal(f->roster.delimiter, ',');
	assert_int_equal(f->roster.rows.n, 2); /* a blank row and a row of empty cells are no rows */
	assert_string_equal(f->roster.rows.v[0].cell[ROSTER_NAME], "Anwar Ibrahim");
	assert_string_equal(f->roster.rows.v[0].cell[ROSTER_EMAIL], "anwar@example.my");
	assert_null(f->roster.rows.v[0].cell[ROSTER_KEY]);
	assert_int_equal(f->roster.rows.v[1].line, 5);
	assert_null(f->roster.rows.v[1].cell[ROSTER_EMAIL]);
	assert_true(f->roster.has[ROSTER_EMAIL]);
	assert_false(f->roster.has[ROSTER_KEY]);
}

static void test_read_semicolon_bom_crlf(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(read_text(f, "\xEF\xBB\xBFName;Position\r\n\"Lim; Kai Hau\";\"A \"\"B\"\"\"\r\n", NULL),
			 ROSTER_READ_OK);
	assert_int_equal(f->roster.delimiter, ';');
	assert_int_equal(f->roster.rows.n, 1);
	assert_string_equal(f->roster.rows.v[0].cell[ROSTER_NAME], "Lim; Kai Hau");
	assert_string_equal(f->roster.rows.v[0].cell[ROSTER_POSITION], "A \"B\"");
	assert_int_equal(f->roster.rows.v[0].line, 2);
}

static void test_read_lines_of_quoted_newlines(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(read_text(f, "name,position\nA,\"one\ntwo\r\nthree\"\rB,x\nC,y", NULL),
			 ROSTER_READ_OK);
	assert_int_equal(f->roster.rows.n, 3);
	assert_int_equal(f->roster.rows.v[0].line, 2);
	assert_string_equal(f->roster.rows.v[0].cell[ROSTER_POSITION], "one\ntwo\r\nthree");
	assert_int_equal(f->roster.rows.v[1].line, 5); /* a lone CR ends a line too */
	assert_int_equal(f->roster.rows.v[2].line, 6); /* no line end at the end */
}

static void test_read_not_utf8(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(read_text(f, "name\nJos\xE9\n", NULL), ROSTER_READ_INVALID);
	assert_count(&f->r, 1);
	assert_line_prefix(&f->r, 0, "r.csv:2: not UTF-8: byte 0xE9 at character 4 of the line; save the "
				     "file as \"CSV UTF-8\"");
}

static void test_read_converted(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(read_text(f, "name\nJos\xE9\n", "WINDOWS-1252"), ROSTER_READ_OK);
	assert_string_equal(f->roster.rows.v[0].cell[ROSTER_NAME], "Jos\xC3\xA9");
	assert_int_equal(read_text(f, "name\n", "NO-SUCH-ENCODING"), ROSTER_READ_UNKNOWN_ENCODING);
}

static void test_read_header_problems(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(read_text(f, "key,e-mail,key\n", NULL), ROSTER_READ_INVALID);
	assert_count(&f->r, 3);
	assert_line_prefix(&f->r, 0, "r.csv:1:e-mail: unknown column (did you mean 'email'?)");
	assert_line_prefix(&f->r, 1, "r.csv:1:key: column named twice (columns 1 and 3)");
	assert_line_prefix(&f->r, 2, "r.csv:1: no column 'name'");
}

static void test_read_empty(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(read_text(f, "", NULL), ROSTER_READ_INVALID);
	assert_line_prefix(&f->r, 0, "r.csv:1: no header");
}

static void test_read_malformed(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(read_text(f, "name,position\nA,\"x\"y\n", NULL), ROSTER_READ_INVALID);
	assert_line_prefix(&f->r, 0, "r.csv:2:position: text after the closing quote of a field, at character 6");
}

/* ---- the words of keys --------------------------------------------------- */

static void test_ascii_words(void **state)
{
	(void)state;
	char out[57];
	intl_ascii_words("Anwar  Ibrahim", out, sizeof out);
	assert_string_equal(out, "anwar-ibrahim");
	intl_ascii_words("李大伟", out, sizeof out);
	assert_string_equal(out, "li-da-wei");
	intl_ascii_words("Dato' Sri Ñoño-Pérez", out, sizeof out);
	assert_string_equal(out, "dato-sri-nono-perez");
	intl_ascii_words("!!!", out, sizeof out);
	assert_string_equal(out, "");
	char small[12];
	intl_ascii_words("Mohd Hafiz bin Abdullah", small, sizeof small);
	assert_string_equal(small, "mohd-hafiz"); /* cut at a word's end */
	intl_ascii_words("Abcdefghijklmnopqrstuvwxyz", small, sizeof small);
	assert_string_equal(small, "abcdefghijk");
}

/* ---- judging and writing ------------------------------------------------ */

static const char *const people_stored[] = {"lim-kai-hau", "anwar-ibrahim", NULL};
static const char *const orgs_stored[] = {"mofcom", "my-mot", NULL};

static bool stored_exists(const struct refs *self, enum ref_kind kind, const char *key)
{
	(void)self;
	return value_in(key, kind == REF_PERSON ? people_stored : orgs_stored);
}

static const char *no_parent(const struct refs *self, const char *key)
{
	(void)self;
	(void)key;
	return NULL;
}

static bool plan_text(struct fixture *f, const char *text, struct roster_plan *plan)
{
	assert_int_equal(read_text(f, text, NULL), ROSTER_READ_OK);
	static struct person people[] = {
		{.key = "lim-kai-hau", .name = "Lim Kai Hau", .email = "Lim@Example.my"},
	};
	static struct org orgs[] = {
		{.key = "my-mot", .name = "Ministry of Transport", .short_name = "MOT", .country = "MY"},
	};
	static struct enrolment enrolled[] = {{"lim-kai-hau", "participant", "confirmed"}};
	static const struct program program = {
		.slug = "p", .title = "P", .kind = "seminar", .mode = "online", .timezone = "Etc/UTC",
		.starts_on = "2021-12-09", .ends_on = "2021-12-22", .host = "mofcom",
		.organizer = "mofcom", .capacity = {true, 2}, .enrolments = {enrolled, 1},
	};
	struct directory known = {.people = {people, 1}, .orgs = {orgs, 1}};
	static const struct refs refs = {stored_exists, no_parent, NULL};
	return roster_plan(&f->roster, &program, &known, &refs, &f->a, plan, &f->r);
}

static void test_plan_matches_and_adds(void **state)
{
	struct fixture *f = *state;
	struct roster_plan plan;
	bool fine = plan_text(f, "name,email,organization,role\n"
				 "Lim K. H.,LIM@EXAMPLE.MY,MOT,speaker\n"
				 "Anwar Ibrahim,,Ministry of Transport,\n"
				 "Kumar,,Universiti Malaya,\n", &plan);
	if (!fine)
		report_dump(&f->r);
	assert_true(fine);
	assert_int_equal(plan.steps.n, 3);
	assert_int_equal(plan.steps.v[0].match, ROSTER_BY_EMAIL);
	assert_int_equal(plan.steps.v[0].enrol, ROSTER_ENROLMENT_UPDATED);
	assert_string_equal(plan.steps.v[0].person.organization, "my-mot");
	/* anwar-ibrahim is taken (stored, not named by a row): the made key moves on */
	assert_string_equal(plan.steps.v[1].person.key, "anwar-ibrahim-2");
	assert_non_null(plan.steps.v[2].new_org);
	assert_string_equal(plan.steps.v[2].new_org->key, "universiti-malaya");
	assert_int_equal(plan.program.enrolments.n, 3);
	char *line = roster_step_line(&plan.steps.v[0], NULL);
	assert_string_equal(line, "line 2: match person lim-kai-hau (Lim Kai Hau) by email, change name, "
				  "organization, email, update enrolment from participant (confirmed) to "
				  "speaker (confirmed)");
	g_free(line);
	char *summary = roster_summary_line("p", &plan.counts, false, NULL);
	assert_string_equal(summary, "roster p: 3 rows: 2 people added, 1 matched, 1 changed, "
				     "1 organization added; 2 enrolled, 1 enrolment updated");
	g_free(summary);
	/* and for a page in Chinese, from the catalog (plural forms included) */
	char *error = NULL;
	assert_true(catalog_load_all(&error));
	const struct catalog *zh = catalog_for("zh");
	line = roster_step_line(&plan.steps.v[0], zh);
	assert_null(strstr(line, "match person"));
	assert_non_null(strstr(line, "lim-kai-hau"));
	g_free(line);
	summary = roster_summary_line("p", &plan.counts, false, zh);
	assert_null(strstr(summary, "rows"));
	assert_non_null(strstr(summary, "3"));
	g_free(summary);
}

static void test_plan_problems_by_line(void **state)
{
	struct fixture *f = *state;
	struct roster_plan plan;
	assert_false(plan_text(f, "name,country,status,organization\n"
				  "A,Malaysia,confirmed,\n"
				  "B,MY,confirmed,nowhere\n"
				  "C,MY,confirmed,\n"
				  "D,MY,maybe,\n", &plan));
	assert_count(&f->r, 4);
	assert_line_prefix(&f->r, 0, "r.csv:2:country: 'Malaysia' is not an ISO 3166-1");
	assert_line_prefix(&f->r, 1, "r.csv:3:organization: unknown organization 'nowhere'");
	/* the row of the third confirmed participant: rows with other problems count too */
	assert_line_prefix(&f->r, 2, "r.csv:3:status: 4 confirmed participants exceed the capacity of 2");
	assert_line_prefix(&f->r, 3, "r.csv:5:status: 'maybe' is not one of invited");
}

static void test_write_reads_back(void **state)
{
	struct fixture *f = *state;
	struct person people[] = {
		{.key = "a", .name = "A \"the\" B, C", .email = "a@b.org"},
		{.key = "lim-kai-hau", .name = "Lim Kai Hau", .honorific = "Mr."},
	};
	struct directory dir = {.people = {people, 2}};
	directory_sort(&dir);
	struct enrolment enrolled[] = {{"lim-kai-hau", "participant", "confirmed"}, {"a", "guest", "invited"}};
	struct program p = {.slug = "p", .enrolments = {enrolled, 2}};
	GString *out = g_string_new(NULL);
	roster_write(out, &p, &dir);
	assert_true(g_str_has_prefix(out->str, "\xEF\xBB\xBF\"key\",\"honorific\",\"name\","));
	assert_int_equal(roster_read("w.csv", out->str, out->len, NULL, &f->a, &f->roster, &f->r),
			 ROSTER_READ_OK);
	assert_int_equal(f->roster.rows.n, 2);
	assert_string_equal(f->roster.rows.v[0].cell[ROSTER_HONORIFIC], "Mr.");
	assert_string_equal(f->roster.rows.v[1].cell[ROSTER_NAME], "A \"the\" B, C");
	assert_string_equal(f->roster.rows.v[1].cell[ROSTER_ROLE], "guest");
	assert_null(f->roster.rows.v[1].cell[ROSTER_POSITION]);
	g_string_free(out, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_comma, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_semicolon_bom_crlf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_lines_of_quoted_newlines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_not_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_converted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_header_problems, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_malformed, setup, teardown),
		cmocka_unit_test(test_ascii_words),
		cmocka_unit_test_setup_teardown(test_plan_matches_and_adds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_problems_by_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_reads_back, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
