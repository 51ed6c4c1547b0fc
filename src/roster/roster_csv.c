/*
 * roster_csv.c: the roster's file (roster.h), read and written: its
 * encoding, a BOM, its delimiter, its header and its rows, through libcsv,
 * each row with the line it starts on.
 */
#include <csv.h>
#include <stdarg.h>
#include <string.h>

#include "core/cli.h"
#include "roster/roster.h"

const char *const roster_columns[ROSTER_COLUMNS] = {
	"key", "honorific", "name", "position", "organization", "country", "email", "role", "status",
};

void roster_report(struct report *r, const char *name, size_t line, const char *column,
		   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	char *at = column ? g_strdup_printf("%s:%zu:%s", name, line, column)
			  : g_strdup_printf("%s:%zu", name, line);
	report_add(r, at, NULL, "%s", message);
	g_free(at);
	g_free(message);
}

/* ------------------------------------------------------------ records */

/* The records of a CSV text as libcsv hands them, each with the line it starts on. */
struct records {
	struct arena *a;
	GPtrArray *fields; /* of the record being read: arena strings */
	size_t line;       /* the line being fed to libcsv */
	size_t start;      /* the line where the record being read starts */
	bool open;         /* a record is being read */
	size_t wanted;     /* stop after this many records (0: read them all) */
	size_t count;
	/* a whole record: its n fields, each NUL-terminated */
	void (*record)(void *ctx, size_t line, char **fields, size_t n);
	void *ctx;
};

/* Where libcsv found the text malformed. */
struct malformed {
	size_t line, character; /* character counted from 1 in its line; 0 at the end of the text */
	size_t field;           /* the field of its record, from 0 */
	bool quoted;            /* within a quoted field */
};

static void on_field(void *field, size_t len, void *data)
{
	struct records *rec = data;
	g_ptr_array_add(rec->fields, arena_strndup(rec->a, field ? field : "", field ? len : 0));
}

static void on_record(int terminator, void *data)
{
	(void)terminator;
	struct records *rec = data;
	rec->count++;
	rec->record(rec->ctx, rec->start, (char **)rec->fields->pdata, rec->fields->len);
	g_ptr_array_set_size(rec->fields, 0);
	rec->open = false;
}

/* The end of the line that starts at at: after its LF, CRLF or lone CR, as libcsv ends records. */
static size_t line_end(const char *text, size_t len, size_t at)
{
	while (at < len && text[at] != '\n' && text[at] != '\r')
		at++;
	if (at < len && text[at] == '\r')
		at++;
	if (at < len && text[at] == '\n')
		at++;
	return at;
}

/* true when the n bytes at s hold more than the blanks and line ends that libcsv skips between records */
static bool has_content(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return true;
	return false;
}

/*
 * Reads the records of the len bytes of UTF-8 text, fields split by
 * delimiter, feeding libcsv a line at a time so that each record knows the
 * line it starts on. Returns false when the text is malformed (libcsv's
 * strict mode), with where in *bad.
 */
static bool read_records(const char *text, size_t len, char delimiter, struct records *rec,
			 struct malformed *bad)
{
	struct csv_parser p;
	int rc = csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
	g_assert(rc == 0); /* fails only on an unknown option */
	csv_set_delim(&p, (unsigned char)delimiter);
	csv_set_realloc_func(&p, g_realloc); /* out of memory aborts, as everywhere */
	csv_set_free_func(&p, g_free);
	rec->fields = g_ptr_array_new();
	rec->line = 1;
	bool ok = true;
	size_t at = 0;
	while (at < len && (!rec->wanted || rec->count < rec->wanted)) {
		size_t end = line_end(text, len, at);
		if (!rec->open && has_content(text + at, end - at)) {
			rec->open = true;
			rec->start = rec->line;
		}
		size_t parsed = csv_parse(&p, text + at, end - at, on_field, on_record, rec);
		if (parsed != end - at) {
			*bad = (struct malformed){rec->line, (size_t)g_utf8_strlen(text + at, (gssize)parsed) + 1,
						  rec->fields->len, p.quoted != 0};
			ok = false;
			break;
		}
		at = end;
		rec->line++;
	}
	if (ok && (!rec->wanted || rec->count < rec->wanted) &&
	    csv_fini(&p, on_field, on_record, rec) != 0) {
		*bad = (struct malformed){rec->start, 0, rec->fields->len, true};
		ok = false;
	}
	csv_free(&p);
	g_ptr_array_free(rec->fields, TRUE);
	rec->fields = NULL;
	return ok;
}

/* ------------------------------------------------------------ the header */

static int column_named(const char *name)
{
	for (int c = 0; c < ROSTER_COLUMNS; c++)
		if (g_ascii_strcasecmp(name, roster_columns[c]) == 0)
			return c;
	return -1;
}

/* Counts the known column names of the first record: the delimiter is the one that finds more. */
struct header_count {
	size_t known;
};

