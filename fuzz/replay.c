/*
 * replay.c: runs a fuzz target once over every file of a corpus (the
 * directories named on the command line), each in a child process of its
 * own, so that a crash is reported as the file that caused it and the
 * others still run. What `make test` runs in place of the fuzzer.
 * With REPLAY_XML set, writes a JUnit report there, a test case per file.
 */
#include <dirent.h>
#include <errno.h>
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct outcome {
	char *name;
	int status; /* 0 passed */
};

static int run_one(const char *path)
{
	gchar *data = NULL;
	gsize size = 0;
	GError *e = NULL;
	if (!g_file_get_contents(path, &data, &size, &e)) {
		fprintf(stderr, "replay: %s: %s\n", path, e->message);
		g_error_free(e);
		return 2;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		LLVMFuzzerTestOneInput((const uint8_t *)data, size);
		_exit(0);
	}
	g_free(data);
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 2;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	fprintf(stderr, "replay: %s: %s %d\n", path, WIFSIGNALED(status) ? "killed by signal" : "exit",
		WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	return 1;
}

static void xml_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else if ((unsigned char)*s < 0x20)
			fputc('?', f);
		else
			fputc(*s, f);
	}
}

int main(int argc, char **argv)
{
	GArray *outcomes = g_array_new(FALSE, FALSE, sizeof(struct outcome));
	for (int i = 1; i < argc; i++) {
		GDir *dir = g_dir_open(argv[i], 0, NULL);
		GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
		if (dir) {
			const char *name;
			while ((name = g_dir_read_name(dir)))
				g_ptr_array_add(files, g_build_filename(argv[i], name, NULL));
			g_dir_close(dir);
		} else {
			g_ptr_array_add(files, g_strdup(argv[i]));
		}
		g_ptr_array_sort(files, (GCompareFunc)g_strcmp0);
		for (guint k = 0; k < files->len; k++) {
			const char *path = g_ptr_array_index(files, k);
			struct outcome o = {g_path_get_basename(path), run_one(path)};
			g_array_append_val(outcomes, o);
		}
		g_ptr_array_free(files, TRUE);
	}
	int failed = 0;
	for (guint i = 0; i < outcomes->len; i++)
		failed += g_array_index(outcomes, struct outcome, i).status != 0;
	const char *xml = g_getenv("REPLAY_XML");
	if (xml) {
		FILE *f = fopen(xml, "w");
		if (f) {
			const char *suite = g_getenv("REPLAY_NAME") ? g_getenv("REPLAY_NAME") : "replay";
			fprintf(f, "<?xml version=\"1.0\"?>\n<testsuite name=\"%s\" tests=\"%u\" failures=\"%d\">\n",
				suite, outcomes->len, failed);
			for (guint i = 0; i < outcomes->len; i++) {
				struct outcome *o = &g_array_index(outcomes, struct outcome, i);
				fprintf(f, "<testcase classname=\"%s\" name=\"", suite);
				xml_escape(f, o->name);
				fprintf(f, o->status ? "\"><failure message=\"crashed\"/></testcase>\n" : "\"/>\n");
			}
			fputs("</testsuite>\n", f);
			fclose(f);
		}
	}
	printf("replay: %u inputs, %d failed\n", outcomes->len, failed);
	int code = failed || !outcomes->len ? 1 : 0;
	for (guint i = 0; i < outcomes->len; i++)
		g_free(g_array_index(outcomes, struct outcome, i).name);
	g_array_free(outcomes, TRUE);
	return code;
}
