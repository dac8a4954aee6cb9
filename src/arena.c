/* arena.c: a bump allocator; freeing the arena frees every block at once. */
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct block {
	struct block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *head;
};

enum { BLOCK_SIZE = 64 * 1024 };

struct arena *arena_new(void)
{
	return calloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	for (struct block *b = a->head, *next; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

/* Bump-allocates n bytes aligned to `align` (a power of two, at most 16). */
static void *bump(struct arena *a, size_t n, size_t align)
{
	struct block *b = a->head;
	size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (b == NULL || at > b->size || b->size - at < n) {
		size_t size = n > BLOCK_SIZE / 4 ? n : BLOCK_SIZE;
		struct block *nb = malloc(sizeof(*nb) + size);
		if (nb == NULL)
			return NULL;
		nb->used = 0;
		nb->size = size;
		if (size == n && b != NULL) {
			/* A big one-off: keep the current block as the one to bump. */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
		at = 0;
	}
	void *p = b->data + at;
	b->used = at + n;
	return p;
}

void *arena_alloc_raw(struct arena *a, size_t n)
{
	return bump(a, n, 16);
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p = arena_alloc_raw(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

void *arena_push(struct arena *a, void **v, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		unsigned char *nv = arena_alloc(a, ncap * size);
		if (nv == NULL)
			return NULL;
		if (*v)
			memcpy(nv, *v, *n * size);
		*v = nv;
		*cap = ncap;
	}
	unsigned char *e = (unsigned char *)*v + (*n)++ * size;
	memset(e, 0, size);
	return e;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = bump(a, n + 1, 1); /* strings need no alignment: many are tiny */
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = arena_alloc_raw(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

struct arena_mark arena_mark(const struct arena *a)
{
	struct arena_mark m = {.head = a->head};
	if (a->head) {
		m.used = a->head->used;
		m.next = a->head->next;
	}
	return m;
}

void arena_rewind(struct arena *a, struct arena_mark m)
{
	/* blocks made since the mark sit in front of the marked head, and big one-offs were
	 * linked right behind whichever block was the head */
	struct block *b = a->head;
	while (b != NULL && b != m.head) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	a->head = b;
	if (b == NULL)
		return;
	for (struct block *x = b->next; x != NULL && x != m.next;) {
		struct block *next = x->next;
		free(x);
		x = next;
	}
	b->next = m.next;
	b->used = m.used;
}