static void count_known(void *ctx, size_t line, char **fields, size_t n)
{
	(void)line;
	struct header_count *hc = ctx;
	for (size_t i = 0; i < n; i++)
		hc->known += column_named(g_strstrip(fields[i])) >= 0;
}

static size_t known_names(const char *text, size_t len, char delimiter)
{
	struct arena a = ARENA_INIT;
	struct header_count hc = {0};
	struct records rec = {.a = &a, .wanted = 1, .record = count_known, .ctx = &hc};
	struct malformed bad;
	read_records(text, len, delimiter, &rec, &bad);
	arena_free(&a);
	return hc.known;
}

/* ------------------------------------------------------------ reading */

enum { COLUMN_NONE = -1, COLUMN_EXTRA = -2 };

struct reader {
	const char *name;
	struct arena *a;
	struct roster *out;
	struct report *r;
	bool header_read;
	GArray *columns; /* int: the roster_column of each field of the header, or COLUMN_NONE */
	size_t cap;      /* of out->rows */
};

static void list_columns(GString *out)
{
	for (int c = 0; c < ROSTER_COLUMNS; c++)
		g_string_append_printf(out, "%s%s", c ? ", " : "", roster_columns[c]);
}

static void read_header(struct reader *rd, size_t line, char **fields, size_t n)
{
	GString *all = g_string_new(NULL);
	list_columns(all);
	size_t first[ROSTER_COLUMNS] = {0};
	for (size_t i = 0; i < n; i++) {
		const char *field = g_strstrip(fields[i]);
		int c = column_named(field);
		g_array_append_val(rd->columns, c);
		if (!*field) {
			roster_report(rd->r, rd->name, line, NULL,
				      report_tr(rd->r, "column %zu of the header has no name: name it (%s) or "
							"delete the column"),
				      i + 1, all->str);
		} else if (c < 0) {
			const char *near = cli_suggest(field, roster_columns, ROSTER_COLUMNS);
			if (near)
				roster_report(rd->r, rd->name, line, field,
					      report_tr(rd->r, "unknown column (did you mean '%s'?); the columns are %s"),
					      near, all->str);
			else
				roster_report(rd->r, rd->name, line, field,
					      report_tr(rd->r, "unknown column; the columns are %s"), all->str);
		} else if (rd->out->has[c]) {
			roster_report(rd->r, rd->name, line, roster_columns[c],
				      report_tr(rd->r, "column named twice (columns %zu and %zu)"), first[c], i + 1);
		} else {
			rd->out->has[c] = true;
			first[c] = i + 1;
		}
	}
	if (!rd->out->has[ROSTER_NAME] && n)
		roster_report(rd->r, rd->name, line, NULL,
			      report_tr(rd->r, "no column 'name': the header must name it; the columns are %s"),
			      all->str);
	g_string_free(all, TRUE);
}

static void read_row(struct reader *rd, size_t line, char **fields, size_t n)
{
	struct roster_row row = {.line = line};
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		char *cell = g_strstrip(fields[i]);
		if (!*cell)
			continue;
		if (i >= rd->columns->len) {
			roster_report(rd->r, rd->name, line, NULL,
				      report_tr(rd->r, "%zu fields, more than the header's %u columns"), n,
				      rd->columns->len);
			return;
		}
		int c = g_array_index(rd->columns, int, i);
		if (c >= 0) {
			row.cell[c] = cell;
			any = true;
		}
	}
	if (any) /* a row of empty cells, as spreadsheets leave them, is no row */
		*ARRAY_PUSH(rd->a, rd->out->rows, &rd->cap) = row;
}

static void on_row(void *ctx, size_t line, char **fields, size_t n)
{
	struct reader *rd = ctx;
	if (rd->header_read) {
		read_row(rd, line, fields, n);
		return;
	}
	rd->header_read = true;
	read_header(rd, line, fields, n);
}

/* "not UTF-8" and where, with how to make the file right. */
static void report_not_utf8(struct reader *rd, const char *text, const char *bad)
{
	size_t line = 1;
	const char *line_start = text;
	for (const char *p = text; p < bad; p++)
		if (*p == '\n') {
			line++;
			line_start = p + 1;
		}
	/* the part of the line before the bad byte is valid: its characters can be counted */
	roster_report(rd->r, rd->name, line, NULL,
		      report_tr(rd->r, "not UTF-8: byte 0x%02X at character %ld of the line; save the file "
				       "as \"CSV UTF-8\" in the spreadsheet, or name its encoding "
				       "(--encoding GBK, --encoding Windows-1252...)"),
		      (unsigned char)*bad, g_utf8_strlen(line_start, bad - line_start) + 1);
}

bool roster_encoding_known(const char *encoding)
{
	GIConv cd = g_iconv_open("UTF-8", encoding);
	if (cd == (GIConv)-1)
		return false;
	g_iconv_close(cd);
	return true;
}

