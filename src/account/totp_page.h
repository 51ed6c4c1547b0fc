/* totp_page.h: turning two-factor sign-in on and off in the caller's own account. */
#pragma once
#include "http/http.h"

extern const struct route totp_routes[];
