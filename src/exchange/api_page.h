/* api_page.h: the read API under /api/v1/ (api_page.c). */
#pragma once
#include "http/http.h"

extern const struct route api_routes[];
