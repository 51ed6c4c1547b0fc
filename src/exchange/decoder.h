/*
 * decoder.h: podium-program/1 decoded as it streams in (YAJL), straight
 * into the features' records, without a JSON tree: import reads a large
 * document at the speed of parsing, and a request body is never held whole.
 * Decoding checks the JSON and the types; the rules judge the values.
 */
#pragma once
#include "exchange/exchange.h"

/* The top-level lists of a document, in the order their records depend on each other. */
enum section { SECTION_ORGANIZATIONS, SECTION_PEOPLE, SECTION_PROGRAMS, SECTION_COUNT };

struct decoder_events {
	/*
	 * A record of a top-level list is decoded, at index of its list;
	 * problems says whether decoding reported any inside it. The record
	 * stays where it is (in the arena) until the arena is freed.
	 */
	void (*record)(void *ctx, enum section section, size_t index, void *record, bool problems);
	/* A top-level list ended. */
	void (*section_end)(void *ctx, enum section section);
};

struct decoder;

/*
 * A decoder of the document named name (in messages) into doc, its
 * strings and arrays in a. Type problems go to decoded ("path: message");
 * malformed JSON, bytes that are not UTF-8 and nesting past max_depth to
 * malformed ("NAME:LINE:COLUMN: message"), after which it takes nothing
 * more.
 */
struct decoder *decoder_new(const char *name, long long max_depth, struct arena *a,
			    struct document *doc, struct report *decoded, struct report *malformed,
			    const struct decoder_events *events, void *ctx);
/* Decodes the next len bytes; false once the document is malformed. */
bool decoder_feed(struct decoder *d, const char *data, size_t len);
/* Ends the document (a missing end is malformed); false when it is malformed. */
bool decoder_finish(struct decoder *d);
void decoder_free(struct decoder *d);
