/* person_page.h: people as pages show them, and their public page. */
#pragma once
#include <jansson.h>

#include "http/http.h"

/*
 * {key, url, name, honorific, position, organization} of person key, NULL
 * when there is none. Only for people who are public (they speak, are
 * spoken for, or are credited in a published article): the url links their
 * page. Never carries an e-mail address. A new reference.
 */
json_t *person_view(struct request *r, const char *key);