/* The text of data in UTF-8 (g_free): converted from encoding, or data itself; NULL after a problem. */
static char *to_utf8(struct reader *rd, const char *data, size_t len, const char *encoding,
		     size_t *out_len, bool *unknown)
{
	if (!encoding)
		return g_strndup(data, len); /* never NULL, even for no bytes */
	if (!roster_encoding_known(encoding)) {
		*unknown = true;
		return NULL;
	}
	gsize read = 0, written = 0;
	GError *e = NULL;
	char *text = g_convert(data, (gssize)len, "UTF-8", encoding, &read, &written, &e);
	if (text) {
		*out_len = written;
		return text;
	}
	size_t line = 1;
	for (size_t i = 0; i < read && i < len; i++)
		line += data[i] == '\n';
	if (read < len)
		roster_report(rd->r, rd->name, line, NULL, report_tr(rd->r, "not %s: %s"), encoding,
			      e->message);
	else
		roster_report(rd->r, rd->name, line, NULL, report_tr(rd->r, "not %s: %s (at the end)"),
			      encoding, e->message);
	g_error_free(e);
	return NULL;
}

enum roster_read_result roster_read(const char *name, const char *data, size_t len,
				    const char *encoding, struct arena *a, struct roster *out,
				    struct report *r)
{
	*out = (struct roster){.name = arena_strdup(a, name), .delimiter = ','};
	struct reader rd = {.name = name, .a = a, .out = out, .r = r};
	size_t before = r->count;
	bool unknown = false;
	size_t text_len = len;
	char *text = to_utf8(&rd, data, len, encoding, &text_len, &unknown);
	if (!text)
		return unknown ? ROSTER_READ_UNKNOWN_ENCODING : ROSTER_READ_INVALID;
	const char *start = text;
	if (text_len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		start += 3;
		text_len -= 3;
	}
	const char *bad;
	if (!g_utf8_validate_len(start, text_len, &bad)) {
		report_not_utf8(&rd, start, bad);
		g_free(text);
		return ROSTER_READ_INVALID;
	}
	if (known_names(start, text_len, ';') > known_names(start, text_len, ','))
		out->delimiter = ';';
	rd.columns = g_array_new(FALSE, FALSE, sizeof(int));
	struct records rec = {.a = a, .record = on_row, .ctx = &rd};
	struct malformed m;
	if (!read_records(start, text_len, out->delimiter, &rec, &m)) {
		const char *column = NULL;
		if (rd.header_read && m.field < rd.columns->len && g_array_index(rd.columns, int, m.field) >= 0)
			column = roster_columns[g_array_index(rd.columns, int, m.field)];
		if (!m.character)
			roster_report(r, name, m.line, column,
				      report_tr(r, "a quoted field has no closing quote: the file ends inside it"));
		else if (m.quoted)
			roster_report(r, name, m.line, column,
				      report_tr(r, "text after the closing quote of a field, at character %zu of "
						   "the line (a quote inside a quoted field is written twice: \"\")"),
				      m.character);
		else
			roster_report(r, name, m.line, column,
				      report_tr(r, "a quote inside a field that does not start with one, at "
						   "character %zu of the line (quote the whole field and write the "
						   "quote twice: \"\")"),
				      m.character);
	} else if (!rd.header_read) {
		GString *all = g_string_new(NULL);
		list_columns(all);
		roster_report(r, name, 1, NULL,
			      report_tr(r, "no header: the first line names the columns (%s)"), all->str);
		g_string_free(all, TRUE);
	}
	g_array_free(rd.columns, TRUE);
	g_free(text);
	return r->count > before ? ROSTER_READ_INVALID : ROSTER_READ_OK;
}

/* ------------------------------------------------------------ writing */

/* Appends value, quoted (RFC 4180: a quote inside written twice), to out. */
static void append_field(GString *out, const char *value, bool first)
{
	if (!first)
		g_string_append_c(out, ',');
	value = value ? value : "";
	size_t len = strlen(value), at = out->len;
	size_t n = csv_write(NULL, 0, value, len);
	g_string_set_size(out, at + n);
	csv_write(out->str + at, n, value, len);
}

void roster_write(GString *out, const struct program *p, const struct directory *people)
{
	g_string_append(out, "\xEF\xBB\xBF");
	for (int c = 0; c < ROSTER_COLUMNS; c++)
		append_field(out, roster_columns[c], c == 0);
	g_string_append(out, "\r\n");
	for (size_t i = 0; i < p->enrolments.n; i++) {
		const struct enrolment *e = &p->enrolments.v[i];
		const struct person *who = directory_person(people, e->person);
		struct person none = {.key = e->person};
		if (!who)
			who = &none;
		const char *cells[ROSTER_COLUMNS] = {
			who->key, who->honorific, who->name, who->position, who->organization,
			who->country, who->email, e->role, e->status,
		};
		for (int c = 0; c < ROSTER_COLUMNS; c++)
			append_field(out, cells[c], c == 0);
		g_string_append(out, "\r\n");
	}
}
