/*
 * totp.h: two-factor sign-in codes (TOTP, RFC 6238: HMAC-SHA1, 30-second
 * steps, 6 digits), through liboath; and the QR code that hands a new
 * secret to an authenticator app, through libqrencode. No store, no web.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

enum {
	TOTP_SECRET_BYTES = 20, /* 160 bits, as RFC 4226 recommends */
	TOTP_SECRET_LEN = 32,   /* its base32 text (RFC 4648, no padding) */
	TOTP_WINDOW = 1,        /* codes of one step before and after now are taken too */
};

/* Starts liboath; false when it cannot. Once, before any other call. */
bool totp_init(void);
/* A new secret: TOTP_SECRET_BYTES random bytes as TOTP_SECRET_LEN base32 characters, NUL-terminated. */
void totp_secret_new(char out[TOTP_SECRET_LEN + 1]);
/*
 * true when code (6 digits; spaces are ignored) is the code of secret
 * (base32) at a time step within TOTP_WINDOW of now's and later than
 * after_step (so that no code is taken twice); *step is then that step.
 */
bool totp_check(const char *secret, const char *code, int64_t now, int64_t after_step, int64_t *step);
/* The otpauth:// URI of secret for account (the label an app shows), issued by issuer. g_free() it. */
char *totp_uri(const char *issuer, const char *account, const char *secret);
/*
 * The QR code of text as an SVG element (aria-hidden; its label is the
 * page's to give), safe to place in HTML as it is: it holds only numbers
 * made here. NULL when text cannot be encoded. g_free() it.
 */
char *totp_qr_svg(const char *text);
