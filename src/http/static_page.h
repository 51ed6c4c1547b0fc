/* static_page.h: the routes of the compiled-in static files and of /healthz (static_page.c). */
#pragma once
#include "http/http.h"

extern const struct route static_routes[];
