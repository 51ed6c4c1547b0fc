/* account_page.h: sign-in, /setup, /manage's home, the caller's account and the audit log. */
#pragma once
#include "http/http.h"

extern const struct route account_routes[];
/* What the dispatcher asks of accounts: who calls, with which roles, with whose CSRF token. */
extern const struct auth account_auth;
