/* program_page.h: what the pages of a program's parts share. */
#pragma once
#include "http/http.h"
#include "program/program.h"
#include "store/store.h"

/*
 * Loads the whole program slug into out (allocated in the request's arena).
 * On failure answers 404 (no such program) or 500, and returns false.
 */
bool program_page_load(struct request *r, const char *slug, struct program *out);
/*
 * Reads ?page=N into *page and every program's card into cards (in the
 * request's arena). On failure answers 400 or 500 and returns false.
 */
bool program_page_cards(struct request *r, int64_t *page, program_cards *cards);
