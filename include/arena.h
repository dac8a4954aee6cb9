/* arena.h: one load owns its memory.
 *
 * Ownership rule for every xenadvise module: whatever a *_load or *_new returns is freed
 * by the matching *_free, which accepts NULL. Strings and nodes inside a loaded object
 * live in that object's arena and must not be freed on their own. */
#ifndef XA_ARENA_H
#define XA_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Zeroed, 16-byte aligned memory; NULL only when the system is out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* The same without zeroing, for callers that fill every byte. */
void *arena_alloc_raw(struct arena *a, size_t n);
/* Appends one zeroed element of `size` bytes to the array *v of *n elements and
 * capacity *cap (doubling in the arena as needed); returns it, or NULL when out of memory.
 * Usage: struct x *e = arena_push(a, (void **)&v, &n, &cap, sizeof(*v)); */
void *arena_push(struct arena *a, void **v, size_t *n, size_t *cap, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A point to return to: arena_rewind frees everything allocated after arena_mark, so a
 * loop can reuse the same memory for each item of a long stream. */
struct arena_mark {
	struct block *head, *next;
	size_t used;
};
struct arena_mark arena_mark(const struct arena *a);
void arena_rewind(struct arena *a, struct arena_mark m);

#endif
