/* desk_page.h: the newsroom's back office, a program's articles and their review (desk_page.c). */
#pragma once
#include "http/http.h"

extern const struct route desk_routes[];
