/* manage_page.h: the back office's forms for programs, organizations and people. */
#pragma once
#include "http/http.h"

extern const struct route manage_routes[];
