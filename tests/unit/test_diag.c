/* test_diag.c: diagnostics are all kept, sorted by file and position, escaped. */
#include "diag.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static char *print(const struct diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	diags_print(d, f);
	fclose(f);
	return buf;
}

Test(diag, sorted_by_file_then_position)
{
	struct diags d;
	diags_init(&d);
	diags_add(&d, DIAG_ERROR, "b.yaml", 9, 1, "b9");
	diags_add(&d, DIAG_ERROR, "a.yaml", 5, 3, "a5c3");
	diags_add(&d, DIAG_ERROR, "b.yaml", 2, 7, "b2");
	diags_add(&d, DIAG_WARNING, "a.yaml", 5, 1, "a5c1");
	diags_add(&d, DIAG_NOTE, NULL, 0, 0, "no file");
	char *s = print(&d);
	cr_assert_str_eq(s, "b.yaml:2:7: error: b2\n"
			    "b.yaml:9:1: error: b9\n"
			    "a.yaml:5:1: warning: a5c1\n"
			    "a.yaml:5:3: error: a5c3\n"
			    "xenadvise: note: no file\n");
	cr_assert_eq(d.errors, 3);
	cr_assert(diags_has_errors(&d));
	free(s);
	diags_free(&d);
}

Test(diag, escapes_and_caps)
{
	struct diags d;
	diags_init(&d);
	diags_add(&d, DIAG_ERROR, "evil\033[2J.yaml", 1, 1, "bad \033]0;x\007 value");
	for (int i = 0; i < DIAGS_MAX + 5; i++)
		diags_add(&d, DIAG_ERROR, "z.yaml", i + 2, 1, "e");
	char *s = print(&d);
	cr_assert(strstr(s, "evil\\x1b[2J.yaml:1:1: error: bad \\x1b]0;x\\x07 value\n"));
	cr_assert_null(strchr(s, '\033'));
	cr_assert(strstr(s, "6 more diagnostics not shown"));
	cr_assert_eq(d.errors, (size_t)DIAGS_MAX + 6);
	free(s);
	diags_free(&d);
	diags_free(&d); /* twice is harmless */
}

Test(diag, a_given_file_order_wins)
{
	struct diags d;
	diags_init(&d);
	char *order[] = {"first.yaml", "second.yaml"};
	d.file_order = order;
	d.nfile_order = 2;
	diags_add(&d, DIAG_ERROR, "other.yaml", 1, 1, "o");
	diags_add(&d, DIAG_ERROR, "second.yaml", 1, 1, "s");
	diags_add(&d, DIAG_ERROR, "first.yaml", 1, 1, "f");
	char *s = print(&d);
	cr_assert_str_eq(s, "first.yaml:1:1: error: f\n"
			    "second.yaml:1:1: error: s\n"
			    "other.yaml:1:1: error: o\n");
	free(s);
	diags_free(&d);
}
