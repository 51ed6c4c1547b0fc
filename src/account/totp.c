/*
 * totp.c: TOTP codes through liboath, QR codes through libqrencode.
 */
#include "account/totp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

enum { STEP_SECONDS = OATH_TOTP_DEFAULT_TIME_STEP_SIZE, QUIET_ZONE = 4 };

bool totp_init(void)
{
	return oath_init() == OATH_OK;
}

void totp_secret_new(char out[TOTP_SECRET_LEN + 1])
{
	char bits[TOTP_SECRET_BYTES], *text = NULL;
	size_t len = 0;
	randombytes_buf(bits, sizeof bits);
	int rc = oath_base32_encode(bits, sizeof bits, &text, &len);
	sodium_memzero(bits, sizeof bits);
	/* 20 bytes are 32 characters exactly; only running out of memory fails */
	if (rc != OATH_OK || len != TOTP_SECRET_LEN)
		g_error("cannot encode a TOTP secret: %s", oath_strerror(rc));
	memcpy(out, text, TOTP_SECRET_LEN + 1);
	sodium_memzero(text, len);
	free(text);
}

bool totp_check(const char *secret, const char *code, int64_t now, int64_t after_step, int64_t *step)
{
	if (!secret || !code)
		return false;
	char digits[7];
	size_t n = 0;
	for (const char *p = code; *p; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (!g_ascii_isdigit(*p) || n == 6)
			return false;
		digits[n++] = *p;
	}
	if (n != 6)
		return false;
	digits[n] = 0;
	char *key = NULL;
	size_t key_len = 0;
	if (oath_base32_decode(secret, strlen(secret), &key, &key_len) != OATH_OK)
		return false;
	uint64_t counter = 0;
	int rc = oath_totp_validate3(key, key_len, (time_t)now, STEP_SECONDS, OATH_TOTP_DEFAULT_START_TIME,
				     TOTP_WINDOW, NULL, &counter, digits);
	sodium_memzero(key, key_len);
	free(key);
	if (rc < 0 || (int64_t)counter <= after_step)
		return false;
	*step = (int64_t)counter;
	return true;
}

char *totp_uri(const char *issuer, const char *account, const char *secret)
{
	/* Key Uri Format (Google Authenticator's, which every app reads): label "issuer:account" */
	char *label = g_strconcat(issuer, ":", account, NULL);
	char *l = g_uri_escape_string(label, ":@", false), *i = g_uri_escape_string(issuer, NULL, false);
	char *uri = g_strdup_printf("otpauth://totp/%s?secret=%s&issuer=%s&algorithm=SHA1&digits=6&period=%d", l,
				    secret, i, STEP_SECONDS);
	g_free(label);
	g_free(l);
	g_free(i);
	return uri;
}

char *totp_qr_svg(const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return NULL;
	int size = qr->width + 2 * QUIET_ZONE;
	GString *svg = g_string_new(NULL);
	g_string_append_printf(svg,
			       "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
			       "height=\"%d\" shape-rendering=\"crispEdges\" aria-hidden=\"true\">"
			       "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
			       size, size, size * 5, size * 5, size, size);
	for (int y = 0; y < qr->width; y++)
		for (int x = 0; x < qr->width;) {
			/* a run of dark modules (bit 0 of each byte) on this row, drawn as one rectangle */
			int run = 0;
			while (x + run < qr->width && (qr->data[y * qr->width + x + run] & 1))
				run++;
			if (run)
				g_string_append_printf(svg, "M%d %dh%dv1h-%dz", x + QUIET_ZONE, y + QUIET_ZONE, run,
						       run);
			x += run ? run : 1;
		}
	g_string_append(svg, "\"/></svg>");
	QRcode_free(qr);
	return g_string_free(svg, false);
}
