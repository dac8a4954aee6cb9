/* test_arena.c: the bump allocator and the string buffer. */
#include "arena.h"
#include "strutil.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

Test(arena, alignment_zeroing_and_big_blocks)
{
	struct arena *a = arena_new();
	cr_assert_not_null(a);
	char *s = arena_strdup(a, "x"); /* strings are packed, unaligned */
	cr_assert_str_eq(s, "x");
	for (int i = 0; i < 1000; i++) {
		unsigned char *p = arena_alloc(a, (size_t)(i % 37) + 1);
		cr_assert_eq((uintptr_t)p % 16, 0, "aligned after strings");
		for (int j = 0; j < i % 37 + 1; j++)
			cr_assert_eq(p[j], 0, "zeroed");
		memset(p, 0xff, (size_t)(i % 37) + 1);
		arena_strndup(a, "abcdef", (size_t)(i % 6));
	}
	/* bigger than a block, then small ones keep working */
	unsigned char *big = arena_alloc(a, 1 << 20);
	cr_assert_not_null(big);
	cr_assert_eq(big[(1 << 20) - 1], 0);
	char *t = arena_printf(a, "%s-%d", "n", 42);
	cr_assert_str_eq(t, "n-42");
	arena_free(a);
	arena_free(NULL);
}

Test(arena, block_boundary)
{
	struct arena *a = arena_new();
	/* fill a 64 KiB block to within a few bytes of its end, then ask for aligned memory */
	arena_alloc_raw(a, 65536 - 21);
	arena_strndup(a, "ab", 2);
	void *p = arena_alloc(a, 32);
	cr_assert_eq((uintptr_t)p % 16, 0);
	memset(p, 1, 32); /* ASan would catch an overflow of the block */
	arena_free(a);
}

Test(strutil, grows_and_formats)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (int i = 0; i < 1000; i++)
		strbuf_printf(&sb, "%d,", i % 10);
	strbuf_putc(&sb, '!');
	strbuf_puts(&sb, "end");
	cr_assert_eq(sb.len, 2004);
	cr_assert_str_eq(sb.s + 2000, "!end");
	cr_assert_eq(strlen(sb.s), sb.len);
	strbuf_free(&sb);
}

Test(arena, push_grows_and_keeps_elements)
{
	struct arena *a = arena_new();
	int *v = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 1000; i++) {
		int *e = arena_push(a, (void **)&v, &n, &cap, sizeof(*v));
		cr_assert_not_null(e);
		cr_assert_eq(*e, 0, "new elements are zeroed");
		*e = i;
	}
	cr_assert_eq(n, 1000);
	cr_assert_geq(cap, n);
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(v[i], i);
	arena_free(a);
}

Test(arena, rewind_frees_what_came_after_the_mark)
{
	struct arena *a = arena_new();
	char *keep = arena_strdup(a, "kept");
	struct arena_mark m = arena_mark(a);
	for (int round = 0; round < 3; round++) {
		/* small ones across several blocks, and big one-offs */
		for (int i = 0; i < 5000; i++)
			cr_assert_not_null(arena_alloc(a, 64));
		cr_assert_not_null(arena_alloc(a, 1 << 20));
		arena_rewind(a, m);
		cr_assert_str_eq(keep, "kept");
		struct arena_mark again = arena_mark(a);
		cr_assert_eq(again.head, m.head);
		cr_assert_eq(again.used, m.used);
		cr_assert_eq(again.next, m.next);
	}
	/* a mark on an empty arena rewinds to nothing */
	struct arena *b = arena_new();
	struct arena_mark e = arena_mark(b);
	arena_alloc(b, 100);
	arena_alloc(b, 1 << 20);
	arena_rewind(b, e);
	cr_assert_null(arena_mark(b).head);
	arena_free(b);
	arena_free(a);
}
