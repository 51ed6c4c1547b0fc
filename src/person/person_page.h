/* person_page.h: people as pages show them, and their public page. */
#pragma once
#include <jansson.h>

#include "http/http.h"
#include "person/person.h"

/*
 * {key, url, name, honorific, position, organization} of person key of
 * dir in the language of rd (name_lang, position_lang where a text's
 * language is not the page's), NULL when there is none. Only for people who are public (dir holds
 * only those): the url links their page. Never carries an e-mail address.
 * A new reference; strings in a.
 */
json_t *person_view(const struct directory *dir, const struct reading *rd, struct arena *a, const char *key);

extern const struct route person_routes[];
