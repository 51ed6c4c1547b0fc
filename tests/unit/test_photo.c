/*
 * test_photo.c: unit tests of the rules of photos' files (news/photo.h):
 * the type sniffed from the bytes, the limits, the refusal of a damaged
 * file, the EXIF orientation applied, the metadata stripped and the
 * renditions never wider than the original. The images are made here
 * with libvips.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <glib.h>
#include <vips/vips.h>

#include "news/photo.h"

static const struct photo_limits limits = {26214400, 50000000};

/* An image of width x height with a gradient, saved as suffix (".jpg", ".png[...]"), g_free'd by the caller. */
static void *image(int width, int height, const char *suffix, size_t *len)
{
	VipsImage *x = NULL, *rgb = NULL, *u = NULL;
	assert_int_equal(vips_xyz(&x, width, height, NULL), 0);
	assert_int_equal(vips_bandjoin_const1(x, &rgb, 7, NULL), 0);
	assert_int_equal(vips_cast_uchar(rgb, &u, NULL), 0);
	void *data = NULL;
	assert_int_equal(vips_image_write_to_buffer(u, suffix, &data, len, NULL), 0);
	g_object_unref(x);
	g_object_unref(rgb);
	g_object_unref(u);
	return data;
}

static void test_sniff(void **state)
{
	(void)state;
	assert_string_equal(photo_sniff((const unsigned char *)"\xff\xd8\xff\xe0", 4), "image/jpeg");
	assert_string_equal(photo_sniff((const unsigned char *)"\x89PNG\r\n\x1a\n", 8), "image/png");
	assert_string_equal(photo_sniff((const unsigned char *)"RIFF\0\0\0\0WEBPVP8 ", 16), "image/webp");
	assert_null(photo_sniff((const unsigned char *)"<svg xmlns=", 11));
	assert_null(photo_sniff((const unsigned char *)"\xff\xd8", 2));
	assert_null(photo_sniff((const unsigned char *)"", 0));
}

static void test_jpeg_renditions(void **state)
{
	(void)state;
	size_t len;
	void *jpeg = image(2400, 1200, ".jpg", &len);
	struct photo_made m;
	const char *problem = NULL;
	assert_int_equal(photo_make_bytes(jpeg, len, &limits, &m, &problem), 0);
	assert_string_equal(m.original.content_type, "image/jpeg");
	assert_int_equal(m.original.width, 2400);
	assert_int_equal(m.original.height, 1200);
	assert_true(photo_hash_is_valid(m.original.hash));
	assert_int_equal(m.n, 6);
	static const int widths[] = {480, 960, 1920};
	for (size_t i = 0; i < m.n; i++) {
		assert_int_equal(m.renditions[i].blob.width, widths[i / 2]);
		assert_int_equal(m.renditions[i].blob.height, widths[i / 2] / 2);
		assert_int_equal(m.renditions[i].size, widths[i / 2]);
		assert_string_equal(m.renditions[i].format, i % 2 ? "jpeg" : "webp");
		assert_non_null(photo_sniff(m.renditions[i].blob.data, m.renditions[i].blob.len));
	}
	photo_made_clear(&m);
	g_free(jpeg);
}

static void test_small_png_never_wider(void **state)
{
	(void)state;
	size_t len;
	void *png = image(300, 200, ".png", &len);
	struct photo_made m;
	const char *problem = NULL;
	assert_int_equal(photo_make_bytes(png, len, &limits, &m, &problem), 0);
	assert_string_equal(m.original.content_type, "image/png");
	assert_int_equal(m.n, 2); /* 480 stands for all: 300 wide, once per format */
	assert_int_equal(m.renditions[0].blob.width, 300);
	assert_int_equal(m.renditions[0].size, 480);
	photo_made_clear(&m);
	g_free(png);
}

