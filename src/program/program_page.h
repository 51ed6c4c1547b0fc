/* program_page.h: the list of programs and a program's page (program_page.c). */
#pragma once
#include "http/http.h"

extern const struct route program_routes[];
