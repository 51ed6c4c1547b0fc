/*
 * fuzz_markdown.c: an article's Markdown body, as its page renders it
 * (news_render.c: cmark in safe mode, photo:KEY images made figures), as
 * the rules check its photo references, and as its summary for feeds and
 * link previews (news_feed.c: UTF-8, cut at a character, never longer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html/template.h"
#include "news/news_feed.h"
#include "news/news_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool loaded;
	if (!loaded) {
		char *error = NULL;
		if (!template_load_all(&error))
			abort();
		loaded = true;
	}
	struct photo photos[] = {{"p1", "The first photo"}, {"p2", "<b>\"two\"</b> & 'more'"}, {"x", "x"}};
	char *body = g_strndup((const char *)data, size);
	struct article a = {.key = "a", .section = "news", .title = "T", .created_on = "2021-12-09",
			    .language = "en", .status = "draft", .body_markdown = body,
			    .photos = {photos, G_N_ELEMENTS(photos)}};
	free(news_render_body(&a, NULL));
	if (g_utf8_validate(body, -1, NULL)) /* stored bodies are UTF-8 (check_text) */
		for (size_t max = 1; max < 300; max += 99) {
			char *summary = news_feed_summary(body, max);
			if (summary && (!g_utf8_validate(summary, -1, NULL) ||
					(size_t)g_utf8_strlen(summary, -1) > max))
				abort();
			g_free(summary);
		}
	struct report r;
	report_init(&r);
	article_check(&a, "article", NULL, &r);
	report_free(&r);
	g_free(body);
	return 0;
}
