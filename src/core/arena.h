/*
 * arena.h: a bump allocator for memory that lives as long as one piece of
 * work (an import, an export, a request) and is freed at once at its end.
 * Out of memory aborts (through GLib's g_malloc), so callers never check.
 */
#pragma once
#include <stddef.h>

#include <glib.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* newest block first */
};

#define ARENA_INIT {0}

/* Returns size bytes aligned for any type, zeroed, owned by the arena. */
void *arena_alloc(struct arena *a, size_t size);
/* Returns an arena-owned copy of s (NULL stays NULL). */
char *arena_strdup(struct arena *a, const char *s);
/* Returns an arena-owned NUL-terminated copy of the n bytes at s. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* printf into a: the text lives as long as the arena */
char *arena_printf(struct arena *a, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Frees everything the arena holds; the arena can be used again. */
void arena_free(struct arena *a);

/* A counted array of T, laid out as {pointer, count} for every T. */
#define ARRAY(T) struct { T *v; size_t n; }
typedef ARRAY(const char *) strv;

/*
 * Grows the array (*v, *n) of elements of size bytes by one, with *cap its
 * capacity (0 at first), and returns the new zeroed element. The old
 * storage stays in the arena until it is freed.
 */
void *arena_push(struct arena *a, void *v, size_t *n, size_t *cap, size_t size);
#define ARRAY_PUSH(a, array, cap) \
	((__typeof__((array).v))arena_push((a), &(array).v, &(array).n, (cap), sizeof *(array).v))
