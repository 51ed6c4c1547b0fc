/*
 * photo.c: the rules of photos' files (photo.h): an upload is taken only
 * when libvips decodes it whole (fail_on=error: a truncated or corrupt file
 * is refused), after its size, its type (by its bytes) and its pixels (from
 * its header, before any decoding: a pixel flood costs nothing) were
 * checked. The original is kept upright (EXIF orientation applied) and
 * stripped of every metadata (EXIF, GPS, XMP, ICC, comments); renditions
 * 480, 960 and 1920 wide (never wider than the original) in WebP and JPEG
 * are made from it, decoded already shrunk where its format can (load)
 * and resized.
 *
 * libvips is started once (photo_init, or at the first use) and is
 * thread-safe from then on; every image here belongs to one call.
 */
#include "news/photo.h"

#include <dlfcn.h>
#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <malloc.h>
#include <string.h>
#include <unistd.h>
#include <vips/vips.h>
#include <webp/encode.h>

#include "core/catalog.h"
#include "core/report.h"
#include "core/values.h"
#include "news/news.h"

const int photo_sizes[3] = {480, 960, 1920};

enum { JPEG_QUALITY = 85, WEBP_QUALITY = 80, ORIGINAL_QUALITY = 92 };

/*
 * libvips, opened at the first photo (photo_init) rather than linked: with
 * the sixty libraries it needs it would cost every server 9 MB of memory
 * from its start, though most servers read a photo seldom, and many never.
 * These are the functions this file calls, typed by <vips/vips.h>.
 */
#define VIPS_CALLS(X) \
	X(shutdown) \
	X(area_unref) \
	X(array_double_newv) \
	X(autorot) \
	X(avg) \
	X(cache_set_max) \
	X(cache_set_max_mem) \
	X(cast_uchar) \
	X(colourspace) \
	X(error) \
	X(error_clear) \
	X(flatten) \
	X(image_copy_memory) \
	X(image_get_bands) \
	X(image_get_data) \
	X(image_get_format) \
	X(image_get_height) \
	X(image_get_orientation) \
	X(image_get_width) \
	X(image_hasalpha) \
	X(init) \
	X(jpegload_source) \
	X(jpegsave_buffer) \
	X(jpegsave_target) \
	X(pngload_source) \
	X(pngsave_target) \
	X(resize) \
	X(source_new_from_descriptor) \
	X(source_new_from_memory) \
	X(source_rewind) \
	X(target_new_to_descriptor) \
	X(version) \
	X(webpload_source) \
	X(webpsave_target)
static struct {
#define VIPS_FIELD(f) __typeof__(vips_##f) *f;
	VIPS_CALLS(VIPS_FIELD)
#undef VIPS_FIELD
} vips;

/*
 * Opens libvips (PODIUM_VIPS_SONAME) and starts it, as VIPS_INIT would;
 * false with the reason on standard error. A sanitizer build links it
 * (PODIUM_VIPS_LINKED, meson.build says why) and only starts it.
 */
