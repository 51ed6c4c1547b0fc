/*
 * signin.h: signing in and out (/login, /login/code, /logout), the
 * dispatcher's questions about accounts, and what the account pages share.
 */
#pragma once
#include "http/http.h"

extern const struct route signin_routes[];
/* What the dispatcher asks of accounts: who calls, with which roles, with whose CSRF token. */
extern const struct auth account_auth;

/* Reads the account settings once; false (tried again next time) when the store fails. */
bool signin_config_load(struct store *s);
/* Forgets the failed sign-ins of email (after a success, or a new password). */
void signin_forgive(const char *email);
/* Starts a session for account a: a new secret (no fixation), the old session ended; false after an error answer. */
bool signin_session_start(struct request *r, const struct account *a);
/* A change of account a (or of the caller's, a NULL) with what it writes in data. */
typedef int (*account_change)(struct request *r, const struct account *a, const void *data);
/*
 * Writes change(r, a, data) with its audit entry by the caller (record,
 * fields: JSON, program: a slug or NULL) in one transaction.
 */
int signin_audited_write(struct request *r, account_change change, const struct account *a, const void *data,
			 const char *action, const char *record, const char *fields, const char *program);
