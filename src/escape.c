/* escape.c: terminal-safe output of untrusted strings. */
#include "escape.h"
#include "strutil.h"

#include <stdbool.h>
#include <stddef.h>

/* Length of a valid UTF-8 sequence at s that is not a C1 control, else 0. */
static size_t utf8_ok(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		if ((s[1] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xc2 && s[1] < 0xa0) /* U+0080..U+009F: C1 controls */
			return 0;
		return 2;
	}
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xe0 && s[1] < 0xa0)
			return 0;
		if (s[0] == 0xed && s[1] >= 0xa0)
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xf0 && s[1] < 0x90)
			return 0;
		if (s[0] == 0xf4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

/* Writes s to a FILE or a strbuf (exactly one is set). */
static void put_to(const char *s, FILE *out, struct strbuf *sb, bool keep_newline)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		/* a run of plain printable ASCII goes out in one write */
		size_t run = 0;
		while (p[run] >= 0x20 && p[run] < 0x7f)
			run++;
		if (run > 1) {
			if (out)
				fwrite(p, 1, run, out);
			else
				strbuf_putn(sb, (const char *)p, run);
			p += run;
			continue;
		}
		size_t n = *p == '\n' && keep_newline ? 1 : *p < 0x20 || *p == 0x7f ? 0 : utf8_ok(p);
		if (n == 0) {
			if (out)
				fprintf(out, "\\x%02x", *p);
			else
				strbuf_printf(sb, "\\x%02x", *p);
			p++;
			continue;
		}
		if (out) {
			fwrite(p, 1, n, out);
		} else {
			for (size_t i = 0; i < n; i++)
				strbuf_putc(sb, (char)p[i]);
		}
		p += n;
	}
}

static void put(const char *s, FILE *out, bool keep_newline)
{
	put_to(s, out, NULL, keep_newline);
}

void escape_append(struct strbuf *sb, const char *s)
{
	put_to(s, NULL, sb, false);
}

void escape_fputs(const char *s, FILE *out)
{
	put(s, out, false);
}

void escape_fputs_ml(const char *s, FILE *out)
{
	put(s, out, true);
}
