/* org_page.h: organizations as pages show them. */
#pragma once
#include <jansson.h>

#include "person/person.h"

/*
 * {key, name, short_name, country, chain} of organization key of dir in
 * the language of rd (with name_lang... where a text's language is not the
 * page's), chain naming it and its parents ("Legal Affairs Division",
 * "Prime Minister's Department") as a list of {name, name_lang}; NULL when
 * there is none. A new reference.
 */
json_t *org_view(const struct directory *dir, const struct reading *rd, const char *key);
