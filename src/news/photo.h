/*
 * photo.h: the files of an article's photos. The rules (photo.c) take an
 * uploaded image (JPEG, PNG or WebP, sniffed from its bytes), prove with
 * libvips that it decodes whole, turn it upright by its EXIF orientation,
 * strip its metadata and make its renditions; the store (news_store.c)
 * keeps the bytes as blobs named by their SHA-256 (docs/design.md).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/arena.h"
#include "store/store.h"

enum {
	PHOTO_HASH_HEX = 64,     /* SHA-256 in lower-case hex */
	PHOTO_RENDITIONS_MAX = 6, /* 3 widths x 2 formats */
	PHOTO_BLOB_PART = 1 << 20, /* the store keeps a blob in parts of this many bytes (1 MiB) */
};

/* The nominal widths of the renditions, narrowest first. */
extern const int photo_sizes[3];

/* Bytes kept as a blob: named by hash, with their type and pixels. */
struct photo_blob {
	char hash[PHOTO_HASH_HEX + 1];
	const char *content_type; /* image/jpeg, image/png, image/webp (static) */
	const char *extension;    /* jpg, png, webp (static) */
	int width, height;
	void *data;               /* g_malloc'ed (photo_made_clear frees it), or NULL: */
	FILE *file;               /* the bytes are this temporary file's (photo_made_clear closes it) */
	size_t len;
};

/* A rendition: the blob and the nominal width (480, 960, 1920) it stands for. */
struct photo_rendition {
	int size;
	const char *format; /* webp, jpeg */
	struct photo_blob blob;
};

/*
 * What photo_make made of an upload. The original, as large as the
 * upload, is a temporary file streamed to (photo_make) or the adopted
 * bytes (photo_adopt); the renditions are in memory.
 */
struct photo_made {
	struct photo_blob original; /* upright, stripped, in its own format */
	struct photo_rendition renditions[PHOTO_RENDITIONS_MAX];
	size_t n;
	double original_ms, renditions_ms; /* how long the original and the renditions took */
};

/* The limits an upload is checked against (settings). */
struct photo_limits {
	uint64_t max_bytes;  /* over it: 413 */
	uint64_t max_pixels; /* width x height over it: 422, read from the header before decoding */
};

/*
 * Keeps libvips from loading its modules when it starts (ImageMagick's,
 * poppler's, OpenSlide's, libheif's and libjxl's loaders): Podium reads
 * JPEG, PNG and WebP through their own loaders only. Less code that reads
 * outside input in the server, and 6 MiB less memory at a large upload.
 * Sets VIPSHOME (libvips's install prefix, whose lib/ it reads modules
 * from) to a folder that does not exist, unless the environment sets it:
 * main calls it first, before any thread runs (setenv is not thread-safe).
 */
void photo_environment(void);

/* Starts libvips once for the process (thread-safe, idempotent); false when it cannot start. */
bool photo_init(const char *argv0);

/*
 * The image type of the first bytes of a file (len of them; 16 suffice):
 * "image/jpeg", "image/png", "image/webp", or NULL for anything else.
 */
const char *photo_sniff(const unsigned char *head, size_t len);

/*
 * Makes *out from the len bytes of file f (read from its start): checks
 * the size (413), the type by its bytes (415) and the pixels from the
 * header (422) before decoding, decodes it whole failing on any error
 * (422), applies the EXIF orientation, strips the metadata and makes the
 * renditions (never wider than the original). Returns 0, or the status
 * with *problem (an N_ msgid, translated by the caller) and *out empty.
 * Thread-safe.
 */
int photo_make(FILE *f, uint64_t len, const struct photo_limits *limits, struct photo_made *out,
	       const char **problem);
/* photo_make from bytes in memory (the fuzz target). */
int photo_make_bytes(const void *data, size_t len, const struct photo_limits *limits, struct photo_made *out,
		     const char **problem);
/*
 * Takes file f (len bytes, whose SHA-256 the caller found to be hash) as a
 * stored original as it is (a file of an export, whose name is its hash):
 * checks it as photo_make does, decodes it whole, and makes *out of its
 * bytes, read from f in parts when they are stored (out holds a descriptor
 * of its own: the caller closes f), and of their renditions. Returns 0 or
 * the status with *problem, as photo_make.
 */
