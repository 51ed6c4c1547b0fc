/*
 * totp_page.c: the caller's two-factor sign-in (TOTP), at
 * /manage/account/totp. Turning it on takes two steps: a new secret is
 * kept as pending and shown once (as a QR code and as text) for an
 * authenticator app, and it is on only when a code of that app is typed
 * back. Turning it off takes a current code. Both are audited; no secret is
 * ever logged or audited.
 */
#include "account/totp_page.h"

#include <string.h>

#include <sodium.h>

#include "account/signin.h"
#include "account/totp.h"

static const char issuer[] = "Podium";

/* The caller's account as stored now (with its secrets); false after answering an error. */
static bool own_account(struct request *r, struct account *a)
{
	int rc = account_store_get(r->store, r->caller.email, &r->arena, a);
	if (rc != STORE_OK)
		respond_store_error(r, rc, tr(r, "Your account is gone."));
	return rc == STORE_OK;
}

/* The page: what is on, the secret being set up (a QR code and its text), the form that fits. */
static void totp_view(struct request *r, int status, const struct account *a, json_t *errors)
{
	json_t *context = json_pack("{s:s,s:b,s:o}", "title", tr(r, "Two-factor sign-in"), "on", a->totp_secret != NULL,
				    "errors", errors ? errors : json_object());
	if (!a->totp_secret && a->totp_pending) {
		char *uri = totp_uri(issuer, a->email, a->totp_pending);
		char *svg = totp_qr_svg(uri);
		/* the secret in groups of four, as apps that take it typed show it */
		GString *grouped = g_string_new(NULL);
		for (const char *p = a->totp_pending; *p; p++) {
			if (p != a->totp_pending && (p - a->totp_pending) % 4 == 0)
				g_string_append_c(grouped, ' ');
			g_string_append_c(grouped, *p);
		}
		json_object_set_new(context, "pending",
				    json_pack("{s:s,s:s,s:s?}", "secret", grouped->str, "uri", uri, "qr", svg));
		g_string_free(grouped, true);
		g_free(uri);
		g_free(svg);
	}
	respond_private_page(r, status, "account/totp", context);
}

static void totp_get(struct request *r)
{
	struct account a;
	if (own_account(r, &a))
		totp_view(r, 200, &a, NULL);
}

/* Stores the two-factor fields of a, the account as it is to be. */
static int totp_store(struct request *r, const struct account *a, const void *unused)
{
	(void)unused;
	return account_store_totp(r->store, a->id, a->totp_secret, a->totp_pending, a->totp_step, r->now);
}

/* Writes a's new two-factor fields (audited as fields, never the secret). */
static int totp_write(struct request *r, const struct account *a, const char *secret, const char *pending,
		      int64_t step, const char *action, const char *fields)
{
	struct account next = *a;
	next.totp_secret = secret;
	next.totp_pending = pending;
	next.totp_step = step;
	return signin_audited_write(r, totp_store, &next, NULL, action,
				    arena_printf(&r->arena, "account %s", a->email), fields, NULL);
}

/* POST /manage/account/totp/begin: a new secret to set up (the one on stays until the new one is confirmed). */
static void begin_post(struct request *r)
{
	struct account a;
	if (!own_account(r, &a))
		return;
	if (a.totp_secret) {
		totp_view(r, 409, &a, json_pack("{s:s}", "code", tr(r, "Two-factor sign-in is on already: turn it off first.")));
		return;
	}
	char secret[TOTP_SECRET_LEN + 1];
	totp_secret_new(secret);
	int rc = totp_write(r, &a, NULL, secret, a.totp_step, "update", "{\"two-factor\": \"being set up\"}");
	sodium_memzero(secret, sizeof secret);
	if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	else
		respond_redirect(r, 303, "/manage/account/totp");
}

/*
 * POST /manage/account/totp (on): a code of the pending secret turns it on;
 * POST /manage/account/totp/off: a code of the secret turns it off.
 */
static void switch_post(struct request *r, bool on)
{
	struct account a;
	if (!own_account(r, &a))
		return;
	const char *checked = on ? a.totp_pending : a.totp_secret;
	const char *wrong = on && a.totp_secret ? tr(r, "Two-factor sign-in is on already.")
			  : on && !checked	? tr(r, "Start again: there is no new secret to confirm.")
			  : !checked		? tr(r, "Two-factor sign-in is off already.")
						: NULL;
	int64_t step;
	if (!wrong && !totp_check(checked, request_form(r, "code"), r->now, a.totp_step, &step))
		wrong = tr(r, "This is not the code your app shows now: check the app, and the clock of the phone.");
	if (wrong) {
		totp_view(r, 422, &a, json_pack("{s:s}", "code", wrong));
		return;
	}
	int rc = totp_write(r, &a, on ? a.totp_pending : NULL, NULL, step, "update",
			    on ? "{\"two-factor\": \"on\"}" : "{\"two-factor\": \"off\"}");
	if (rc != STORE_OK)
		respond_store_error(r, rc, NULL);
	else
		respond_redirect(r, 303, on ? "/manage/account?done=totp-on" : "/manage/account?done=totp-off");
}

static void confirm_post(struct request *r)
{
	switch_post(r, true);
}

static void off_post(struct request *r)
{
	switch_post(r, false);
}

const struct route totp_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/manage/account/totp", totp_get, ROLE_SIGNED_IN, false, 0, BODY_NONE},
	{METHOD_POST, "/manage/account/totp/begin", begin_post, ROLE_SIGNED_IN, true, 0, BODY_FORM},
	{METHOD_POST, "/manage/account/totp", confirm_post, ROLE_SIGNED_IN, true, 0, BODY_FORM},
	{METHOD_POST, "/manage/account/totp/off", off_post, ROLE_SIGNED_IN, true, 0, BODY_FORM},
	{0},
};
