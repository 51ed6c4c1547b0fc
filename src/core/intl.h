/*
 * intl.h: countries and language tags from ICU. ICU never decides a time
 * zone offset here (see tz.h).
 */
#pragma once
#include <stdbool.h>

/* true when code is an assigned ISO 3166-1 alpha-2 code in upper case */
bool intl_is_country(const char *code);
/* true when tag is a well-formed BCP 47 language tag */
bool intl_is_language(const char *tag);
