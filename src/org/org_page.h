/* org_page.h: organizations as pages show them. */
#pragma once
#include <jansson.h>

#include "person/person.h"

/*
 * {key, name, short_name, country, full_name} of organization key of dir,
 * full_name naming its parents ("Legal Affairs Division, Prime Minister's
 * Department"); NULL when there is none. A new reference.
 */
json_t *org_view(const struct directory *dir, const char *key);
