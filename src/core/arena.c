/* arena.c: the bump allocator of arena.h. */
#include "core/arena.h"

#include <glib.h>
#include <stdalign.h>
#include <stdarg.h>
#include <string.h>

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

enum { ARENA_BLOCK = 64 * 1024 };

void *arena_alloc(struct arena *a, size_t size)
{
	size_t need = (size + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < need) {
		size_t cap = need > ARENA_BLOCK / 4 ? need : ARENA_BLOCK;
		b = g_malloc(sizeof *b + cap);
		b->size = cap;
		b->used = 0;
		if (need > ARENA_BLOCK / 4 && a->head) {
			/* a large block goes behind the current one, which keeps its free room */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = b->data + b->used;
	b->used += need;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void arena_free(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		g_free(b);
		b = next;
	}
	a->head = NULL;
}

void *arena_push(struct arena *a, void *v, size_t *n, size_t *cap, size_t size)
{
	void **array = v;
	if (*n == *cap) {
		size_t grown = *cap ? *cap * 2 : 8;
		void *bigger = arena_alloc(a, grown * size);
		if (*n)
			memcpy(bigger, *array, *n * size);
		*array = bigger;
		*cap = grown;
	}
	void *element = (char *)*array + *n * size;
	memset(element, 0, size);
	(*n)++;
	return element;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	char *copy = arena_strdup(a, text);
	g_free(text);
	return copy;
}
