/* account_page.h: /setup, reset links, /manage's home, the caller's account, users and the audit log. */
#pragma once
#include "http/http.h"

extern const struct route account_routes[];
