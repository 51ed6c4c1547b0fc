/*
 * test_newsroom.c: unit tests of the newsroom's review workflow
 * (news/news.h: article_step_refused) and of the side-by-side comparison
 * of two revisions (text_compare).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "news/news.h"

static const struct article_actor editor = {.editor = true, .account = "ed@x.org", .person = "ed"};
static const struct article_actor reviewer = {.reviewer = true, .account = "rev@x.org", .person = "rev"};
static const struct article_actor manager = {.editor = true, .reviewer = true, .account = "man@x.org",
					     .person = "man"};
static const struct article_actor nobody = {.account = "no@x.org", .person = "no"};

static const char *refused(const struct article_state *st, const struct article_actor *a, enum article_step step,
			   const char *comment, struct article_outcome *out)
{
	struct article_outcome ignored;
	return article_step_refused(st, a, step, comment, out ? out : &ignored);
}

static void test_a_draft_goes_to_review_and_is_published_by_another(void **state)
{
	(void)state;
	struct article_outcome out;
	struct article_state st = {.status = "draft", .writer = "ed"};
	assert_null(refused(&st, &editor, STEP_SUBMIT, NULL, &out));
	assert_string_equal(out.status, "in-review");
	assert_false(out.pending);
	st.status = "in-review";
	st.submitted_by = "ed@x.org";
	assert_null(refused(&st, &reviewer, STEP_PUBLISH, NULL, &out));
	assert_string_equal(out.status, "published");
	assert_true(out.reviewed);
}

static void test_who_may_not(void **state)
{
	(void)state;
	struct article_state draft = {.status = "draft", .writer = "ed"};
	struct article_state review = {.status = "in-review", .writer = "ed", .submitted_by = "ed@x.org"};
	assert_non_null(refused(&draft, &nobody, STEP_SAVE, NULL, NULL));
	assert_non_null(refused(&draft, &reviewer, STEP_SUBMIT, NULL, NULL)); /* a reviewer alone does not submit */
	assert_non_null(refused(&review, &editor, STEP_PUBLISH, NULL, NULL)); /* an editor cannot publish */
	assert_non_null(refused(&draft, &reviewer, STEP_PUBLISH, NULL, NULL)); /* not in review */
	assert_non_null(refused(&review, &editor, STEP_SUBMIT, NULL, NULL));  /* already in review */
	/* the writer does not publish, even as a manager */
	struct article_state own = {.status = "in-review", .writer = "man"};
	assert_string_equal(refused(&own, &manager, STEP_PUBLISH, NULL, NULL),
			    "You wrote this article: someone else reviews and publishes it.");
	/* nor who submitted it */
	struct article_state submitted = {.status = "in-review", .writer = "ed", .submitted_by = "man@x.org"};
	assert_non_null(refused(&submitted, &manager, STEP_PUBLISH, NULL, NULL));
	/* a reviewer with no person cannot be named */
	struct article_actor anonymous = reviewer;
	anonymous.person = NULL;
	assert_non_null(refused(&review, &anonymous, STEP_PUBLISH, NULL, NULL));
	assert_non_null(refused(&draft, &reviewer, STEP_UNPUBLISH, NULL, NULL));
	assert_non_null(refused(&draft, &editor, STEP_COUNT, NULL, NULL));
}

static void test_a_return_needs_a_comment(void **state)
{
	(void)state;
	struct article_outcome out;
	struct article_state review = {.status = "in-review", .writer = "ed"};
	assert_non_null(refused(&review, &reviewer, STEP_RETURN, NULL, &out));
	assert_non_null(refused(&review, &reviewer, STEP_RETURN, "", &out));
	assert_null(refused(&review, &reviewer, STEP_RETURN, "Name the lab.", &out));
	assert_string_equal(out.status, "draft");
}

static void test_changes_to_a_published_article(void **state)
{
	(void)state;
	struct article_outcome out;
	struct article_state pub = {.status = "published", .writer = "ed"};
	/* an editor's change waits */
	assert_null(refused(&pub, &editor, STEP_SAVE, NULL, &out));
	assert_true(out.pending);
	assert_string_equal(out.status, "draft");
	/* a reviewer's is live */
	assert_null(refused(&pub, &reviewer, STEP_SAVE, NULL, &out));
	assert_false(out.pending);
	assert_string_equal(out.status, "published");
	/* the pending change goes through review, the article staying published */
	pub.pending = true;
	pub.pending_status = "draft";
	assert_null(refused(&pub, &editor, STEP_SUBMIT, NULL, &out));
	assert_true(out.pending);
	assert_string_equal(out.status, "in-review");
	pub.pending_status = "in-review";
	pub.submitted_by = "ed@x.org";
	assert_null(refused(&pub, &reviewer, STEP_RETURN, "No.", &out));
	assert_true(out.pending);
	assert_string_equal(out.status, "draft");
	assert_null(refused(&pub, &reviewer, STEP_PUBLISH, NULL, &out));
	assert_false(out.pending);
	assert_string_equal(out.status, "published");
	assert_null(refused(&pub, &reviewer, STEP_UNPUBLISH, NULL, &out));
	assert_string_equal(out.status, "draft");
	assert_false(out.pending);
}

static void test_step_names(void **state)
{
	(void)state;
	for (int i = 0; i < STEP_COUNT; i++)
		assert_int_equal(article_step_of(article_step_names[i]), i);
	assert_int_equal(article_step_of("preview"), STEP_COUNT);
	assert_int_equal(article_step_of(NULL), STEP_COUNT);
}

static void test_compare_aligns_common_lines(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	diff_lines d;
	assert_false(text_compare("one\ntwo\nthree\n", "one\n2\nthree\nfour", 100, &a, &d));
	assert_int_equal(d.n, 5);
	assert_string_equal(d.v[0].left, "one");
	assert_string_equal(d.v[0].right, "one");
	assert_false(d.v[0].changed);
	/* two removed, 2 added (either order), three common, four added */
	assert_true(d.v[1].changed && d.v[2].changed);
	assert_string_equal(d.v[3].left, "three");
	assert_false(d.v[3].changed);
	assert_null(d.v[4].left);
	assert_string_equal(d.v[4].right, "four");
	assert_false(text_compare("", "", 100, &a, &d));
	assert_int_equal(d.n, 0);
	assert_false(text_compare("same", "same", 100, &a, &d));
	assert_int_equal(d.n, 1);
	assert_false(d.v[0].changed);
	arena_free(&a);
}

static void test_compare_stops_at_the_limit(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	diff_lines d;
	assert_true(text_compare("a\nb\nc\nd\n", "a\nb\n", 2, &a, &d));
	assert_int_equal(d.n, 2);
	assert_false(text_compare("a\nb\n", "a\nb\n", 2, &a, &d));
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_draft_goes_to_review_and_is_published_by_another),
		cmocka_unit_test(test_who_may_not),
		cmocka_unit_test(test_a_return_needs_a_comment),
		cmocka_unit_test(test_changes_to_a_published_article),
		cmocka_unit_test(test_step_names),
		cmocka_unit_test(test_compare_aligns_common_lines),
		cmocka_unit_test(test_compare_stops_at_the_limit),
	};
	return cmocka_run_group_tests_name("newsroom", tests, NULL, NULL);
}