int photo_adopt(FILE *f, uint64_t len, const char *hash, const struct photo_limits *limits,
		struct photo_made *out, const char **problem);
/* Frees what *m holds and empties it. */
void photo_made_clear(struct photo_made *m);
/* hex (65 bytes) = the SHA-256 of len bytes of data in lower-case hex. */
void photo_hash(const void *data, size_t len, char hex[PHOTO_HASH_HEX + 1]);
/* hex = the SHA-256 of file f's bytes from its start (read in parts), *len their count; false on a read error. */
bool photo_hash_file(FILE *f, char hex[PHOTO_HASH_HEX + 1], uint64_t *len);
/* Whether s is a hash as photo_hash writes it. */
bool photo_hash_is_valid(const char *s);
/* Checks a photo's file (a hash as photo_hash writes it) and alt text (one line), at path. */
struct photo;
struct report;
void photo_check(const struct photo *p, const char *path, struct report *r);
/* The file extension of content type (jpg, png, webp), or NULL. */
const char *photo_extension(const char *content_type);

/* ---- the store (news_store.c) ---- */

/* What photo_store_put did. */
enum photo_put_result {
	PHOTO_CREATED,       /* a new photo */
	PHOTO_REPLACED,      /* the photo's file (and caption, alt when given) replaced */
	PHOTO_NEEDS_CAPTION, /* a new photo without caption: nothing written */
	PHOTO_NOT_EDITABLE,  /* editable_only and the article is published: nothing written */
};

/*
 * In the current write transaction: keeps m's blobs and renditions and
 * sets photo key of article in program slug to m's original with caption
 * and alt (NULL: unchanged on a photo that exists). A new photo goes last.
 * editable_only: refuse (PHOTO_NOT_EDITABLE) when the article is published.
 * STORE_OK with *result, STORE_NOT_FOUND (no such article), STORE_ERROR.
 */
int photo_store_put(struct store *s, const char *slug, const char *article, const char *key,
		    const char *caption, const char *alt, const struct photo_made *m, bool editable_only,
		    enum photo_put_result *result);
/*
 * In the current write transaction: deletes photo key of the article, and
 * the blobs no photo needs any more. STORE_NOT_FOUND when there is none;
 * *published tells whether the article is published (checked first when
 * editable_only: then nothing is deleted and STORE_OK returned).
 */
int photo_store_delete(struct store *s, const char *slug, const char *article, const char *key,
		       bool editable_only, bool *published);
/*
 * The blob of rendition size in format of original hash, public only: of
 * a photo of a published article. STORE_NOT_FOUND otherwise.
 */
int photo_store_rendition(struct store *s, const char *original, int size, const char *format,
			  struct arena *a, struct photo_blob *out);
/*
 * The blob of rendition size in format of original hash, for the back
 * office: of a photo of article key of program slug, whatever its status.
 */
int photo_store_article_rendition(struct store *s, const char *slug, const char *article, const char *original,
				  int size, const char *format, struct arena *a, struct photo_blob *out);
/* Deletes the blobs and renditions that no photo needs any more. */
int photo_store_collect(struct store *s);
/* Keeps blob b (and nothing else): the import of a file. */
int photo_store_keep(struct store *s, const struct photo_blob *b);
/* Keeps m's original and renditions. */
int photo_store_keep_made(struct store *s, const struct photo_made *m);
/* Whether blob hash is kept. */
int photo_store_has(struct store *s, const char *hash, bool *has);
/* The files of the photos of program slug (NULL: of every program), each once, sorted. */
int photo_store_files(struct store *s, const char *slug, struct arena *a, strv *out);
/*
 * Blob hash (any: export) part by part, never whole in memory: out gets
 * its hash, type and size in pixels (data NULL, len 0), then part is
 * called with each part of its bytes in order, valid for the call only; a
 * part returning false stops it (STORE_OK then: the caller knows why).
 * STORE_NOT_FOUND when none.
 */
int photo_store_blob_parts(struct store *s, const char *hash, struct photo_blob *out,
			   bool (*part)(const void *bytes, size_t len, void *ctx), void *ctx);
