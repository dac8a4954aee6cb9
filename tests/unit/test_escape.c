/* test_escape.c: nothing that moves a terminal gets through. */
#include "escape.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *esc(const char *s, int ml)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (ml)
		escape_fputs_ml(s, f);
	else
		escape_fputs(s, f);
	fclose(f);
	return buf;
}

Test(escape, control_characters)
{
	char *s = esc("ami-\033]0;pwned\007name\r\n", 0);
	cr_assert_str_eq(s, "ami-\\x1b]0;pwned\\x07name\\x0d\\x0a");
	free(s);
}

Test(escape, c1_controls_and_bad_utf8)
{
	char *s = esc("a\xc2\x9b"
		      "31mb\xff"
		      "c\x7f",
		      0);
	cr_assert_str_eq(s, "a\\xc2\\x9b31mb\\xffc\\x7f");
	free(s);
}

Test(escape, valid_utf8_passes)
{
	char *s = esc("S\xc3\xa3o Paulo \xe2\x86\x92 \xf0\x9f\x98\x80", 0);
	cr_assert_str_eq(s, "S\xc3\xa3o Paulo \xe2\x86\x92 \xf0\x9f\x98\x80");
	free(s);
}

Test(escape, overlong_and_surrogates_are_escaped)
{
	char *s = esc("\xc0\xaf\xed\xa0\x80", 0);
	cr_assert_str_eq(s, "\\xc0\\xaf\\xed\\xa0\\x80");
	free(s);
}

Test(escape, multiline_keeps_newlines_only)
{
	char *s = esc("a\nb\tc", 1);
	cr_assert_str_eq(s, "a\nb\\x09c");
	free(s);
}

Test(escape, truncated_sequence_at_end)
{
	char *s = esc("x\xe2\x86", 0);
	cr_assert_str_eq(s, "x\\xe2\\x86");
	free(s);
}
