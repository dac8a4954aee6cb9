/* strutil.h: a growable string buffer. */
#ifndef XA_STRUTIL_H
#define XA_STRUTIL_H

#include <stddef.h>

struct strbuf {
	char *s; /* NUL-terminated, NULL until the first append */
	size_t len, cap;
	int failed; /* set when memory ran out; the text is then truncated */
};

void strbuf_init(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);
/* Empties the buffer but keeps its memory, for reuse in a loop. */
void strbuf_reset(struct strbuf *sb);
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putn(struct strbuf *sb, const char *s, size_t n);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