static void test_refusals(void **state)
{
	(void)state;
	size_t len;
	void *jpeg = image(800, 600, ".jpg", &len);
	struct photo_made m;
	const char *problem = NULL;
	assert_int_equal(photo_make_bytes(jpeg, len / 2, &limits, &m, &problem), 422);
	assert_non_null(problem);
	assert_int_equal(m.n, 0);
	assert_null(m.original.data);
	struct photo_limits small = {len - 1, 50000000};
	assert_int_equal(photo_make_bytes(jpeg, len, &small, &m, &problem), 413);
	struct photo_limits few = {26214400, 800 * 600 - 1};
	assert_int_equal(photo_make_bytes(jpeg, len, &few, &m, &problem), 422);
	const char text[] = "this is not an image at all, just words";
	assert_int_equal(photo_make_bytes(text, sizeof text - 1, &limits, &m, &problem), 415);
	unsigned char corrupt[4096];
	memcpy(corrupt, jpeg, sizeof corrupt);
	memset(corrupt + 700, 0x55, sizeof corrupt - 700);
	assert_int_equal(photo_make_bytes(corrupt, sizeof corrupt, &limits, &m, &problem), 422);
	g_free(jpeg);
}

/* An upside-down JPEG (orientation 3, or 6: turned a quarter) is kept upright, its EXIF gone. */
/* The bytes of m's original, which photo_make_bytes streams to a temporary file (g_free them). */
static void *original_bytes(const struct photo_made *m)
{
	assert_null(m->original.data);
	assert_non_null(m->original.file);
	void *bytes = g_malloc(m->original.len);
	assert_int_equal(pread(fileno(m->original.file), bytes, m->original.len, 0), (ssize_t)m->original.len);
	return bytes;
}

static void test_orientation_and_strip(void **state)
{
	(void)state;
	VipsImage *x = NULL, *rgb = NULL, *u = NULL;
	assert_int_equal(vips_xyz(&x, 400, 100, NULL), 0);
	assert_int_equal(vips_bandjoin_const1(x, &rgb, 7, NULL), 0);
	assert_int_equal(vips_cast_uchar(rgb, &u, NULL), 0);
	vips_image_set_int(u, VIPS_META_ORIENTATION, 6);
	void *data = NULL;
	size_t len;
	assert_int_equal(vips_jpegsave_buffer(u, &data, &len, NULL), 0);
	struct photo_made m;
	const char *problem = NULL;
	assert_int_equal(photo_make_bytes(data, len, &limits, &m, &problem), 0);
	assert_int_equal(m.original.width, 100);
	assert_int_equal(m.original.height, 400);
	void *bytes = original_bytes(&m);
	char hex[PHOTO_HASH_HEX + 1];
	photo_hash(bytes, m.original.len, hex);
	assert_string_equal(hex, m.original.hash); /* the hash read from the file is its bytes' */
	VipsImage *back = vips_image_new_from_buffer(bytes, m.original.len, "", NULL);
	assert_non_null(back);
	assert_int_equal(vips_image_get_orientation(back), 1);
	assert_false(vips_image_get_typeof(back, VIPS_META_EXIF_NAME));
	g_object_unref(back);
	g_free(bytes);
	photo_made_clear(&m);
	g_free(data);
	g_object_unref(x);
	g_object_unref(rgb);
	g_object_unref(u);
}

static void test_hash(void **state)
{
	(void)state;
	char hex[PHOTO_HASH_HEX + 1];
	photo_hash("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_true(photo_hash_is_valid(hex));
	assert_false(photo_hash_is_valid("BA7816BF"));
	assert_false(photo_hash_is_valid("../etc/passwd"));
	assert_string_equal(photo_extension("image/webp"), "webp");
	assert_null(photo_extension("image/svg+xml"));
}

int main(void)
{
	assert_true(photo_init("test-photo"));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_jpeg_renditions),
		cmocka_unit_test(test_small_png_never_wider),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_orientation_and_strip),
		cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
