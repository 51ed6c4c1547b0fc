/* news_page.h: the published articles and an article's page (news_page.c). */
#pragma once
#include "http/http.h"

extern const struct route news_routes[];
