/* roster_page.h: a program's roster uploaded, checked and imported; and downloaded as CSV. */
#pragma once
#include "http/http.h"

extern const struct route roster_routes[];