static bool vips_open(const char *argv0)
{
#ifdef PODIUM_VIPS_LINKED
#define VIPS_LINK(f) vips.f = vips_##f;
	VIPS_CALLS(VIPS_LINK)
#undef VIPS_LINK
#else
	void *lib = dlopen(PODIUM_VIPS_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		g_printerr("podium: photos cannot be read: %s\n", dlerror());
		return false;
	}
#define VIPS_RESOLVE(f) \
	if (!(*(void **)&vips.f = dlsym(lib, "vips_" #f))) { \
		g_printerr("podium: photos cannot be read: %s has no vips_%s\n", PODIUM_VIPS_SONAME, #f); \
		return false; \
	}
	VIPS_CALLS(VIPS_RESOLVE)
#undef VIPS_RESOLVE
#endif
	/* the ABI these headers describe, as VIPS_INIT checks it */
	if (vips.version(3) - vips.version(5) != VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE) {
		g_printerr("podium: photos cannot be read: %s is not the libvips Podium was built with\n",
			   PODIUM_VIPS_SONAME);
		return false;
	}
	if (vips.init(argv0) != 0)
		return false;
	atexit(vips.shutdown); /* its worker threads stopped before the process ends (LeakSanitizer reads them) */
	return true;
}

void photo_environment(void)
{
	g_setenv("VIPSHOME", "/nonexistent", FALSE);
}

static gsize vips_started;
static bool vips_ok;

bool photo_init(const char *argv0)
{
	if (g_once_init_enter(&vips_started)) {
		vips_ok = vips_open(argv0 ? argv0 : "podium");
		if (vips_ok) {
			/* a server keeps no cache of operations: every upload is new */
			vips.cache_set_max(0);
			vips.cache_set_max_mem(0);
		}
		g_once_init_leave(&vips_started, 1);
	}
	return vips_ok;
}

const char *photo_sniff(const unsigned char *head, size_t len)
{
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	if (len >= 3 && head[0] == 0xff && head[1] == 0xd8 && head[2] == 0xff)
		return "image/jpeg";
	if (len >= sizeof png && memcmp(head, png, sizeof png) == 0)
		return "image/png";
	if (len >= 12 && memcmp(head, "RIFF", 4) == 0 && memcmp(head + 8, "WEBP", 4) == 0)
		return "image/webp";
	return NULL;
}

void photo_check(const struct photo *p, const char *path, struct report *r)
{
	if (p->file && !photo_hash_is_valid(p->file))
		report_add(r, path, "file", "%s",
			   report_tr(r, N_("is not the name of a photo's file (64 lower-case hexadecimal digits, "
					   "the SHA-256 of its bytes)")));
	check_text(r, path, "alt", p->alt, TEXT_LINE, false);
}

const char *photo_extension(const char *content_type)
{
	if (!content_type)
		return NULL;
	if (strcmp(content_type, "image/jpeg") == 0)
		return "jpg";
	if (strcmp(content_type, "image/png") == 0)
		return "png";
	if (strcmp(content_type, "image/webp") == 0)
		return "webp";
	return NULL;
}

void photo_hash(const void *data, size_t len, char hex[PHOTO_HASH_HEX + 1])
{
	gchar *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
	g_strlcpy(hex, h, PHOTO_HASH_HEX + 1);
	g_free(h);
}

bool photo_hash_is_valid(const char *s)
{
	if (!s || strlen(s) != PHOTO_HASH_HEX)
		return false;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isdigit(*p) && !(*p >= 'a' && *p <= 'f'))
			return false;
	return true;
}

void photo_made_clear(struct photo_made *m)
{
	g_free(m->original.data);
	if (m->original.file)
		fclose(m->original.file);
	for (size_t i = 0; i < m->n; i++)
		g_free(m->renditions[i].blob.data);
	*m = (struct photo_made){0};
}

/* Fills b from len bytes (taken: g_free'd later) saved as content_type, image im's size. */
static void blob_set(struct photo_blob *b, void *data, size_t len, const char *content_type, VipsImage *im)
{
	b->data = data;
	b->file = NULL;
	b->len = len;
	b->content_type = content_type;
	b->extension = photo_extension(content_type);
	b->width = vips.image_get_width(im);
	b->height = vips.image_get_height(im);
	photo_hash(data, len, b->hash);
}

/* hex = the SHA-256 of the bytes of descriptor fd from its start, read in parts; *len their count. */
static bool hash_descriptor(int fd, char hex[PHOTO_HASH_HEX + 1], uint64_t *len)
{
	enum { CHUNK = 1 << 16 };
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	char *buf = g_malloc(CHUNK);
	off_t at = 0;
	ssize_t got;
	while ((got = pread(fd, buf, CHUNK, at)) > 0 || (got < 0 && errno == EINTR)) {
		if (got > 0) {
			g_checksum_update(sum, (const guchar *)buf, (gsize)got);
			at += got;
		}
	}
	g_free(buf);
	g_strlcpy(hex, g_checksum_get_string(sum), PHOTO_HASH_HEX + 1);
	g_checksum_free(sum);
	*len = (uint64_t)at;
	return got == 0;
}

bool photo_hash_file(FILE *f, char hex[PHOTO_HASH_HEX + 1], uint64_t *len)
{
	return hash_descriptor(fileno(f), hex, len);
}

/*
 * Fills b from file f (taken: closed later), written as content_type of
 * image im, len bytes whose SHA-256 is hash when the caller knows them
 * (hash NULL: f is read for them); -1 when unreadable.
 */
static int blob_set_file(struct photo_blob *b, FILE *f, const char *content_type, VipsImage *im,
			 const char *hash, uint64_t len)
{
	char hex[PHOTO_HASH_HEX + 1];
	bool read = hash || hash_descriptor(fileno(f), hex, &len);
	*b = (struct photo_blob){.file = f, .len = (size_t)len, .content_type = content_type,
				 .extension = photo_extension(content_type), .width = vips.image_get_width(im),
				 .height = vips.image_get_height(im)};
	g_strlcpy(b->hash, hash ? hash : hex, sizeof b->hash);
	if (!read || len == 0) {
		vips.error("podium", "%s", "the original's temporary file cannot be read");
		return -1;
	}
	return 0;
}

/*
 * The loader of type, reading source with the options every load takes,
 * shrinking by shrink (1, 2, 4, 8) where the format decodes so: a JPEG by
 * libjpeg's DCT scaling, a WebP by libwebp's; a PNG is read whole.
 */
static int load(VipsSource *source, const char *type, VipsAccess access, int shrink, VipsImage **out)
{
	if (strcmp(type, "image/jpeg") == 0)
		return vips.jpegload_source(source, out, "fail_on", VIPS_FAIL_ON_ERROR, "access", access, "shrink",
					    shrink, NULL);
	if (strcmp(type, "image/png") == 0)
		return vips.pngload_source(source, out, "fail_on", VIPS_FAIL_ON_ERROR, "access", access, NULL);
	return vips.webpload_source(source, out, "fail_on", VIPS_FAIL_ON_ERROR, "access", access, "scale",
				    1.0 / shrink, NULL);
}

/*
 * Saves im as type (the original: quality high, metadata stripped) into
 * target. A baseline JPEG with standard tables: progressive or optimized
 * coding would hold every coefficient of the image in memory.
 */
static int save(VipsImage *im, const char *type, int quality, VipsTarget *target)
{
	if (strcmp(type, "image/jpeg") == 0)
		return vips.jpegsave_target(im, target, "Q", quality, "strip", TRUE, NULL);
	if (strcmp(type, "image/png") == 0)
		return vips.pngsave_target(im, target, "strip", TRUE, NULL);
	return vips.webpsave_target(im, target, "Q", quality, "strip", TRUE, NULL);
}

/*
 * The original: im (loaded from source, whose pixels are not read yet)
 * decoded whole, turned upright and saved stripped as type into out, a
 * temporary file: streamed, an upright one is never whole in memory.
 */
static int make_original(VipsSource *source, const char *type, struct photo_blob *out)
{
	VipsImage *im = NULL, *upright = NULL;
	int rc = -1;
	/* an image to turn is read at random; an upright one is streamed */
	VipsImage *head = NULL;
	if (load(source, type, VIPS_ACCESS_SEQUENTIAL, 1, &head) != 0)
		return -1;
	int orientation = vips.image_get_orientation(head);
	if (orientation > 1) {
		g_object_unref(head);
		if (vips.source_rewind(source) != 0 || load(source, type, VIPS_ACCESS_RANDOM, 1, &im) != 0)
			return -1;
		if (vips.autorot(im, &upright, NULL) != 0)
			goto cleanup;
	} else {
		upright = head;
	}
	FILE *f = tmpfile();
	if (!f) {
		vips.error("podium", "%s", "no temporary file for the original");
		goto cleanup;
	}
	VipsTarget *target = vips.target_new_to_descriptor(fileno(f));
	if (!target || save(upright, type, ORIGINAL_QUALITY, target) != 0) {
		if (target)
			g_object_unref(target);
		fclose(f);
		goto cleanup;
	}
	g_object_unref(target);
	if (blob_set_file(out, f, type, upright, NULL, 0) != 0) {
		fclose(f);
		out->file = NULL;
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (upright)
		g_object_unref(upright);
	if (im)
		g_object_unref(im);
	return rc;
}

/* im as 8-bit sRGB, with its alpha flattened on white when flatten (JPEG has none). */
static int web_ready(VipsImage *im, bool flatten, VipsImage **out)
{
	VipsImage *srgb = NULL;
	if (vips.colourspace(im, &srgb, VIPS_INTERPRETATION_sRGB, NULL) != 0)
		return -1;
	if (srgb->BandFmt != VIPS_FORMAT_UCHAR) {
		VipsImage *cast = NULL;
		int rc = vips.cast_uchar(srgb, &cast, NULL);
		g_object_unref(srgb);
		if (rc != 0)
			return -1;
		srgb = cast;
	}
	if (flatten && vips.image_hasalpha(srgb)) {
		VipsImage *flat = NULL;
		VipsArrayDouble *white = vips.array_double_newv(3, 255.0, 255.0, 255.0);
		int rc = vips.flatten(srgb, &flat, "background", white, NULL);
		vips.area_unref(VIPS_AREA(white));
		g_object_unref(srgb);
		if (rc != 0)
			return -1;
		srgb = flat;
	}
	*out = srgb;
	return 0;
}

/* shrunk's pixels in memory (taken): read more than once, a stream is read once. NULL on failure. */
static VipsImage *in_memory(VipsImage *shrunk)
{
	VipsImage *copy = vips.image_copy_memory(shrunk);
	g_object_unref(shrunk);
	return copy;
}

/* im (taken) resized to width wide, height in proportion (Lanczos 3); NULL on failure. */
static VipsImage *resized(VipsImage *im, int width)
{
	VipsImage *out = NULL;
	if (vips.image_get_width(im) == width)
		return im;
	if (vips.resize(im, &out, (double)width / vips.image_get_width(im), NULL) != 0)
		out = NULL;
	g_object_unref(im);
	return out;
}

/*
 * The stripped original o decoded width wide, streamed: shrunk on load by
 * the most that keeps it at least width wide, then resized. Costs half the
 * memory of vips_thumbnail, which keeps more of the shrunk image in its
 * caches. NULL on failure.
 */
static VipsImage *decode_shrunk(const struct photo_blob *o, int width)
{
	VipsSource *source = NULL;
	if (o->file) {
		if (lseek(fileno(o->file), 0, SEEK_SET) == 0)
			source = vips.source_new_from_descriptor(fileno(o->file));
	} else {
		source = vips.source_new_from_memory(o->data, o->len);
	}
	if (!source)
		return NULL;
	int shrink = 1;
	while (shrink < 8 && o->width / (shrink * 2) >= width)
		shrink *= 2;
	VipsImage *im = NULL;
	int rc = load(source, o->content_type, VIPS_ACCESS_SEQUENTIAL, shrink, &im);
	g_object_unref(source);
	return rc == 0 ? resized(im, width) : NULL;
}

/*
 * im (8-bit sRGB, 3 or 4 bands, its pixels in memory) encoded as WebP by
 * libwebp itself: vips_webpsave would first copy the pixels twice (a
 * region and a frame of its own), 22 MB more at the peak for a 1920-wide
 * rendition; this reads them where they are. The output has no metadata.
 */
static int webp_encode(VipsImage *im, void **data, size_t *len)
{
	WebPConfig config;
	WebPPicture pic;
	WebPMemoryWriter out;
	if (!WebPConfigPreset(&config, WEBP_PRESET_DEFAULT, WEBP_QUALITY) || !WebPPictureInit(&pic)) {
		vips.error("podium", "%s", "libwebp is not the version Podium was built with");
		return -1;
	}
	int bands = vips.image_get_bands(im);
	const uint8_t *pixels = vips.image_get_data(im); /* in memory already: no copy */
	if (!pixels || vips.image_get_format(im) != VIPS_FORMAT_UCHAR || (bands != 3 && bands != 4)) {
		vips.error("podium", "%s", "a rendition is not 8-bit RGB(A) in memory");
		return -1;
	}
	pic.width = vips.image_get_width(im);
	pic.height = vips.image_get_height(im);
	WebPMemoryWriterInit(&out);
	pic.writer = WebPMemoryWrite;
	pic.custom_ptr = &out;
	int stride = pic.width * bands;
	int ok = bands == 4 ? WebPPictureImportRGBA(&pic, pixels, stride) : WebPPictureImportRGB(&pic, pixels, stride);
	ok = ok && WebPEncode(&config, &pic);
	WebPPictureFree(&pic);
	if (!ok) {
		WebPMemoryWriterClear(&out);
		vips.error("podium", "WebP encoding failed (libwebp error %d)", (int)pic.error_code);
		return -1;
	}
	*data = g_memdup2(out.mem, out.size);
	*len = out.size;
	WebPMemoryWriterClear(&out);
	return 0;
}

/*
 * The pixels of shrunk (taken) in memory as web_ready makes them, without
 * alpha's flattening: what webp_encode reads. NULL on failure.
 */
static VipsImage *ready_in_memory(VipsImage *shrunk)
{
	VipsImage *ready = NULL;
	int rc = web_ready(shrunk, false, &ready);
	g_object_unref(shrunk);
	return rc == 0 ? in_memory(ready) : NULL;
}

/* One rendition of thumb (web-ready, in memory) as WebP (jpeg false) or JPEG, added to m. */
static int add_rendition(VipsImage *thumb, int size, bool jpeg, struct photo_made *m)
{
	void *data = NULL;
	size_t len = 0;
	int rc;
	if (jpeg) {
		VipsImage *flat = NULL;
		rc = web_ready(thumb, true, &flat);
		if (rc == 0) {
			rc = vips.jpegsave_buffer(flat, &data, &len, "Q", JPEG_QUALITY, "strip", TRUE, "optimize_coding",
						  TRUE, "interlace", TRUE, NULL);
			g_object_unref(flat);
		}
	} else {
		rc = webp_encode(thumb, &data, &len);
	}
	malloc_trim(0);
	if (rc != 0)
		return -1;
	struct photo_rendition *rd = &m->renditions[m->n++];
	rd->size = size;
	rd->format = jpeg ? "jpeg" : "webp";
	blob_set(&rd->blob, data, len, jpeg ? "image/jpeg" : "image/webp", thumb);
	return 0;
}

/*
 * Adds the renditions of the stripped original o (upright already) to m:
 * the widest decoded from o with shrink-on-load, the narrower ones made
 * from it in memory (at most 1920 wide), so o is decoded once.
 */
static int make_renditions(const struct photo_blob *o, struct photo_made *m)
{
	int widest_width = MIN(photo_sizes[G_N_ELEMENTS(photo_sizes) - 1], o->width);
	VipsImage *shrunk = decode_shrunk(o, widest_width), *widest;
	if (!shrunk || !(widest = ready_in_memory(shrunk)))
		return -1;
	/*
	 * What a step freed goes back to the system before the next one
	 * allocates: libvips's worker threads allocate from their own malloc
	 * arenas, and without this the peaks of the steps add up (a 49-megapixel
	 * upload: 110 MiB at the peak, 85 MiB with it).
	 */
	malloc_trim(0);
	int previous = 0, rc = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(photo_sizes) && rc == 0; i++) {
		int width = MIN(photo_sizes[i], o->width);
		if (width == previous)
			break; /* never wider than the original: the narrower ones stand for it */
		previous = width;
		VipsImage *thumb = NULL;
		if (width == widest_width)
			thumb = g_object_ref(widest);
		else if ((shrunk = resized(g_object_ref(widest), width)))
			thumb = ready_in_memory(shrunk);
		if (!thumb) {
			rc = -1;
			break;
		}
		rc = add_rendition(thumb, photo_sizes[i], false, m);
		if (rc == 0)
			rc = add_rendition(thumb, photo_sizes[i], true, m);
		g_object_unref(thumb);
	}
	g_object_unref(widest);
	return rc;
}

/* The original as it is: the bytes of file adopt (read again, never copied whole), decoded whole to prove them. */
static int adopt_original(VipsSource *source, const char *type, FILE *adopt, const char *hash, uint64_t len,
			  struct photo_blob *out)
{
	VipsImage *im = NULL;
	double mean;
	if (load(source, type, VIPS_ACCESS_SEQUENTIAL, 1, &im) != 0)
		return -1;
	int rc = vips.avg(im, &mean, NULL); /* reads every pixel: fails on any decode error */
	if (rc == 0) {
		int fd = dup(fileno(adopt)); /* the blob's own: photo_made_clear closes it, the caller adopt */
		FILE *own = fd >= 0 ? fdopen(fd, "rb") : NULL;
		if (!own) {
			if (fd >= 0)
				close(fd);
			vips.error("podium", "%s", "the photo's file cannot be opened again");
			rc = -1;
		} else if (blob_set_file(out, own, type, im, hash, len) != 0) {
			fclose(own);
			out->file = NULL;
			rc = -1;
		}
	}
	g_object_unref(im);
	return rc;
}

/*
 * photo_make over source (its first bytes head, len bytes in all); with
 * adopt (the file source reads, kept as it is, its SHA-256 adopt_hash) the
 * original is its bytes.
 */
static int make_from_source(VipsSource *source, const unsigned char *head, size_t head_len, uint64_t len,
			    FILE *adopt, const char *adopt_hash, const struct photo_limits *limits,
			    struct photo_made *out, const char **problem)
{
	*out = (struct photo_made){0};
	if (len > limits->max_bytes) {
		*problem = N_("The photo is larger than this site takes (the setting photos.max_bytes).");
		return 413;
	}
	const char *type = photo_sniff(head, head_len);
	if (!type) {
		*problem = N_("A photo is a JPEG, PNG or WebP file: this file is none of them.");
		return 415;
	}
	if (!photo_init(NULL)) {
		*problem = N_("The server cannot read photos now.");
		return 503;
	}
	/* the header alone: its pixels are not decoded before they are counted */
	VipsImage *header = NULL;
	if (load(source, type, VIPS_ACCESS_SEQUENTIAL, 1, &header) != 0) {
		vips.error_clear();
		*problem = N_("The photo cannot be read: the file is damaged or is not the image it claims to be.");
		return 422;
	}
	uint64_t pixels = (uint64_t)vips.image_get_width(header) * (uint64_t)vips.image_get_height(header);
	g_object_unref(header);
	if (pixels > limits->max_pixels) {
		*problem = N_("The photo has more pixels than this site takes (the setting photos.max_pixels).");
		return 422;
	}
	gint64 started = g_get_monotonic_time();
	int rc = vips.source_rewind(source) != 0 ? -1
		 : adopt ? adopt_original(source, type, adopt, adopt_hash, len, &out->original)
			 : make_original(source, type, &out->original);
	gint64 renditions_started = g_get_monotonic_time();
	malloc_trim(0); /* as in make_renditions */
	if (rc != 0 || make_renditions(&out->original, out) != 0) {
		vips.error_clear();
		photo_made_clear(out);
		*problem = N_("The photo cannot be read: the file is damaged or is not the image it claims to be.");
		return 422;
	}
	out->original_ms = (double)(renditions_started - started) / 1000.0;
	out->renditions_ms = (double)(g_get_monotonic_time() - renditions_started) / 1000.0;
	return 0;
}

/* photo_make, or photo_adopt when adopt_hash (then f itself is the original, of that SHA-256). */
static int make_from_file(FILE *f, uint64_t len, const char *adopt_hash, const struct photo_limits *limits,
			  struct photo_made *out, const char **problem)
{
	*out = (struct photo_made){0};
	unsigned char head[16];
	ssize_t got = pread(fileno(f), head, sizeof head, 0);
	if (got < 0) {
		*problem = N_("The server cannot read the photo now.");
		return 503;
	}
	FILE *kept = adopt_hash ? f : NULL;
	if (len > limits->max_bytes || !photo_sniff(head, (size_t)got) || !photo_init(NULL))
		return make_from_source(NULL, head, (size_t)got, len, kept, adopt_hash, limits, out, problem);
	VipsSource *source = vips.source_new_from_descriptor(fileno(f));
	if (!source) {
		vips.error_clear();
		*problem = N_("The server cannot read the photo now.");
		return 503;
	}
	int status = make_from_source(source, head, (size_t)got, len, kept, adopt_hash, limits, out, problem);
	g_object_unref(source);
	return status;
}

int photo_make(FILE *f, uint64_t len, const struct photo_limits *limits, struct photo_made *out,
	       const char **problem)
{
	return make_from_file(f, len, NULL, limits, out, problem);
}

int photo_adopt(FILE *f, uint64_t len, const char *hash, const struct photo_limits *limits,
		struct photo_made *out, const char **problem)
{
	return make_from_file(f, len, hash, limits, out, problem);
}

int photo_make_bytes(const void *data, size_t len, const struct photo_limits *limits, struct photo_made *out,
		     const char **problem)
{
	*out = (struct photo_made){0};
	if (len > limits->max_bytes || !photo_sniff(data, len) || !photo_init(NULL))
		return make_from_source(NULL, data, len, len, NULL, NULL, limits, out, problem);
	VipsSource *source = vips.source_new_from_memory(data, len);
	if (!source) {
		vips.error_clear();
		*problem = N_("The server cannot read the photo now.");
		return 503;
	}
	int status = make_from_source(source, data, len, len, NULL, NULL, limits, out, problem);
	g_object_unref(source);
	return status;
}
