/*
 * body.h: a POST's body as it arrives (server.c): an HTML form's fields
 * through libmicrohttpd's PostProcessor (its file parts spooled to
 * temporary files), or a JSON body spooled to a temporary file; within a
 * byte limit, text checked as UTF-8 without control characters.
 */
#pragma once
#include <microhttpd.h>
#include <stdint.h>

#include "http/http.h"

struct body;

/*
 * Starts reading c's body as kind, at most limit bytes. Returns 0 with *out,
 * or the status to answer at once (400, 413, 415) with *problem.
 */
int body_start(struct MHD_Connection *c, enum body_kind kind, uint64_t limit, struct body **out,
	       const char **problem);
/* Takes one piece. false when the body is over its limit or malformed: the connection is dropped. */
bool body_feed(struct body *b, const char *data, size_t size);
/*
 * The whole body arrived: hands the fields, uploads or raw file to r (freed
 * by body_release). Returns 0, or a status (400) with *problem.
 */
int body_finish(struct body *b, struct request *r, const char **problem);
/* Whether type (a Content-Type header, or NULL) is one a body of kind is taken in. */
bool body_type_ok(enum body_kind kind, const char *type);
/* A form's text: UTF-8, no control characters but tab and line ends. */
bool body_text_is_clean(const char *s, size_t len);
/* Frees b (NULL is fine). */
void body_free(struct body *b);
/* Frees what body_finish handed to r. */
void body_release(struct request *r);
