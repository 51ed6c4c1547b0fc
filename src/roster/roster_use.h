/*
 * roster_use.h: a roster against the store (roster_use.c): its import,
 * judged and written in one transaction, and its export. What a command or
 * a form calls; the rules they run are roster.h's.
 */
#pragma once
#include "roster/roster.h"
#include "store/store.h"

enum roster_result { ROSTER_OK, ROSTER_INVALID, ROSTER_NO_PROGRAM, ROSTER_STORE_ERROR };

/*
 * Imports roster into program slug. Reads the program and every stored
 * person and organization the rows may name, judges the rows
 * (roster_plan) and, unless dry_run, writes what they add and change: all
 * in one transaction, so that on any problem nothing is written and
 * nothing changes between the judging and the writing (a dry run reads one
 * snapshot and writes nothing). plan (allocated in a) says what the
 * import did or would do; problems go to r (ROSTER_INVALID). An import
 * that writes is audited as actor ("cli:USER", an e-mail) through via
 * ("cli", "form"). On ROSTER_STORE_ERROR the store's error is in
 * store_error().
 */
enum roster_result roster_import(struct store *s, const char *slug, const struct roster *roster,
				 bool dry_run, const char *actor, const char *via, struct arena *a,
				 struct roster_plan *plan, struct report *r);
/*
 * Appends the roster of program slug (roster_write) to out, read in one
 * snapshot. Returns STORE_OK, STORE_NOT_FOUND for an unknown slug, or
 * STORE_ERROR.
 */
int roster_export(struct store *s, const char *slug, GString *out);
