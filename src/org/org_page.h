/* org_page.h: organizations as pages show them. */
#pragma once
#include <jansson.h>

#include "person/person.h"

/*
 * {key, name, short_name, country, full_name, chain} of organization key
 * of dir in the language of rd (with name_lang... where a text's language
 * is not the page's), full_name naming its parents ("Legal Affairs
 * Division, Prime Minister's Department") and chain the same as a list of
 * {name, name_lang}; NULL when there is none. A new reference.
 */
json_t *org_view(const struct directory *dir, const struct reading *rd, const char *key);
